/**
 * Benchmark (not a test gate) of sessions and evidence:
 * - appending to the chained timeline: events/s, and the longest an appended line waited to reach the file
 *   (writes and fdatasync at least every 250 ms) while appending at 60,000 events/s;
 * - export and verify of a ~1 GB session (raw log, timeline, 2,000 screenshots' worth of blobs) against
 *   `sha256sum` over the same files in the same run, run as a user runs it (output to /dev/null); rounds
 *   interleaved; the CLI `apprights verify` timed end to end beside the in-process figure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync, closeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdentityStore, exportPackage, verifyPackage } from '../../src-main/core/evidence/index.js';
import { Session, TimelineWriter } from '../../src-main/core/session/index.js';

const PASS = 'correct horse battery';
const TOOL = { name: 'AppRights Workbench', version: 'bench' };
const root = mkdtempSync(join(tmpdir(), 'bench-evidence-'));
const event = (i: number) => ({ seq: i, serial: '127.0.0.1:5555', packageName: 'com.demo.shop', hostTime: Date.now(), deviceTime: Date.now(), source: 'appops', raw: ['11-30 13:00:00.000  1000  1000 I AppOps  : noteOperation READ_PHONE_STATE uid 10123 pkg com.demo.shop'], type: 'appop.access', op: 'READ_PHONE_STATE', uidState: 'top', flags: 'self', accessTime: null });

async function appendRate(): Promise<void> {
  const w = new TimelineWriter(join(root, 'rate.jsonl'));
  const n = 500_000;
  const t = performance.now();
  for (let i = 0; i < n; i++) w.append(event(i));
  await w.close();
  const s = (performance.now() - t) / 1000;
  console.log(`append with chaining: ${n} events in ${s.toFixed(2)} s = ${Math.round(n / s).toLocaleString('en')} events/s (goal ≥ 50,000), file ${(statSync(join(root, 'rate.jsonl')).size / 1e6).toFixed(0)} MB, fdatasync included`);

  // Durability under load: 600 events every 10 ms (60,000/s) for 5 s; the writer records how long the oldest
  // line of each batch waited until it was written and fdatasync'd.
  const d = new TimelineWriter(join(root, 'durable.jsonl'));
  const until = performance.now() + 5000;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      for (let i = 0; i < 600; i++) d.append(event(i));
      if (performance.now() > until) {
        clearInterval(tick);
        resolve();
      }
    }, 10);
  });
  await d.close();
  console.log(`durability: at 60,000 events/s for 5 s (${d.count} events), the longest an appended line waited to be written and fdatasync'd was ${d.maxSyncDelayMs.toFixed(0)} ms (flush every 250 ms; goal ≤ 1000 ms)`);
}

function makeBigSession(dir: string, mb: number): string[] {
  const s = Session.create(dir, {
    id: 'big', app: { packageName: 'com.demo.shop', versionName: '1', versionCode: 1, apkSha256: null },
    device: { serial: 's', model: 'Pixel 7', manufacturer: 'Google', fingerprint: 'f', androidVersion: '13', sdk: 33, clockOffsetMs: 0 },
    tester: 't', caseRef: 'c', startedAt: Date.now(), tool: TOOL,
  });
  for (let i = 0; i < 300_000; i++) s.appendObserved(event(i) as never);
  // Screenshots: 2,000 blobs of 100 KB of incompressible bytes (PNG data does not compress either).
  for (let i = 0; i < 2000; i++) s.capture('screenshot', randomBytes(100_000), 'image/png', null);
  // Raw logcat: varied text lines up to the target size.
  const fd = openSync(s.rawLogPath, 'w');
  const target = mb * 1e6 - 300e6;
  const tags = ['ActivityManager', 'AppOps', 'PackageManager', 'chatty', 'OkHttp', 'WindowManager'];
  let written = 0;
  for (let block = 0; written < target; block++) {
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) lines.push(`2026-11-30 13:${String(block % 60).padStart(2, '0')}:00.${String(i % 1000).padStart(3, '0')}  ${1000 + (i % 7000)}  ${2000 + (i % 300)} ${'VDIWE'[i % 5]} ${tags[i % 6]}: event ${block}-${i} uid=${10000 + (i % 99)} ${randomBytes(12).toString('hex')}\n`);
    const buf = Buffer.from(lines.join(''));
    writeFileSync(fd, buf);
    written += buf.length;
  }
  closeSync(fd);
  void s.setState('closed', null).then(() => s.release());
  return [join(dir, 'session.json'), join(dir, 'timeline.jsonl'), s.rawLogPath, ...readdirSync(join(dir, 'blobs')).map((b) => join(dir, 'blobs', b))];
}

function sha256sumReference(files: string[]): number {
  const devnull = openSync('/dev/null', 'w');
  const t = performance.now();
  const r = spawnSync('sha256sum', ['--', ...files], { stdio: ['ignore', devnull, 'inherit'] });
  const ms = performance.now() - t;
  closeSync(devnull);
  if (r.status !== 0) throw new Error('sha256sum failed');
  return ms;
}

async function exportVerify(): Promise<void> {
  const dir = join(root, 'big');
  const files = makeBigSession(dir, 1000);
  await new Promise((r) => setTimeout(r, 500));
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const store = new IdentityStore(join(root, 'data'));
  const identity = await store.unlock((await store.createSelfSigned('bench', PASS)).id, PASS);
  const mbps = (ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(0);
  const rows: Array<[string, number[]]> = [['sha256sum', []], ['export', []], ['export --national', []], ['export --compress', []], ['verify (in process)', []], ['apprights verify (CLI, end to end)', []], ['apprights export (CLI, end to end)', []]];
  const cli = join(__dirname, '..', '..', 'bin', 'apprights.cjs');
  const built = existsSync(join(__dirname, '..', '..', 'out', 'main', 'cli.js'));
  writeFileSync(join(root, 'pass'), PASS);
  const pkg = join(root, 'pkg.zip');
  const timed = async (row: number, fn: () => Promise<void> | void): Promise<void> => {
    // Every run starts with no dirty pages of an earlier run still being written back.
    spawnSync('sync');
    const t = performance.now();
    await fn();
    rows[row]![1].push(performance.now() - t);
  };
  const quiet = (args: string[]): void => {
    const devnull = openSync('/dev/null', 'w');
    const r = spawnSync(process.execPath, [cli, ...args], { stdio: ['ignore', devnull, 'inherit'] });
    closeSync(devnull);
    if (r.status !== 0) throw new Error(`apprights ${args[0]} failed`);
  };
  const runs: Array<() => Promise<void>> = [
    () => timed(0, () => void sha256sumReference(files)),
    () => timed(1, async () => void (await exportPackage({ sessionDir: dir, out: join(root, 'a.zip'), identity, national: false, tsaUrl: null, tool: TOOL }))),
    () => timed(2, async () => void (await exportPackage({ sessionDir: dir, out: join(root, 'b.zip'), identity, national: true, tsaUrl: null, tool: TOOL }))),
    () => timed(3, async () => void (await exportPackage({ sessionDir: dir, out: join(root, 'c.zip'), identity, national: false, compress: true, tsaUrl: null, tool: TOOL }))),
    () => timed(4, async () => {
      const report = await verifyPackage(pkg);
      if (!report.ok) throw new Error(`verify failed: ${JSON.stringify(report.checks.filter((c) => !c.ok))}`);
    }),
    ...(built ? [
      () => timed(5, () => quiet(['verify', pkg])),
      () => timed(6, () => quiet(['export', dir, '--out', join(root, 'd.zip'), '--passphrase-file', join(root, 'pass'), '--identity', identity.info.id, '--data-dir', join(root, 'data')])),
    ] : []),
  ];
  await exportPackage({ sessionDir: dir, out: pkg, identity, national: false, tsaUrl: null, tool: TOOL });
  for (let round = 0; round < 3; round++) {
    // Each round starts at another run, so no variant always follows the same one.
    for (let k = 0; k < runs.length; k++) {
      await runs[(k + round * 2) % runs.length]!();
      for (const f of ['a.zip', 'b.zip', 'c.zip', 'd.zip']) {
        if (round === 0 && f === 'c.zip' && existsSync(join(root, f))) console.log(`  (compressed package: ${(statSync(join(root, f)).size / 1e6).toFixed(0)} MB; stored: ${(statSync(pkg).size / 1e6).toFixed(0)} MB)`);
        rmSync(join(root, f), { force: true });
      }
    }
  }
  console.log(`export/verify over a ${(bytes / 1e6).toFixed(0)} MB session (${files.length} files), 3 rounds in rotating order, sync before each run, min / median / max:`);
  const ref = [...rows[0]![1]].sort((a, b) => a - b)[1]!;
  for (const [name, ms] of rows) {
    if (!ms.length) continue;
    const sorted = [...ms].sort((a, b) => a - b);
    const med = sorted[Math.floor(sorted.length / 2)]!;
    console.log(`  ${name.padEnd(36)} ${sorted.map((v) => `${(v / 1000).toFixed(2)} s`).join(' / ')}  = ${mbps(med)} MB/s, ${(ref / med).toFixed(2)}× sha256sum's rate`);
  }
}

async function main(): Promise<void> {
  mkdirSync(root, { recursive: true });
  try {
    await appendRate();
    await exportVerify();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
