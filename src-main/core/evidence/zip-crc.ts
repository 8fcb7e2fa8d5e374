/**
 * yazl computes each entry's CRC-32 with the buffer-crc32 package in JavaScript (about 380 MB/s here), which
 * made it the slowest step of an export; zlib.crc32 computes the same function natively (about 3 GB/s).
 * This points yazl's copy of buffer-crc32 at zlib.crc32 once, where Node has it (20.15+, Electron 32+); the
 * result is identical (unzip and `sha256sum -c` in the tests check every entry of exported packages).
 */
import { createRequire } from 'node:module';
import * as zlib from 'node:zlib';

type Crc32Module = { unsigned: (buf: Buffer, previous?: number) => number };
let done = false;

export function useNativeZipCrc(): void {
  if (done) return;
  done = true;
  const native = (zlib as { crc32?: (data: Buffer, value?: number) => number }).crc32;
  if (!native) return;
  try {
    const fromYazl = createRequire(createRequire(import.meta.url).resolve('yazl'));
    const crc = fromYazl('buffer-crc32') as Crc32Module;
    crc.unsigned = (buf, previous = 0) => native(buf, previous);
  } catch {
    // yazl's own CRC keeps working; only slower.
  }
}
