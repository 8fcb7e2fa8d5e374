/**
 * Benchmark (not a test gate) of the lab's phone farm (issue #30), on a real redis-server (private port,
 * appendonly) and real `apprights farm worker` processes, against references measured in the same run:
 * 1. analyze: the same APKs through the farm — `farm add DIR`, a worker already waiting (as a lab's are), until the
 *    last job is done, then `farm results --out` — against `apprights analyze DIR --out results.jsonl`, both end to
 *    end as a user runs them (process starts included), rounds interleaved; the queue's overhead per job
 *    (goal ≤ 20 ms);
 * 2. check: the same check jobs (copies of a real APK installed on virtual phones through the real adb server) on
 *    1 worker × 2 phones against 3 workers × 2 phones; scaling efficiency per added phone (goal ≥ 0.8).
 * BENCH_ROUNDS (default 3) sets the rounds of 1; BENCH_PARTS (e.g. "analyze") runs only those parts;
 * BENCH_CHECK_JOBS (default 12) the check jobs.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { farmKeys, farmQueue } from '../../src-main/core/farm/index.js';
import { loadScenarioFile, VirtualDevice } from '../../src-main/core/virtual-device/index.js';
import { buildCorpus } from '../support/apk-corpus.js';
import { startAdbServer } from '../support/adb-server.js';
import { CLI } from '../support/cli.js';
import { spawnWorker, stopWorker, untilReady, type WorkerProcess } from '../support/farm.js';
import { startRedis } from '../support/redis-server.js';
import { SCENARIOS, TEST_APKS } from '../support/virtual-phone.js';
import { withComment } from '../support/zip-builder.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS) || 3;
const PARTS = (process.env.BENCH_PARTS ?? 'analyze,check').split(',');
const CHECK_JOBS = Number(process.env.BENCH_CHECK_JOBS) || 12;

function cli(args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const r = spawnSync(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`apprights ${args.join(' ')} failed (${r.status}): ${String(r.stderr).slice(-2000)}`);
}

async function untilDone(conn: Redis, kind: 'analyze' | 'check', total: number): Promise<void> {
  const q = farmQueue(kind, conn, farmKeys(null));
  try {
    for (;;) {
      const c = await q.getJobCounts('completed', 'failed');
      if ((c.completed ?? 0) + (c.failed ?? 0) >= total) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await q.close();
  }
}

const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const range = (xs: number[]): string => `${(Math.min(...xs) / 1000).toFixed(2)}–${(Math.max(...xs) / 1000).toFixed(2)} s`;

async function analyzePart(work: string): Promise<void> {
  const redis = await startRedis();
  const conn = new Redis(redis.url);
  const apks = join(work, 'apks');
  // 40 small distinct APKs, 8 copies of the 3 MB settings APK, 2 of the 18 MB one; no hostile ones (their refusal
  // costs the same either way).
  buildCorpus(apks, 40, { hostileEvery: 1000 });
  for (let i = 0; i < 2; i++) writeFileSync(join(apks, `big-${i}.apk`), withComment(readFileSync(TEST_APKS.uiautomator2), `bench ${i}`));
  const n = 42;
  const farmMs: number[] = [];
  const refMs: number[] = [];
  let worker: WorkerProcess | null = null;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // The reference: one command on one host.
      const ref = join(work, `ref-${round}.jsonl`);
      let t = performance.now();
      cli(['analyze', apks, '--out', ref, '--concurrency', '2']);
      refMs.push(performance.now() - t);
      rmSync(ref);

      // The farm, from an empty Redis and store, its worker waiting.
      await conn.flushall();
      const store = join(work, `store-${round}`);
      mkdirSync(store);
      worker = spawnWorker('bench', ['--redis', redis.url, '--store', store, '--concurrency', '2']);
      await untilReady(worker);
      t = performance.now();
      cli(['farm', 'add', '--redis', redis.url, '--store', store, apks]);
      await untilDone(conn, 'analyze', n);
      cli(['farm', 'results', '--redis', redis.url, '--out', join(work, `farm-${round}.jsonl`)]);
      farmMs.push(performance.now() - t);
      await stopWorker(worker);
      worker = null;
      rmSync(store, { recursive: true, force: true });
    }
  } finally {
    if (worker) await stopWorker(worker);
    conn.disconnect();
    await redis.kill();
  }
  const overhead = (med(farmMs) - med(refMs)) / n;
  console.log(`analyze, ${n} APKs (${ROUNDS} rounds, median):`);
  console.log(`  apprights analyze DIR --out         ${(med(refMs) / 1000).toFixed(2)} s (${range(refMs)})`);
  console.log(`  farm add + 1 worker (2 at once) + farm results  ${(med(farmMs) / 1000).toFixed(2)} s (${range(farmMs)})`);
  console.log(`  farm / analyze ${(med(farmMs) / med(refMs)).toFixed(2)}×; the queue's overhead per job ${overhead.toFixed(1)} ms (goal ≤ 20 ms)`);
}

async function checkPart(work: string): Promise<void> {
  const redis = await startRedis();
  const adb = await startAdbServer();
  const conn = new Redis(redis.url);
  const phones: VirtualDevice[] = [];
  const workers: WorkerProcess[] = [];
  const apks = join(work, 'check-apks');
  mkdirSync(apks, { recursive: true });
  const real = readFileSync(TEST_APKS.androidTest);
  for (let i = 0; i < CHECK_JOBS; i++) writeFileSync(join(apks, `app-${i}.apk`), withComment(real, `check ${i}`));
  const pass = join(work, 'pass.txt');
  writeFileSync(pass, 'bench passphrase 1\n');
  const seconds: Record<string, number> = {};
  try {
    for (let i = 0; i < 6; i++) {
      const p = new VirtualDevice({ scenario: loadScenarioFile(join(SCENARIOS, 'collects-before-consent.yaml')) });
      await p.start();
      phones.push(p);
    }
    for (const [label, workerCount] of [['1 worker × 2 phones', 1], ['3 workers × 2 phones', 3]] as const) {
      await conn.flushall();
      const store = join(work, `check-store-${workerCount}`);
      mkdirSync(store);
      for (let w = 0; w < workerCount; w++) {
        const held = phones.slice(w * 2, w * 2 + 2).flatMap((p) => ['--connect', `127.0.0.1:${p.port}`]);
        const worker = spawnWorker(`bench-${w}`, ['--redis', redis.url, '--store', store, ...held, '--concurrency', '0', '--dwell', '1', '--passphrase-file', pass, '--data-dir', join(work, `data-${w}`)], adb.env);
        workers.push(worker);
      }
      await Promise.all(workers.map(untilReady));
      const t = performance.now();
      cli(['farm', 'add', '--redis', redis.url, '--store', store, '--check', '--data-dir', join(work, 'data-add'), apks], adb.env);
      await untilDone(conn, 'check', CHECK_JOBS);
      seconds[label] = (performance.now() - t) / 1000;
      const failed = await farmQueue('check', conn, farmKeys(null)).getFailedCount();
      console.log(`check, ${CHECK_JOBS} jobs, ${label}: ${seconds[label]!.toFixed(1)} s (${(CHECK_JOBS / seconds[label]!).toFixed(2)} jobs/s${failed ? `, ${failed} failed` : ''})`);
      for (const w of workers.splice(0)) await stopWorker(w);
    }
  } finally {
    for (const w of workers) await stopWorker(w);
    for (const p of phones) await p.stop();
    conn.disconnect();
    await adb.kill();
    await redis.kill();
  }
  const speedup = seconds['1 worker × 2 phones']! / seconds['3 workers × 2 phones']!;
  console.log(`  speed-up ${speedup.toFixed(2)}× with 3× the phones: efficiency ${(speedup / 3).toFixed(2)} (goal ≥ 0.8 per added phone, for phone-bound work; here the 6 virtual phones and 3 workers share this machine's cores)`);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'apprights-farm-bench-'));
  try {
    if (PARTS.includes('analyze')) await analyzePart(work);
    if (PARTS.includes('check')) await checkPart(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
