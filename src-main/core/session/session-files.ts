/**
 * The one way to read a file of a session folder. A folder may come from a colleague or an archive, and the
 * names inside it are its own say-so: a screenshot's `blob.path` in the timeline, the files under blobs/.
 * Every path is resolved inside the folder — plain names joined by `/`, never `..`, an absolute path, a drive
 * or a backslash — no component may be a symbolic link (the folders on the way are lstat'ed, the file is
 * opened without following, see no-follow.ts), and only a regular file is read: a FIFO would hang the reader,
 * a device would never end. A refusal says which path and why, in Chinese and English, so the export and the
 * report can show it instead of leaving the file out in silence.
 */
import { closeSync, lstatSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from '../errors.js';
import { NotFollowed, openNoFollow } from '../no-follow.js';

export type FileRefusal = 'outside' | 'link' | 'not-a-file' | 'missing' | 'too-large';

export interface RefusedFile {
  path: string;
  reason: FileRefusal;
}

const REASONS: Record<FileRefusal, { zh: string; en: string }> = {
  outside: { zh: '路径指向会话文件夹之外或不是合法文件名', en: 'the path leads outside the session folder or is not a plain file name' },
  link: { zh: '是符号链接（不跟随）', en: 'it is a symbolic link (not followed)' },
  'not-a-file': { zh: '不是普通文件', en: 'it is not a regular file' },
  missing: { zh: '文件不存在', en: 'the file is missing' },
  'too-large': { zh: '文件超过大小上限', en: 'the file is larger than allowed' },
};

export function refusalText(r: RefusedFile): { zh: string; en: string } {
  return { zh: `${r.path}：${REASONS[r.reason].zh}`, en: `${r.path}: ${REASONS[r.reason].en}` };
}

/** A name the workbench itself would write: letters, digits, `_`, `.`, `-`. */
const SEGMENT = /^[\w.-]{1,255}$/;
const MAX_SEGMENTS = 8;

function refuse(path: string, reason: FileRefusal): never {
  const text = refusalText({ path: path.slice(0, 300), reason });
  throw new WorkbenchError('session.file-refused', `${text.en} / ${text.zh}`, { path: path.slice(0, 300), reason });
}

/** The refusal inside an error from this module, or null for any other error. */
export function refusalOf(err: unknown): RefusedFile | null {
  if (!(err instanceof WorkbenchError) || err.code !== 'session.file-refused') return null;
  return { path: String(err.details.path), reason: err.details.reason as FileRefusal };
}

/** The parts of a session-relative path, or a refusal ('outside') when it is not plain names joined by `/`. */
function segments(rel: unknown): string[] {
  if (typeof rel !== 'string') refuse(String(rel), 'outside');
  const parts = rel.split('/');
  if (parts.length > MAX_SEGMENTS || parts.some((p) => !SEGMENT.test(p) || p === '.' || p === '..')) refuse(rel, 'outside');
  return parts;
}

/** Checks that each of `folders` (joined below `dir`) is a real folder, not a link; returns the last one's path. */
function realFolders(dir: string, rel: string, folders: string[]): string {
  let at = dir;
  for (const part of folders) {
    at = join(at, part);
    let isDir: boolean;
    try {
      const st = lstatSync(at);
      if (st.isSymbolicLink()) refuse(rel, 'link');
      isDir = st.isDirectory();
    } catch (err) {
      if (err instanceof WorkbenchError) throw err;
      refuse(rel, 'missing');
    }
    if (!isDir) refuse(rel, 'not-a-file');
  }
  return at;
}

/** The full path of a file of the session, every folder on the way checked. */
function resolveInside(dir: string, rel: string): string {
  const parts = segments(rel);
  return join(realFolders(dir, rel, parts.slice(0, -1)), parts[parts.length - 1]!);
}

/** Opens a file of the session for reading; the caller closes `fd`. Throws `session.file-refused` with the reason. */
export function openSessionFile(dir: string, rel: string): { fd: number; size: number } {
  const full = resolveInside(dir, rel);
  try {
    const { fd, stat } = openNoFollow(full, 'read');
    return { fd, size: stat.size };
  } catch (err) {
    if (err instanceof NotFollowed) refuse(rel, err.reason);
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') refuse(rel, 'missing');
    throw err;
  }
}

/** Reads a whole file of the session, refused ('too-large') past `maxBytes`. */
export function readSessionFile(dir: string, rel: string, maxBytes: number): Buffer {
  const { fd, size } = openSessionFile(dir, rel);
  try {
    if (size > maxBytes) refuse(rel, 'too-large');
    return readFromFd(fd, 0, size);
  } finally {
    closeSync(fd);
  }
}

/** The first `maxBytes` of a file of the session (a body shown in part), with the file's whole size. */
export function readSessionFileHead(dir: string, rel: string, maxBytes: number): { bytes: Buffer; size: number } {
  const { fd, size } = openSessionFile(dir, rel);
  try {
    return { bytes: readFromFd(fd, 0, Math.min(size, maxBytes)), size };
  } finally {
    closeSync(fd);
  }
}

/** The last `maxBytes` of a file of the session (a log's tail); `cut` when the file is longer. */
export function readSessionFileTail(dir: string, rel: string, maxBytes: number): { bytes: Buffer; cut: boolean } {
  const { fd, size } = openSessionFile(dir, rel);
  try {
    const start = Math.max(0, size - maxBytes);
    return { bytes: readFromFd(fd, start, size - start), cut: start > 0 };
  } finally {
    closeSync(fd);
  }
}

function readFromFd(fd: number, position: number, length: number): Buffer {
  const data = Buffer.allocUnsafe(length);
  let at = 0;
  while (at < length) {
    const n = readSync(fd, data, at, length - at, position + at);
    if (n === 0) break;
    at += n;
  }
  return at === length ? data : data.subarray(0, at);
}

/**
 * The names in a sub-folder of the session (`blobs`), or [] when it does not exist. A sub-folder that is a
 * link or not a folder is refused: its files are not the session's.
 */
export function sessionFolderNames(dir: string, relDir: string): string[] {
  let full: string;
  try {
    full = realFolders(dir, relDir, segments(relDir));
  } catch (err) {
    if (refusalOf(err)?.reason === 'missing') return [];
    throw err;
  }
  return readdirSync(full);
}
