/**
 * A farm worker: analyze jobs on this host's cores, check jobs on the phones it holds (one BullMQ worker per
 * phone, one job at a time each), and a line for every job saying which phone did what. Reliability is BullMQ's:
 * a job is locked while it runs (the lock renewed every half lock period); a worker killed mid-job stops renewing,
 * another worker's stalled-job check puts the job back and it runs again, its partial output discarded; a job that
 * throws is retried with back-off and fails for good after its attempts, with its reason, without stopping the
 * worker. Redis gone: the worker says so, waits and reconnects.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DeviceBridge } from '../adb/device-bridge.js';
import { KeptAnalysisChildren } from '../apk/analysis-pool.js';
import type { ChecklistRunResult, RunTemplate } from '../checklist/run/run-checklist.js';
import type { UnlockedIdentity } from '../evidence/identity-store.js';
import { ApkStore, StoreRefusal, sha256Of } from './apk-store.js';
import { workerConnection } from './farm-connection.js';
import { QUEUES, farmKeys, type FarmJobData, type FarmKeys, type JobTemplate, type JobWhere } from './farm-jobs.js';
import { BEAT_MS, announceWorker, forgetWorker, type FarmPhone } from './farm-registry.js';
import { hasResult, recordResult } from './farm-results.js';

/** An analysis that did not finish (time limit, crash, memory): maybe the host, maybe the APK — tried again. */
const UNFINISHED = /^analysis (took longer|crashed|needed more memory|stopped)/;

export interface CheckSetup {
  bridge: DeviceBridge;
  identity: UnlockedIdentity;
  /** This host's copy of the job's template (by id), or a refusal when it has none or another version. */
  template(t: JobTemplate): Promise<RunTemplate>;
  /** Where signed packages go: `<jobId>.zip`, its session beside it as `<jobId>-session`. */
  outDir: string;
  dwellSeconds: number;
  tool: { name: string; version: string };
  tester: string;
  /** The run itself (runChecklist), passed in so this module loads the checklist engine only where checks run. */
  run: typeof import('../checklist/run/run-checklist.js').runChecklist;
}

export interface FarmWorkerOptions {
  redisUrl: string;
  /** The farm on that Redis (default: the unnamed one). */
  farm?: FarmKeys;
  store: ApkStore;
  /** How the worker names itself in status and logs (default host:pid). */
  name?: string;
  /** Analyze jobs at once (default: the cores). 0: this worker takes no analyze jobs. */
  concurrency: number;
  /** The phones this worker holds (serials as adb names them); checks run only with `check` set. */
  phones: string[];
  check: CheckSetup | null;
  analysisTimeoutMs?: number;
  /** BullMQ's lock: a worker that stops renewing it for this long has stalled, its job goes back (default 30 s). */
  lockMs?: number;
  log(line: string): void;
}

export interface FarmWorker {
  name: string;
  /** Each phone this worker holds, with what it is doing now. */
  phones(): FarmPhone[];
  close(): Promise<void>;
}

const safe = (s: string): string => s.replace(/[^\w.-]/g, '_');

