/**
 * Reads an evidence package from disk without trusting it: the APK zip reader's central-directory checks
 * (duplicates, overlaps, header disagreement, zip64, encryption, unsafe names) over positional reads, and
 * entries streamed through inflate with the size cap enforced on the bytes actually produced, CRC and
 * size checked at the end. Nothing is extracted to disk.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { crc32, createInflateRaw } from 'node:zlib';
import { Readable, Transform } from 'node:stream';
import { entryDataOffset, readCentralDirectory, type ZipEntry, type ZipFinding, type ZipSource } from '../apk/zip-reader.js';
import { WorkbenchError } from '../errors.js';

/** The reader's refusal; `details.zh` carries the Chinese for the verifier's report. */
function notAPackage(message: string, zh: string): WorkbenchError {
  return new WorkbenchError('evidence.not-a-package', message, { message, zh });
}

export class PackageReader {
  readonly entries: Map<string, ZipEntry>;
  readonly findings: ZipFinding[];
  private fd: number;
  private src: ZipSource;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'r');
    } catch (err) {
      throw notAPackage(`Cannot read ${path}: ${(err as Error).message}`, `无法读取 ${path}：${(err as Error).message}`);
    }
    const fd = this.fd;
    const size = fstatSync(fd).size;
    this.src = {
      size,
      read: (offset, length) => {
        const n = Math.max(0, Math.min(length, size - offset));
        const b = Buffer.alloc(n);
        if (n) readSync(fd, b, 0, n, offset);
        return b;
      },
    };
    try {
      ({ entries: this.entries, findings: this.findings } = readCentralDirectory(this.src, 16 * 1024 * 1024));
    } catch (err) {
      this.close();
      const message = err instanceof Error ? err.message : String(err);
      throw notAPackage(`Not an evidence package: ${message}`, `不是证据包：${message}`);
    }
  }

  /** The entry's bytes in memory (small files: manifest, signatures), at most `maxBytes`. */
  async readSmall(name: string, maxBytes: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of this.stream(name, maxBytes)) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  /** A stream of the entry's bytes; errors when it inflates past `maxBytes`, or its CRC or size is wrong. */
  stream(name: string, maxBytes: number): Readable {
    const e = this.entries.get(name);
    if (!e) throw notAPackage(`${name} is missing`, `缺少 ${name}`);
    if (e.method !== 0 && e.method !== 8) throw notAPackage(`${name} uses an unknown compression method`, `${name} 使用了未知的压缩方法`);
    if (e.size > maxBytes) throw notAPackage(`${name} is larger than allowed (${maxBytes} bytes)`, `${name} 超过允许的大小（${maxBytes} 字节）`);
    let start: number;
    try {
      start = entryDataOffset(this.src, e);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw notAPackage(`${name}: ${message}`, `${name}：${message}`);
    }
    const raw: Readable = e.compressedSize > 0
      ? createReadStream('', { fd: this.fd, autoClose: false, start, end: start + e.compressedSize - 1, highWaterMark: 1 << 20 })
      : Readable.from([]);
    let produced = 0;
    let crc = 0;
    const check = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        produced += chunk.length;
        if (produced > maxBytes || produced > e.size) {
          cb(notAPackage(`${name} inflates beyond its declared size (zip bomb?)`, `${name} 解压后超过声明的大小（压缩炸弹？）`));
          return;
        }
        crc = crc32(chunk, crc);
        cb(null, chunk);
      },
      flush(cb) {
        if (produced !== e.size) cb(notAPackage(`${name}: size differs from the central directory`, `${name}：大小与中央目录不符`));
        else if (crc >>> 0 !== e.crc >>> 0) cb(notAPackage(`${name}: CRC mismatch (the zip is damaged)`, `${name}：CRC 不符（压缩包已损坏）`));
        else cb();
      },
    });
    if (e.method === 0) return raw.pipe(check);
    const inflate = createInflateRaw({ chunkSize: 64 * 1024 });
    inflate.on('error', (err) => check.destroy(notAPackage(`${name} does not inflate: ${err.message}`, `${name} 无法解压：${err.message}`)));
    raw.on('error', (err) => check.destroy(err));
    return raw.pipe(inflate).pipe(check);
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}
