// The monitor's own format is parsed by position (it runs for every line a phone logs); the result must equal
// the regular expression it replaced on real lines and on the edge cases, and fall back to it for the rest.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLogLine } from '../../../../src-main/core/monitor/log-line.js';
import { stripTerminalControls } from '../../../../src-main/core/adb/terminal-text.js';

const LINE = /^(?:(\d{4})-)?(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})\s+(\d+)\s+(\d+) ([VDIWEFS]) (.*?)\s*: ?(.*)$/;

/** The parser as it was: strip controls, one regular expression. */
function reference(rawLine: string, ctx: { year: number; offsetMinutes: number }) {
  const raw = stripTerminalControls(rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine);
  const m = LINE.exec(raw);
  if (!m) return null;
  const time = Date.UTC(m[1] ? Number(m[1]) : ctx.year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7])) - ctx.offsetMinutes * 60_000;
  return { time, pid: Number(m[8]), tid: Number(m[9]), priority: m[10], tag: m[11]!, message: m[12]!, raw, app: false };
}

const T = '2026-11-30 02:00:00.123';
const EDGE = [
  `${T}  1234  1250 I Tag     : message`, `${T}  1234  1250 I Tag:message`, `${T}  1234  1250 I Tag: `, `${T}  1234  1250 I : empty tag`,
  `${T}  1234  1250 I Ta g : spaced`, `${T}  1234  1250 I a:b:c`, `${T}  1234  1250 X Tag: bad priority`, `${T} 1234 1250 I Tag: single spaces`,
  '2026-11-30 02:00:00.12  1234  1250 I Tag: short ms', '2026-13-30 02:00:00.123  1234  1250 I Tag: month 13', `${T}  1234  1250 I Tag\t: tab`,
  `${T}  1234  1250 I Tag: esc \u001b[31mred\u001b[0m \u202e bidi`, `${T}  1234  1250 I Tag: cr\r`, '11-30 02:00:00.123  1234  1250 I Tag: no year', 'garbage', '',
  `${T}  -1  1250 I Tag: negative pid`, `${T}  1234  1250 I  Tag: two spaces before the tag`, `${T}  1234  1250 I Tag : double  spaces `,
  '2026-11-30 02:00:01.000  1  1 F am_proc_start: [0,4321,10234,com.demo.shop,activity,{com.demo.shop/.MainActivity}]', `${T}  1234  1250 I 标签: 中文消息`,
  '2026-11-30 02:0a:00.123  1234  1250 I Tag: letter in the time', `${T}  12a4  1250 I Tag: letter in the pid`,
];

describe('parseLogLine', () => {
  it('equals the regular expression on the virtual phone\'s logs and on edge cases, in both time contexts', () => {
    const dir = join(__dirname, '../../../fixtures/monitor');
    const lines = readdirSync(dir).filter((f) => f.endsWith('.txt')).flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'));
    for (let s = 0; s < 3; s++) lines.push(...EDGE.map((l) => l.replace('02:00:00', `02:00:0${s}`)));
    expect(lines.length).toBeGreaterThan(60);
    for (const ctx of [{ year: 2026, offsetMinutes: 0 }, { year: 2025, offsetMinutes: 480 }]) {
      for (const line of lines) expect({ line, parsed: parseLogLine(line, ctx) }).toEqual({ line, parsed: reference(line, ctx) });
    }
  });

  it('a line said to be clean is not cleaned again; a dirty one is', () => {
    const ctx = { year: 2026, offsetMinutes: 0 };
    expect(parseLogLine(`${T}  1  1 I Tag: \u202e`, ctx)!.message).toBe('<U+202E>');
    expect(parseLogLine(`${T}  1  1 I Tag: plain`, ctx, true)!.message).toBe('plain');
  });
});
