/**
 * The classes an APK defines: every class_def of every classes*.dex, read as descriptors without decoding any
 * code. Offsets and sizes from the header are bounds-checked; a malformed file is refused with a reason.
 */
import { WorkbenchError } from '../errors.js';

const MAX_CLASSES = 500_000;
/** Class descriptors are short; a longer "descriptor" is an attack on the reader. */
export const MAX_DESCRIPTOR_BYTES = 4096;

function bad(reason: string): never {
  throw new WorkbenchError('apk.refused', `dex: ${reason}`);
}

function uleb(buf: Buffer, p: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (let i = 0; i < 5; i++) {
    if (p >= buf.length) bad('string runs past the file');
    const b = buf[p++]!;
    result |= (b & 0x7f) << shift;
    if (!(b & 0x80)) return [result >>> 0, p];
    shift += 7;
  }
  bad('bad uleb128');
}

/** MUTF-8 as dex stores it; descriptors are ASCII in practice, anything else decodes leniently. Capped. */
function mutf8(buf: Buffer, p: number): string {
  const end = buf.subarray(p, p + MAX_DESCRIPTOR_BYTES + 1).indexOf(0);
  if (end < 0) bad(p + MAX_DESCRIPTOR_BYTES < buf.length ? `a class descriptor longer than ${MAX_DESCRIPTOR_BYTES} bytes` : 'unterminated string');
  return buf.toString('utf8', p, p + end);
}

export function dexClassDescriptors(dex: Buffer): string[] {
  if (dex.length < 0x70 || dex.toString('latin1', 0, 4) !== 'dex\n') bad('not a dex file');
  const u32 = (o: number): number => dex.readUInt32LE(o);
  const stringIdsSize = u32(0x38), stringIdsOff = u32(0x3c);
  const typeIdsSize = u32(0x40), typeIdsOff = u32(0x44);
  const classDefsSize = u32(0x60), classDefsOff = u32(0x64);
  const inside = (off: number, count: number, size: number): boolean => off + count * size <= dex.length && off <= dex.length;
  if (!inside(stringIdsOff, stringIdsSize, 4) || !inside(typeIdsOff, typeIdsSize, 4) || !inside(classDefsOff, classDefsSize, 32)) bad('a table runs past the file');
  if (classDefsSize > MAX_CLASSES) bad('too many classes');
  const out: string[] = new Array(classDefsSize);
  // Many classes may name one string: each is read once.
  const byString = new Map<number, string>();
  for (let i = 0; i < classDefsSize; i++) {
    const typeIdx = u32(classDefsOff + i * 32);
    if (typeIdx >= typeIdsSize) bad(`class ${i} names type ${typeIdx} out of range`);
    const strIdx = u32(typeIdsOff + typeIdx * 4);
    if (strIdx >= stringIdsSize) bad(`type ${typeIdx} names string ${strIdx} out of range`);
    const known = byString.get(strIdx);
    if (known !== undefined) {
      out[i] = known;
      continue;
    }
    const dataOff = u32(stringIdsOff + strIdx * 4);
    if (dataOff >= dex.length) bad('string data out of range');
    const [, p] = uleb(dex, dataOff);
    out[i] = mutf8(dex, p);
    byString.set(strIdx, out[i]!);
  }
  return out;
}

/** `Lcom/umeng/analytics/MobclickAgent;` → `com.umeng.analytics.MobclickAgent` */
export function descriptorToClassName(d: string): string {
  return d.startsWith('L') && d.endsWith(';') ? d.slice(1, -1).replace(/\//g, '.') : d;
}
