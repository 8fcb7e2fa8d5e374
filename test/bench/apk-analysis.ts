/**
 * Benchmark (not a test gate) of APK analysis, every reference run as a user runs it (its output to /dev/null,
 * never read by Node; process start included), on the same files in the same run, rounds interleaved:
 * 1. one APK (appium-uiautomator2-server, 18 MB, 16 DEX): `apprights analyze --json X > /dev/null` end to end
 *    against `aapt dump badging X > /dev/null; dexdump X > /dev/null`; the analysis in this process (warm)
 *    and in a fresh analysis child; the physical floor = inflating the DEX (`unzip -p X 'classes*.dex' >
 *    /dev/null`) + SHA-256, MD5 and SM3 of the file in Node;
 * 2. CLI cold start: `apprights --help` and each command's start against `node -e 0`;
 * 3. batch: 20 copies, `apprights analyze --json --concurrency 2 DIR > /dev/null` against `xargs -P2` over
 *    aapt + dexdump;
 * 4. triage at scale: 1,000 APKs (copies and mutations of the test APKs, hostile ones among them) with
 *    `apprights analyze DIR --out results.jsonl --csv results.csv`: throughput and the peak RSS of its whole
 *    process tree, sampled from /proc.
 * BENCH_ROUNDS (default 5) sets the rounds of 1-3; BENCH_PARTS (e.g. "single,cold") runs only those parts
 * (single, cold, batch, triage).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeApk, analyzeFiles } from '../../src-main/core/apk/index.js';
import { sm3Hex } from '../../src-main/core/apk/sm3.js';
import { buildCorpus, linkCopies } from '../support/apk-corpus.js';
import { CLI } from '../support/cli.js';
import { TEST_APKS } from '../support/virtual-phone.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS) || 5;
const apk = TEST_APKS.uiautomator2;
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Wall time of a shell command line, its output to /dev/null (the command line says so). */
function sh(line: string): number {
  const t = performance.now();
  const r = spawnSync('/bin/sh', ['-c', line], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`failed (${r.status}): ${line}`);
  return performance.now() - t;
}

function stats(xs: number[]): { min: number; med: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0]!, med: s[Math.floor(s.length / 2)]!, max: s[s.length - 1]! };
}
const fmt = (xs: number[], unit = 'ms', digits = 0): string => {
  const { min, med, max } = stats(xs);
  return `${med.toFixed(digits)} ${unit} (min ${min.toFixed(digits)}, max ${max.toFixed(digits)})`;
};

function timeIt(f: () => void): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

async function single(): Promise<void> {
  const cli = `${q(process.execPath)} ${q(CLI)} analyze --json ${q(apk)} > /dev/null`;
  const ref = `aapt dump badging ${q(apk)} > /dev/null; dexdump ${q(apk)} > /dev/null`;
  const unzip = `unzip -p ${q(apk)} 'classes*.dex' > /dev/null`;
  sh(cli);
  sh(ref);
  const ours: number[] = [], refs: number[] = [], inflate: number[] = [], inProcess: number[] = [], child: number[] = [], hashes: number[] = [];
  const bytes = readFileSync(apk);
  for (let i = 0; i < ROUNDS; i++) {
    ours.push(sh(cli));
    refs.push(sh(ref));
    inflate.push(sh(unzip));
    hashes.push(timeIt(() => createHash('sha256').update(bytes).digest()) + timeIt(() => createHash('md5').update(bytes).digest()) + timeIt(() => sm3Hex(bytes)));
    const t = performance.now();
    await analyzeApk(readFileSync(apk), apk);
    inProcess.push(performance.now() - t);
    child.push((await analyzeFiles([apk], { concurrency: 1 }))[0]!.ms);
  }
  const floor = stats(inflate).med + stats(hashes).med;
  console.log(`one APK: ${apk.split('/').pop()} (${(statSync(apk).size / 1e6).toFixed(1)} MB, 16 dex), ${ROUNDS} interleaved rounds`);
  console.log(`  apprights analyze --json, end to end:      ${fmt(ours)}`);
  console.log(`  aapt dump badging + dexdump, end to end:   ${fmt(refs)}   ratio ours/reference ${(stats(ours).med / stats(refs).med).toFixed(2)} (goal ≤ 1.0)`);
  console.log(`  analysis in this process (warm):           ${fmt(inProcess)}`);
  console.log(`  analysis in a fresh analysis child:        ${fmt(child)} (from the request, the child's start partly included)`);
  console.log(`  floor: unzip -p of the DEX ${fmt(inflate)} + SHA-256/MD5/SM3 in Node ${fmt(hashes)} = ${floor.toFixed(0)} ms; in-process/floor ${(stats(inProcess).med / floor).toFixed(2)} (goal ≤ 1.3)`);
}

