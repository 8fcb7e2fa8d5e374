/**
 * Holes in the evidence: logd's chatty lines (`uid=1000(system) ActivityManager expire 4 lines` — lines it
 * deleted to make room; `uid=10312(com.pkg) identical 13 lines` — repeats it folded), a buffer's banner seen
 * again (`--------- beginning of main`: logcat was restarted or the buffer cleared or rotated, so what came in
 * between is not here), and the clock going back (a reboot, a clock change, a second capture appended). Each
 * becomes a `log.gap` event the session, the findings and the report show; none is an error. Banners and the
 * clock are read on replay: the live monitor's own logcat prints each banner once per connection, resumes after
 * a reconnect where it stopped (the disconnect is its own event), and skips lines older than the last it read.
 */
import type { LogLine } from './log-line.js';
import type { Extracted } from './extractors.js';

/** A step back in time smaller than this is lines of two buffers interleaving, not a hole. */
const CLOCK_BACK_MS = 2000;

/** `uid=1000(system) Binder:1111_A expire 6 lines`, `uid=1000 system_server expire 17 lines`, `uid=10312(com.pkg) identical 13 lines`. */
export function chattyGap(l: LogLine): Extracted | null {
  if (l.tag !== 'chatty') return null;
  const m = /^uid=(\d+)(?:\(([^)]*)\))?(?: (.+?))? (expire|identical) (\d+) lines?\s*$/.exec(l.message);
  if (!m) return null;
  const uid = Number(m[1]);
  const named = m[2] && /^[a-zA-Z][\w]*(\.[a-zA-Z_][\w]*)+$/.test(m[2]) ? m[2] : null;
  return {
    type: 'log.gap', reason: m[4] === 'expire' ? 'chatty-expire' : 'chatty-identical', lines: Number(m[5]), from: null, to: l.time,
    uid, process: m[3]?.trim() ?? named ?? m[2] ?? null, packageName: uid >= 10_000 ? named : null,
  };
}

/** Banners seen and the last time read: what tells a restarted logcat and a clock going back. */
export class LogContinuity {
  private banners = new Set<string>();
  private lastTime: number | null = null;
  /** The last line's text, or how to make it (a line the replay's byte path passed over as bytes). */
  private lastRaw: string | (() => string) = '';
  /** A banner came again: the hole ends at the next line, whose time is not known yet. */
  private pending: { from: number | null; raw: string } | null = null;

  /** A `--------- beginning of BUFFER` line. */
  banner(raw: string): void {
    const buffer = raw.replace(/^-+ beginning of /, '').trim();
    if (this.banners.has(buffer)) this.pending ??= { from: this.lastTime, raw };
    else this.banners.add(buffer);
  }

  /**
   * The last line of a run the caller read without parsing each line (the live byte path): its time and text are
   * where a later gap starts, as if every line had been given.
   */
  seen(time: number, raw: string): void {
    this.lastTime = time;
    this.lastRaw = raw;
  }

  /**
   * A line replay's byte path passed over (see quietAt): its time, and its text made only if a gap needs it.
   */
  skipped(time: number, raw: () => string): void {
    this.lastTime = time;
    this.lastRaw = raw;
  }

  /** Whether a line at `time` would close or show no gap (nothing pending, the clock not gone back). */
  quietAt(time: number): boolean {
    return this.pending === null && !(this.lastTime !== null && time < this.lastTime - CLOCK_BACK_MS);
  }

  /** Every parsed line, in order: the gap it closes (a restart) or shows (the clock went back). */
  line(l: LogLine): Extracted | null {
    // A line that prints no time (brief, a Studio marker) says nothing of the clock.
    if (l.timeKnown === false) return null;
    const last = this.lastTime;
    const lastRaw = this.lastRaw;
    this.lastTime = l.time;
    this.lastRaw = l.raw;
    if (this.pending) {
      const p = this.pending;
      this.pending = null;
      return { type: 'log.gap', reason: 'restart', lines: null, from: p.from, to: l.time, uid: null, process: null, packageName: null, raw: [p.raw, l.raw], time: l.time };
    }
    if (last !== null && l.time < last - CLOCK_BACK_MS) {
      return { type: 'log.gap', reason: 'clock-back', lines: null, from: last, to: l.time, uid: null, process: null, packageName: null, raw: [typeof lastRaw === 'string' ? lastRaw : lastRaw(), l.raw], time: l.time };
    }
    return null;
  }

  /** A banner left open at the end: the hole runs to the end of the log. */
  flush(): Extracted[] {
    const p = this.pending;
    this.pending = null;
    return p ? [{ type: 'log.gap', reason: 'restart', lines: null, from: p.from, to: null, uid: null, process: null, packageName: null, raw: [p.raw], time: p.from ?? undefined }] : [];
  }
}
