/**
 * Benchmark (not a test gate): replay against the live monitor's byte path doing the same job on the same lines
 * — 1,000,000 real threadtime lines (the real-logcat corpus's threadtime lines cycled, re-stamped in the
 * `-v year -v UTC` form the live monitor records) read into events with no app focus:
 * - the live monitor (DeviceMonitor: log-chunk.ts byte path, extractors, raw log written) fed the file's bytes
 *   in 64 KiB chunks as a socket gives them, in this process;
 * - replay in this process (replayFile);
 * - `apprights monitor --replay FILE --json > /dev/null` end to end, process start and JSON output included.
 * Rounds interleaved; both sides must find the same number of events. test/bench/replay-formats.ts compares
 * with LogChunk alone (line splitting without extraction) and with an earlier build.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceMonitor } from '../../src-main/core/monitor/device-monitor.js';
import { replayFile } from '../../src-main/core/monitor/replay-file.js';

const root = join(__dirname, '..', '..');
const corpus = join(root, 'test', 'fixtures', 'real-logcat');
const cli = join(root, 'out', 'main', 'cli.js');
const N = Number(process.env.BENCH_LINES ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const THREADTIME = /^\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}(\s+\d+\s+\d+ [VDIWEF] .*)$/;

function makeFile(dir: string): string {
  const lines: string[] = [];
  for (const f of readdirSync(corpus).filter((n) => /^\d\d-.*\.txt$/.test(n)).sort()) {
    for (const l of readFileSync(join(corpus, f), 'utf8').split('\n')) {
      const m = THREADTIME.exec(l.replace(/^\t/, ''));
      if (m) lines.push(m[1]!);
    }
  }
  const file = join(dir, 'year.log');
  const fd = openSync(file, 'w');
  let t = Date.UTC(2026, 0, 1);
  let batch: string[] = [];
  for (let i = 0; i < N; i++) {
    t += 3;
    const d = new Date(t).toISOString();
    batch.push(`${d.slice(0, 10)} ${d.slice(11, 23)}${lines[i % lines.length]}`);
    if (batch.length === 10_000) { writeSync(fd, batch.join('\n') + '\n'); batch = []; }
  }
  if (batch.length) writeSync(fd, batch.join('\n') + '\n');
  closeSync(fd);
  return file;
}

async function live(bytes: Buffer, dir: string): Promise<{ ms: number; events: number }> {
  let events = 0;
  const m = new DeviceMonitor({ bridge: null as never, serial: 'bench', packageName: null, rawLogPath: join(dir, `raw-${Date.now()}.log`), onEvent: () => { events++; }, onLines: () => {} });
  // The socket's entry point: what adbkit's logcat stream calls with each chunk.
  const inner = m as unknown as { onChunk(b: Buffer): void };
  const t = performance.now();
  for (let at = 0; at < bytes.length; at += 65536) inner.onChunk(Buffer.from(bytes.subarray(at, at + 65536)));
  await m.stop();
  return { ms: performance.now() - t, events };
}

async function replayed(file: string): Promise<{ ms: number; events: number }> {
  const t = performance.now();
  const { result } = await replayFile(file, { packageName: null, year: 2026, offsetMinutes: 0 });
  return { ms: performance.now() - t, events: result.events.length };
}

function endToEnd(file: string): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, [cli, 'monitor', '--replay', file, '--json', '--year', '2026', '--utc-offset', '+00:00'], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`the CLI failed: ${String(r.stderr)}`);
  return performance.now() - t;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'replay-vs-live-'));
  try {
    const file = makeFile(dir);
    const bytes = readFileSync(file);
    const rows: Array<{ live: number; replay: number; cli: number }> = [];
    for (let i = 0; i < ROUNDS; i++) {
      const l = await live(bytes, dir);
      const r = await replayed(file);
      if (l.events !== r.events) throw new Error(`live found ${l.events} events, replay ${r.events}`);
      const c = endToEnd(file);
      rows.push({ live: l.ms, replay: r.ms, cli: c });
      console.log(`round ${i + 1}: ${l.events} events; live byte path ${l.ms.toFixed(0)} ms, replay in-process ${r.ms.toFixed(0)} ms (${(r.ms / l.ms).toFixed(2)}x), CLI end to end ${c.toFixed(0)} ms (${(c / l.ms).toFixed(2)}x)`);
    }
    const min = (k: 'live' | 'replay' | 'cli'): number => Math.min(...rows.map((r) => r[k]));
    console.log(`${N.toLocaleString('en')} lines, min of ${ROUNDS}: live ${min('live').toFixed(0)} ms, replay ${min('replay').toFixed(0)} ms (${(min('replay') / min('live')).toFixed(2)}x), CLI ${min('cli').toFixed(0)} ms (${(min('cli') / min('live')).toFixed(2)}x)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
