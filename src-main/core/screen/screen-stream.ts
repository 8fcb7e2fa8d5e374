/**
 * One phone's H.264 screen stream: `screenrecord --output-format=h264 ... -` over adb's exec: service, parsed into
 * access units and handed to its consumers (the live screen, a session's recorder). It owns the run loop: a run
 * that reaches its time limit is started again at once and the hole measured (gap `restart`); a run whose bytes
 * are not H.264 is restarted (gap `stream-error`); a phone that prints an error or sends nothing for 5 s is
 * refused (mode `png`, retried no more often than every 30 s, backing off); a phone gone (gap `disconnected`) is
 * waited for. While consumers exist it polls the focused window (gap `secure-window` while FLAG_SECURE is on)
 * and the rotation (a new run at the turned size, gap `resolution`). It keeps the current group of pictures
 * (≤ 8 MiB) for a consumer that joins. Consumers' exceptions never stop the stream.
 */
import type { Duplex } from 'node:stream';
import type { ScreenGapReason } from '../../../src-preload/screen.js';
import type { DeviceBridge } from '../adb/device-bridge.js';
import { shellCommand } from '../adb/shell-quote.js';
import { WorkbenchError } from '../errors.js';
import { AnnexBParser, type ParsedUnit } from './annexb.js';
import type { AccessUnit, ScreenConsumer, StreamFormat, StreamSettings } from './contracts.js';
import { readSps } from './sps.js';
import { readDisplaySize, readWindowState, videoSize } from './window-state.js';

export interface StreamTiming {
  /** No H.264 start code within this long: the phone refuses. */
  firstBytesMs: number;
  /** A refused phone is asked again after this long, doubled each time up to 8×. */
  refusedRetryMs: number;
  /** dumpsys window at most this often while consumers exist. */
  windowPollMs: number;
  /** No bytes for this long after a slice: the pending frame is handed over (a still screen sends nothing more). */
  idleFlushMs: number;
  /** How often a phone that went away is looked for. */
  phoneWaitMs: number;
}

export const STREAM_TIMING: StreamTiming = { firstBytesMs: 5000, refusedRetryMs: 30_000, windowPollMs: 2000, idleFlushMs: 100, phoneWaitMs: 1000 };
/** The idle flush's wait after it guessed wrong (doubled each time): a busy host or a slow link pauses inside frames. */
const MAX_IDLE_FLUSH_MS = 800;
/** A frame the idle flush guessed whole is taken as whole by recordings when no bytes came for this long after it. */
const WHOLE_AFTER_MS = 1000;
export const DEFAULT_STREAM_SETTINGS: StreamSettings = { maxSize: 1280, bitRate: 4_000_000, timeLimitSec: 180 };
/** The group of pictures kept for a joining consumer; beyond it the group is dropped until the next key frame. */
export const GOP_LIMIT_BYTES = 8 * 1024 * 1024;
/** Broken runs in a row before the phone is taken as refusing (its encoder gives garbage). */
const BROKEN_RUNS_LIMIT = 3;
const DUMP_LIMIT_BYTES = 4 * 1024 * 1024;

type Gap = { from: number; to: number | null; reason: ScreenGapReason; detail: string | null };
type Mode = { mode: 'h264' | 'png' | 'off'; reason: string | null };
type RunEnd =
  | { kind: 'ended' }
  /** `late`: a frame's bytes came after the idle flush handed it over (our guess, not the phone's fault). */
  | { kind: 'broken'; detail: string; late?: boolean }
  | { kind: 'refused'; reason: string }
  | { kind: 'lost'; detail: string }
  | { kind: 'turned' }
  | { kind: 'stopped' };

export interface ScreenStreamOptions {
  bridge: () => DeviceBridge;
  settings: StreamSettings;
  timing?: Partial<StreamTiming>;
  now?: () => number;
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 300);
}

/** The phone's words, as a reason: printable text, one line, bounded. */
function phoneWords(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').replace(/\s+/g, ' ').trim().slice(0, 300);
}

export class ScreenStream {
  private consumers = new Set<ScreenConsumer>();
  private timing: StreamTiming;
  private now: () => number;
  private generation = 0;
  private format: StreamFormat | null = null;
  private gop: AccessUnit[] = [];
  private gopBytes = 0;
  private awaitingKey = false;
  private seq = 0;
  private current: Mode = { mode: 'off', reason: null };
  private lastFrameAt: number | null = null;
  /** A hole being measured: closed (to = the first frame's time) when frames come again. */
  private hole: Gap | null = null;
  private secureGap: Gap | null = null;
  private rotation: number | null = null;
  private runRotation: number | null = null;
  private stopped = false;
  private running: Duplex | null = null;
  private endRun: ((end: RunEnd) => void) | null = null;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private poller: NodeJS.Timeout | null = null;
  private idleFlushMs: number;
  /**
   * The frame the idle flush handed over on a guess: live consumers have it, consumers of whole frames get it once
   * it proves whole; it is dropped (and the GOP loses it) if the phone's bytes continue it.
   */
  private guessed: { unit: AccessUnit; before: number | null } | null = null;
  /** Runs started (screenrecord processes asked for), for status and tests. */
  runs = 0;

