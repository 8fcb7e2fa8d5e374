/**
 * Benchmark (not a test gate) of `apprights monitor --replay` on 1,000,000-line files made from the real
 * threadtime captures of test/fixtures/real-logcat (lines cycled, times re-stamped to increase):
 * - `-v threadtime -v year -v UTC` (what the live monitor records) and plain threadtime (what a tester brings);
 * - end to end: `apprights monitor --replay FILE --json > /dev/null`, wall time, min / median of BENCH_ROUNDS runs
 *   (process start, reading the file, every event found and printed as JSON);
 * - against the byte path of the live monitor (log-chunk.ts), the reference the issue names ("within 2x of the
 *   current byte path"), two ways: in-process over the year-form file already in memory (LogChunk.read alone:
 *   no process start, no file read, no event made), and end to end — a tiny script, bundled with esbuild and run
 *   in its own node process, that reads the same file 1 MiB at a time and gives every chunk to LogChunk.read;
 *   the ratios of replay's times to both;
 * - with BASELINE_CLI=/path/to/out/main/cli.js (a build of an earlier commit), that CLI's runs interleaved
 *   with this one's on the same files, and the ratios;
 * - the same for 1M real `-v time` lines, as UTF-8 and as PowerShell's UTF-16LE with CRLF (this build only);
 * - the cost of replay's own byte path: 1M year-form lines of the corpus that can hold no event (no event tag, no
 *   mark), replay end to end against the byte path end to end, interleaved.
 * Run `npm run build` first: the CLI timed is out/main/cli.js.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { LogChunk } from '../../src-main/core/monitor/log-chunk.js';
import { EVENT_MARKS, EVENT_TAGS } from '../../src-main/core/monitor/extractors.js';

const root = join(__dirname, '..', '..');
const corpus = join(root, 'test', 'fixtures', 'real-logcat');
const N = Number(process.env.BENCH_LINES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_ROUNDS ?? 5);
const THREADTIME = /^(\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})(\s+\d+\s+\d+ [VDIWEF] .*)$/;
const TIME = /^(\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})( [VDIWEF]\/.*)$/;

/** The real lines of the corpus in one format, their time cut off (tab-indented 07 included, its tab removed). */
function realLines(format: RegExp): string[] {
  const out: string[] = [];
  for (const f of readdirSync(corpus).filter((n) => /^\d\d-.*\.txt$/.test(n)).sort()) {
    for (const l of readFileSync(join(corpus, f), 'utf8').split('\n')) {
      const m = format.exec(l.replace(/^\t/, ''));
      if (m) out.push(m[2]!);
    }
  }
  return out;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function writeFile(path: string, body: string[], year: boolean): void {
  const fd = openSync(path, 'w');
  let t = Date.UTC(2026, 4, 4, 8, 0, 0);
  let batch: string[] = [];
  for (let i = 0; i < N; i++) {
    t += i % 3 === 0 ? 1 : 0;
    const d = new Date(t);
    const stamp = `${year ? `${d.getUTCFullYear()}-` : ''}${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
    batch.push(stamp + body[i % body.length]!);
    if (batch.length === 10_000) {
      writeSync(fd, batch.join('\n') + '\n');
      batch = [];
    }
  }
  if (batch.length) writeSync(fd, batch.join('\n') + '\n');
  closeSync(fd);
}

function cliRun(cli: string, file: string): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, [cli, 'monitor', '--replay', file, '--json', '--year', '2026', '--utc-offset', '+00:00'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${cli} failed on ${file}: ${String(r.stderr)}`);
  return ms;
}

/** The live monitor's byte path over the file in 1 MiB chunks cut at newlines: what a chunk read costs. */
function bytePath(file: string): number {
  const data = readFileSync(file);
  const chunk = new LogChunk();
  const t = performance.now();
  let lines = 0;
  for (let s = 0; s < data.length;) {
    const e = Math.min(data.length, data.lastIndexOf(10, s + (1 << 20)) + 1 || data.length);
    if (!chunk.read(data.subarray(s, e))) throw new Error('the byte path refused a chunk of the year-form file');
    lines += chunk.count;
    s = e;
  }
  const ms = performance.now() - t;
  if (lines !== N) throw new Error(`byte path read ${lines} lines, not ${N}`);
  return ms;
}

/** The byte path end to end: a node process that reads the file through LogChunk (bundled once, to a plain .mjs). */
function bytePathScript(dir: string): string {
  const entry = join(dir, 'byte-path-run.ts');
  writeFileSync(entry, `import { closeSync, openSync, readSync } from 'node:fs';
import { LogChunk } from ${JSON.stringify(join(root, 'src-main', 'core', 'monitor', 'log-chunk.ts'))};
const fd = openSync(process.argv[2]!, 'r');
const chunk = new LogChunk();
let lines = 0;
let tail = Buffer.alloc(0);
for (;;) {
  const b = Buffer.allocUnsafe(1 << 20);
  const n = readSync(fd, b, 0, b.length, null);
  if (n === 0) break;
  const data = tail.length ? Buffer.concat([tail, b.subarray(0, n)]) : b.subarray(0, n);
  const end = data.lastIndexOf(10) + 1;
  if (end && !chunk.read(data.subarray(0, end))) throw new Error('the byte path refused a chunk');
  lines += chunk.count;
  tail = Buffer.from(data.subarray(end));
}
closeSync(fd);
process.stdout.write(String(lines));
`);
  const out = join(dir, 'byte-path-run.mjs');
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'error' });
  return out;
}

