// Replay reads threadtime lines that cannot hold an event as bytes (replay-bytes.ts) and every other line as
// text. The outcome must be the text path's, whole: the same events (lines, sourceLines, times, order), counts,
// formats, clock facts, unread lines. Each capture here is replayed both ways — through replayFile, and through
// the line splitter into Replayer.line alone (what replay was before the byte path) — and the results compared:
// every real capture of the corpus, and generated captures made of the corpus's real lines with everything the
// byte path must hand over or keep track of mixed in (events waiting for a next line, clock jumps, restarts,
// other formats, a `-v long` record, controls, bidi, CRLF, U+2028, blank messages continued on the next line,
// lines longer than the cap, repeated lines, a year rolling over, no newline at the end), over several 1 MiB
// chunks. A last test measures what the byte path is for: the time of a replay against the text path's.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../../src-main/core/monitor/line-splitter.js';
import { openCapture } from '../../../../src-main/core/monitor/log-formats/capture-file.js';
import { Replayer, type ReplayOptions, type ReplayResult } from '../../../../src-main/core/monitor/replay.js';
import { replayFile } from '../../../../src-main/core/monitor/replay-file.js';
import { ReplayBytes } from '../../../../src-main/core/monitor/replay-bytes.js';

const corpus = join(__dirname, '..', '..', '..', 'fixtures', 'real-logcat');
const dir = mkdtempSync(join(tmpdir(), 'replay-bytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Replay as text only: every line through the splitter and Replayer.line. */
async function textReplay(path: string, o: ReplayOptions): Promise<ReplayResult> {
  const replayer = new Replayer(o);
  const { chunks } = await openCapture(path);
  const splitter = new LineSplitter();
  for await (const chunk of chunks) for (const l of splitter.push(chunk)) replayer.line(l);
  for (const l of splitter.flush()) replayer.line(l);
  return replayer.finish();
}

/** Replay as replayFile does it (bytes where they allow it), and how many lines were skimmed as bytes. */
async function byteReplay(path: string, o: ReplayOptions): Promise<{ result: ReplayResult; skimmed: number }> {
  const replayer = new Replayer(o);
  const bytes = new ReplayBytes(replayer);
  const { chunks } = await openCapture(path);
  for await (const chunk of chunks) bytes.push(chunk);
  bytes.end();
  return { result: replayer.finish(), skimmed: replayer.skimmed };
}

async function both(path: string, o: ReplayOptions): Promise<{ bytes: ReplayResult | Error; text: ReplayResult | Error; skimmed: number }> {
  let skimmed = 0;
  const bytes = await byteReplay(path, o).then((r) => ((skimmed = r.skimmed), r.result), (e: Error) => e);
  const text = await textReplay(path, o).catch((e: Error) => e);
  // replayFile is this, with what the file is.
  expect(await replayFile(path, o).then((r) => r.result, (e: Error) => e)).toEqual(bytes);
  return { bytes, text, skimmed };
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const THREADTIME = /^(?:\d{4}-)?\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}(\s+\d+\s+\d+ [VDIWEF] .*)$/;
/** The corpus's real threadtime lines without their time. */
const bodies = readdirSync(corpus).filter((n) => n.endsWith('.txt')).sort().flatMap((f) =>
  readFileSync(join(corpus, f), 'utf8').split('\n').map((l) => THREADTIME.exec(l.replace(/^\t/, '').replace(/\r$/, ''))?.[1]).filter((b): b is string => !!b));

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
function stamp(ms: number, year: boolean): string {
  const d = new Date(ms);
  return `${year ? `${d.getUTCFullYear()}-` : ''}${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** About `bytes` of real lines, re-timed, with the unusual mixed in at rate `unusual`. */
function capture(seed: number, bytes: number, o: { year: boolean; unusual: number; start?: number }): string {
  const r = rng(seed);
  let t = o.start ?? Date.UTC(2026, 4, 4, 8, 0, 0);
  const out: string[] = [];
  let size = 0;
  const push = (...ls: string[]): void => {
    for (const l of ls) {
      out.push(l);
      size += l.length + 1;
    }
  };
  while (size < bytes) {
    t += Math.floor(r() * 3);
    const body = bodies[Math.floor(r() * bodies.length)]!;
    const line = stamp(t, o.year) + body;
    if (r() >= o.unusual) {
      push(line);
      continue;
    }
    const u = Math.floor(r() * 20);
    if (u === 0) push('--------- beginning of main');
    else if (u === 1) push(line + '\r');
    else if (u === 2) push(line.replace(': ', ': \u001b[31mred\u001b[0m '));
    else if (u === 3) push(line + ' \u202eevil \u2028 sep');
    else if (u === 4) push(line + ' \u2029');
    else if (u === 5) push(`${stamp(t, o.year)}  1200  1201 I Wrapped: `, 'continued on its own line');
    else if (u === 6) push(`${stamp(t - 3000, o.year)}${body}`);
    else if (u === 7) push(`${stamp(t - 15_000, o.year)}${body}`);
    else if (u === 8) push(`${stamp(t, !o.year)}${body}`);
    else if (u === 9) push(`${stamp(t, false)} I/ActivityManager( 1234): Start proc 5678:com.x.y/u0a99 for activity com.x.y/.Main`);
    else if (u === 10) push(`[ ${stamp(t, false)}  1234: 1250 I/ActivityManager ]`, 'Killing 5678:com.x.y/u0a99 (adj 900): remove task', '');
    else if (u === 11) push(line.replace(/ [VDIWEF] ([^:]*):/, ' I 标签 $1:'));
    else if (u === 12) push(line.replace(/  +/, '\t'));
    else if (u === 13) push(line + ' ' + 'z'.repeat(70_000));
    else if (u === 14) push(line, line);
    else if (u === 15) push(line.replace(/^(\S+ \S+)/, '$1123'));
    else if (u === 16) push(`${stamp(t, o.year)}  1000  1000 I chatty  : uid=1000(system) ActivityManager expire 4 lines`);
    else if (u === 17) push(`${stamp(t, o.year)}  1000  1000 I Quiet: \u00a0 `);
    else if (u === 18) push(`${stamp(t, o.year)}  4321  4321 E AndroidRuntime: FATAL EXCEPTION: main`, line);
    else push(line.replace(': ', ' \u00a0: '));
  }
  return out.join('\n');
}

describe('replay: the byte path gives the text path\'s result', () => {
  it('on every capture of the real-logcat corpus', async () => {
    const files = readdirSync(corpus).filter((n) => n.endsWith('.txt') || n.endsWith('.zip') || n.endsWith('.log')).sort();
    expect(files.length).toBeGreaterThan(30);
    let skimmedAll = 0;
    for (const f of files) {
      const { bytes, text, skimmed } = await both(join(corpus, f), { packageName: null, year: 2024, offsetMinutes: 480, yearGiven: false, offsetGiven: false });
      expect(bytes, f).toEqual(text);
      skimmedAll += skimmed;
    }
    // The threadtime captures were read mostly as bytes (the comparison is not of two text paths).
    expect(skimmedAll).toBeGreaterThan(800);
  }, 120_000);

  for (const [name, o] of [
    ['plain threadtime, a few unusual lines', { year: false, unusual: 0.01 }],
    ['year form, many unusual lines', { year: true, unusual: 0.2 }],
    ['plain threadtime over New Year', { year: false, unusual: 0.05, start: Date.UTC(2025, 11, 31, 23, 59, 0) }],
  ] as const) {
    it(`on generated captures: ${name}`, async () => {
      for (const seed of [1, 2]) {
        const path = join(dir, `${name}-${seed}.log`);
        writeFileSync(path, capture(seed, 3 << 20, o) + (seed === 2 ? '\n' : ''));
        for (const packageName of [null, 'com.android.settings']) {
          const { bytes, text, skimmed } = await both(path, { packageName, year: 2026, offsetMinutes: 0 });
          expect(bytes).not.toBeInstanceOf(Error);
          expect((bytes as ReplayResult).events.length).toBeGreaterThan(packageName ? 0 : 100);
          expect(skimmed).toBeGreaterThan((bytes as ReplayResult).lines * (o.unusual > 0.1 ? 0.2 : 0.4));
          expect(bytes).toEqual(text);
        }
      }
    }, 120_000);
  }

  it('with a line longer than the splitter holds, no newline for 300 KB', async () => {
    const path = join(dir, 'long.log');
    const head = capture(3, 1 << 20, { year: true, unusual: 0 });
    writeFileSync(path, `${head}\n2026-05-04 09:00:00.000  1  1 I Long: ${'é'.repeat(150_000)}\n${capture(4, 1 << 20, { year: true, unusual: 0.01, start: Date.UTC(2026, 4, 4, 9, 0, 1) })}`);
    const { bytes, text } = await both(path, { packageName: null, year: 2026, offsetMinutes: 0 });
    expect((bytes as ReplayResult).firstUnparsed.some((u) => u.text.startsWith('2026-05-04 09:00:00.000  1  1 I Long: éé'))).toBe(true);
    expect(bytes).toEqual(text);
  }, 60_000);
});
