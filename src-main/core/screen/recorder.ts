/**
 * A session's screen recording: a ScreenConsumer that muxes the phone's H.264 access units into fragmented MP4
 * segments in the session folder (segment-writer.ts), one after another: a new segment every 60 s (at the first key
 * frame after), at each new stream generation (screenrecord restarted, another size) and at the stop. Each closed
 * segment is hashed into the timeline (`screen.segment`); the stream's holes (`screen.gap`) and state
 * (`screen.recording`) are written as they come.
 *
 * Writing never stops the session: a write that fails (disk full) abandons the segment (named in the timeline as
 * partial), opens a `write-failed` gap and drops frames until the next key frame, where a new segment is tried.
 * Memory is bounded: units wait for the disk in a queue of at most `maxQueueBytes`; beyond it they are dropped
 * until the next key frame, with a gap.
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ScreenEventBody, ScreenGapReason, SegmentEnd } from '../../../src-preload/screen.js';
import type { AccessUnit, ScreenConsumer, StreamFormat } from './contracts.js';
import { SegmentWriter, VIDEO_DIR, type SegmentFacts, type SegmentFormat } from './segment-writer.js';

/** Where the recorder writes: the session's folder and its timeline. */
export interface RecordingSink {
  dir: string;
  append(body: ScreenEventBody, hostTime: number): void;
}

export interface RecorderOptions {
  /** The first segment's index (after segments already in the session: a resumed session goes on counting). */
  firstIndex?: number;
  rolloverMs?: number;
  /** How often the open group of pictures is fsynced (what a kill -9 may lose). */
  syncMs?: number;
  maxQueueBytes?: number;
  /** The open group of pictures (in memory in the muxer) beyond this without a key frame ends the segment. */
  maxGopBytes?: number;
  now?: () => number;
  /** A fault of the recorder itself (not a write error: those are gaps). */
  onError?: (err: unknown) => void;
  /** Makes a segment's writer (tests give one whose file is /dev/full: a real ENOSPC). */
  openSegment?: (dir: string, index: number, format: SegmentFormat) => SegmentWriter;
}

export const ROLLOVER_MS = 60_000;
const SYNC_MS = 1000;
const MAX_QUEUE_BYTES = 4 * 1024 * 1024;
/** 4 Mbit/s for 60 s; a phone's screenrecord keys every ~10 s (5 MB). */
const MAX_GOP_BYTES = 32 * 1024 * 1024;

/** The next free segment index in a session folder (segments already there are never overwritten). */
export function nextSegmentIndex(dir: string): number {
  let max = 0;
  try {
    for (const { name } of readdirSync(join(dir, VIDEO_DIR), { withFileTypes: true })) {
      const m = /^seg-(\d{6})\.(mp4|gop)$/.exec(name);
      if (m) max = Math.max(max, Number(m[1]));
    }
  } catch {
    // No video folder yet.
  }
  return max + 1;
}

export async function sha256OfFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

export class Recorder implements ScreenConsumer {
  /** A recording takes only frames known whole: a frame cut short never reaches its MP4. */
  readonly wholeUnitsOnly = true;
  private chain: Promise<void> = Promise.resolve();
  private fmt: StreamFormat | null = null;
  private writer: SegmentWriter | null = null;
  private index: number;
  /** Units are dropped until a key frame: at the start of a stream, after a failure or a full queue. */
  private waitingKey = true;
  private queuedBytes = 0;
  /** The hole the recorder itself opened (closed at the key frame where writing works again). */
  private hole: { from: number; reason: 'write-failed' | 'stream-error'; detail: string } | null = null;
  /** Why the stream is about to change (a restart gap before the next format). */
  private nextEnd: SegmentEnd | null = null;
  private timer: NodeJS.Timeout;
  private stopped = false;
  readonly written: SegmentFacts[] = [];
  private o: Required<Omit<RecorderOptions, 'openSegment' | 'firstIndex' | 'onError'>> & Pick<RecorderOptions, 'openSegment' | 'onError'>;

