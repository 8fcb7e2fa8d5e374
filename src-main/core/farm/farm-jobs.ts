/**
 * What a farm job is, and how it is named. Two queues on one Redis: `analyze` (static triage of one APK) and
 * `check` (the automatable checklist stages of one app on one phone). A job's id is derived from what it does —
 * its kind, the APK's SHA-256 (or, for an app already on the phones, its package name) and the template's id and
 * version — so adding the same APK and template twice finds the job already there (BullMQ ignores an add whose
 * id exists) instead of making a second one.
 */
import { createHash } from 'node:crypto';

export const FARM_PREFIX = 'apprights';

/**
 * Where one farm lives in Redis. Farms share a Redis by name (`--farm NAME`): each name has its own queues,
 * results and worker list, so two labs' farms (or one lab's farms on two templates) never take each other's jobs.
 * No name is the default farm, under the prefix the first farms used.
 */
export interface FarmKeys {
  name: string | null;
  /** BullMQ's key prefix for the farm's queues. */
  prefix: string;
  /** The hash of results, one field per job id. */
  results: string;
  /** The hash of workers, one field per worker name: what it holds, refreshed while it runs. */
  workers: string;
}

/** A farm's name: letters of any script (a lab may name it 实验室一), digits, - and _; up to 40. */
export const FARM_NAME = /^[\p{L}\p{N}][\p{L}\p{N}_-]{0,39}$/u;

export class FarmNameError extends Error {
  constructor(readonly given: string) {
    super(`"${given.slice(0, 60)}" is not a farm name: letters (any script), digits, - and _, up to 40, starting with a letter or digit`);
    this.name = 'FarmNameError';
  }
}

export function farmKeys(name?: string | null): FarmKeys {
  if (name !== undefined && name !== null && !FARM_NAME.test(name)) throw new FarmNameError(name);
  const prefix = name ? `${FARM_PREFIX}.${name}` : FARM_PREFIX;
  return { name: name ?? null, prefix, results: `${prefix}:farm:results`, workers: `${prefix}:farm:workers` };
}

export const QUEUES = { analyze: 'farm-analyze', check: 'farm-check' } as const;
export type JobKind = keyof typeof QUEUES;

/** The template a check judges by: the worker refuses a job whose template differs from its own copy. */
export interface JobTemplate {
  id: string;
  version: string;
  sha256: string;
}

export interface FarmJobData {
  kind: JobKind;
  /** The APK in the store, by SHA-256; null for a check of an app already installed on the phones. */
  sha256: string | null;
  packageName: string | null;
  /** The file's name when it was added (for people; never used to find it). */
  fileName: string | null;
  template: JobTemplate | null;
  addedAt: number;
}

/** Where a running job is: written by the worker that holds it (job progress), read by `farm status`. */
export interface JobWhere {
  worker: string;
  phone: string | null;
  startedAt: number;
}

/** Analyses do not depend on a template: their part of the id is the analysis format they produce. */
export const ANALYSIS_FORMAT = 'apk-analysis@3';

export function jobId(kind: JobKind, target: { sha256: string | null; packageName: string | null }, template: JobTemplate | null): string {
  const what = target.sha256 ? `apk:${target.sha256}` : `package:${target.packageName ?? ''}`;
  const how = kind === 'analyze' ? ANALYSIS_FORMAT : `${template?.id ?? ''}@${template?.version ?? ''}`;
  // No ':' in a BullMQ custom id (it would read as a key separator): the hash of the three parts.
  return `${kind}-${createHash('sha256').update(`${kind}\n${what}\n${how}`).digest('hex').slice(0, 40)}`;
}

/** Retries: a job that throws is tried again after 2 s, 4 s, 8 s … and fails for good after `attempts`. */
export const DEFAULT_ATTEMPTS = 3;
export const BACKOFF = { type: 'exponential', delay: 2000 } as const;
