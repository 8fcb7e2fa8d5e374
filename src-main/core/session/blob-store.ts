/**
 * A session's files kept by content: blobs/<sha256>.<ext>. Writing the same bytes twice stores them once;
 * a file is written to a temp name, fsynced and renamed, so a blob that exists is whole.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { BlobRef } from '../../../src-preload/monitor-events.js';

export const BLOB_DIR = 'blobs';

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png', 'application/json': 'json', 'text/plain': 'txt', 'application/xml': 'xml', 'application/octet-stream': 'bin',
};

export function putBlob(sessionDir: string, bytes: Buffer, mediaType: string): BlobRef {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const path = `${BLOB_DIR}/${sha256}.${EXTENSIONS[mediaType] ?? 'bin'}`;
  const file = join(sessionDir, path);
  if (!existsSync(file)) {
    mkdirSync(join(sessionDir, BLOB_DIR), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  }
  return { sha256, size: bytes.length, path, mediaType };
}
