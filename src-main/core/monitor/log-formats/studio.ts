/**
 * Copies of Android Studio's Logcat window. The current window (Electric Eel and later):
 * `2024-05-01 10:11:12.345  8468-8468  Tag  com.pkg  I  msg`, a long message's further lines indented to the
 * message column, and `---- PROCESS STARTED (8468) for package com.pkg ----` / `PROCESS ENDED` markers. The
 * legacy window: `2019-01-01 10:00:00.000 1234-1234/com.pkg I/Tag: msg` (`/?` where the package is unknown).
 * Studio prints the host's local time with the year and no zone; `A` (assert) is logcat's `F`.
 */
import { printedTime, type LogLine, type ParseContext } from '../log-line.js';

const CURRENT = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})\s+(\d+)-(\d+)\s+(\S+)\s+(\S+)\s+([VDIWEFA])(?: {1,2}(.*))?$/;
const LEGACY = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})\s+(\d+)-(\d+)\/(\S+) ([VDIWEFA])\/(.*?): ?(.*)$/;
const MARKER = /^-+ PROCESS (STARTED|ENDED) \((\d+)\) for package (\S+) -+$/;

const level = (c: string): LogLine['priority'] => (c === 'A' ? 'F' : (c as LogLine['priority']));

export function parseStudio(raw: string, ctx: ParseContext): LogLine | null {
  const m = CURRENT.exec(raw);
  if (!m) return null;
  const time = printedTime(ctx, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]), NaN);
  const line: LogLine = { time, pid: Number(m[8]), tid: Number(m[9]), priority: level(m[12]!), tag: m[10]!, message: m[13] ?? '', raw, app: false };
  // `pid-1234` stands where Studio does not know the package.
  if (!m[11]!.startsWith('pid-')) line.packageName = m[11]!;
  return line;
}

export function parseStudioLegacy(raw: string, ctx: ParseContext): LogLine | null {
  const m = LEGACY.exec(raw);
  if (!m) return null;
  const time = printedTime(ctx, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]), NaN);
  const line: LogLine = { time, pid: Number(m[8]), tid: Number(m[9]), priority: level(m[11]!), tag: m[12]!, message: m[13]!, raw, app: false };
  if (m[10] !== '?') line.packageName = m[10]!;
  return line;
}

/**
 * `PROCESS STARTED (8468) for package com.pkg`: a line of tag `AndroidStudio` whose message is the marker's
 * words, with the pid and package; the time is the last one read (the marker prints none).
 */
export function parseStudioMarker(raw: string, lastTime: number): LogLine | null {
  const m = MARKER.exec(raw);
  if (!m) return null;
  return { time: lastTime, pid: Number(m[2]), tid: 0, priority: 'I', tag: 'AndroidStudio', message: `PROCESS ${m[1]} (${m[2]}) for package ${m[3]}`, raw, app: false, packageName: m[3]!, timeKnown: false };
}
