/**
 * A session's files kept by content: blobs/<sha256>.<ext>. Writing the same bytes twice stores them once;
 * a file is written to a temp name, fsynced and renamed, so a blob that exists is whole. Nothing is written
 * through a link: a blobs folder that is one is refused, and a blob name that is one is replaced by the file.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, mkdirSync, renameSync, writeSync, type Stats } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobRef } from '../../../src-preload/monitor-events.js';
import { tempName } from '../dead-process-files.js';
import { WorkbenchError } from '../errors.js';
import { openNoFollow } from '../no-follow.js';

export const BLOB_DIR = 'blobs';

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png', 'application/json': 'json', 'text/plain': 'txt', 'application/xml': 'xml', 'application/octet-stream': 'bin',
};

export function putBlob(sessionDir: string, bytes: Buffer, mediaType: string): BlobRef {
  const { sha256, path, file } = blobPlace(sessionDir, bytes, mediaType);
  if (!lstatOrNull(file)?.isFile()) {
    const tmp = tempName(file);
    const { fd } = openNoFollow(tmp, 'fresh');
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

/**
 * The same, with the write and fsync off the event loop (a proxy's bodies, up to 16 MiB each, arrive while the
 * timeline and the phone's sockets must keep moving). Same names, same guarantees.
 */
export async function putBlobAsync(sessionDir: string, bytes: Buffer, mediaType: string): Promise<BlobRef> {
  const { sha256, path, file } = blobPlace(sessionDir, bytes, mediaType);
  if (!lstatOrNull(file)?.isFile()) {
    // Two bodies with the same bytes may be written at once: each by its own temp name (a counter), one rename
    // wins. Still `<name>.<pid>.tmp`, so a killed process's temp is cleared at the next open like any other.
    const own = tempName(`${file}.w${++asyncWrites}`);
    const handle = await open(own, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(own, file);
  }
  return { sha256, size: bytes.length, path, mediaType };
}

let asyncWrites = 0;

/** The blob's name and the checked folder it goes in (made when missing; a link is refused). */
function blobPlace(sessionDir: string, bytes: Buffer, mediaType: string): { sha256: string; path: string; file: string } {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const path = `${BLOB_DIR}/${sha256}.${EXTENSIONS[mediaType] ?? 'bin'}`;
  const file = join(sessionDir, path);
  // The folder first: lstat of a blob inside a linked folder would already have gone through the link.
  const folder = join(sessionDir, BLOB_DIR);
  if (!lstatOrNull(folder)) mkdirSync(folder, { recursive: true, mode: 0o700 });
  if (!lstatOrNull(folder)?.isDirectory()) throw new WorkbenchError('session.corrupt', `${BLOB_DIR} in ${sessionDir} is not a folder (a link?); nothing is written through it`, { dir: sessionDir, field: BLOB_DIR });
  return { sha256, path, file };
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}
