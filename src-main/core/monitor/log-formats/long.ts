/**
 * Two-line records: `logcat -v long` (`[ 05-04 21:31:02.879  3496: 3520 I/Tag ]`, the message on the lines
 * after it, a blank line between records) and the same layout as MatLog and App Manager export it
 * (`[09-04 19:12:28.794 3443:3443 I/chatty]`). Only the header is read here; the reader attaches the lines after.
 */
import { printedTime, type LogLine, type ParseContext } from '../log-line.js';

const HEADER = /^\[ ?(?:(\d{4})-)?(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})\d{0,6}(?: ([+-]\d{4}))?\s+(?:(\S+)\s+)?(\d+):\s*(\d+)\s+([VDIWEFS])\/(.*?)\s*\]$/;

const zoneOf = (z: string | undefined): number => (z ? (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) : NaN);

/** A record's header as a line with an empty message (the reader fills the message from the lines after). */
export function parseLongHeader(raw: string, ctx: ParseContext): { line: LogLine; style: 'long' | 'matlog' } | null {
  const m = HEADER.exec(raw);
  if (!m) return null;
  const time = printedTime(ctx, m[1] ? Number(m[1]) : NaN, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]), zoneOf(m[8]));
  const line: LogLine = { time, pid: Number(m[10]), tid: Number(m[11]), priority: m[12] as LogLine['priority'], tag: m[13]!, message: '', raw, app: false };
  if (m[9]) line.uid = m[9];
  return { line, style: raw.charCodeAt(1) === 32 ? 'long' : 'matlog' };
}
