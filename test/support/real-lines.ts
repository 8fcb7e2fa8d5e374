/**
 * Lines of the real-logcat corpus (test/fixtures/real-logcat/, sources in SOURCES.md) as the extractors get them:
 * by capture and 1-based line number. Threadtime lines go through the monitor's own parser; the `-v time` and
 * tab-indented captures are read here by a minimal reader of those two layouts (the monitors' readers of every
 * format are issue #24's formats work), so the signal extractors are tested on every capture's real text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLogLine, type LogLine } from '../../src-main/core/monitor/log-line.js';

export const CORPUS = join(__dirname, '..', 'fixtures', 'real-logcat');

const cache = new Map<string, string[]>();

/** The text of line `n` (1-based) of capture `file` (its name's number is enough: '07'). */
export function corpusText(file: string, n: number): string {
  const name = file.length === 2 ? readdirSync(CORPUS).find((f) => f.startsWith(`${file}-`) && f.endsWith('.txt')) ?? file : file;
  let lines = cache.get(name);
  if (!lines) cache.set(name, (lines = readFileSync(join(CORPUS, name), 'utf8').split('\n')));
  const text = lines[n - 1];
  if (text === undefined) throw new Error(`${name} has no line ${n}`);
  return text;
}

/** A log line from its text: threadtime by the monitor's parser; `-v time` (`05-04 21:31:02.879 I/Tag( 3496): msg`) and brief (no time: 0) here. */
export function lineFrom(text: string, year = 2026): LogLine {
  const raw = text.replace(/^\t/, '');
  const parsed = parseLogLine(raw, { year, offsetMinutes: 0 });
  if (parsed) return parsed;
  const brief = /^([VDIWEF])\/(.*?)\(\s*(\d+)\): ?(.*)$/.exec(raw);
  if (brief) return { time: 0, pid: Number(brief[3]), tid: Number(brief[3]), priority: brief[1] as LogLine['priority'], tag: brief[2]!.trim(), message: brief[4]!, raw, app: false };
  const m = /^(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3}) ([VDIWEF])\/(.*?)\(\s*(\d+)\): ?(.*)$/.exec(raw);
  if (!m) throw new Error(`not a threadtime, -v time or brief line: ${text}`);
  const time = Date.UTC(year, Number(m[1]) - 1, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return { time, pid: Number(m[9]), tid: Number(m[9]), priority: m[7] as LogLine['priority'], tag: m[8]!.trim(), message: m[10]!, raw, app: false };
}

/** Line `n` of capture `file` as a parsed line. */
export function corpusLine(file: string, n: number): LogLine {
  return lineFrom(corpusText(file, n));
}

/** Lines `from`..`to` (inclusive) of a capture, as threadtime text a Replayer reads (the `-v time` ones rewritten). */
export function corpusRun(file: string, from: number, to: number): string[] {
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const text = corpusText(file, n);
    if (!text.trim() || text.startsWith('--------- beginning of')) {
      out.push(text);
      continue;
    }
    let l: LogLine;
    try {
      l = lineFrom(text);
    } catch {
      out.push(text);
      continue;
    }
    const t = new Date(l.time).toISOString();
    out.push(`${t.slice(5, 10)} ${t.slice(11, 23)}  ${l.pid}  ${l.tid} ${l.priority} ${l.tag}: ${l.message}`);
  }
  return out;
}
