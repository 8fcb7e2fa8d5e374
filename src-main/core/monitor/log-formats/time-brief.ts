/**
 * logcat's own one-line formats other than threadtime: `-v time` (`05-04 21:31:02.879 I/Tag( 3496): msg`, with
 * year, usec, zone and uid variants — the events buffer prints the same way), `-v brief` (`I/Tag( 3496): msg`),
 * `-v process` (`I( 3496) msg  (Tag)`) and `-v tag` (`I/Tag: msg`). The last three print no time. Also
 * threadtime's columns without pid and tid, as log viewers copy them.
 */
import { printedTime, type LogLine, type ParseContext } from '../log-line.js';

const TIME = /^(?:(\d{4})-)?(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})\d{0,6}(?: ([+-]\d{4}))?\s+([VDIWEFS])\/(.*?)\s*\(\s*(?:([^\s:()]+):\s*)?(\d+)\): ?(.*)$/;
const BRIEF = /^([VDIWEFS])\/(.*?)\s*\(\s*(?:([^\s:()]+):\s*)?(\d+)\): ?(.*)$/;
const PROCESS = /^([VDIWEFS])\(\s*(?:([^\s:()]+):\s*)?(\d+)\) (.*?)\s+\(([^()]*)\)$/;
const TAG = /^([VDIWEFS])\/([^:]*?)\s*: ?(.*)$/;
/** threadtime's columns without pid and tid, as some log viewers copy them: `09-09 15:28:50.655 E Tag: msg`. */
const TIME_NO_PID = /^(?:(\d{4})-)?(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})\s+([VDIWEFS]) ([^:]*?)\s*: ?(.*)$/;

const zoneOf = (z: string | undefined): number => (z ? (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) : NaN);

export function parseTime(raw: string, ctx: ParseContext): LogLine | null {
  const m = TIME.exec(raw);
  if (!m) return null;
  const time = printedTime(ctx, m[1] ? Number(m[1]) : NaN, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]), zoneOf(m[8]));
  const line: LogLine = { time, pid: Number(m[12]), tid: 0, priority: m[9] as LogLine['priority'], tag: m[10]!, message: m[13]!, raw, app: false };
  if (m[11]) line.uid = m[11];
  return line;
}

export function parseTimeNoPid(raw: string, ctx: ParseContext): LogLine | null {
  const m = TIME_NO_PID.exec(raw);
  if (!m) return null;
  const time = printedTime(ctx, m[1] ? Number(m[1]) : NaN, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]), NaN);
  return { time, pid: 0, tid: 0, priority: m[8] as LogLine['priority'], tag: m[9]!, message: m[10]!, raw, app: false };
}

/** Lines without a time get `lastTime` (the last time read before them) and say so. */
export function parseBrief(raw: string, lastTime: number): LogLine | null {
  const m = BRIEF.exec(raw);
  if (!m) return null;
  const line: LogLine = { time: lastTime, pid: Number(m[4]), tid: 0, priority: m[1] as LogLine['priority'], tag: m[2]!, message: m[5]!, raw, app: false, timeKnown: false };
  if (m[3]) line.uid = m[3];
  return line;
}

export function parseProcess(raw: string, lastTime: number): LogLine | null {
  const m = PROCESS.exec(raw);
  if (!m) return null;
  const line: LogLine = { time: lastTime, pid: Number(m[3]), tid: 0, priority: m[1] as LogLine['priority'], tag: m[5]!, message: m[4]!, raw, app: false, timeKnown: false };
  if (m[2]) line.uid = m[2];
  return line;
}

export function parseTag(raw: string, lastTime: number): LogLine | null {
  const m = TAG.exec(raw);
  if (!m) return null;
  return { time: lastTime, pid: 0, tid: 0, priority: m[1] as LogLine['priority'], tag: m[2]!, message: m[3]!, raw, app: false, timeKnown: false };
}