  constructor(private sink: RecordingSink, options: RecorderOptions = {}) {
    this.o = { rolloverMs: ROLLOVER_MS, syncMs: SYNC_MS, maxQueueBytes: MAX_QUEUE_BYTES, maxGopBytes: MAX_GOP_BYTES, now: Date.now, ...options };
    this.index = options.firstIndex ?? nextSegmentIndex(sink.dir);
    this.timer = setInterval(() => this.enqueue(() => this.sync()), this.o.syncMs);
    this.timer.unref();
  }

  format(f: StreamFormat): void {
    if (this.stopped) return;
    const resized = this.fmt !== null && (this.fmt.width !== f.width || this.fmt.height !== f.height);
    const end: SegmentEnd = resized ? 'resolution' : this.nextEnd ?? 'restart';
    this.nextEnd = null;
    this.fmt = f;
    this.waitingKey = true;
    this.enqueue(() => this.closeSegment(end, null));
    this.sink.append({ type: 'screen.recording', state: 'h264', reason: null, width: f.width, height: f.height }, this.o.now());
  }

  unit(u: AccessUnit): void {
    if (this.stopped || !this.fmt || u.stream !== this.fmt.stream) return;
    if (this.waitingKey && !u.key) return;
    if (this.queuedBytes + u.data.length > this.o.maxQueueBytes) {
      // The disk is slower than the phone: keep memory bounded, start again at a key frame.
      this.waitingKey = true;
      this.openHole(u.hostTime, `writing fell behind: ${(this.queuedBytes / 1048576).toFixed(1)} MiB waiting`);
      return;
    }
    this.waitingKey = false;
    this.queuedBytes += u.data.length;
    const fmt = this.fmt;
    this.enqueue(async () => {
      this.queuedBytes -= u.data.length;
      await this.write(fmt, u);
    });
  }

  gap(g: { from: number; to: number | null; reason: ScreenGapReason; detail: string | null }): void {
    if (this.stopped) return;
    this.sink.append({ type: 'screen.gap', from: g.from, to: g.to, reason: g.reason, detail: g.detail }, this.o.now());
    if (g.to !== null) return;
    // A hole that is open now ends the segment where its frames end; a restart or a new size ends it at the next format.
    if (g.reason === 'restart' || g.reason === 'resolution') this.nextEnd = g.reason;
    else if (g.reason === 'disconnected' || g.reason === 'stream-error') {
      this.waitingKey = true;
      this.enqueue(() => this.closeSegment(g.reason as SegmentEnd, null));
    }
  }

  mode(m: { mode: 'h264' | 'png' | 'off'; reason: string | null }): void {
    if (this.stopped) return;
    if (m.mode === 'h264') return; // said by format(), with the size
    this.waitingKey = true;
    this.enqueue(() => this.closeSegment('stream-error', null));
    this.sink.append({ type: 'screen.recording', state: m.mode === 'png' ? 'png-fallback' : 'off', reason: m.reason, width: null, height: null }, this.o.now());
  }

  /** Closes the open segment (its last frame shown until now) and stops; resolves when everything is on disk and in the timeline. */
  async stop(reason: string | null = null): Promise<SegmentFacts[]> {
    if (this.stopped) {
      await this.chain;
      return this.written;
    }
    this.stopped = true;
    clearInterval(this.timer);
    const at = this.o.now();
    this.enqueue(() => this.closeSegment('session-stop', at));
    await this.chain;
    this.sink.append({ type: 'screen.recording', state: 'off', reason, width: null, height: null }, at);
    return this.written;
  }

  /** Resolves when everything received so far is written (tests pace their input with it, as a phone's frame rate would). */
  idle(): Promise<void> {
    return this.chain;
  }

  private enqueue(op: () => Promise<void>): void {
    this.chain = this.chain.then(op).catch((err: unknown) => this.o.onError?.(err));
  }

  private async sync(): Promise<void> {
    try {
      this.writer?.sync();
    } catch (err) {
      await this.abandon(this.o.now(), err);
    }
  }

