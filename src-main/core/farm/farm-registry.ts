/**
 * Who is in the farm: each worker writes what it is and holds — its host, the analyses it runs at once, each phone
 * with what it is doing (idle, the job it runs, away) — into the farm's worker hash every few seconds and when a
 * phone changes. `farm status` and the Farm page read it; a worker that stopped writing (killed, its host gone) is
 * shown as silent with the time it was last heard, and dropped from the list after ten minutes.
 */
import type { Redis } from 'ioredis';
import type { FarmKeys } from './farm-jobs.js';

export type PhoneState = 'idle' | 'busy' | 'away';

export interface FarmPhone {
  serial: string;
  state: PhoneState;
  /** The job it runs while busy. */
  job: string | null;
}

export interface WorkerInfo {
  name: string;
  host: string;
  pid: number;
  /** Analyze jobs at once (0: checks only). */
  analyze: number;
  phones: FarmPhone[];
  startedAt: number;
  beatAt: number;
}

export interface WorkerSeen extends WorkerInfo {
  /** Heard from within the last BEAT_ALIVE_MS. */
  alive: boolean;
}

export const BEAT_MS = 5000;
export const BEAT_ALIVE_MS = 15_000;
const FORGET_MS = 10 * 60_000;

export async function announceWorker(redis: Redis, farm: FarmKeys, info: WorkerInfo): Promise<void> {
  await redis.hset(farm.workers, info.name, JSON.stringify(info));
}

export async function forgetWorker(redis: Redis, farm: FarmKeys, name: string): Promise<void> {
  await redis.hdel(farm.workers, name);
}

function parsed(json: string): WorkerInfo | null {
  try {
    const w = JSON.parse(json) as Partial<WorkerInfo>;
    if (typeof w.name !== 'string' || typeof w.beatAt !== 'number' || !Array.isArray(w.phones)) return null;
    return w as WorkerInfo;
  } catch {
    return null;
  }
}

/** The workers heard from in the last ten minutes, by name. */
export async function farmWorkers(redis: Redis, farm: FarmKeys, now = Date.now()): Promise<WorkerSeen[]> {
  const all = await redis.hgetall(farm.workers);
  const out: WorkerSeen[] = [];
  for (const json of Object.values(all)) {
    const w = parsed(json);
    if (w && now - w.beatAt <= FORGET_MS) out.push({ ...w, alive: now - w.beatAt <= BEAT_ALIVE_MS });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
