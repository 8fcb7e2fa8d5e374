/**
 * The farm's shared APK store: a folder every host mounts (NFS/SMB in a lab), each APK once, named by its
 * SHA-256 (`<sha256>.apk`). A job names an APK by hash and never carries it; a worker re-reads the file and
 * checks its hash before using it, so a file changed or damaged on the share is refused, never tested.
 * Files appear whole (written under a temporary name, then linked into place): a reader never sees half an APK.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, linkSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

export const SHA256_RE = /^[0-9a-f]{64}$/;

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Why a stored APK cannot be used: `missing` may be a share not mounted on this host; `mismatch` is damage. */
export class StoreRefusal extends Error {
  constructor(readonly kind: 'missing' | 'mismatch' | 'not-a-hash', message: string) {
    super(message);
    this.name = 'StoreRefusal';
  }
}

export class ApkStore {
  readonly apks: string;

  constructor(readonly root: string) {
    this.apks = join(root, 'apks');
  }

  /** Whether the store's folder is there (a share not mounted on this host is not). */
  present(): boolean {
    return statSync(this.root, { throwIfNoEntry: false })?.isDirectory() ?? false;
  }

  pathOf(sha256: string): string {
    if (!SHA256_RE.test(sha256)) throw new StoreRefusal('not-a-hash', `"${sha256.slice(0, 80)}" is not a SHA-256`);
    return join(this.apks, `${sha256}.apk`);
  }

  /**
   * Copies an APK into the store (once: a file already there is kept) and returns its SHA-256. One read: the bytes
   * are hashed as they are written, so the copy is named by the hash of exactly what it holds.
   */
  async put(file: string): Promise<string> {
    mkdirSync(this.apks, { recursive: true });
    const tmp = join(this.apks, `.${randomBytes(8).toString('hex')}.tmp`);
    const hash = createHash('sha256');
    try {
      // Read, hash and write through one 1 MiB buffer: no stream of small chunks to allocate and collect.
      const from = await open(file, 'r');
      try {
        const to = await open(tmp, 'wx');
        try {
          const buf = Buffer.allocUnsafe(1 << 20);
          for (let n; (n = (await from.read(buf, 0, buf.length, null)).bytesRead) > 0;) {
            hash.update(buf.subarray(0, n));
            await to.write(buf, 0, n);
          }
        } finally {
          await to.close();
        }
      } finally {
        await from.close();
      }
      const sha = hash.digest('hex');
      try {
        linkSync(tmp, this.pathOf(sha));
      } catch (err) {
        // Already stored (by this add or another host's): that copy is kept.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      return sha;
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  /** Where the stored APK is, when it is there (its bytes not read: see `verified` and `checkHash`). */
  located(sha256: string): string {
    const path = this.pathOf(sha256);
    if (!this.present()) throw new StoreRefusal('missing', `the APK store ${this.root} is not there on this host (is the share mounted?)`);
    if (!existsSync(path)) throw new StoreRefusal('missing', `APK ${sha256} is not in the store ${this.root}`);
    return path;
  }

  /** Refuses a stored APK whose bytes hash to `actual` instead of the hash that names it. */
  checkHash(sha256: string, actual: string): void {
    if (actual !== sha256) throw new StoreRefusal('mismatch', `APK ${sha256} in the store has SHA-256 ${actual}: the file was changed or damaged; refused`);
  }

  /** The stored APK's path once its bytes are checked against the hash that names it. */
  async verified(sha256: string): Promise<string> {
    const path = this.located(sha256);
    this.checkHash(sha256, await sha256Of(path));
    return path;
  }
}
