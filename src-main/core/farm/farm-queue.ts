/**
 * Adding work to the farm: each APK copied into the store once (by SHA-256), one job per (kind, APK, template);
 * an add of a job that exists (queued, running, done or failed) is left as it is and counted as already there.
 */
import { basename } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ApkStore } from './apk-store.js';
import { BACKOFF, DEFAULT_ATTEMPTS, QUEUES, jobId, type FarmJobData, type FarmKeys, type JobKind, type JobTemplate } from './farm-jobs.js';

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
    // Which jobs exist (queued, running, done or failed) or have a result: one round trip for all of them.
    const ids = targets.map((t) => jobId(req.kind, t, req.template));
    const look = redis.pipeline();
    for (const id of ids) look.exists(queue.toKey(id)).hexists(req.farm.results, id);
    const seen = (await look.exec()) ?? [];
    const fresh: Parameters<typeof queue.addBulk>[0] = [];
    const taken = new Set<string>();
    targets.forEach((t, i) => {
      const id = ids[i]!;
      const [exists, result] = [seen[2 * i], seen[2 * i + 1]];
      if (exists?.[0] || result?.[0]) throw exists?.[0] ?? result?.[0];
      if (exists?.[1] || result?.[1] || taken.has(id)) {
        out.already.push(id);
        return;
      }
      taken.add(id);
      const data: FarmJobData = { kind: req.kind, ...t, template: req.kind === 'check' ? req.template : null, addedAt: Date.now() };
      // Kept when done or failed: the id must stay taken, so the same work added again is not a second job.
      fresh.push({ name: req.kind, data, opts: { jobId: id, attempts: req.attempts ?? DEFAULT_ATTEMPTS, backoff: BACKOFF, priority: req.priority, removeOnComplete: false, removeOnFail: false } });
      out.added.push(id);
    });
    for (let i = 0; i < fresh.length; i += 500) await queue.addBulk(fresh.slice(i, i + 500));
  } finally {
    await queue.close();
  }
  return out;
}