function bytePathRun(script: string, file: string): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, [script, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t;
  if (r.status !== 0 || String(r.stdout) !== String(N)) throw new Error(`the byte path script failed: ${String(r.stderr)}${String(r.stdout)}`);
  return ms;
}

const stats = (xs: number[]): { min: number; median: number } => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, median: s[Math.floor(s.length / 2)]! };
};

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'replay-bench-'));
  try {
    const body = realLines(THREADTIME);
    const files = { 'threadtime,year,UTC': join(dir, 'year.log'), threadtime: join(dir, 'plain.log') };
    writeFile(files['threadtime,year,UTC'], body, true);
    writeFile(files.threadtime, body, false);
    // Formats the baseline did not read: this build only (the cost of reading them, not a ratio).
    const others = { '-v time': join(dir, 'time.log'), '-v time, UTF-16LE+CRLF': join(dir, 'time-utf16.log') };
    writeFile(others['-v time'], realLines(TIME), false);
    writeFileSync(others['-v time, UTF-16LE+CRLF'], Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(others['-v time'], 'utf8').replace(/\n/g, '\r\n'), 'utf16le')]));
    const cli = join(root, 'bin', 'apprights.cjs');
    const baseline = process.env.BASELINE_CLI;
    console.log(`replay of ${N.toLocaleString('en-US')} lines (${body.length} real threadtime lines cycled), ${RUNS} runs each, interleaved`);
    const bytes = [0, 1, 2].map(() => bytePath(files['threadtime,year,UTC']));
    const byteMs = stats(bytes).min;
    console.log(`  byte path (log-chunk.ts, in-process, year form): min ${byteMs.toFixed(0)} ms`);
    const script = bytePathScript(dir);
    const byteRuns: number[] = [];
    for (const [name, file] of Object.entries(files)) {
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        if (baseline) theirs.push(cliRun(baseline, file));
        ours.push(cliRun(cli, file));
        byteRuns.push(bytePathRun(script, files['threadtime,year,UTC']));
      }
      const o = stats(ours);
      const e2e = stats(byteRuns);
      console.log(`  ${name.padEnd(20)} this build: min ${o.min.toFixed(0)} ms, median ${o.median.toFixed(0)} ms (${Math.round(N / (o.median / 1000)).toLocaleString('en-US')} lines/s end to end)`);
      console.log(`  ${''.padEnd(20)} byte path end to end (own process, year form, interleaved): min ${e2e.min.toFixed(0)} ms, median ${e2e.median.toFixed(0)} ms; ratio replay/byte path: end to end min ${(o.min / e2e.min).toFixed(2)}, median ${(o.median / e2e.median).toFixed(2)}; in-process min ${(o.min / byteMs).toFixed(2)}`);
      if (baseline) {
        const b = stats(theirs);
        console.log(`  ${''.padEnd(20)} baseline:   min ${b.min.toFixed(0)} ms, median ${b.median.toFixed(0)} ms; ratio this/baseline: min ${(o.min / b.min).toFixed(2)}, median ${(o.median / b.median).toFixed(2)}`);
      }
    }
    for (const [name, file] of Object.entries(others)) {
      const o = stats(Array.from({ length: RUNS }, () => cliRun(cli, file)));
      console.log(`  ${name.padEnd(20)} this build: min ${o.min.toFixed(0)} ms, median ${o.median.toFixed(0)} ms (${Math.round(N / (o.median / 1000)).toLocaleString('en-US')} lines/s end to end)`);
    }
    const quietBodies = body.filter((b) => {
      const tag = /^\s+\d+\s+\d+ [VDIWEF] (.*?)\s*:/.exec(b)?.[1];
      return tag !== undefined && !EVENT_TAGS.has(tag) && !EVENT_MARKS.some((m) => b.includes(m));
    });
    const quiet = join(dir, 'quiet.log');
    writeFile(quiet, quietBodies, true);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      ours.push(cliRun(cli, quiet));
      theirs.push(bytePathRun(script, quiet));
    }
    const o = stats(ours);
    const b = stats(theirs);
    console.log(`  no event possible (${quietBodies.length} real lines cycled, year form): replay min ${o.min.toFixed(0)} ms, median ${o.median.toFixed(0)} ms; byte path end to end min ${b.min.toFixed(0)} ms, median ${b.median.toFixed(0)} ms; ratio min ${(o.min / b.min).toFixed(2)}, median ${(o.median / b.median).toFixed(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
