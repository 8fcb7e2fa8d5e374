/**
 * Benchmark (not a test gate) of the live path, measured as a user meets it. The virtual phone runs in its own
 * process; each consumer runs in its own process and is timed until its output is complete:
 * - `adb logcat … > file` (the reference, output to a file, never through Node), done when the file holds
 *   the round's lines;
 * - a bare adbkit stream (the floor for any adbkit consumer);
 * - the workbench: `apprights serve` with Debian Chromium showing the Logs page — monitor → raw log → line
 *   throttle → event hub → WebSocket → the page — done when the raw log holds the round's lines.
 * Rounds alternate (reference, adbkit, ours) three times; wall and CPU per line (from /proc, the consumer's
 * process only) are reported as min / median / max. Then memory of the monitor alone in a process over 1M
 * lines (Buffers included), and the latency of sparse probe lines to the painted page at 2,000 lines/s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startAdbServer } from '../support/adb-server.js';

const root = join(__dirname, '..', '..');
const cli = join(root, 'bin', 'apprights.cjs');
const N = 200_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LOGCAT = ['logcat', '-v', 'threadtime', '-v', 'year', '-v', 'UTC', '-b', 'main,system,events,crash', '-T', '1'];
/** Round tags are 8+ characters: threadtime pads shorter tags before the colon, and the counters look for `I TAG: `. */
const TICK_US = 1e6 / 100; // /proc/<pid>/stat counts in clock ticks (100 Hz on Linux)

function cpuUs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_US;
}

/** The adb server of this run (found by the port on its command line). */
function adbServerPid(port: number): number {
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(`tcp:${port}`)) return Number(d);
    } catch {
      // gone
    }
  }
  throw new Error(`no adb server on port ${port}`);
}

