/**
 * Farm test helpers: `apprights farm worker` as its own process (the built CLI, as a lab runs it), its log kept,
 * and the farm's state read straight from Redis through the core (the same reading `farm status` prints).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { commandConnection, farmKeys, farmStatus, type FarmStatus } from '../../src-main/core/farm/index.js';
import { waitFor } from './adb-server.js';
import { CLI, runCli } from './cli.js';
import { readFileSync } from 'node:fs';
import type { Scenario, VirtualDevice } from '../../src-main/core/virtual-device/index.js';

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  log(): string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

export function spawnWorker(name: string, args: string[], env: NodeJS.ProcessEnv = process.env): WorkerProcess {
  const child = spawn(process.execPath, [CLI, 'farm', 'worker', '--name', name, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => void (log += d.toString()));
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  return { name, child, log: () => log, exited };
}

export async function untilReady(w: WorkerProcess): Promise<void> {
  // A worker that exits is said at once (a throw inside waitFor would only be retried until the time is up).
  const exited = await waitFor(`worker ${w.name} ready`, async () => (w.child.exitCode !== null || w.child.signalCode !== null ? 'exited' : w.log().includes(`worker ${w.name} ready`) && 'ready'), 30_000);
  if (exited === 'exited') throw new Error(`worker ${w.name} exited: ${w.log()}`);
}

/** What a check worker of the tests is given: its own data folder (signing identity), the shared store and package folder, its phones by `--connect`. */
export interface CheckWorkerSetup {
  redisUrl: string;
  store: string;
  out: string;
  passphraseFile: string;
  dataDir: string;
  phones: VirtualDevice[];
  /** Analyze jobs at once (0: none). */
  concurrency?: number;
}

export function spawnCheckWorker(name: string, o: CheckWorkerSetup, env: NodeJS.ProcessEnv): WorkerProcess {
  return spawnWorker(name, ['--redis', o.redisUrl, '--store', o.store, '--out', o.out, ...o.phones.flatMap((p) => ['--connect', `127.0.0.1:${p.port}`]),
    '--concurrency', String(o.concurrency ?? 0), '--dwell', '1', '--lock-seconds', '3', '--passphrase-file', o.passphraseFile, '--data-dir', o.dataDir], env);
}

/** A check job's line in `farm results`. */
export interface CheckLine {
  kind: 'check';
  job: string;
  sha256: string | null;
  packageName: string;
  serial: string;
  worker: string;
  package: string;
  incomplete: string | null;
  proposals: Array<{ item: string; status: string }>;
}

/** `apprights farm results --out FILE`, read back: one parsed line per result. */
export async function farmResults(url: string, file: string, env: NodeJS.ProcessEnv): Promise<Array<Record<string, unknown>>> {
  const r = await runCli(['farm', 'results', '--redis', url, '--out', file], env, 60_000);
  if (r.code !== 0) throw new Error(`farm results exited ${r.code}: ${r.stderr}`);
  return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The checklist items a run proposes as violations, sorted. */
export function violations(proposals: Array<{ item: string; status: string }>): string[] {
  return proposals.filter((p) => p.status === 'violation').map((p) => p.item).sort();
}

/**
 * One phone holding the apps of several scenarios at once (as a lab's phone holds many apps), so a check of any
 * of their packages can run on any phone of the farm; the phone itself (model, serial) is the first scenario's.
 * Each app keeps its own screens and behaviour, keyed by its package: the packages must differ.
 */
export function phoneOfApps(scenarios: Scenario[]): Scenario {
  const apps = scenarios.flatMap((s) => s.apps);
  const twice = apps.map((a) => a.package).filter((p, i, all) => all.indexOf(p) !== i);
  if (twice.length) throw new Error(`two scenarios play ${twice.join(', ')}: one phone can hold each package once`);
  return { ...scenarios[0]!, id: scenarios.map((s) => s.id).join('+').slice(0, 200), violates: [], apps };
}

export async function stopWorker(w: WorkerProcess): Promise<void> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  await w.exited;
}

export async function statusOf(url: string, farm: string | null = null): Promise<FarmStatus> {
  const redis = await commandConnection(url);
  try {
    return await farmStatus(redis, farmKeys(farm));
  } finally {
    redis.disconnect();
  }
}

/** Waits until no job of the queue is queued, waiting to retry or running. */
export async function untilSettled(url: string, kind: 'analyze' | 'check', timeoutMs: number, farm: string | null = null): Promise<FarmStatus> {
  return waitFor(`the ${kind} queue to settle`, async () => {
    const s = await statusOf(url, farm).catch(() => null);
    const q = s?.queues.find((x) => x.kind === kind);
    return q && q.waiting + q.delayed + q.active === 0 ? s : null;
  }, timeoutMs, 250);
}
