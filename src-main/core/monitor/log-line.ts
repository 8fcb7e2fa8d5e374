/**
 * Parsing `logcat -v threadtime,year,UTC` lines (the format the monitor asks for: explicit year and zone,
 * no guessing) and plain threadtime (MM-DD, device-local, for logs captured elsewhere). Unknown lines are
 * kept as raw text, never an error.
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
}

const LINE = /^(?:(\d{4})-)?(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})\s+(\d+)\s+(\d+) ([VDIWEFS]) (.*?)\s*: ?(.*)$/;

export interface ParseContext {
  /** Year for lines without one (plain threadtime). */
  year: number;
  /** Minutes east of UTC the line's clock is in (0 for -v UTC). */
  offsetMinutes: number;
}

/** Anything a terminal or the UI must not receive as is: C0/C1 controls (tab excepted) and bidi controls. */
export const NEEDS_CLEANING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** The epoch ms of the last "YYYY-MM-DD HH:MM:SS" seen (lines of one second share it). */
let lastSecond = '';
let lastSecondMs = 0;

const digit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * The monitor's own format (`-v year -v UTC`), read by position without a regular expression: this runs for
 * every line a phone logs (thousands a second), so it must cost well under a microsecond.
 */
function parseYearLine(raw: string, ctx: ParseContext): LogLine | null {
  if (raw.length < 33 || raw.charCodeAt(4) !== 45 || raw.charCodeAt(7) !== 45 || raw.charCodeAt(10) !== 32 || raw.charCodeAt(13) !== 58 || raw.charCodeAt(16) !== 58 || raw.charCodeAt(19) !== 46) return null;
  if (!raw.startsWith(lastSecond) || lastSecond === '') {
    const second = raw.slice(0, 19);
    for (const i of [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]) if (!digit(raw.charCodeAt(i))) return null;
    lastSecondMs = Date.UTC(Number(raw.slice(0, 4)), Number(raw.slice(5, 7)) - 1, Number(raw.slice(8, 10)), Number(raw.slice(11, 13)), Number(raw.slice(14, 16)), Number(raw.slice(17, 19)));
    lastSecond = second;
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
  const time = lastSecondMs + (c20 - 48) * 100 + (c21 - 48) * 10 + (c22 - 48) - ctx.offsetMinutes * 60_000;
  return { time, pid, tid, priority: priority as LogLine['priority'], tag: raw.slice(tagStart, tagEnd), message: raw.slice(msgStart), raw, app: false };
}

/** `clean`: the caller already knows the line holds no control or bidi character (it tested a whole chunk at once). */
export function parseLogLine(rawLine: string, ctx: ParseContext, clean = false): LogLine | null {
  const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
  const raw = !clean && NEEDS_CLEANING.test(line) ? stripTerminalControls(line) : line;
  const fast = parseYearLine(raw, ctx);
  if (fast) return fast;
  const m = LINE.exec(raw);
  if (!m) return null;
  const year = m[1] ? Number(m[1]) : ctx.year;
  const time = Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7])) - ctx.offsetMinutes * 60_000;
  return { time, pid: Number(m[8]), tid: Number(m[9]), priority: m[10] as LogLine['priority'], tag: m[11]!, message: m[12]!, raw, app: false };
}
