/**
 * Results under the job's key, once: a Redis hash field per job id, set with HSETNX, so a job that runs again
 * (its worker killed after the work, a stale worker finishing late) never makes a second result — the first one
 * written stays, the later one is dropped and said so. `farm results` reads them all back.
 */
import type { Redis } from 'ioredis';
import type { FarmKeys } from './farm-jobs.js';

/** True when this call wrote the job's result; false when the job already had one (kept as it was). */
export async function recordResult(redis: Redis, farm: FarmKeys, jobId: string, line: object): Promise<boolean> {
  return (await redis.hsetnx(farm.results, jobId, JSON.stringify(line))) === 1;
}

export async function hasResult(redis: Redis, farm: FarmKeys, jobId: string): Promise<boolean> {
  return (await redis.hexists(farm.results, jobId)) === 1;
}

/** Every result, by job id in order, read a page at a time (a farm's results may be many). */
export async function* eachResult(redis: Redis, farm: FarmKeys): AsyncGenerator<{ jobId: string; line: Record<string, unknown> }> {
  let cursor = '0';
  const all: Array<[string, string]> = [];
  do {
    const [next, flat] = await redis.hscan(farm.results, cursor, 'COUNT', 500);
    for (let i = 0; i + 1 < flat.length; i += 2) all.push([flat[i]!, flat[i + 1]!]);
    cursor = next;
  } while (cursor !== '0');
  all.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [jobId, json] of all) yield { jobId, line: JSON.parse(json) as Record<string, unknown> };
}
