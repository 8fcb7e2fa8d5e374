/**
 * A phone's raw log on disk, bounded: the file rotates (logcat.log → logcat.log.1, .2 … in order of age, the
 * newest always at the plain name), the total is capped, and the disk must keep some free space. Hitting a
 * limit closes the log and says why; everything written before stays on disk. A flooding phone wrote 1 GB in
 * 30 s: this is what keeps that from filling the inspector's laptop.
 */
import { createWriteStream, existsSync, readdirSync, renameSync, statfsSync, statSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { openNoFollow } from '../no-follow.js';

export interface RawLogLimits {
  /** Start a new file past this size. */
  rotateBytes: number;
  /** All files of this log together. */
  maxBytes: number;
  /** Stop when the disk has less free space than this. */
  minFreeBytes: number;
}

export const DEFAULT_RAW_LOG_LIMITS: RawLogLimits = { rotateBytes: 256 * 1024 * 1024, maxBytes: 2 * 1024 * 1024 * 1024, minFreeBytes: 512 * 1024 * 1024 };

/** Free space is checked after this many bytes, not on every line. */
const CHECK_EVERY = 8 * 1024 * 1024;

export class RawLog {
  private stream: WriteStream;
  private fileBytes: number;
  private totalBytes: number;
  private sinceCheck = 0;
  private parts: number;
  /** Why the log stopped, once it did. */
  stopped: string | null = null;

  constructor(private path: string, private limits: RawLogLimits, private onStop: (reason: string) => void) {
    this.fileBytes = existsSync(path) ? statSync(path).size : 0;
    this.parts = 0;
    while (existsSync(`${path}.${this.parts + 1}`)) this.parts++;
    this.totalBytes = this.fileBytes;
    for (let i = 1; i <= this.parts; i++) this.totalBytes += statSync(`${path}.${i}`).size;
    this.stream = this.open();
  }

  /** Opened now, not later: a rotation right after must not find the stream still opening by name. */
  private open(): WriteStream {
    // Never through a link: the log may live in a session folder that came from elsewhere. A device is
    // allowed (`--raw-log /dev/null`).
    const stream = createWriteStream(this.path, { fd: openNoFollow(this.path, 'append', 0o600, { devices: true }).fd });
    // A write the disk refuses (full, a removed drive) stops the log with the reason; it must not end the app.
    stream.on('error', (err) => this.stop(`the raw log could not be written (${err.message})`));
    return stream;
  }

  /**
   * Files of this log, oldest first (`.1`, `.2` …, then the plain name), by their names in the folder: what is
   * there, links included, is listed, for a reader to open or refuse (the export names a part it refuses).
   */
  static files(path: string): string[] {
    const name = basename(path);
    const part = (n: string): number => (n === name ? Infinity : Number(n.slice(name.length + 1)));
    let names: string[];
    try {
      names = readdirSync(dirname(path));
    } catch {
      return [];
    }
    return names.filter((n) => n === name || (n.startsWith(`${name}.`) && /^[1-9]\d{0,5}$/.test(n.slice(name.length + 1))))
      .sort((a, b) => part(a) - part(b)).map((n) => join(dirname(path), n));
  }

  /** Appends text or bytes (the phone's own bytes are written as they came, without re-encoding). */
  write(line: string | Buffer): void {
    if (this.stopped || this.finished) return;
    const n = typeof line === 'string' ? Buffer.byteLength(line) : line.length;
    if (this.totalBytes + n > this.limits.maxBytes) return this.stop(`the raw log reached its limit of ${mib(this.limits.maxBytes)} MiB`);
    this.sinceCheck += n;
    if (this.sinceCheck >= CHECK_EVERY) {
      this.sinceCheck = 0;
      const free = freeBytes(dirname(this.path));
      if (free !== null && free < this.limits.minFreeBytes) return this.stop(`the disk has less than ${mib(this.limits.minFreeBytes)} MiB free`);
    }
    if (this.fileBytes + n > this.limits.rotateBytes && this.fileBytes > 0) this.rotate();
    this.stream.write(line);
    this.fileBytes += n;
    this.totalBytes += n;
  }

  private finished: Promise<void> | null = null;

  /** Closes the log (once, however often asked). */
  end(): Promise<void> {
    this.finished ??= new Promise((resolve) => this.stream.end(() => resolve()));
    return this.finished;
  }

  private rotate(): void {
    // The current file becomes the next numbered part; a new plain file takes the newest lines.
    const old = this.stream;
    this.parts++;
    const part = `${this.path}.${this.parts}`;
    old.end();
    renameSync(this.path, part);
    this.stream = this.open();
    this.fileBytes = 0;
  }

  private stop(reason: string): void {
    if (this.stopped) return;
    this.stopped = reason;
    void this.end();
    this.onStop(reason);
  }
}

function freeBytes(dir: string): number | null {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

function mib(n: number): number {
  return Math.round(n / 1048576);
}
