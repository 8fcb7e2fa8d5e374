/**
 * Adding work to the farm: each APK copied into the store once (by SHA-256), one job per (kind, APK, template);
 * an add of a job that exists (queued, running, done or failed) is left as it is and counted as already there.
 */
import { basename } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ApkStore } from './apk-store.js';
import { BACKOFF, DEFAULT_ATTEMPTS, QUEUES, jobId, type FarmJobData, type FarmKeys, type JobKind, type JobTemplate } from './farm-jobs.js';
import { hasResult } from './farm-results.js';

export function farmQueue(kind: JobKind, connection: Redis, farm: FarmKeys): Queue<FarmJobData> {
  return new Queue<FarmJobData>(QUEUES[kind], { connection, prefix: farm.prefix });
}

export interface AddRequest {
  farm: FarmKeys;
  kind: JobKind;
  apks: string[];
  packages: string[];
  template: JobTemplate | null;
  priority?: number;
  attempts?: number;
}

export interface AddOutcome {
  added: string[];
  /** Jobs that were already queued, running, done or failed: not added again. */
  already: string[];
}

export async function addJobs(redis: Redis, store: ApkStore, req: AddRequest, onApk?: (file: string, sha256: string) => void): Promise<AddOutcome> {
  const queue = farmQueue(req.kind, redis, req.farm);
  const out: AddOutcome = { added: [], already: [] };
  try {
    const targets: Array<{ sha256: string | null; packageName: string | null; fileName: string | null }> = [];
    for (const file of req.apks) {
      const sha256 = await store.put(file);
      onApk?.(file, sha256);
      targets.push({ sha256, packageName: null, fileName: basename(file) });
    }
    for (const p of req.packages) targets.push({ sha256: null, packageName: p, fileName: null });
    for (const t of targets) {
      const id = jobId(req.kind, t, req.template);
      if ((await queue.getJob(id)) || (await hasResult(redis, req.farm, id))) {
        out.already.push(id);
        continue;
      }
      const data: FarmJobData = { kind: req.kind, ...t, template: req.kind === 'check' ? req.template : null, addedAt: Date.now() };
      // Kept when done or failed: the id must stay taken, so the same work added again is not a second job.
      await queue.add(req.kind, data, { jobId: id, attempts: req.attempts ?? DEFAULT_ATTEMPTS, backoff: BACKOFF, priority: req.priority, removeOnComplete: false, removeOnFail: false });
      out.added.push(id);
    }
  } finally {
    await queue.close();
  }
  return out;
}
