/**
 * `apprights monitor --replay` on a 2 GB log (far beyond the longest string V8 can hold, ~512 MiB): streamed line
 * by line, it finds the app's events at both ends of the file in bounded memory — the CLI's peak RSS is
 * measured (its own process, through a preload that reports process.resourceUsage().maxRSS at exit) — and a
 * file past the 2 GiB limit is refused with what to do, before anything is read.
 */
import { execFile } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const cli = join(import.meta.dirname, '../../..', 'bin', 'apprights.cjs');
const corpus = join(import.meta.dirname, '../../fixtures/real-logcat');
const dir = mkdtempSync(join(tmpdir(), 'replay-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const preload = join(dir, 'max-rss.cjs');
writeFileSync(preload, "process.on('exit', () => process.stderr.write('max-rss-kib ' + process.resourceUsage().maxRSS + '\\n'));\n");

function run(args: string[], timeout: number): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, ['--require', preload, cli, ...args], { timeout, maxBuffer: 128 << 20 }, (err, out, errOut) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(out), stderr: String(errOut), ms: Date.now() - t0 });
    });
  });
}

describe('monitor --replay of large files', () => {
  it('replays a 2 GB log line by line in bounded memory', async () => {
    const file = join(dir, 'big.log');
    // Real threadtime lines (capture 24, a Motorola on Android 15) as the noise, the app's starts at both ends.
    const noise = Buffer.from(readFileSync(join(corpus, '24-motorola-android15-mtk-boot.txt'), 'utf8').repeat(200));
    const fd = openSync(file, 'w');
    writeSync(fd, '11-30 09:59:59.000  1234  1250 I ActivityManager: Start proc 4100:com.demo.shop/u0a230 for broadcast {com.demo.shop/.BootReceiver}\n');
    let written = 0;
    for (; written + noise.length < 2_000_000_000; written += noise.length) writeSync(fd, noise);
    writeSync(fd, '11-30 10:10:00.000  1234  1250 I ActivityManager: Start proc 4200:com.demo.shop/u0a230 for service {com.demo.shop/.Push}\n');
    closeSync(fd);
    expect(written).toBeGreaterThan(1_990_000_000);
    const { code, stdout, stderr, ms } = await run(['monitor', '--replay', file, '--package', 'com.demo.shop', '--year', '2026', '--utc-offset', '+08:00', '--json'], 240_000);
    expect(code, stderr).toBe(0);
    const records = stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; pid: number; formats?: Record<string, number> });
    // The noise is one capture repeated: its clock goes back at every repeat, a gap in the evidence each time
    // (58,000 gap records, 27 MB of JSON: stdout is buffered up to 128 MiB).
    const gaps = records.filter((e) => e.type === 'log.gap');
    expect(gaps.length).toBeGreaterThan(100);
    expect(records.filter((e) => e.type !== 'replay.summary' && e.type !== 'log.gap').map((e) => [e.type, e.pid])).toEqual([['process.start', 4100], ['process.start', 4200]]);
    expect(records.at(-1)).toMatchObject({ type: 'replay.summary', formats: { threadtime: expect.any(Number) } });
    expect(stderr).toMatch(new RegExp(`${gaps.length + 2} events from \\d{8} lines`));
    const rssMiB = Number(/max-rss-kib (\d+)/.exec(stderr)![1]) / 1024;
    console.log(`2 GB replay: ${ms} ms, peak RSS ${rssMiB.toFixed(0)} MiB`);
    // Streaming keeps it to the runtime plus a few 1 MiB chunks and the events found (58,000 gaps: about 85 MiB,
    // 288 MiB peak here); reading the file whole, or events keeping the chunks they were cut from, needs > 2 GB.
    expect(rssMiB).toBeLessThan(500);
  }, 300_000);

  it('refuses a log past 2 GiB before reading it, saying what to do', async () => {
    const file = join(dir, 'huge.log');
    const fd = openSync(file, 'w');
    writeSync(fd, '11-30 09:59:59.000  1234  1250 I ActivityManager: x\n');
    ftruncateSync(fd, 2 * 1024 ** 3 + 1); // sparse: no 2 GiB written
    closeSync(fd);
    const { code, stderr, ms } = await run(['monitor', '--replay', file], 30_000);
    expect(code).toBe(1);
    expect(stderr).toMatch(/larger than 2 GiB; split it first/);
    expect(ms).toBeLessThan(10_000);
  });
});