function lines(child: ChildProcess): (re: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray> {
  let seen = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (d: Buffer) => {
    seen += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  return (re, timeoutMs = 300_000) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}`)), timeoutMs);
    const check = (): void => {
      const m = re.exec(seen);
      if (m) {
        clearTimeout(timer);
        seen = seen.slice(m.index! + m[0].length);
        resolve(m);
      } else waiters.push(check);
    };
    check();
  });
}

/** Counts occurrences of `needle` in a growing file without holding it (only the new bytes are read). */
function fileCounter(path: string, needle: string): () => number {
  let offset = 0, count = 0, carry = '';
  const buf = Buffer.alloc(4 << 20);
  return () => {
    if (!existsSync(path)) return 0;
    const fd = openSync(path, 'r');
    try {
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, offset);
        if (!n) break;
        offset += n;
        const text = carry + buf.toString('latin1', 0, n);
        for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) count++;
        carry = text.slice(-needle.length);
      }
    } finally {
      closeSync(fd);
    }
    return count;
  };
}

async function until(done: () => boolean, timeoutMs = 300_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const stats = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0]!.toFixed(2)} / ${s[Math.floor(s.length / 2)]!.toFixed(2)} / ${s[s.length - 1]!.toFixed(2)}`;
};

/** Everything this benchmark starts is stopped when it ends, however it ends. */
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

async function main(): Promise<void> {
  const adb = await startAdbServer();
  const env = { ...adb.env };
  const tsx = (script: string, args: string[] = [], flags: string[] = []): ChildProcess => {
    const c = spawn(process.execPath, [...flags, '--import', 'tsx', join(__dirname, 'support', script), ...args], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(c);
    return c;
  };
  const phone = tsx('phone-process.mts');
  const fromPhone = lines(phone);
  const serial = (await fromPhone(/serial=(\S+)/))[1]!;
  const adbPid = adbServerPid(adb.port);
  await adb.adb(['connect', serial]);
  const say = (p: ChildProcess, s: string): boolean => p.stdin!.write(s + '\n');
  const work = mkdtempSync(join(tmpdir(), 'bench-live-'));

  // BENCH_PROFILE=DIR writes a CPU profile of the workbench process there (to find where a line's cost goes).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [];
  const serve = spawn(process.execPath, [...profile, cli, 'serve', '--data-dir', join(work, 'data')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(serve);
  const url = (await lines(serve)(/Open \/ 打开: (\S+)/))[1]!;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'] });
  const page = await browser.newPage({ viewport: { width: 1366, height: 2400 }, locale: 'en-US' });
  await page.goto(url);
  await page.getByTestId('nav-logs').click();
  await page.getByTestId('monitor-device').selectOption(serial);

  const results: Record<string, { wall: number[]; cpu: number[] }> = { 'adb logcat > file': { wall: [], cpu: [] }, 'adbkit stream (bare)': { wall: [], cpu: [] }, 'workbench → Chromium': { wall: [], cpu: [] } };
  const serverCpu: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Reference: the adb client, stdout to a file.
    {
      const file = join(work, `ref-${r}.log`);
      const out = openSync(file, 'w');
      const ref = spawn('adb', ['-s', serial, ...LOGCAT], { env, stdio: ['ignore', out, 'inherit'] });
      children.push(ref);
      closeSync(out);
      await new Promise((res) => setTimeout(res, 500));
      const tag = `RefRound${r}`;
      const count = fileCounter(file, ` I ${tag}: `);
      const c0 = cpuUs(ref.pid!), s0 = cpuUs(adbPid), t0 = performance.now();
      say(phone, `flood ${N} ${tag}`);
      await until(() => count() >= N);
      results['adb logcat > file']!.wall.push(performance.now() - t0);
      results['adb logcat > file']!.cpu.push((cpuUs(ref.pid!) - c0) / N);
      serverCpu.push((cpuUs(adbPid) - s0) / N);
      await fromPhone(/flooded \d+/);
      ref.kill();
    }
    // Floor: a bare adbkit stream.
    {
      const kit = tsx('adbkit-process.mts', [serial]);
      const fromKit = lines(kit);
      await fromKit(/ready/);
      await new Promise((res) => setTimeout(res, 500));
      say(kit, `expect ${N}`);
      const c0 = cpuUs(kit.pid!), t0 = performance.now();
      say(phone, `flood ${N} KitRound${r}`);
      await fromKit(/got \d+/);
      results['adbkit stream (bare)']!.wall.push(performance.now() - t0);
      results['adbkit stream (bare)']!.cpu.push((cpuUs(kit.pid!) - c0) / N);
      await fromPhone(/flooded \d+/);
      say(kit, 'exit');
    }
    // Ours: the monitor started from the Logs page; done when the raw log holds the round's lines.
    {
      await page.getByTestId('monitor-start').click();
      const status = await page.getByTestId('monitor-status').textContent({ timeout: 20_000 });
      const rawLog = /(\/\S+\.log)/.exec(status ?? '')![1]!;
      await new Promise((res) => setTimeout(res, 500));
      const tag = `OurRound${r}`;
      const count = fileCounter(rawLog, ` I ${tag}: `);
      const c0 = cpuUs(serve.pid!), t0 = performance.now();
      say(phone, `flood ${N} ${tag}`);
      await until(() => count() >= N);
      results['workbench → Chromium']!.wall.push(performance.now() - t0);
      results['workbench → Chromium']!.cpu.push((cpuUs(serve.pid!) - c0) / N);
      await fromPhone(/flooded \d+/);
      await page.getByTestId('monitor-stop').click();
      await page.getByTestId('monitor-start').waitFor();
    }
  }
  if (ROUNDS) console.log(`live path: ${N.toLocaleString('en')} lines per round, ${ROUNDS} rounds interleaved; min / median / max`);
  const refWall = results['adb logcat > file']!.wall;
  for (const [name, r] of Object.entries(results)) {
    if (!ROUNDS) break;
    const ratios = r.wall.map((w, i) => w / refWall[i]!);
    console.log(`  ${name.padEnd(24)} wall ${stats(r.wall.map((w) => w / 1000))} s   CPU ${stats(r.cpu)} µs/line   wall vs adb ${stats(ratios)}×`);
  }
  if (ROUNDS) console.log(`  (the adb server itself, shared by all: ${stats(serverCpu)} µs/line during the reference rounds)`);

  // Memory of the monitor alone over 1M lines.
  if (!process.env.BENCH_PROFILE) {
    // BENCH_MONITOR_PROFILE=DIR writes a CPU profile of the monitor-alone process there.
    const monProfile = process.env.BENCH_MONITOR_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_MONITOR_PROFILE] : [];
    const mon = tsx('monitor-process.mts', [serial, join(work, 'mem.log')], ['--expose-gc', ...monProfile]);
    const fromMon = lines(mon);
    await fromMon(/started/);
    const samples: string[] = [];
    let peak = 0;
    // CPU is summed over the floods only: the full GCs this benchmark asks for between them are not the monitor's.
    let cpu = 0, wall = 0;
    for (let i = 0; i < 10; i++) {
      const c0 = cpuUs(mon.pid!), t0 = performance.now();
      say(phone, `flood 100000 MemRound${i}`);
      const memCount = fileCounter(join(work, 'mem.log'), ` I MemRound${i}: `);
      await until(() => memCount() >= 100_000);
      cpu += cpuUs(mon.pid!) - c0;
      wall += performance.now() - t0;
      await fromPhone(/flooded \d+/);
      say(mon, 'mem');
      const m = JSON.parse((await fromMon(/mem (\{.*\})/))[1]!) as { rss: number; heapUsed: number; external: number; arrayBuffers: number };
      peak = Math.max(peak, m.rss);
      if (i === 0 || i === 4 || i === 9) samples.push(`${(i + 1) * 100}k: rss ${(m.rss / 1048576).toFixed(0)} MiB, heap ${(m.heapUsed / 1048576).toFixed(0)}, external ${(m.external / 1048576).toFixed(1)} (Buffers ${(m.arrayBuffers / 1048576).toFixed(1)})`);
    }
    // CPU of the monitor alone: adbkit's stream, split, parse, focus, extract, raw file, throttle and ring.
    console.log(`monitor alone, 1M lines: CPU ${(cpu / 1_000_000).toFixed(2)} µs/line (adbkit stream included) over ${(wall / 1000).toFixed(1)} s; after GC ${samples.join('; ')}; peak rss ${(peak / 1048576).toFixed(0)} MiB; raw log ${(statSync(join(work, 'mem.log')).size / 1048576).toFixed(0)} MiB`);
    say(mon, 'exit');
  }

  // Latency of sparse probe lines to the painted page under 2,000 lines/s.
  {
    await page.getByTestId('monitor-start').click();
    await page.getByTestId('monitor-status').waitFor();
    // At 2,000 lines/s a frame brings more lines than the view has rows: a probe would scroll past unpainted.
    // The view shows only the Probe tag; every background line still travels the whole path to the page.
    await page.getByLabel('Tags').fill('Probe');
    await page.getByLabel('Tags').press('Enter');
    await page.evaluate(`(() => {
      window.__seen = {};
      const found = [];
      new MutationObserver(() => {
        const text = document.querySelector('.xterm-rows')?.textContent ?? '';
        for (const m of text.matchAll(/PROBE-(\\d+)/g)) if (!(m[1] in window.__seen) && !found.includes(m[1])) found.push(m[1]);
        if (found.length) {
          const ids = found.splice(0);
          requestAnimationFrame(() => { const t = performance.timeOrigin + performance.now(); for (const id of ids) window.__seen[id] ??= t; });
        }
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    })()`);
    say(phone, 'background 2000');
    await new Promise((res) => setTimeout(res, 2000));
    const K = 120;
    say(phone, `probe ${K} 100`);
    const sent = JSON.parse((await fromPhone(/probes (\[.*\])/, 120_000))[1]!) as number[];
    await new Promise((res) => setTimeout(res, 1000));
    say(phone, 'quiet');
    const seen = (await page.evaluate('window.__seen')) as Record<string, number>;
    const lat = sent.map((t, i) => (seen[String(i)] ?? NaN) - t).filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
    const q = (p: number): number => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!;
    console.log(`probe line → painted Logs page (view filtered to the probe tag) at 2,000 lines/s: ${lat.length}/${K} seen; p50 ${q(0.5).toFixed(0)} ms, p95 ${q(0.95).toFixed(0)} ms, max ${lat[lat.length - 1]!.toFixed(0)} ms`);
  }
  await browser.close();
  say(phone, 'exit');
  serve.kill('SIGINT');
  await new Promise((res) => serve.once('exit', res));
  await adb.kill();
  process.exit(0);
}

void main().catch(async (err) => {
  console.error(err);
  process.exit(1);
});
