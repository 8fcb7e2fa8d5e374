/**
 * A lab's hands on the farm's jobs: retry a job that failed for good (its attempts start again), cancel a job that
 * has not started (or dismiss a failed one). A running job is never pulled from under its worker — stop the worker
 * and it goes back — and a job that is done keeps its result. The outcome says which, for the shells to word.
 */
import type { Redis } from 'ioredis';
import { QUEUES, type FarmKeys, type JobKind } from './farm-jobs.js';
import { farmQueue } from './farm-queue.js';

export type ControlRefusal = 'not-found' | 'running' | 'finished' | 'not-failed';
export type ControlOutcome = { done: true; kind: JobKind } | { done: false; why: ControlRefusal };

/** The queue a job id belongs to: ids start with their kind (see jobId). */
export function kindOfJob(id: string): JobKind | null {
  const kind = /^(\w+)-[0-9a-f]{40}$/.exec(id)?.[1];
  return kind && kind in QUEUES ? (kind as JobKind) : null;
}

async function withJob(redis: Redis, farm: FarmKeys, id: string, act: (state: string, job: NonNullable<Awaited<ReturnType<ReturnType<typeof farmQueue>['getJob']>>>, kind: JobKind) => Promise<ControlOutcome>): Promise<ControlOutcome> {
  const kind = kindOfJob(id);
  if (!kind) return { done: false, why: 'not-found' };
  const q = farmQueue(kind, redis, farm);
  try {
    const job = await q.getJob(id);
    if (!job) return { done: false, why: 'not-found' };
    return await act(await job.getState(), job, kind);
  } finally {
    await q.close();
  }
}

/** A failed job runs again from its first attempt. */
export function retryJob(redis: Redis, farm: FarmKeys, id: string): Promise<ControlOutcome> {
  return withJob(redis, farm, id, async (state, job, kind) => {
    if (state !== 'failed') return { done: false, why: state === 'active' ? 'running' : state === 'completed' ? 'finished' : 'not-failed' };
    await job.retry('failed', { resetAttemptsMade: true });
    return { done: true, kind };
  });
}

/** A job that waits (or failed) is removed; the same work can be added again later as a new job. */
export function cancelJob(redis: Redis, farm: FarmKeys, id: string): Promise<ControlOutcome> {
  return withJob(redis, farm, id, async (state, job, kind) => {
    if (state === 'active') return { done: false, why: 'running' };
    if (state === 'completed') return { done: false, why: 'finished' };
    try {
      await job.remove();
    } catch {
      // Taken by a worker between the look and the removal: it runs now.
      return { done: false, why: 'running' };
    }
    return { done: true, kind };
  });
}
