/**
 * `apprights farm`: a lab's phone farm on Redis (BullMQ). `add` puts APKs into the shared store and queues jobs,
 * `worker` runs them on this host's cores and phones, `status` says where everything is, `results` collects each
 * job's one result in the format `analyze --out` writes (plus the checks' verdicts and package paths).
 */

import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { defaultDataDir } from '../core/data-dir.js';
// Only what every subcommand needs is loaded up front; BullMQ and the worker load where they are used (a command's
// start is part of the farm's cost per job).
import { ApkStore } from '../core/farm/apk-store.js';
import { FarmRedisError, commandConnection, redisOptions } from '../core/farm/farm-connection.js';
import { FarmNameError, farmKeys, type FarmKeys, type JobTemplate } from '../core/farm/farm-jobs.js';
import { eachResult } from '../core/farm/farm-results.js';
import { jobTemplates } from '../core/farm/job-template.js';
import { TOOL_NAME } from '../core/tool-name.js';
import type { DeviceBridge } from '../core/adb/device-bridge.js';
import { fail, intOption, refuseToReplace, waitForSignal, type Fail } from './cli-support.js';
import { errorWords, failWith } from './cli-errors.js';
import { say } from './cli-language.js';
import { text } from './cli-text.js';
import { formatDuration } from './progress-line.js';
import { tty } from './terminal-guard.js';

const COMMON = { redis: { type: 'string' }, farm: { type: 'string' }, store: { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' } } as const;

/** The farm named by --farm (none: the default farm), refused in words when the name cannot be one. */
function farmOf(name: string | undefined): FarmKeys {
  try {
    return farmKeys(name ?? null);
  } catch (err) {
    if (err instanceof FarmNameError) fail(say(text.farmName(err.given)), 2);
    throw err;
  }
}

function redisUrl(url: string | undefined): string {
  if (!url) fail(say(text.farmNeedsRedis), 2);
  try {
    redisOptions(url!);
  } catch (err) {
    fail(say(text.farmRedis((err as Error).message)), 2);
  }
  return url!;
}

async function connect(url: string): Promise<import('ioredis').Redis> {
  try {
    return await commandConnection(url);
  } catch (err) {
    if (err instanceof FarmRedisError) fail(say(text.farmRedis(err.message)), 1);
    throw err;
  }
}

function storeOf(dir: string | undefined): ApkStore {
  if (!dir) fail(say(text.farmNeedsStore), 2);
  const store = new ApkStore(resolve(dir!));
  if (!store.present()) fail(say(text.farmStoreMissing(store.root)), 1);
  return store;
}

async function add(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: {
    ...COMMON, check: { type: 'boolean' }, package: { type: 'string', multiple: true }, template: { type: 'string' }, priority: { type: 'string' }, attempts: { type: 'string' },
  } });
  const url = redisUrl(values.redis);
  const farm = farmOf(values.farm);
  const store = storeOf(values.store);
  const packages = values.package ?? [];
  if (packages.length && !values.check) fail(say(text.farmPackageNeedsCheck), 2);
  if (!positionals.length && !packages.length) fail(say(text.farmNeedsWork), 2);
  const priority = values.priority === undefined ? undefined : intOption(values.priority, '--priority', 1, 2_097_152, 1);
  const attempts = intOption(values.attempts, '--attempts', 1, 100, 3);
  let template: JobTemplate | null = null;
  if (values.check) {
    if (values.template && (/[\\/]/.test(values.template) || /\.ya?ml$/i.test(values.template))) fail(say(text.farmTemplateFile(values.template)), 2);
    const { loadTemplate } = await import('./checklist-commands.js');
    const t = await loadTemplate(resolve(values['data-dir'] ?? defaultDataDir()), values.template);
    template = { id: t.template.id, version: t.template.version, sha256: t.sha256 };
  }
  const { collectApks } = await import('./analyze-command.js');
  const apks = positionals.length ? collectApks(positionals) : [];
  if (positionals.length && !apks.length) fail(say(text.noApks));
  const redis = await connect(url);
  try {
    const kind = values.check ? 'check' : 'analyze';
    const { addJobs } = await import('../core/farm/farm-queue.js');
    const out = await addJobs(redis, store, { farm, kind, apks, packages, template, priority, attempts }, (file, sha) => {
      if (!values.json) process.stderr.write(say(text.farmStored(file, sha)) + '\n');
    });
    if (values.json) process.stdout.write(JSON.stringify({ kind, ...out }) + '\n');
    else process.stdout.write(say(text.farmAdded(kind, out.added.length, out.already.length)) + '\n');
  } finally {
    redis.disconnect();
  }
}

