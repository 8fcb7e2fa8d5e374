/**
 * Files the user handed to the workbench (an APK dropped on a device, an upload in browser mode), known by
 * an opaque id so the renderer never names arbitrary paths for the core to read. Uploads are streamed to
 * this process's own folder under the data directory (uploads/<pid>), each under a size cap and all under a
 * total quota; the folder is removed when the workbench closes, and folders of processes that died are
 * cleared at start.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { processAlive } from './data-dir-lock.js';
import { WorkbenchError } from './errors.js';

export const MAX_STAGED_BYTES = 2 * 1024 * 1024 * 1024;
/** All uploads of one workbench together. */
export const UPLOAD_QUOTA_BYTES = 8 * 1024 * 1024 * 1024;

export interface StagedFile {
  fileId: string;
  fileName: string;
  size: number;
  path: string;
  /** Files the workbench made for the user (evidence packages) may be downloaded in browser mode. */
  downloadable: boolean;
}

export class StagedFiles {
  private files = new Map<string, StagedFile>();
  private uploadDir: string;
  private uploaded = 0;

  constructor(dataDir: string, private quota = UPLOAD_QUOTA_BYTES) {
    const root = join(dataDir, 'uploads');
    this.uploadDir = join(root, String(process.pid));
    clearStaleUploads(root);
  }

  /** A local file the user chose (Electron gives its path). */
  stagePath(path: string, downloadable = false): StagedFile {
    if (!isAbsolute(path)) throw new WorkbenchError('bridge.invalid-arguments', 'The file path must be absolute', { field: 'path', problem: 'not absolute' });
    let size: number;
    try {
      const st = statSync(path);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
    } catch {
      throw new WorkbenchError('bridge.invalid-arguments', `Cannot read ${basename(path)}`, { field: 'path', problem: 'not a readable file' });
    }
    if (size > MAX_STAGED_BYTES) throw new WorkbenchError('apk.refused', `${basename(path)} is larger than 2 GiB`, { message: 'larger than 2 GiB' });
    return this.remember(path, basename(path), size, downloadable);
  }

  /** An upload from a browser: streamed to disk, refused past the cap. */
  async stageUpload(fileName: string, body: Readable, declaredSize: number | null): Promise<StagedFile> {
    if (declaredSize !== null && declaredSize > MAX_STAGED_BYTES) throw new WorkbenchError('apk.refused', 'The upload is larger than 2 GiB', { message: 'larger than 2 GiB' });
    const room = (): number => this.quota - this.uploaded;
    if ((declaredSize ?? 0) > room() || room() <= 0) throw quotaError(this.quota);
    mkdirSync(this.uploadDir, { recursive: true });
    const safeName = basename(fileName).replace(/[^\w.\- ]/g, '_').slice(0, 120) || 'upload.apk';
    const path = join(this.uploadDir, `${randomBytes(8).toString('hex')}-${safeName}`);
    let size = 0;
    body.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_STAGED_BYTES) body.destroy(new WorkbenchError('apk.refused', 'The upload is larger than 2 GiB', { message: 'larger than 2 GiB' }));
      else if (size > room()) body.destroy(quotaError(this.quota));
    });
    const file = createWriteStream(path, { mode: 0o600 });
    try {
      await pipeline(body, file);
    } catch (err) {
      // A stream destroyed before its open finished still creates the file afterwards: wait for its close,
      // or the partial file outlives this removal (and a later cleanup finds the folder not empty).
      if (!file.closed) await new Promise<void>((closed) => file.once('close', () => closed()));
      rmSync(path, { force: true });
      throw err instanceof WorkbenchError ? err : new WorkbenchError('bridge.malformed-message', 'The upload was interrupted', {});
    }
    this.uploaded += size;
    return this.remember(path, safeName, size);
  }

  get(fileId: string): StagedFile {
    const f = this.files.get(fileId);
    if (!f) throw new WorkbenchError('bridge.invalid-arguments', 'Unknown file; choose it again', { field: 'fileId', problem: 'unknown' });
    return f;
  }

  cleanup(): void {
    rmSync(this.uploadDir, { recursive: true, force: true });
    this.files.clear();
    this.uploaded = 0;
  }

  /** A file the workbench made for the user, or null: uploads and local paths are never served back. */
  download(fileId: string): StagedFile | null {
    const f = this.files.get(fileId);
    return f?.downloadable ? f : null;
  }

  private remember(path: string, fileName: string, size: number, downloadable = false): StagedFile {
    const file = { fileId: randomBytes(16).toString('hex'), fileName, size, path, downloadable };
    this.files.set(file.fileId, file);
    return file;
  }
}

function quotaError(quota: number): WorkbenchError {
  const gib = (quota / 1024 ** 3).toFixed(0);
  return new WorkbenchError('apk.refused', `The uploads of this session of the workbench reached ${gib} GiB; restart it to clear them`, { message: `upload quota of ${gib} GiB reached` });
}

/** Uploads left by workbench processes that no longer run (a crash, a kill -9). */
function clearStaleUploads(root: string): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name);
    if (/^\d+$/.test(name) && pid !== process.pid && processAlive(pid)) continue;
    if (/^\d+$/.test(name) && pid === process.pid) continue;
    rmSync(join(root, name), { recursive: true, force: true });
  }
}
