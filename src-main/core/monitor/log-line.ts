/**
 * One log entry as the monitors read it, and the threadtime parser: `logcat -v threadtime,year,UTC` lines (the
 * format the monitor asks for: explicit year and zone, no guessing) read by position, and every other
 * threadtime form by one regular expression — MM-DD or with year, `-v usec`, a `-v zone` suffix, a `-v uid`
 * column (as bugreports print it). The other capture formats are read in log-formats/. Unknown lines are kept
 * as raw text, never an error.
 */
import { stripTerminalControls } from '../adb/terminal-text.js';

export interface LogLine {
  /** Epoch ms when the line carried a year and UTC; otherwise resolved with the caller's year and offset. */
  time: number;
  pid: number;
  tid: number;
  priority: 'V' | 'D' | 'I' | 'W' | 'E' | 'F' | 'S';
  tag: string;
  message: string;
  raw: string;
  /** Whether the line belongs to the monitored app; set by the monitor (false until then). */
  app: boolean;
  /** The app the line is from, where the format names it (Android Studio's package column, its PROCESS markers). */
  packageName?: string;
  /** The `-v uid` column as printed: a number (1000) or a name (u0_a123, root). */
  uid?: string;
  /** Absent when the line printed its time; false when it did not (brief, tag, process): `time` is the last time read before it. */
  timeKnown?: false;
}

/** Threadtime, with or without year, `-v usec` digits and a `-v zone` suffix. */
const LINE = /^(?:(\d{4})-)?(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})\d{0,6}(?: ([+-]\d{4}))?\s+(\d+)\s+(\d+) ([VDIWEFS]) (.*?)\s*: ?(.*)$/;
/** The same with `-v uid`'s column before the pid (tried second: it costs a backtrack on every plain line). */
const UID_LINE = /^(?:(\d{4})-)?(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})\d{0,6}(?: ([+-]\d{4}))?\s+(\S+)\s+(\d+)\s+(\d+) ([VDIWEFS]) (.*?)\s*: ?(.*)$/;

export interface ParseContext {
  /** Year for lines without one (plain threadtime). */
  year: number;
  /** Minutes east of UTC the line's clock is in (0 for -v UTC). */
  offsetMinutes: number;
  /**
   * A capture's clock (log-formats/capture-clock.ts): the epoch ms of a printed time, NaN for a year or zone the
   * line did not print. Without it, `year` and `offsetMinutes` are used as they are.
   */
  at?(year: number, month: number, day: number, h: number, m: number, s: number, ms: number, zone: number): number;
}

/** Epoch ms of a printed time; `year`/`zone` NaN where the line did not print them. */
export function printedTime(ctx: ParseContext, year: number, month: number, day: number, h: number, m: number, s: number, ms: number, zone: number): number {
  if (ctx.at) return ctx.at(year, month, day, h, m, s, ms, zone);
  return Date.UTC(Number.isNaN(year) ? ctx.year : year, month - 1, day, h, m, s, ms) - (Number.isNaN(zone) ? ctx.offsetMinutes : zone) * 60_000;
}

/** `+0800` → 480. */
const zoneOf = (z: string | undefined): number => (z ? (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) : NaN);

/** Anything a terminal or the UI must not receive as is: C0/C1 controls (tab excepted) and bidi controls. */
export const NEEDS_CLEANING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** The epoch ms of the last "YYYY-MM-DD HH:MM:SS" seen (lines of one second share it), and whose clock read it. */
let lastSecond = '';
let lastSecondMs = 0;
let lastCtx: ParseContext | null = null;
let lastOffset = 0;

const digit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * The monitor's own format (`-v year -v UTC`), read by position without a regular expression: this runs for
 * every line a phone logs (thousands a second), so it must cost well under a microsecond.
 */