async function worker(args: string[], fail: Fail, version: string): Promise<void> {
  const { values } = parseArgs({ args, options: {
    ...COMMON, phones: { type: 'string' }, connect: { type: 'string', multiple: true }, concurrency: { type: 'string' }, out: { type: 'string' },
    'passphrase-file': { type: 'string' }, dwell: { type: 'string' }, name: { type: 'string' }, tester: { type: 'string' },
    'timeout-ms': { type: 'string' }, 'lock-seconds': { type: 'string' },
  } });
  const url = redisUrl(values.redis);
  const farm = farmOf(values.farm);
  const store = storeOf(values.store);
  const concurrency = intOption(values.concurrency, '--concurrency', 0, 64, (await import('node:os')).availableParallelism());
  const dwell = intOption(values.dwell, '--dwell', 1, 3600, 30);
  const lockSeconds = intOption(values['lock-seconds'], '--lock-seconds', 2, 3600, 30);
  const timeoutMs = values['timeout-ms'] === undefined ? undefined : intOption(values['timeout-ms'], '--timeout-ms', 100, 3_600_000, 0);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const log = (line: string): void => void process.stderr.write(tty`${new Date().toISOString()} ${line}\n`);
  let phones: string[] = [];
  let check = null;
  const wantsPhones = values.phones !== undefined || (values.connect?.length ?? 0) > 0;
  if (wantsPhones) {
    const { adbBridge, connectTargets, refuseUnready } = await import('./command-inputs.js');
    const bridge: DeviceBridge = adbBridge(dataDir);
    await bridge.startServer();
    phones.push(...(await connectTargets(bridge, values.connect ?? [], fail)));
    const listed = await bridge.listDevices();
    if (values.phones === 'all') phones.push(...listed.filter((d) => d.type === 'device').map((d) => d.serial));
    else if (values.phones) phones.push(...values.phones.split(',').map((s) => s.trim()).filter(Boolean));
    phones = [...new Set(phones)];
    refuseUnready(listed, phones, fail);
    const { identityFor } = await import('./checklist-commands.js');
    const { TemplateStore } = await import('../core/checklist/template-store.js');
    const { inlineParser } = await import('../core/checklist/template-parser.js');
    const templates = new TemplateStore(dataDir, { parser: inlineParser() });
    const { runChecklist } = await import('../core/checklist/run/run-checklist.js');
    const identity = await identityFor(dataDir, values['passphrase-file'], false, fail);
    check = {
      bridge, identity, run: runChecklist, dwellSeconds: dwell, tool: { name: TOOL_NAME, version }, tester: values.tester ?? userInfo().username,
      outDir: resolve(values.out ?? resolve(store.root, 'packages')),
      // The job's template by id and version, as this host has it; a refusal (never an exit) when it has not, or
      // its text differs: the job fails with the reason, the worker goes on.
      template: jobTemplates(templates, errorWords),
    };
  }
  if (!phones.length) log(say(text.farmNoPhones));
  const { startFarmWorker } = await import('../core/farm/farm-worker.js');
  const w = await startFarmWorker({ redisUrl: url, farm, store, name: values.name, concurrency, phones, check: phones.length ? check : null, analysisTimeoutMs: timeoutMs, lockMs: lockSeconds * 1000, log });
  await waitForSignal();
  log(say(text.farmWorkerStopping));
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  await w.close();
}

async function status(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { ...COMMON } });
  const url = redisUrl(values.redis);
  const farm = farmOf(values.farm);
  const redis = await connect(url);
  try {
    const { farmStatus } = await import('../core/farm/farm-status.js');
    const s = await farmStatus(redis, farm);
    if (values.json) {
      process.stdout.write(JSON.stringify(s) + '\n');
      return;
    }
    const now = Date.now();
    process.stdout.write(say(text.farmWorkers(s.workers.length, s.farm)) + '\n');
    for (const w of s.workers) {
      process.stdout.write(say(text.farmWorkerLine(w.name, w.host, w.analyze, w.alive, Math.round((now - w.beatAt) / 1000))) + '\n');
      for (const p of w.phones) process.stdout.write(say(text.farmPhoneLine(p.serial, p.state, p.job)) + '\n');
    }
    for (const q of s.queues) {
      process.stdout.write(say(text.farmQueueLine(q.kind, q.waiting, q.delayed, q.active, q.done, q.failed, q.perMinute === null ? '—' : q.perMinute.toFixed(1), q.etaSeconds === null ? '—' : formatDuration(q.etaSeconds))) + '\n');
      for (const r of q.running) process.stdout.write(say(text.farmRunning(r.id, r.file ?? '', r.worker ?? '?', r.phone ?? '', Math.round((now - (r.since ?? now)) / 1000), r.attempt)) + '\n');
      for (const f of q.failures) process.stdout.write(say(text.farmFailed(f.id, f.file ?? '', f.attempts, f.reason)) + '\n');
    }
  } finally {
    redis.disconnect();
  }
}

