/**
 * The farm as a capability of the workbench (issue #30): the farm it reads (a Redis URL and a farm name, checked to
 * answer, remembered for the next start), the farm's status on demand, retry and cancel of a job, and the
 * workbench itself as a worker while the tester says so — analyses on its cores, checks on the phones the tester
 * offers, signed with the tester's identity, judged by the template the job names as this workbench stores it.
 * A phone offered to the farm starts no tester's session until the workbench leaves (`refuseIfOffered`).
 * The Redis URL's password and the identity's passphrase are never logged, shown or returned.
 */
import { appendFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { FarmConnectionView, FarmJoinRequest, FarmMembership, FarmView } from '../../../src-preload/farm.js';
import type { DeviceBridge } from '../adb/device-bridge.js';
import type { TemplateStore } from '../checklist/template-store.js';
import { WorkbenchError } from '../errors.js';
import type { IdentityStore } from '../evidence/identity-store.js';
import { ApkStore } from './apk-store.js';
import { FarmRedisError, commandConnection, redisOptions, shown } from './farm-connection.js';
import { cancelJob, retryJob, type ControlOutcome } from './farm-control.js';
import { FarmNameError, farmKeys, type FarmKeys, type JobKind } from './farm-jobs.js';
import { readRememberedFarm, rememberFarm } from './farm-remembered.js';
import { farmStatus } from './farm-status.js';
import { startFarmWorker, type CheckSetup, type FarmWorker } from './farm-worker.js';
import { jobTemplates } from './job-template.js';

/** A status read that takes longer than this is Redis not answering (a host that accepts and stalls). */
const STATUS_TIMEOUT_MS = 5000;
/** How long closing the workbench waits for the farm's jobs here before it lets them go back to the farm. */
const CLOSE_WAIT_MS = 3000;
/** How long a check waits on each stage unless the tester says otherwise, as `apprights farm worker --dwell` does. */
const DWELL_SECONDS = 30;

export interface FarmServiceOptions {
  dataDir: string;
  bridge: () => DeviceBridge;
  /** Whether a tester's session records on the phone now (such a phone is not offered). */
  recording: (serial: string) => boolean;
  identities: IdentityStore;
  templates: TemplateStore;
  tool: { name: string; version: string };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, reject) => void (timer = setTimeout(() => reject(new FarmRedisError(`no answer to ${what} within ${ms / 1000} s`)), ms)))]).finally(() => clearTimeout(timer));
}

export class FarmService {
  private target: { url: string; keys: FarmKeys } | null = null;
  private redis: Redis | null = null;
  private opening: Promise<Redis> | null = null;
  private member: { worker: FarmWorker; view: FarmMembership } | null = null;
  private joining = false;
  /** The phones offered to the farm, from the moment join checks them until leave has closed the worker. */
  private offered = new Set<string>();

  constructor(private o: FarmServiceOptions) {
    const remembered = readRememberedFarm(o.dataDir);
    if (remembered) {
      try {
        redisOptions(remembered.redisUrl);
        this.target = { url: remembered.redisUrl, keys: farmKeys(remembered.farm) };
      } catch {
        // A remembered farm that no longer reads as one is forgotten: the page asks again.
      }
    }
  }

  private view(): FarmConnectionView | null {
    return this.target ? { redis: shown(this.target.url), farm: this.target.keys.name } : null;
  }

  /** The command connection, opened again when it dropped (Redis restarted): one opening at a time. */
  private async command(): Promise<Redis> {
    if (!this.target) throw new WorkbenchError('farm.not-connected', 'No farm yet: connect to its Redis first', {});
    if (this.redis?.status === 'ready') return this.redis;
    if (!this.opening) {
      this.redis?.disconnect();
      this.redis = null;
      const url = this.target.url;
      this.opening = commandConnection(url, 3000).then((r) => {
        // Connected to another farm meanwhile: this one is not kept.
        if (this.target?.url !== url) {
          r.disconnect();
          throw new FarmRedisError('the farm changed while connecting');
        }
        this.redis = r;
        return r;
      }).finally(() => void (this.opening = null));
    }
    try {
      return await this.opening;
    } catch (err) {
      throw new WorkbenchError('farm.unreachable', err instanceof Error ? err.message : String(err), {});
    }
  }

  async connect(redisUrl: string, farm: string | null): Promise<FarmConnectionView> {
    let keys: FarmKeys;
    try {
      redisOptions(redisUrl);
      keys = farmKeys(farm);
    } catch (err) {
      // Worded by the page from the reason: the core's message is English and may quote the URL (its password hidden).
      if (err instanceof FarmRedisError) throw new WorkbenchError('farm.bad-address', err.message, { reason: 'farm-bad-url' });
      if (err instanceof FarmNameError) throw new WorkbenchError('farm.bad-address', err.message, { reason: 'farm-bad-name' });
      throw err;
    }
    if (this.member && (this.target?.url !== redisUrl || this.target.keys.name !== keys.name)) {
      throw new WorkbenchError('farm.already-joined', `This workbench works for the farm as ${this.member.view.name}: leave first`, { name: this.member.view.name });
    }
    let redis: Redis;
    try {
      redis = await commandConnection(redisUrl, 3000);
    } catch (err) {
      throw new WorkbenchError('farm.unreachable', err instanceof Error ? err.message : String(err), {});
    }
    this.redis?.disconnect();
    this.redis = redis;
    this.target = { url: redisUrl, keys };
    rememberFarm(this.o.dataDir, { redisUrl, farm: keys.name });
    return this.view()!;
  }