  constructor(readonly serial: string, private options: ScreenStreamOptions) {
    this.timing = { ...STREAM_TIMING, ...options.timing };
    this.now = options.now ?? Date.now;
    this.idleFlushMs = this.timing.idleFlushMs;
  }

  get mode(): Mode {
    return this.current;
  }

  get streamFormat(): StreamFormat | null {
    return this.format;
  }

  get consumerCount(): number {
    return this.consumers.size;
  }

  start(): void {
    this.loop ??= this.run();
    this.schedulePoll(0);
  }

  /** A consumer joining gets the format, the current group of pictures, the mode if not H.264 and the open gaps. */
  add(consumer: ScreenConsumer): void {
    this.consumers.add(consumer);
    if (this.format) {
      this.deliver(consumer, (c) => c.format(this.format!));
      for (const u of this.gop) if (!(consumer.wholeUnitsOnly && u === this.guessed?.unit)) this.deliver(consumer, (c) => c.unit(u));
    }
    if (this.current.mode !== 'off') this.deliver(consumer, (c) => c.mode(this.current));
    for (const g of [this.hole, this.secureGap]) if (g && g.reason !== 'restart' && g.reason !== 'stream-error') this.deliver(consumer, (c) => c.gap(g));
  }

  /** A recording leaving (its session stops) takes the frame pending on a guess: it has been still for the idle flush's wait. */
  remove(consumer: ScreenConsumer): void {
    const pending = this.guessed?.unit;
    if (pending && consumer.wholeUnitsOnly && this.consumers.has(consumer)) this.deliver(consumer, (c) => c.unit(pending));
    this.consumers.delete(consumer);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poller) clearTimeout(this.poller);
    this.poller = null;
    this.endRun?.({ kind: 'stopped' });
    this.wake?.();
    await this.loop;
    this.broadcast((c) => c.mode({ mode: 'off', reason: null }));
  }

  private deliver(consumer: ScreenConsumer, call: (c: ScreenConsumer) => void): void {
    try {
      call(consumer);
    } catch {
      // A consumer's failure is its own (a recorder reports its write errors itself): the stream goes on.
    }
  }

  private broadcast(call: (c: ScreenConsumer) => void, only?: (c: ScreenConsumer) => boolean): void {
    for (const c of [...this.consumers]) if (!only || only(c)) this.deliver(c, call);
  }

  /** The guessed frame proved whole (a new frame began, a second of silence, the run ended cleanly). */
  private confirmGuess(): void {
    const g = this.guessed;
    if (!g) return;
    this.guessed = null;
    this.broadcast((c) => c.unit(g.unit), (c) => c.wholeUnitsOnly === true);
  }

  /** The guessed frame was cut (its bytes continued, the run broke or the phone went): never recorded, out of the GOP. */
  private dropGuess(): void {
    const g = this.guessed;
    if (!g) return;
    this.guessed = null;
    if (this.gop.at(-1) === g.unit) {
      this.gop.pop();
      this.gopBytes -= g.unit.data.length;
    }
    this.lastFrameAt = g.before;
  }

  private setMode(mode: Mode): void {
    if (mode.mode === this.current.mode && mode.reason === this.current.reason) return;
    this.current = mode;
    this.broadcast((c) => c.mode(mode));
  }

  /** Opens a hole (shown at once when it may last: a refusal, a phone gone), unless one is already open. */
  private openHole(reason: ScreenGapReason, detail: string | null, from = this.lastFrameAt ?? this.now()): void {
    const lasting = reason !== 'restart' && reason !== 'stream-error';
    const open = this.hole;
    // A restart's hole that turns out longer (the phone gone, the next run refused) takes the lasting reason.
    if (open && (!lasting || open.reason === reason || (open.reason !== 'restart' && open.reason !== 'stream-error'))) return;
    this.hole = { from: open?.from ?? from, to: null, reason, detail };
    const hole = this.hole;
    if (lasting) this.broadcast((c) => c.gap(hole));
  }

  /** A pause that stop() cuts short. */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
      const t = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async run(): Promise<void> {
    let refusals = 0;
    let broken = 0;
    while (!this.stopped) {
      const end = await this.runOnce().catch((err: unknown): RunEnd => ({ kind: 'lost', detail: message(err) }));
      if (end.kind === 'ended' || end.kind === 'stopped' || end.kind === 'turned') this.confirmGuess();
      else this.dropGuess();
      if (this.stopped || end.kind === 'stopped') break;
      if (end.kind === 'broken' && !end.late && ++broken >= BROKEN_RUNS_LIMIT) {
        broken = 0;
        await this.refused(`the stream is not H.264 (${end.detail})`, refusals++);
        continue;
      }
      switch (end.kind) {
        case 'ended':
          refusals = 0;
          broken = 0;
          this.openHole('restart', null);
          break;
        case 'turned':
          this.openHole('resolution', `rotation ${this.rotation ?? 0}°`);
          break;
        case 'broken':
          this.openHole('stream-error', end.detail);
          if (end.late) this.idleFlushMs = Math.min(this.idleFlushMs * 2, MAX_IDLE_FLUSH_MS);
          else await this.sleep(200 * 2 ** broken);
          break;
        case 'refused':
          await this.refused(end.reason, refusals++);
          break;
        case 'lost':
          this.openHole('disconnected', end.detail);
          await this.waitForPhone();
          break;
      }
    }
  }

  private async refused(reason: string, attempt: number): Promise<void> {
    this.openHole('refused', reason, this.now());
    this.setMode({ mode: 'png', reason });
    await this.sleep(this.timing.refusedRetryMs * 2 ** Math.min(attempt, 3));
  }

  private async waitForPhone(): Promise<void> {
    while (!this.stopped) {
      await this.sleep(this.timing.phoneWaitMs);
      if (this.stopped) return;
      try {
        const list = await this.options.bridge().listDevices();
        if (list.some((d) => d.serial === this.serial && d.type === 'device')) return;
      } catch {
        // The adb server itself is away: keep looking.
      }
    }
  }

  /** One screenrecord run, from asking the phone's size to its stream's end. */
  private async runOnce(): Promise<RunEnd> {
    const bridge = this.options.bridge();
    const sizeText = await bridge.shell(this.serial, shellCommand(['wm', 'size']), 5000);
    const display = readDisplaySize(sizeText);
    if (!display) return { kind: 'refused', reason: `wm size: ${phoneWords(sizeText) || 'no answer'}` };
    if (this.stopped) return { kind: 'stopped' };
    this.runRotation = this.rotation;
    const size = videoSize(display, this.rotation, this.options.settings.maxSize);
    const argv = ['screenrecord', '--output-format=h264', '--size', `${size.width}x${size.height}`, '--bit-rate', String(this.options.settings.bitRate), '--time-limit', String(this.options.settings.timeLimitSec), '-'];
    const stream = await bridge.execStream(this.serial, argv);
    this.runs++;
    if (this.stopped) {
      stream.destroy();
      return { kind: 'stopped' };
    }
    this.running = stream;
    let runFormat: StreamFormat | null = null;
    return new Promise<RunEnd>((resolve) => {
      let idle: NodeJS.Timeout | null = null;
      let silence: NodeJS.Timeout | null = null;
      const finish = (end: RunEnd): void => {
        if (this.endRun !== finish) return;
        this.endRun = null;
        this.running = null;
        clearTimeout(firstBytes);
        if (idle) clearTimeout(idle);
        if (silence) clearTimeout(silence);
        stream.removeAllListeners('data');
        stream.on('error', () => undefined);
        stream.destroy();
        resolve(end);
      };
      this.endRun = finish;
      const parser = new AnnexBParser((u) => {
        runFormat = this.take(u, runFormat);
      });
      const firstBytes = setTimeout(() => {
        if (!parser.sawStartCode) finish({ kind: 'refused', reason: phoneWords(parser.preambleText()) || `screenrecord sent no video within ${this.timing.firstBytesMs / 1000} s` });
      }, this.timing.firstBytesMs);
      const guarded = (step: () => void): void => {
        try {
          step();
        } catch (err) {
          const detail = err instanceof WorkbenchError && typeof err.details.reason === 'string' ? err.details.reason : message(err);
          // Text before any H.264 (an error message then garbage): the phone's words are the reason.
          if (!parser.sawStartCode) finish({ kind: 'refused', reason: phoneWords(parser.preambleText()) || detail });
          else finish({ kind: 'broken', detail, late: parser.lateAfterFlush });
        }
      };
      stream.on('data', (chunk: Buffer) => {
        if (silence) clearTimeout(silence);
        silence = null;
        guarded(() => parser.push(chunk, this.now()));
        if (this.endRun !== finish) return;
        if (!parser.awaitingNext) this.confirmGuess();
        if (idle) clearTimeout(idle);
        idle = setTimeout(() => guarded(() => {
          if (parser.flushIdle()) silence = setTimeout(() => this.confirmGuess(), WHOLE_AFTER_MS);
        }), this.idleFlushMs);
      });
      stream.on('end', () => {
        if (!parser.sawStartCode) {
          finish({ kind: 'refused', reason: phoneWords(parser.preambleText()) || 'screenrecord ended without video' });
          return;
        }
        guarded(() => parser.end());
        finish({ kind: 'ended' });
      });
      stream.on('error', (err: Error) => finish({ kind: 'lost', detail: message(err) }));
      stream.on('close', () => finish({ kind: 'lost', detail: 'the adb stream closed' }));
    });
  }

  /** One access unit from the parser: a new format when the SPS changed, the hole closed, the GOP kept. */
  private take(u: ParsedUnit, runFormat: StreamFormat | null): StreamFormat | null {
    // Frames are stamped with their arrival, not with when the parser knew them whole (the next frame, an idle flush).
    // A frame began after the guessed one: that one was whole.
    this.confirmGuess();
    const now = u.arrivedAt;
    let format = runFormat;
    if (u.sps && u.pps && (!format || !u.sps.equals(format.sps) || !u.pps.equals(format.pps))) {
      const info = readSps(u.sps);
      format = { stream: ++this.generation, width: info.width, height: info.height, codec: info.codec, sps: u.sps, pps: u.pps };
      this.format = format;
      this.seq = 0;
      this.gop = [];
      this.gopBytes = 0;
      this.awaitingKey = false;
      this.broadcast((c) => c.format(format!));
    }
    // Frames before any SPS cannot be decoded: dropped until the parameter sets come.
    if (!format) return null;
    if (this.hole) {
      const closed = { ...this.hole, to: now };
      this.hole = null;
      this.broadcast((c) => c.gap(closed));
    }
    this.setMode({ mode: 'h264', reason: null });
    const unit: AccessUnit = { stream: format.stream, seq: ++this.seq, key: u.key, hostTime: now, data: u.data };
    const before = this.lastFrameAt;
    this.keep(unit);
    this.lastFrameAt = now;
    if (u.guessed) {
      this.guessed = { unit, before };
      this.broadcast((c) => c.unit(unit), (c) => !c.wholeUnitsOnly);
    } else this.broadcast((c) => c.unit(unit));
    return format;
  }

  private keep(unit: AccessUnit): void {
    if (unit.key) {
      this.gop = [unit];
      this.gopBytes = unit.data.length;
      this.awaitingKey = false;
      return;
    }
    if (this.awaitingKey) return;
    this.gop.push(unit);
    this.gopBytes += unit.data.length;
    if (this.gopBytes > GOP_LIMIT_BYTES) {
      // A joining consumer waits for the next key frame rather than the core holding more.
      this.gop = [];
      this.gopBytes = 0;
      this.awaitingKey = true;
    }
  }

  /** dumpsys window at most every windowPollMs while consumers exist: secure window, rotation. */
  private schedulePoll(ms: number): void {
    if (this.stopped || this.poller) return;
    this.poller = setTimeout(() => {
      void this.pollWindow().finally(() => {
        this.poller = null;
        this.schedulePoll(this.timing.windowPollMs);
      });
    }, ms);
  }

  private async pollWindow(): Promise<void> {
    if (!this.consumers.size) return;
    let dump: string;
    try {
      dump = (await this.options.bridge().shellBytes(this.serial, shellCommand(['dumpsys', 'window', 'windows']), 5000, DUMP_LIMIT_BYTES)).toString('utf8');
    } catch {
      return; // The phone away: the run loop sees it and says so.
    }
    if (this.stopped) return;
    const state = readWindowState(dump);
    const now = this.now();
    if (state.secure && !this.secureGap) {
      this.secureGap = { from: now, to: null, reason: 'secure-window', detail: state.focus };
      const open = this.secureGap;
      this.broadcast((c) => c.gap(open));
    } else if (!state.secure && this.secureGap) {
      const closed = { ...this.secureGap, to: now };
      this.secureGap = null;
      this.broadcast((c) => c.gap(closed));
    }
    if (state.rotation !== null) {
      const changed = this.rotation !== null && state.rotation !== this.rotation;
      this.rotation = state.rotation;
      // A turned display: this run's size is wrong; the next run asks for the turned one.
      if (changed && this.running && (state.rotation - (this.runRotation ?? 0)) % 180 !== 0) this.endRun?.({ kind: 'turned' });
    }
  }
}