export async function startFarmWorker(o: FarmWorkerOptions): Promise<FarmWorker> {
  const name = o.name ?? `${hostname()}:${process.pid}`;
  const lockDuration = o.lockMs ?? 30_000;
  let redisDown = false;
  const onState = (state: 'down' | 'up', why?: string): void => {
    if (state === 'down' && !redisDown) o.log(`Redis unreachable (${why ?? 'no answer'}): waiting and reconnecting`);
    if (state === 'up' && redisDown) o.log('Redis reachable again');
    redisDown = state === 'down';
  };
  const connections: Redis[] = [];
  const connect = (): Redis => {
    const c = workerConnection(o.redisUrl, onState);
    connections.push(c);
    return c;
  };
  const results = connect();
  const farm = o.farm ?? farmKeys(null);
  const startedAt = Date.now();
  const phoneState = new Map<string, FarmPhone>(o.phones.map((serial) => [serial, { serial, state: 'idle', job: null }]));
  const phones = (): FarmPhone[] => [...phoneState.values()].map((p) => ({ ...p }));
  // What this worker holds, in the farm's worker list: now, every BEAT_MS, and when a phone changes.
  const announce = (): void => {
    void announceWorker(results, farm, { name, host: hostname(), pid: process.pid, analyze: o.concurrency, phones: phones(), startedAt, beatAt: Date.now() }).catch(() => undefined);
  };
  const phoneIs = (serial: string, state: FarmPhone['state'], job: string | null): void => {
    phoneState.set(serial, { serial, state, job });
    announce();
  };
  const common = { prefix: farm.prefix, lockDuration, stalledInterval: Math.max(1000, Math.round(lockDuration / 2)), maxStalledCount: 2, name };
  const workers: Worker[] = [];
  const timers: NodeJS.Timeout[] = [];

  const where = async (job: Job, phone: string | null): Promise<void> => {
    const w: JobWhere = { worker: name, phone, startedAt: Date.now() };
    await job.updateProgress(w as unknown as object);
  };
  // Damage is not cured by trying again; a missing file may be a share another host has mounted.
  const storeRefusal = (err: unknown): unknown => (err instanceof StoreRefusal && err.kind !== 'missing' ? new UnrecoverableError(err.message) : err);
  const stored = async (sha: string): Promise<string> => {
    try {
      return await o.store.verified(sha);
    } catch (err) {
      throw storeRefusal(err);
    }
  };

  // The analysis children stay between jobs: a child's start per APK was most of the queue's cost per job.
  const analysis = new KeptAnalysisChildren();
  if (o.concurrency > 0) {
    workers.push(new Worker<FarmJobData>(QUEUES.analyze, async (job) => {
      await where(job, null);
      const d = job.data;
      let path: string;
      try {
        path = o.store.located(d.sha256 ?? '');
      } catch (err) {
        throw storeRefusal(err);
      }
      const outcome = await analysis.analyze(path, o.analysisTimeoutMs);
      // The analysis hashes the file as it reads it: its hash is the store's check (one read of the APK, not two);
      // a file it refused is hashed here, so damage is told apart from a hostile APK.
      try {
        o.store.checkHash(d.sha256 ?? '', outcome!.ok ? outcome!.analysis.file.sha256 : await sha256Of(path));
      } catch (err) {
        throw storeRefusal(err);
      }
      if (!outcome!.ok && UNFINISHED.test(String(outcome!.error.details.message ?? ''))) throw new Error(String(outcome!.error.details.message));
      // The line `analyze --out` writes, the file named as it was added.
      const line = outcome!.ok
        ? { path, ...outcome!.analysis, file: { ...outcome!.analysis.file, name: d.fileName ?? outcome!.analysis.file.name } }
        : { path, sha256: d.sha256, error: outcome!.error };
      const fresh = await recordResult(results, farm, job.id!, line);
      o.log(`${job.id} analyze ${d.fileName ?? d.sha256}: ${outcome!.ok ? 'analysed' : `refused: ${String(outcome!.error.details.message ?? outcome!.error.code)}`}${fresh ? '' : ' (it already had a result: kept that one)'}`);
      return { fresh, worker: name };
    }, { ...common, connection: connect(), concurrency: o.concurrency }));
  }

  if (o.check) {
    const check = o.check;
    const work = join(check.outDir, 'work');
    mkdirSync(work, { recursive: true });
    const online = async (serial: string): Promise<boolean> => (await check.bridge.listDevices().catch(() => [])).some((x) => x.serial === serial && x.type === 'device');
    /** One check on one phone: the run, then its package and session under the job's name, its result once. */
    const runCheck = async (serial: string, job: Job<FarmJobData>, away: () => void): Promise<{ fresh: boolean; worker: string; phone?: string }> => {
      await where(job, serial);
      const d = job.data;
      const id = job.id!;
      o.log(`[${serial}] ${id} check ${d.fileName ?? d.packageName ?? d.sha256}: started (attempt ${job.attemptsMade + 1})`);
      if (!d.template) throw new UnrecoverableError('the job names no template');
      const template = await check.template(d.template).catch((err: unknown) => {
        throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
      });
      const apkPath = d.sha256 ? await stored(d.sha256) : null;
      // An earlier attempt's partial session and package (its worker killed) are discarded: we hold the lock now.
      for (const f of readdirSync(work)) if (f.startsWith(`${id}.`)) rmSync(join(work, f), { recursive: true, force: true });
      const attemptDir = join(work, `${id}.${safe(name)}.${randomBytes(4).toString('hex')}`);
      mkdirSync(attemptDir, { recursive: true });
      let r: ChecklistRunResult;
      try {
        r = await check.run({
          bridge: check.bridge, serial, apkPath, packageName: d.packageName, template, sessionDir: join(attemptDir, 'session'), out: join(attemptDir, 'package.zip'),
          identity: check.identity, timing: { dwellMs: check.dwellSeconds * 1000, settleMs: 1500, rebootTimeoutMs: 180_000 }, reboot: false,
          tool: check.tool, tester: check.tester, caseRef: id, log: (m) => o.log(m),
        });
      } catch (err) {
        rmSync(attemptDir, { recursive: true, force: true });
        throw err;
      }
      // A phone that went away mid-run: the job goes back for another phone, with the reason; the phone is marked.
      if (r.incomplete && !(await online(serial))) {
        rmSync(attemptDir, { recursive: true, force: true });
        away();
        throw new Error(`phone ${serial} went away mid-job: ${r.incomplete}`);
      }
      const final = join(check.outDir, `${id}.zip`);
      if (await hasResult(results, farm, id)) {
        rmSync(attemptDir, { recursive: true, force: true });
        o.log(`[${serial}] ${id}: it already had a result; this run's package is discarded`);
        return { fresh: false, worker: name };
      }
      // A package left by an attempt that never recorded its result is replaced; a recorded one never is.
      try {
        linkSync(join(attemptDir, 'package.zip'), final);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        renameSync(join(attemptDir, 'package.zip'), final);
      }
      const sessionDir = join(check.outDir, `${id}-session`);
      const line = {
        kind: 'check', job: id, sha256: d.sha256, file: d.fileName, packageName: r.packageName, serial, worker: name, template: d.template,
        package: final, session: sessionDir, incomplete: r.incomplete,
        proposals: r.proposals.map((p) => ({ item: p.item, status: p.status, evidence: p.evidence, explanation: p.explanation })),
      };
      const fresh = await recordResult(results, farm, id, line);
      if (fresh) {
        rmSync(sessionDir, { recursive: true, force: true });
        renameSync(join(attemptDir, 'session'), sessionDir);
      }
      rmSync(attemptDir, { recursive: true, force: true });
      const violations = r.proposals.filter((p) => p.status === 'violation').map((p) => p.item);
      o.log(`[${serial}] ${id} check ${r.packageName}: ${r.incomplete ? `incomplete (${r.incomplete})` : 'done'}, violations ${violations.join(' ') || 'none'} → ${final}`);
      return { fresh, worker: name, phone: serial };
    };
    for (const serial of o.phones) {
      // A phone that went away takes no job until it is back: its worker is paused, the phone watched every 2 s.
      let watching = false;
      const markAway = (w: Worker): void => {
        if (watching) return;
        watching = true;
        o.log(`[${serial}] phone away: it takes no job until it is back`);
        phoneIs(serial, 'away', null);
        void w.pause(true).catch(() => undefined);
        const timer = setInterval(() => {
          void online(serial).then((back) => {
            if (!back || !watching) return;
            watching = false;
            clearInterval(timer);
            o.log(`[${serial}] phone back: taking jobs again`);
            phoneIs(serial, 'idle', null);
            w.resume();
          });
        }, 2000);
        timers.push(timer);
      };
      const phoneWorker: Worker<FarmJobData> = new Worker<FarmJobData>(QUEUES.check, async (job) => {
        phoneIs(serial, 'busy', job.id!);
        try {
          return await runCheck(serial, job, () => markAway(phoneWorker));
        } finally {
          if (phoneState.get(serial)?.state === 'busy') phoneIs(serial, 'idle', null);
        }
      }, { ...common, connection: connect(), concurrency: 1, name: `${name}/${serial}` });
      workers.push(phoneWorker);
    }
  }

  for (const w of workers) {
    w.on('failed', (job, err) => {
      if (!job) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1) || err instanceof UnrecoverableError;
      o.log(`${job.id} ${final ? 'failed' : `attempt ${job.attemptsMade} failed, will retry`}: ${err.message}`);
    });
    w.on('stalled', (jobId) => o.log(`${jobId} stalled (its worker stopped renewing the lock): put back to run again`));
    // Connection errors are said once by onState; the worker keeps going.
    w.on('error', () => undefined);
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  announce();
  const beat = setInterval(announce, BEAT_MS);
  o.log(`worker ${name} ready: ${o.concurrency} analyze at once${o.check ? `, phones ${o.phones.join(', ') || 'none'}` : ''}`);
  return {
    name,
    phones,
    close: async () => {
      clearInterval(beat);
      for (const t of timers) clearInterval(t);
      await Promise.all(workers.map((w) => w.close()));
      // Gone from the list at once (a worker killed instead stays, shown silent, until it is forgotten).
      await forgetWorker(results, farm, name).catch(() => undefined);
      await analysis.close();
      for (const c of connections) c.disconnect();
    },
  };
}

