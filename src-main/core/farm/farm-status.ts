/**
 * What the farm is doing, read from Redis: per queue how many jobs wait, run (with worker and phone), are done
 * and failed (with reasons), the first jobs that wait (by id, so a lab can cancel one), throughput over the last
 * ten minutes and the ETA it gives, jobs finished per minute over the last half hour; and the workers with the
 * phones each holds.
 */
import type { Redis } from 'ioredis';
import { QUEUES, type FarmJobData, type FarmKeys, type JobKind, type JobWhere } from './farm-jobs.js';
import { farmQueue } from './farm-queue.js';
import { farmWorkers, type WorkerSeen } from './farm-registry.js';

export interface QueueStatus {
  kind: JobKind;
  waiting: number;
  delayed: number;
  active: number;
  done: number;
  failed: number;
  running: Array<{ id: string; file: string | null; worker: string | null; phone: string | null; since: number | null; attempt: number }>;
  failures: Array<{ id: string; file: string | null; reason: string; attempts: number; at: number | null }>;
  /** The first jobs that wait (queued, or delayed before a retry), oldest first: what a lab may still cancel. */
  queued: Array<{ id: string; file: string | null; addedAt: number | null; retrying: boolean }>;
  /** Jobs finished per minute over the last 10 minutes (null: none finished then). */
  perMinute: number | null;
  etaSeconds: number | null;
  /** Jobs finished (done, failed) in each of the last HISTORY_MINUTES minutes, oldest first. */
  history: Array<{ done: number; failed: number }>;
}

export interface FarmStatus {
  farm: string | null;
  queues: QueueStatus[];
  workers: WorkerSeen[];
}

const WINDOW_MS = 10 * 60_000;
export const HISTORY_MINUTES = 30;
/** How many waiting jobs the status lists by id (the counts are always whole). */
export const QUEUED_SHOWN = 50;

/** Finish times into per-minute counts, the last bucket ending now. */
function perMinuteBuckets(now: number, done: number[], failed: number[]): Array<{ done: number; failed: number }> {
  const buckets = Array.from({ length: HISTORY_MINUTES }, () => ({ done: 0, failed: 0 }));
  const put = (t: number, k: 'done' | 'failed'): void => {
    const ago = Math.floor((now - t) / 60_000);
    if (ago >= 0 && ago < HISTORY_MINUTES) buckets[HISTORY_MINUTES - 1 - ago]![k]++;
  };
  for (const t of done) put(t, 'done');
  for (const t of failed) put(t, 'failed');
  return buckets;
}

export async function farmStatus(redis: Redis, farm: FarmKeys, now = Date.now()): Promise<FarmStatus> {
  const queues: QueueStatus[] = [];
  for (const kind of Object.keys(QUEUES) as JobKind[]) {
    const q = farmQueue(kind, redis, farm);
    try {
      const c = await q.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed', 'paused');
      const active = await q.getActive(0, 199);
      const failed = await q.getFailed(0, 99);
      const waiting = await q.getJobs(['prioritized', 'waiting', 'paused'], 0, QUEUED_SHOWN - 1, true);
      const retrying = await q.getJobs(['delayed'], 0, QUEUED_SHOWN - 1, true);
      const recent = await q.getCompleted(0, 999);
      const finished = recent.filter((j) => j.finishedOn && now - j.finishedOn <= WINDOW_MS).map((j) => j.finishedOn!);
      let perMinute: number | null = null;
      if (finished.length >= 2) {
        const span = Math.max(now - Math.min(...finished), 1000);
        perMinute = (finished.length / span) * 60_000;
      }
      const left = (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.delayed ?? 0) + (c.active ?? 0) + (c.paused ?? 0);
      queues.push({
        kind,
        waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c.paused ?? 0),
        delayed: c.delayed ?? 0,
        active: c.active ?? 0,
        done: c.completed ?? 0,
        failed: c.failed ?? 0,
        running: active.map((j) => {
          const w = (typeof j.progress === 'object' ? j.progress : null) as Partial<JobWhere> | null;
          const d = j.data as FarmJobData;
          return { id: j.id!, file: d.fileName ?? d.packageName, worker: w?.worker ?? null, phone: w?.phone ?? null, since: w?.startedAt ?? j.processedOn ?? null, attempt: j.attemptsMade + 1 };
        }),
        failures: failed.map((j) => ({ id: j.id!, file: (j.data as FarmJobData).fileName ?? (j.data as FarmJobData).packageName, reason: j.failedReason, attempts: j.attemptsMade, at: j.finishedOn ?? null })),
        queued: [...waiting.map((j) => ({ j, retrying: false })), ...retrying.map((j) => ({ j, retrying: true }))].filter(({ j }) => j?.id).slice(0, QUEUED_SHOWN).map(({ j, retrying }) => {
          const d = j.data as FarmJobData;
          return { id: j.id!, file: d.fileName ?? d.packageName, addedAt: d.addedAt ?? j.timestamp ?? null, retrying };
        }),
        perMinute,
        history: perMinuteBuckets(now, recent.map((j) => j.finishedOn ?? 0), failed.map((j) => j.finishedOn ?? 0)),
        etaSeconds: perMinute && left ? Math.round((left / perMinute) * 60) : left ? null : 0,
      });
    } finally {
      await q.close();
    }
  }
  return { farm: farm.name, queues, workers: await farmWorkers(redis, farm, now) };
}
