/**
 * The identity of an APK file: SHA-256, SM3 (GB/T 32905; Node's OpenSSL has it, Electron's BoringSSL does
 * not, so there our implementation) and MD5 of its bytes, as an evidence package and a regulator quote them
 * — of bytes in memory, or of a file read in slices by a process with nothing else to do meanwhile.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { ApkAnalysis, ApkContents } from './analyze-apk.js';
import { createSm3 } from './sm3.js';

export interface FileHashes {
  sha256: string;
  sm3: string;
  md5: string;
}

class FileHasher {
  private sha256 = createHash('sha256');
  private md5 = createHash('md5');
  private sm3 = createSm3();

  update(bytes: Buffer): void {
    this.sha256.update(bytes);
    this.md5.update(bytes);
    this.sm3.update(bytes);
  }

  digest(): FileHashes {
    return { sha256: this.sha256.digest('hex'), sm3: this.sm3.digest().toString('hex'), md5: this.md5.digest('hex') };
  }
}

export function fileHashes(bytes: Buffer): FileHashes {
  const hasher = new FileHasher();
  hasher.update(bytes);
  return hasher.digest();
}

/**
 * The hashes of a file read 1 MiB at a time (the event loop is free between slices, ~5 ms each with native
 * SM3); `signal` stops the reading.
 */
export function hashFile(path: string, signal?: AbortSignal): Promise<FileHashes> {
  return new Promise((resolve, reject) => {
    const hasher = new FileHasher();
    createReadStream(path, { highWaterMark: 1 << 20, signal })
      .on('data', (chunk) => hasher.update(chunk as Buffer))
      .on('error', reject)
      .on('end', () => resolve(hasher.digest()));
  });
}

export function withHashes(a: ApkContents, hashes: FileHashes): ApkAnalysis {
  return { ...a, file: { name: a.file.name, size: a.file.size, sha256: hashes.sha256, sm3: hashes.sm3, md5: hashes.md5 } };
}
