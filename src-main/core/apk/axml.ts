/**
 * Android binary XML (AXML) to a small element tree. Every chunk size and string index is bounds-checked;
 * depth and element count are capped. Anomalies are collected as findings, never thrown past the caller
 * unless the document cannot be read at all.
 */
import { WorkbenchError } from '../errors.js';

export type AttrValue = string | number | boolean | { ref: number };

export interface XmlElement {
  name: string;
  attrs: Record<string, AttrValue>;
  children: XmlElement[];
  /** Character data directly inside the element (a network security config's `<domain>`), when there is any. */
  text?: string;
}

const RES_XML_TYPE = 0x0003;
/** Resource chunk types (ResourceTypes.h) shared by AXML and resources.arsc. */
export const RES_STRING_POOL_TYPE = 0x0001;
const RES_XML_RESOURCE_MAP_TYPE = 0x0180;
const RES_XML_START_ELEMENT_TYPE = 0x0102;
const RES_XML_END_ELEMENT_TYPE = 0x0103;
const RES_XML_CDATA_TYPE = 0x0104;
const MAX_TEXT = 64 * 1024;
const MAX_DEPTH = 256;
const MAX_ELEMENTS = 200_000;

/** android: attribute names by resource id, for manifests whose attribute name strings were stripped. */
const ATTR_BY_ID: Record<number, string> = {
  0x01010001: 'label', 0x01010002: 'icon', 0x01010003: 'name', 0x0101000e: 'enabled', 0x01010010: 'exported',
  0x01010006: 'permission', 0x0101000f: 'debuggable', 0x0101020c: 'minSdkVersion', 0x01010270: 'targetSdkVersion',
  0x01010271: 'maxSdkVersion', 0x0101021b: 'versionCode', 0x0101021c: 'versionName', 0x01010280: 'allowBackup',
  0x010104ec: 'usesCleartextTraffic', 0x01010527: 'networkSecurityConfig', 0x01010009: 'protectionLevel',
  0x01010572: 'compileSdkVersion', 0x01010573: 'compileSdkVersionCodename', 0x0101001a: 'priority',
  0x01010272: 'testOnly', 0x01010020: 'authorities',
};

function bad(reason: string): never {
  throw new WorkbenchError('apk.refused', `binary XML: ${reason}`);
}

export interface Chunk {
  type: number;
  start: number;
  headerSize: number;
  end: number;
}

/**
 * The resource chunks laid end to end in [start, end) — the layout AXML and resources.arsc share. A chunk whose
 * sizes do not fit its parent is refused with `what` in the message.
 */
export function* chunks(buf: Buffer, start: number, end: number, what: string): Generator<Chunk> {
  let p = start;
  while (p + 8 <= end) {
    const type = buf.readUInt16LE(p);
    const headerSize = buf.readUInt16LE(p + 2);
    const size = buf.readUInt32LE(p + 4);
    if (size < 8 || headerSize < 8 || headerSize > size || p + size > end) {
      throw new WorkbenchError('apk.refused', `${what}: chunk at ${p} has a bad size`);
    }
    yield { type, start: p, headerSize, end: p + size };
    p += size;
  }
}

/** A string longer than this is refused; all distinct strings of one pool together are capped too. */
export const MAX_POOL_STRING_CHARS = 64 * 1024;
export const MAX_POOL_TOTAL_CHARS = 16 * 1024 * 1024;

/**
 * A string pool. Each distinct offset is decoded once (a million entries pointing at one string cost one
 * string, not a million copies), each string is capped, and so is the total decoded: a few KB of hostile
 * pool cannot grow into gigabytes.
 */
