/**
 * Appends events to a session's timeline.jsonl with the hash chain, crash-safe: lines are chained as they
 * are appended (so seq and head are known at once) and written + fsynced in batches at least every
 * FLUSH_MS, and on flush/close — a kill -9 or power loss costs at most the last second. Opening an existing
 * timeline checks the chain; a torn last line is set aside into its own file (reported, never dropped) and
 * the chain continues from the last good line. A chain broken in the middle refuses to append.
 */
import { closeSync, fsyncSync, ftruncateSync, readSync, writeSync } from 'node:fs';
import { write, fdatasync } from 'node:fs';
import { promisify } from 'node:util';
import { WorkbenchError } from '../errors.js';
import { openNoFollow } from '../no-follow.js';
import { encodeLine, lineHash, openTimeline, scanTimeline, type TimelineScan } from './timeline-chain.js';

function writeAsync(fd: number, buffer: Buffer, offset: number, length: number): Promise<number> {
  return new Promise((resolve, reject) => write(fd, buffer, offset, length, null, (err, n) => (err ? reject(err) : resolve(n))));
}
const fdatasyncAsync = promisify(fdatasync);
export const FLUSH_MS = 250;

export interface Recovery {
  tornBytes: number;
  tornFile: string | null;
}

export class TimelineWriter {
  private fd: number;
  private pending: Buffer[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private closed = false;
  private oldestPending = 0;
  /** Longest time an appended line waited until it was written and fdatasync'd (ms). */
  maxSyncDelayMs = 0;
  count: number;
  head: string;
  /** Set when opening found a torn last line. */
  readonly recovery: Recovery | null = null;

  /** Opens (creating if needed) and checks the chain; `onError` hears about write failures (disk full...). */
  constructor(readonly path: string, private onError: (err: Error) => void = () => {}) {
    this.fd = openTimeline(path, 'append');
    let scan: TimelineScan;
    try {
      scan = scanTimeline(path);
    } catch (err) {
      closeSync(this.fd);
      throw err;
    }
    if (scan.broken) {
      closeSync(this.fd);
      throw new WorkbenchError('session.corrupt', `timeline.jsonl line ${scan.broken.line}: ${scan.broken.detail}. The file was changed outside the workbench; it is kept as it is and nothing is appended.`, { line: scan.broken.line, reason: scan.broken.reason });
    }
    if (scan.tornBytes > 0) {
      const torn = Buffer.alloc(scan.tornBytes);
      readSync(this.fd, torn, 0, torn.length, scan.goodBytes);
      const tornFile = `${path}.torn-${Date.now()}`;
      const aside = openNoFollow(tornFile, 'fresh').fd;
      try {
        writeSync(aside, torn);
      } finally {
        closeSync(aside);
      }
      ftruncateSync(this.fd, scan.goodBytes);
      fsyncSync(this.fd);
      this.recovery = { tornBytes: torn.length, tornFile };
    }
    this.count = scan.count;
    this.head = scan.head;
  }

  /** Chains the event and queues its line; returns its seq. Throws once a write has failed. */
  append(event: unknown): number {
    if (this.failure) throw new WorkbenchError('session.write-failed', `The session can no longer be written: ${this.failure.message}`, { message: this.failure.message });
    if (this.closed) throw new WorkbenchError('session.not-recording', 'The timeline is closed', { reason: 'timeline-closed' });
    const seq = this.count + 1;
    const line = encodeLine(seq, this.head, event);
    this.head = lineHash(line);
    this.count = seq;
    if (!this.pending.length) this.oldestPending = performance.now();
    this.pending.push(Buffer.from(line + '\n'));
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
    return seq;
  }

  /** Writes and fsyncs everything appended so far. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    const since = this.oldestPending;
    this.pending = [];
    this.flushing = this.flushing.then(async () => {
      if (!batch.length || this.failure) return;
      try {
        const bytes = Buffer.concat(batch);
        for (let done = 0; done < bytes.length; ) done += await writeAsync(this.fd, bytes, done, bytes.length - done);
        await fdatasyncAsync(this.fd);
        this.maxSyncDelayMs = Math.max(this.maxSyncDelayMs, performance.now() - since);
      } catch (err) {
        this.failure = err as Error;
        this.onError(this.failure);
      }
    });
    return this.flushing;
  }

  private closing: Promise<void> | null = null;

  /**
   * Flushes and closes the file, once: a second call (two stops at once) waits for the first instead of closing
   * the descriptor again — which failed with EBADF, or closed a descriptor the process had since reused.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.flush();
      this.closed = true;
      closeSync(this.fd);
    })();
    return this.closing;
  }
}
