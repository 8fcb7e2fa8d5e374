/**
 * The phone's filesystem as the host sees it through sync: and shell: — an in-memory tree with modes and
 * mtimes, bounded in total size so a pushed file cannot exhaust the workbench's memory.
 */
import { posix } from 'node:path';

export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;

export interface FsEntry {
  mode: number;
  mtime: number;
  data?: Buffer;
}

export class FsError extends Error {}

export class MemoryFs {
  private entries = new Map<string, FsEntry>();
  private total = 0;

  constructor(private now: () => number, private maxBytes = 1024 * 1024 * 1024) {
    for (const dir of ['/', '/data', '/data/local', '/data/local/tmp', '/data/app', '/sdcard', '/sdcard/Download',
      '/system', '/system/bin', '/storage', '/storage/emulated', '/storage/emulated/0', '/proc']) {
      this.mkdir(dir);
    }
  }

  static normalize(path: string): string {
    const p = posix.normalize('/' + path.replace(/\0/g, ''));
    const n = p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
    return n.startsWith('/storage/emulated/0') ? n.replace('/storage/emulated/0', '/sdcard') : n;
  }

  stat(path: string): FsEntry | undefined {
    return this.entries.get(MemoryFs.normalize(path));
  }

  mkdir(path: string, parents = true): void {
    const p = MemoryFs.normalize(path);
    if (this.entries.get(p)?.mode === (S_IFDIR | 0o771)) return;
    const parent = posix.dirname(p);
    if (p !== '/' && !this.entries.has(parent)) {
      if (!parents) throw new FsError(`${parent}: No such file or directory`);
      this.mkdir(parent);
    }
    if (this.entries.get(p)?.data) throw new FsError(`${p}: File exists`);
    this.entries.set(p, { mode: S_IFDIR | 0o771, mtime: Math.floor(this.now() / 1000) });
  }

  readFile(path: string): Buffer | null {
    return this.entries.get(MemoryFs.normalize(path))?.data ?? null;
  }

  writeFile(path: string, data: Buffer, mode = 0o644, append = false): void {
    const p = MemoryFs.normalize(path);
    const old = this.entries.get(p);
    if (old && !old.data) throw new FsError(`${p}: Is a directory`);
    const next = append && old?.data ? Buffer.concat([old.data, data]) : data;
    const delta = next.length - (old?.data?.length ?? 0);
    if (this.total + delta > this.maxBytes) throw new FsError(`${p}: No space left on device`);
    this.mkdir(posix.dirname(p));
    this.entries.set(p, { mode: S_IFREG | (mode & 0o7777), mtime: Math.floor(this.now() / 1000), data: next });
    this.total += delta;
  }

  remove(path: string, recursive = false): boolean {
    const p = MemoryFs.normalize(path);
    const entry = this.entries.get(p);
    if (!entry || p === '/') return false;
    const children = this.list(p);
    if (!entry.data && children.length && !recursive) throw new FsError(`${p}: Directory not empty`);
    for (const child of children) this.remove(posix.join(p, child), true);
    this.total -= entry.data?.length ?? 0;
    this.entries.delete(p);
    return true;
  }

  list(path: string): string[] {
    const p = MemoryFs.normalize(path);
    const prefix = p === '/' ? '/' : p + '/';
    const names: string[] = [];
    for (const key of this.entries.keys()) {
      if (key !== p && key.startsWith(prefix) && !key.slice(prefix.length).includes('/')) names.push(key.slice(prefix.length));
    }
    return names.sort();
  }

  get freeBytes(): number {
    return this.maxBytes - this.total;
  }
}