export function readStringPool(buf: Buffer, at: number, end: number): string[] {
  const count = buf.readUInt32LE(at + 8);
  const flags = buf.readUInt32LE(at + 16);
  const stringsStart = buf.readUInt32LE(at + 20);
  const utf8 = (flags & 0x100) !== 0;
  const headerSize = buf.readUInt16LE(at + 2);
  if (headerSize < 28 || at + headerSize + count * 4 > end) bad('string pool offsets out of range');
  const base = at + stringsStart;
  const out: string[] = new Array(count);
  const decoded = new Map<number, string>();
  let total = 0;
  for (let i = 0; i < count; i++) {
    let p = base + buf.readUInt32LE(at + headerSize + i * 4);
    const seen = decoded.get(p);
    if (seen !== undefined) {
      out[i] = seen;
      continue;
    }
    const start = p;
    try {
      let n: number;
      if (utf8) {
        n = buf[p++]!;
        if (n & 0x80) p++;
        n = buf[p++]!;
        if (n & 0x80) n = ((n & 0x7f) << 8) | buf[p++]!;
        if (p + n > end) bad('string runs past its pool');
      } else {
        n = buf.readUInt16LE(p);
        p += 2;
        if (n & 0x8000) {
          n = ((n & 0x7fff) << 16) | buf.readUInt16LE(p);
          p += 2;
        }
        if (p + n * 2 > end) bad('string runs past its pool');
      }
      if (n > MAX_POOL_STRING_CHARS) bad(`a string of ${n} characters (more than ${MAX_POOL_STRING_CHARS})`);
      total += n;
      if (total > MAX_POOL_TOTAL_CHARS) bad(`strings of more than ${MAX_POOL_TOTAL_CHARS} characters in one pool`);
      out[i] = utf8 ? buf.toString('utf8', p, p + n) : buf.toString('utf16le', p, p + n * 2);
      decoded.set(start, out[i]!);
    } catch (err) {
      if (err instanceof WorkbenchError) throw err;
      bad('string pool truncated');
    }
  }
  return out;
}

export function parseAxml(buf: Buffer): XmlElement {
  if (buf.length < 8 || buf.readUInt16LE(0) !== RES_XML_TYPE) bad('not a binary XML document');
  const total = Math.min(buf.readUInt32LE(4), buf.length);
  let strings: string[] = [];
  let resourceIds: number[] = [];
  const root: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  let elements = 0;
  const str = (i: number): string => (i === 0xffffffff ? '' : i < strings.length ? strings[i]! : bad(`string index ${i} out of range`));

  for (const { type, start: p, headerSize, end } of chunks(buf, buf.readUInt16LE(2), total, 'binary XML')) {
    if (type === RES_STRING_POOL_TYPE) {
      strings = readStringPool(buf, p, end);
    } else if (type === RES_XML_RESOURCE_MAP_TYPE) {
      resourceIds = [];
      for (let q = p + headerSize; q + 4 <= end; q += 4) resourceIds.push(buf.readUInt32LE(q));
    } else if (type === RES_XML_START_ELEMENT_TYPE) {
      if (++elements > MAX_ELEMENTS) bad('too many elements');
      if (stack.length > MAX_DEPTH) bad('elements nested too deeply');
      const q = p + headerSize;
      if (q + 20 > end) bad('start element truncated');
      const el: XmlElement = { name: str(buf.readUInt32LE(q + 4)), attrs: {}, children: [] };
      const attrStart = buf.readUInt16LE(q + 8);
      const attrSize = buf.readUInt16LE(q + 10);
      const attrCount = buf.readUInt16LE(q + 12);
      if (attrSize < 20 || q + attrStart + attrCount * attrSize > end) bad('attributes run past their element');
      for (let a = 0; a < attrCount; a++) {
        const r = q + attrStart + a * attrSize;
        const nameIndex = buf.readUInt32LE(r + 4);
        let name = str(nameIndex);
        const byId = nameIndex < resourceIds.length ? ATTR_BY_ID[resourceIds[nameIndex]!] : undefined;
        if (byId) name = byId;
        const raw = buf.readUInt32LE(r + 8);
        const dataType = buf[r + 15]!;
        const data = buf.readUInt32LE(r + 16);
        let value: AttrValue;
        if (dataType === 0x03) value = raw !== 0xffffffff ? str(raw) : str(data);
        else if (dataType === 0x01) value = { ref: data };
        else if (dataType === 0x12) value = data !== 0;
        else if (dataType >= 0x10 && dataType <= 0x1f) value = dataType === 0x10 ? data | 0 : data;
        else value = raw !== 0xffffffff ? str(raw) : data;
        if (name) el.attrs[name] = value;
      }
      stack[stack.length - 1]!.children.push(el);
      stack.push(el);
    } else if (type === RES_XML_END_ELEMENT_TYPE) {
      if (stack.length > 1) stack.pop();
    } else if (type === RES_XML_CDATA_TYPE) {
      const q = p + headerSize;
      if (q + 4 > end) bad('character data truncated');
      const parent = stack[stack.length - 1]!;
      if (parent !== root) parent.text = ((parent.text ?? '') + str(buf.readUInt32LE(q))).slice(0, MAX_TEXT);
    }
  }
  const top = root.children[0];
  if (!top) bad('document has no root element');
  return top;
}
