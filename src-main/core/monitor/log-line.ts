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
}

const LINE = /^(?:(\d{4})-)?(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})\s+(\d+)\s+(\d+) ([VDIWEFS]) (.*?)\s*: ?(.*)$/;

export interface ParseContext {
  /** Year for lines without one (plain threadtime). */
  year: number;
  /** Minutes east of UTC the line's clock is in (0 for -v UTC). */
  offsetMinutes: number;
}

export function parseLogLine(rawLine: string, ctx: ParseContext): LogLine | null {
  const raw = stripTerminalControls(rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine);
  const m = LINE.exec(raw);
  if (!m) return null;
  const year = m[1] ? Number(m[1]) : ctx.year;
  const time = Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7])) - ctx.offsetMinutes * 60_000;
  return { time, pid: Number(m[8]), tid: Number(m[9]), priority: m[10] as LogLine['priority'], tag: m[11]!, message: m[12]!, raw };
}