function parseYearLine(raw: string, ctx: ParseContext): LogLine | null {
  if (raw.length < 33 || raw.charCodeAt(4) !== 45 || raw.charCodeAt(7) !== 45 || raw.charCodeAt(10) !== 32 || raw.charCodeAt(13) !== 58 || raw.charCodeAt(16) !== 58 || raw.charCodeAt(19) !== 46) return null;
  if (!raw.startsWith(lastSecond) || lastSecond === '' || lastCtx !== ctx || lastOffset !== ctx.offsetMinutes) {
    const second = raw.slice(0, 19);
    for (const i of [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]) if (!digit(raw.charCodeAt(i))) return null;
    // The line prints no zone: the context's offset applies (a capture's clock notes it needed one).
    lastSecondMs = printedTime(ctx, Number(raw.slice(0, 4)), Number(raw.slice(5, 7)), Number(raw.slice(8, 10)), Number(raw.slice(11, 13)), Number(raw.slice(14, 16)), Number(raw.slice(17, 19)), 0, NaN);
    lastSecond = second;
    lastCtx = ctx;
    lastOffset = ctx.offsetMinutes;
  }
  const c20 = raw.charCodeAt(20), c21 = raw.charCodeAt(21), c22 = raw.charCodeAt(22);
  if (!digit(c20) || !digit(c21) || !digit(c22)) return null;
  let i = 23;
  const n = raw.length;
  if (raw.charCodeAt(i) !== 32) return null;
  while (i < n && raw.charCodeAt(i) === 32) i++;
  let pid = 0;
  const pidStart = i;
  for (let c = raw.charCodeAt(i); i < n && digit(c); c = raw.charCodeAt(++i)) pid = pid * 10 + c - 48;
  if (i === pidStart || raw.charCodeAt(i) !== 32) return null;
  while (i < n && raw.charCodeAt(i) === 32) i++;
  let tid = 0;
  const tidStart = i;
  for (let c = raw.charCodeAt(i); i < n && digit(c); c = raw.charCodeAt(++i)) tid = tid * 10 + c - 48;
  if (i === tidStart || raw.charCodeAt(i) !== 32) return null;
  const priority = raw[i + 1];
  if (raw.charCodeAt(i + 2) !== 32 || !priority || 'VDIWEFS'.indexOf(priority) < 0) return null;
  const tagStart = i + 3;
  const colon = raw.indexOf(':', tagStart);
  if (colon < 0) return null;
  let tagEnd = colon;
  while (tagEnd > tagStart && (raw.charCodeAt(tagEnd - 1) === 32 || raw.charCodeAt(tagEnd - 1) === 9)) tagEnd--;
  const msgStart = raw.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1;
  const time = lastSecondMs + (c20 - 48) * 100 + (c21 - 48) * 10 + (c22 - 48);
  return { time, pid, tid, priority: priority as LogLine['priority'], tag: raw.slice(tagStart, tagEnd), message: raw.slice(msgStart), raw, app: false };
}

/** `clean`: the caller already knows the line holds no control or bidi character (it tested a whole chunk at once). */
export function parseLogLine(rawLine: string, ctx: ParseContext, clean = false): LogLine | null {
  const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
  return parseThreadtime(!clean && NEEDS_CLEANING.test(line) ? stripTerminalControls(line) : line, ctx);
}

/** A cleaned line (no carriage return, no control or bidi character) in any threadtime form, or null. */
export function parseThreadtime(raw: string, ctx: ParseContext): LogLine | null {
  const fast = parseYearLine(raw, ctx);
  if (fast) return fast;
  const m = LINE.exec(raw);
  if (m) {
    const time = printedTime(ctx, m[1] ? Number(m[1]) : NaN, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]), zoneOf(m[8]));
    return { time, pid: Number(m[9]), tid: Number(m[10]), priority: m[11] as LogLine['priority'], tag: m[12]!, message: m[13]!, raw, app: false };
  }
  const u = UID_LINE.exec(raw);
  if (!u) return null;
  const time = printedTime(ctx, u[1] ? Number(u[1]) : NaN, Number(u[2]), Number(u[3]), Number(u[4]), Number(u[5]), Number(u[6]), Number(u[7]), zoneOf(u[8]));
  return { time, pid: Number(u[10]), tid: Number(u[11]), priority: u[12] as LogLine['priority'], tag: u[13]!, message: u[14]!, raw, app: false, uid: u[9]! };
}
