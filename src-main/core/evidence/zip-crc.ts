/**
 * yazl computes each entry's CRC-32 with the buffer-crc32 package in JavaScript (about 380 MB/s here), which
 * made it the slowest step of an export; zlib.crc32 computes the same function natively (about 3 GB/s).
 * buffer-crc32 is a direct dependency at yazl's version, so npm installs one copy that yazl and this module
 * share; its `unsigned` is pointed at zlib.crc32 once, where Node has it (20.15+, Electron 32+). The result is
 * identical (unzip and `sha256sum -c` check every entry of exported packages in the tests); were the copies
 * ever different (an ESM loader takes the package's .mjs twin, as Vitest does), yazl would only be slower.
 */
// @ts-expect-error -- the package types its ESM entry with `export =`, though that entry has a default export.
import crc32 from 'buffer-crc32';
import * as zlib from 'node:zlib';

let done = false;

export function useNativeZipCrc(): void {
  if (done) return;
  done = true;
  const native = (zlib as { crc32?: (data: Buffer, value?: number) => number }).crc32;
  if (native) (crc32 as { unsigned: (buf: Buffer, previous?: number) => number }).unsigned = (buf, previous = 0) => native(buf, previous);
}