  async status(): Promise<FarmView> {
    const base = { connection: this.view(), member: this.member ? { ...this.member.view } : null };
    if (!this.target) return { ...base, reachable: false, problem: null, status: null };
    const keys = this.target.keys;
    try {
      const redis = await this.command();
      const status = await withTimeout(farmStatus(redis, keys), STATUS_TIMEOUT_MS, 'the status');
      return { ...base, reachable: true, problem: null, status };
    } catch (err) {
      // Asked again at the next poll, on a new connection.
      this.redis?.disconnect();
      this.redis = null;
      const message = err instanceof WorkbenchError ? err.message : err instanceof Error ? err.message : String(err);
      return { ...base, reachable: false, problem: message.slice(0, 300), status: null };
    }
  }

  private async control(act: typeof retryJob, jobId: string): Promise<{ done: true; kind: JobKind }> {
    const redis = await this.command();
    let outcome: ControlOutcome;
    try {
      outcome = await withTimeout(act(redis, this.target!.keys, jobId), STATUS_TIMEOUT_MS, 'the request');
    } catch (err) {
      throw new WorkbenchError('farm.unreachable', err instanceof Error ? err.message : String(err), {});
    }
    if (!outcome.done) throw new WorkbenchError('farm.job-refused', `job ${jobId}: ${outcome.why}`, { id: jobId, reason: `farm-job-${outcome.why}` });
    return outcome;
  }

  retry(jobId: string): Promise<{ done: true; kind: JobKind }> {
    return this.control(retryJob, jobId);
  }

  cancel(jobId: string): Promise<{ done: true; kind: JobKind }> {
    return this.control(cancelJob, jobId);
  }

  /** Refuses a tester's session on a phone the farm holds (session.start asks before it starts one). */
  refuseIfOffered(serial: string): void {
    if (this.offered.has(serial)) throw new WorkbenchError('farm.phone-in-farm', `Phone ${serial} works for the farm: leave the farm first`, { serial });
  }

  offeredPhones(): string[] {
    return [...this.offered];
  }

  async join(req: FarmJoinRequest): Promise<FarmMembership> {
    if (this.member || this.joining) throw new WorkbenchError('farm.already-joined', 'This workbench already works for the farm: leave first', { name: this.member?.view.name ?? '' });
    this.joining = true;
    try {
      const target = this.target;
      await this.command();
      const store = new ApkStore(req.storeDir);
      if (!store.present()) throw new WorkbenchError('farm.store-missing', `The APK store ${req.storeDir} is not there`, { path: req.storeDir });
      let check: CheckSetup | null = null;
      if (req.phones.length) {
        const bridge = this.o.bridge();
        const listed = await bridge.listDevices();
        for (const serial of req.phones) {
          if (!listed.some((d) => d.serial === serial && d.type === 'device')) throw new WorkbenchError('farm.phone-unavailable', `phone ${serial} is not ready`, { serial, reason: 'farm-phone-not-ready' });
          if (this.o.recording(serial)) throw new WorkbenchError('farm.phone-unavailable', `phone ${serial} records a session`, { serial, reason: 'farm-phone-recording' });
        }
        // The phones are the farm's from here: a session asked for meanwhile is refused.
        for (const serial of req.phones) this.offered.add(serial);
        const id = req.identityId ?? this.o.identities.list()[0]?.id;
        if (!id) throw new WorkbenchError('evidence.identity-missing', 'No signing identity yet: create one (self-signed) or import your lab\'s PKCS#12', {});
        const identity = await this.o.identities.unlock(id, req.passphrase);
        const { runChecklist } = await import('../checklist/run/run-checklist.js');
        check = {
          bridge, identity, run: runChecklist, dwellSeconds: req.dwellSeconds ?? DWELL_SECONDS, tool: this.o.tool, tester: userInfo().username,
          outDir: join(store.root, 'packages'), template: jobTemplates(this.o.templates),
        };
      }
      const name = `workbench@${hostname()}:${process.pid}`;
      const logFile = join(this.o.dataDir, 'farm-worker.log');
      const worker = await startFarmWorker({
        redisUrl: target!.url, farm: target!.keys, store, name, concurrency: req.analyze, phones: req.phones, check,
        // The worker's own lines (job ids, serials, reasons): never the URL's password nor the passphrase.
        log: (line) => void appendFile(logFile, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 }).catch(() => undefined),
      });
      const view: FarmMembership = { name, storeDir: store.root, analyze: req.analyze, phones: [...req.phones], since: Date.now() };
      this.member = { worker, view };
      return { ...view };
    } catch (err) {
      this.offered.clear();
      throw err;
    } finally {
      this.joining = false;
    }
  }

  /** Closes the worker: its running jobs finish (BullMQ's close waits for them) and the phones are released. */
  async leave(): Promise<{ left: boolean }> {
    const m = this.member;
    if (!m) return { left: false };
    try {
      await m.worker.close();
    } finally {
      this.member = null;
      this.offered.clear();
    }
    return { left: true };
  }

  /**
   * The workbench is closing: leave the farm, but wait for it only briefly — a check may run for minutes; one
   * still running when the process ends stops renewing its lock and goes back to the farm for another worker.
   */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.leave().catch(() => undefined), new Promise<void>((r) => void (timer = setTimeout(r, CLOSE_WAIT_MS)))]);
    clearTimeout(timer);
    this.redis?.disconnect();
    this.redis = null;
  }
}