function coldStart(): void {
  const node = q(process.execPath);
  const commands = ['--help', 'analyze', 'policy', 'verify', 'monitor --x', 'devices --x', 'scenarios --x', 'virtual-device --x', 'sessions --x', 'export', 'demo --x', 'run --x', 'templates --x', 'serve --x'];
  const bare: number[] = [];
  const by = new Map<string, number[]>(commands.map((c) => [c, []]));
  for (let i = 0; i < ROUNDS; i++) {
    bare.push(sh(`${node} -e 0`));
    // A command with missing or unknown arguments stops right after loading what it needs: its cold start.
    for (const c of commands) by.get(c)!.push(sh(`${node} ${q(CLI)} ${c} > /dev/null 2>&1 || true`));
  }
  const b = stats(bare).med;
  console.log(`CLI cold start (median of ${ROUNDS}; bare \`node -e 0\` ${b.toFixed(0)} ms; goal ≤ 2×):`);
  for (const c of commands) console.log(`  apprights ${c.padEnd(18)} ${stats(by.get(c)!).med.toFixed(0).padStart(4)} ms  ${(stats(by.get(c)!).med / b).toFixed(2)}×`);
  // Beyond loading: `serve` until it prints the URL, i.e. with the data folder locked, sessions recovered and the
  // web host listening (adb connects right after, while the user opens the page).
  const ready: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'serve-ready-'));
    ready.push(sh(`${node} ${q(CLI)} serve --data-dir ${q(dir)} > ${q(join(dir, 'out'))} 2>&1 & until grep -q Open ${q(join(dir, 'out'))}; do sleep 0.001; done; kill $!`));
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`  apprights serve, until the URL is printed: ${fmt(ready)}  ${(stats(ready).med / b).toFixed(2)}× (web host listening; adb connects next)`);
}

function batch(): void {
  const dir = mkdtempSync(join(tmpdir(), 'apk-batch-'));
  linkCopies(dir, apk, 20, 'copy');
  const ours = `${q(process.execPath)} ${q(CLI)} analyze --json --concurrency 2 ${q(dir)} > /dev/null`;
  const ref = `ls ${q(dir)}/*.apk | xargs -P2 -I{} sh -c 'aapt dump badging "{}" > /dev/null; dexdump "{}" > /dev/null'`;
  const a: number[] = [], r: number[] = [];
  for (let i = 0; i < Math.min(ROUNDS, 3); i++) {
    a.push(sh(ours));
    r.push(sh(ref));
  }
  console.log(`batch of 20 copies on ${availableParallelism()} cores: apprights ${fmt(a)}, xargs -P2 aapt+dexdump ${fmt(r)}; throughput ratio ${(stats(r).med / stats(a).med).toFixed(2)} (goal ≥ 1.5)`);
  rmSync(dir, { recursive: true, force: true });
}

/** RSS of a process and all its descendants, from /proc. */
function treeRss(root: number): number {
  const kids = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(d)]);
      rss.set(Number(d), Number(fields[21]) * 4096);
    } catch {
      // gone meanwhile
    }
  }
  const walk = (p: number): number => (rss.get(p) ?? 0) + (kids.get(p) ?? []).reduce((s, k) => s + walk(k), 0);
  return walk(root);
}

async function triage(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'apk-triage-'));
  const t0 = performance.now();
  const corpus = buildCorpus(join(dir, 'apks'), 950);
  linkCopies(join(dir, 'apks'), apk, 50, 'big');
  const files = readdirSync(join(dir, 'apks'));
  const bytes = files.reduce((s, f) => s + statSync(join(dir, 'apks', f)).size, 0);
  console.log(`triage: ${files.length} APKs (${(bytes / 1e9).toFixed(2)} GB: ${corpus.filter((c) => c.kind === 'small').length} small, ${corpus.filter((c) => c.kind === 'real-copy').length} copies of a 3 MB APK with new comments, 50 copies of the 18 MB one, ${corpus.filter((c) => !['small', 'real-copy'].includes(c.kind)).length} hostile) built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'analyze', join(dir, 'apks'), '--out', join(dir, 'results.jsonl'), '--csv', join(dir, 'results.csv'), '--json'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let peak = 0;
  let peakCli = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, treeRss(child.pid!));
    try {
      peakCli = Math.max(peakCli, Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024);
    } catch {
      // ended
    }
  }, 50);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
  clearInterval(sampler);
  const secs = (performance.now() - started) / 1000;
  const summary = JSON.parse(out) as { analysed: number; refused: number };
  console.log(`  apprights analyze DIR --out --csv: ${summary.analysed} analysed + ${summary.refused} refused in ${secs.toFixed(1)} s = ${(files.length / secs).toFixed(1)} APK/s, ${(bytes / 1e6 / secs).toFixed(0)} MB/s; peak RSS of the process tree ${(peak / 1048576).toFixed(0)} MiB (the CLI process alone ${(peakCli / 1048576).toFixed(0)} MiB); results ${(statSync(join(dir, 'results.jsonl')).size / 1e6).toFixed(0)} MB`);
  rmSync(dir, { recursive: true, force: true });
}

const PARTS = new Set((process.env.BENCH_PARTS ?? 'single,cold,batch,triage').split(','));

async function main(): Promise<void> {
  if (PARTS.has('single')) await single();
  if (PARTS.has('cold')) coldStart();
  if (PARTS.has('batch')) batch();
  if (PARTS.has('triage')) await triage();
}

void main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