async function results(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { ...COMMON, out: { type: 'string' }, csv: { type: 'string' }, force: { type: 'boolean' } } });
  const url = redisUrl(values.redis);
  const farm = farmOf(values.farm);
  if (!values.out) fail(say(text.runNeedsOut), 2);
  const out = resolve(values.out!);
  const csvPath = values.csv ? resolve(values.csv) : null;
  refuseToReplace(out, values.force);
  if (csvPath) refuseToReplace(csvPath, values.force);
  const redis = await connect(url);
  const { openSync, writeSync, closeSync, renameSync } = await import('node:fs');
  // Written under temporary names, then renamed: a reader never sees half a results file.
  const tmpOut = `${out}.${process.pid}.tmp`;
  const tmpCsv = csvPath ? `${csvPath}.${process.pid}.tmp` : null;
  const fd = openSync(tmpOut, 'w');
  const csvFd = tmpCsv ? openSync(tmpCsv, 'w') : null;
  let n = 0;
  try {
    if (csvFd !== null) {
      const { openCsv } = await import('../core/apk/triage/triage-csv.js');
      closeSync(csvFd);
      const csv = openCsv(tmpCsv!, false);
      for await (const { line } of eachResult(redis, farm)) {
        if (line.kind === 'check') continue;
        const file = line.file as { sha256?: string } | undefined;
        const outcome = line.error ? { path: String(line.path), ok: false as const, error: line.error as never, ms: 0, peakBytes: null } : { path: String(line.path), ok: true as const, analysis: line as never, ms: 0, peakBytes: null };
        csv.write(outcome, file?.sha256 ?? (line.sha256 as string | null) ?? null);
      }
      csv.close();
    }
    for await (const { jobId, line } of eachResult(redis, farm)) {
      writeSync(fd, JSON.stringify(line.kind === 'check' ? line : { job: jobId, ...line }) + '\n');
      n++;
    }
  } finally {
    closeSync(fd);
    redis.disconnect();
  }
  renameSync(tmpOut, out);
  if (tmpCsv && csvPath) renameSync(tmpCsv, csvPath);
  if (values.json) process.stdout.write(JSON.stringify({ out, csv: csvPath, results: n }) + '\n');
  else process.stdout.write(say(text.farmResultsWritten(n, out)) + '\n');
}

/** `farm retry` / `farm cancel`: each job id said with what became of it; exit 1 when any was refused. */
async function control(what: 'retry' | 'cancel', args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...COMMON } });
  const url = redisUrl(values.redis);
  const farm = farmOf(values.farm);
  if (!positionals.length) fail(say(text.farmControlUsage(what)), 2);
  const redis = await connect(url);
  const { cancelJob, retryJob } = await import('../core/farm/farm-control.js');
  let refused = 0;
  try {
    for (const id of positionals) {
      const r = await (what === 'retry' ? retryJob : cancelJob)(redis, farm, id);
      if (values.json) process.stdout.write(JSON.stringify({ job: id, ...r }) + '\n');
      else if (r.done) process.stdout.write(say(what === 'retry' ? text.farmRetried(id) : text.farmCancelled(id)) + '\n');
      else process.stderr.write(say(text.farmControlRefused(id, r.why)) + '\n');
      if (!r.done) refused++;
    }
  } finally {
    redis.disconnect();
  }
  if (refused) process.exitCode = 1;
}

export async function farmCommand(argv: string[], failHere: Fail, version: string): Promise<void> {
  const [sub, ...rest] = argv;
  try {
    if (sub === 'add') await add(rest);
    else if (sub === 'worker') await worker(rest, failHere, version);
    else if (sub === 'status') await status(rest);
    else if (sub === 'results') await results(rest);
    else if (sub === 'retry' || sub === 'cancel') await control(sub, rest);
    else fail(say(text.farmUsage), 2);
  } catch (err) {
    if (err instanceof FarmRedisError) fail(say(text.farmRedis(err.message)), 1);
    if (err instanceof Error && err.name === 'StoreRefusal') failWith(err, 1);
    throw err;
  }
}

