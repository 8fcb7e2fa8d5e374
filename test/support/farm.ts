/**
 * Farm test helpers: `apprights farm worker` as its own process (the built CLI, as a lab runs it), its log kept,
 * and the farm's state read straight from Redis through the core (the same reading `farm status` prints).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { commandConnection, farmKeys, farmStatus, type FarmStatus } from '../../src-main/core/farm/index.js';
import { waitFor } from './adb-server.js';
import { CLI } from './cli.js';

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
  await waitFor(`worker ${w.name} ready`, async () => {
    if (w.child.exitCode !== null) throw new Error(`worker ${w.name} exited: ${w.log()}`);
    return w.log().includes(`worker ${w.name} ready`);
  }, 30_000);
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