  private async write(fmt: StreamFormat, u: AccessUnit): Promise<void> {
    if (this.writer && u.key && u.hostTime - (this.writer.firstFrameHostTime ?? u.hostTime) >= this.o.rolloverMs) await this.closeSegment('rollover', u.hostTime);
    if (!this.writer) {
      if (!u.key) return; // the segment that failed: frames wait for a key frame
      try {
        mkdirSync(join(this.sink.dir, VIDEO_DIR), { recursive: true, mode: 0o700 });
        const format = { width: fmt.width, height: fmt.height, codec: fmt.codec };
        this.writer = this.o.openSegment ? this.o.openSegment(this.sink.dir, this.index, format) : new SegmentWriter(this.sink.dir, this.index, format);
        this.index++;
      } catch (err) {
        this.failed(u.hostTime, err);
        return;
      }
    }
    try {
      await this.writer.add({ hostTime: u.hostTime, key: u.key, data: u.data });
    } catch (err) {
      await this.abandon(u.hostTime, err);
      return;
    }
    if (this.hole) {
      this.sink.append({ type: 'screen.gap', from: this.hole.from, to: u.hostTime, reason: this.hole.reason, detail: this.hole.detail }, this.o.now());
      this.hole = null;
    }
    if (this.writer.openGopBytes > this.o.maxGopBytes) {
      // The muxer keeps a group of pictures until the next key frame: a stream that sends none would grow it for ever.
      await this.closeSegment('stream-error', u.hostTime);
      this.waitingKey = true;
      this.openHole(u.hostTime, `no key frame in ${(this.o.maxGopBytes / 1048576).toFixed(0)} MiB of video`, 'stream-error');
    }
  }

  private async closeSegment(ended: SegmentEnd, endHostTime: number | null): Promise<void> {
    const w = this.writer;
    if (!w) return;
    this.writer = null;
    let facts: SegmentFacts | null;
    try {
      facts = await w.close(endHostTime);
    } catch (err) {
      w.abandon();
      await this.named(w, w.inFile(), 'write-failed', true);
      this.failed(endHostTime ?? this.o.now(), err);
      return;
    }
    if (!facts) {
      rmSync(w.path, { force: true });
      rmSync(w.journalPath, { force: true });
      return;
    }
    await this.named(w, facts, ended, false);
  }

  /** A segment into the timeline by its hash; then its journal is no longer needed. */
  private async named(w: SegmentWriter, facts: SegmentFacts, ended: SegmentEnd, partial: boolean): Promise<void> {
    try {
      const { sha256, size } = await sha256OfFile(facts.path);
      this.sink.append({ type: 'screen.segment', index: facts.index, file: facts.file, sha256, size, firstFrameHostTime: facts.firstFrameHostTime, lastFrameHostTime: facts.lastFrameHostTime, frames: facts.frames, width: facts.width, height: facts.height, codec: facts.codec, ended, partial }, this.o.now());
      this.written.push(facts);
      if (!partial) rmSync(w.journalPath, { force: true });
    } catch {
      // Unreadable (the disk went away): recovery names it when the session is opened again.
    }
  }

  private async abandon(at: number, err: unknown): Promise<void> {
    const w = this.writer;
    this.writer = null;
    if (w) {
      w.abandon();
      if (w.inFile().frames === 0) {
        // Nothing of the recording reached the file (a retry on a disk still full): not a segment; its index is reused.
        rmSync(w.path, { force: true });
        rmSync(w.journalPath, { force: true });
        this.index = w.index;
      } else if (statSafe(w.path) > 0) await this.named(w, w.inFile(), 'write-failed', true);
    }
    this.failed(at, err);
  }

  private failed(at: number, err: unknown): void {
    this.waitingKey = true;
    const code = (err as NodeJS.ErrnoException)?.code;
    this.openHole(at, `${code ? `${code}: ` : ''}${err instanceof Error ? err.message : String(err)}`.slice(0, 300));
  }

  private openHole(at: number, detail: string, reason: 'write-failed' | 'stream-error' = 'write-failed'): void {
    if (this.hole) return;
    this.hole = { from: at, reason, detail };
    this.sink.append({ type: 'screen.gap', from: at, to: null, reason, detail }, this.o.now());
  }
}

function statSafe(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
