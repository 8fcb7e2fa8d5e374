/**
 * Lines of the real-logcat corpus (test/fixtures/real-logcat/, sources in SOURCES.md) as the extractors get them:
 * by capture and 1-based line number, read by the monitors' own format reader, so the signal extractors are
 * tested on every capture's real text in its own format.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureClock } from '../../src-main/core/monitor/log-formats/capture-clock.js';
import { FormatReader } from '../../src-main/core/monitor/log-formats/format-reader.js';
import type { LogLine } from '../../src-main/core/monitor/log-line.js';

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

/** A log line from its text, read by the monitors' own format reader (any logcat format; brief lines get time 0). */
export function lineFrom(text: string, year = 2026): LogLine {
  const reader = new FormatReader(new CaptureClock({ year, yearGiven: true, offsetMinutes: 0, offsetGiven: true }));
  const line = reader.read(text);
  if (!line || line === 'frame') throw new Error(`not a log line in any format the monitors read: ${text}`);
  return line;
}

/** Line `n` of capture `file` as a parsed line. */
export function corpusLine(file: string, n: number): LogLine {
  return lineFrom(corpusText(file, n));
}

/** Lines `from`..`to` (inclusive) of a capture, as they are (a Replayer reads every format). */
export function corpusRun(file: string, from: number, to: number): string[] {
  const out: string[] = [];
  for (let n = from; n <= to; n++) out.push(corpusText(file, n));
  return out;
}
