/**
 * The digest a v2/v3 signer signs over the APK's contents: the zip entries before the signing block, the
 * central directory, and the end record with its central-directory offset pointing at the signing block.
 * Each section is cut into 1 MiB chunks, each chunk hashed as 0xa5 | u32 length | bytes, and the chunk
 * hashes hashed as 0x5a | u32 count | hashes (the "chunked" digests of APK Signature Scheme v2).
 */
import { createHash } from 'node:crypto';
import type { ZipSections } from './signing-block.js';

const CHUNK = 1024 * 1024;
export type ContentDigestAlgorithm = 'sha256' | 'sha512';

function sections(apk: Buffer, blockStart: number, zip: ZipSections): Buffer[] {
  const eocd = Buffer.from(apk.subarray(zip.eocdOffset));
  eocd.writeUInt32LE(blockStart, 16);
  return [apk.subarray(0, blockStart), apk.subarray(zip.cdOffset, zip.eocdOffset), eocd];
}

export function contentDigest(apk: Buffer, blockStart: number, zip: ZipSections, algorithm: ContentDigestAlgorithm): Buffer {
  const parts = sections(apk, blockStart, zip);
  const count = parts.reduce((n, s) => n + Math.ceil(s.length / CHUNK), 0);
  const top = createHash(algorithm);
  const head = Buffer.alloc(5);
  head[0] = 0x5a;
  head.writeUInt32LE(count, 1);
  top.update(head);
  const chunkHead = Buffer.alloc(5);
  chunkHead[0] = 0xa5;
  for (const section of parts) {
    for (let p = 0; p < section.length; p += CHUNK) {
      const chunk = section.subarray(p, Math.min(section.length, p + CHUNK));
      chunkHead.writeUInt32LE(chunk.length, 1);
      top.update(createHash(algorithm).update(chunkHead).update(chunk).digest());
    }
  }
  return top.digest();
}
