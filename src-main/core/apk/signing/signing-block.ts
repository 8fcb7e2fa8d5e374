/**
 * The APK Signing Block: where it sits (just before the central directory, found through the end record),
 * its ID-value pairs, and the zip sections the v2/v3 content digests cover. Every length is bounds-checked
 * against its parent, so a hostile block is refused with a reason instead of read past.
 */
export const BLOCK_IDS = { v2: 0x7109871a, v3: 0xf05368c0, 'v3.1': 0x1b93ad61 } as const;
const MAGIC = 'APK Sig Block 42';

export class MalformedSignature extends Error {}

export interface SigningBlock {
  /** Offset of the block's first byte: the end of the zip entries' section. */
  start: number;
  pairs: Map<number, Buffer>;
}

/** The zip around the block: entries before it, the central directory, the end record. */
export interface ZipSections {
  cdOffset: number;
  eocdOffset: number;
}

export function zipSections(apk: Buffer): ZipSections {
  const from = Math.max(0, apk.length - 22 - 0xffff);
  for (let p = apk.length - 22; p >= from; p--) {
    if (apk.readUInt32LE(p) === 0x06054b50 && p + 22 + apk.readUInt16LE(p + 20) === apk.length) {
      return { cdOffset: apk.readUInt32LE(p + 16), eocdOffset: p };
    }
  }
  throw new MalformedSignature('no ZIP end of central directory record');
}

/** The block before the central directory, or null when there is none (an APK signed with v1 only, or unsigned). */
export function findSigningBlock(apk: Buffer, { cdOffset }: ZipSections): SigningBlock | null {
  if (cdOffset < 32 || cdOffset > apk.length || apk.toString('latin1', cdOffset - 16, cdOffset) !== MAGIC) return null;
  const size = apk.readBigUInt64LE(cdOffset - 24);
  if (size < 24n || size > BigInt(cdOffset - 8)) throw new MalformedSignature('APK Signing Block size is out of range');
  const start = cdOffset - Number(size) - 8;
  if (apk.readBigUInt64LE(start) !== size) throw new MalformedSignature('APK Signing Block sizes in its header and footer differ');
  const pairs = new Map<number, Buffer>();
  let p = start + 8;
  const end = cdOffset - 24;
  while (p < end) {
    if (p + 12 > end) throw new MalformedSignature('APK Signing Block entry is truncated');
    const len = apk.readBigUInt64LE(p);
    if (len < 4n || len > BigInt(end - p - 8)) throw new MalformedSignature('APK Signing Block entry runs past the block');
    const id = apk.readUInt32LE(p + 8);
    if (!pairs.has(id)) pairs.set(id, apk.subarray(p + 12, p + 8 + Number(len)));
    p += 8 + Number(len);
  }
  return { start, pairs };
}

/** A u32-length-prefixed item at `offset`, checked against the end of `buf`. */
export function prefixed(buf: Buffer, offset: number, what: string): [Buffer, number] {
  if (offset + 4 > buf.length) throw new MalformedSignature(`${what} is truncated`);
  const len = buf.readUInt32LE(offset);
  if (len > buf.length - offset - 4) throw new MalformedSignature(`${what} runs past its parent`);
  return [buf.subarray(offset + 4, offset + 4 + len), offset + 4 + len];
}

/** Every u32-length-prefixed item of a sequence that fills `buf`. */
export function sequence(buf: Buffer, what: string): Buffer[] {
  const items: Buffer[] = [];
  let p = 0;
  while (p < buf.length) {
    const [item, next] = prefixed(buf, p, what);
    items.push(item);
    p = next;
  }
  return items;
}

export function u32(buf: Buffer, offset: number, what: string): number {
  if (offset + 4 > buf.length) throw new MalformedSignature(`${what} is truncated`);
  return buf.readUInt32LE(offset);
}
