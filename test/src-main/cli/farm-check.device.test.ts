/**
 * The farm's check jobs on virtual phones through the real adb server (never a mock): a real redis-server, two
 * `apprights farm worker` processes holding a phone each (`--connect`, as STF's remote ADB), three checks — two
 * APKs from the store installed on the phone, one app already on it — with one worker SIGKILLed mid-check and
 * another started on its phone. Every job ends with one result and one signed package that `apprights verify`
 * accepts; the killed attempt's partial output is gone; the scenario app's proposals are those `apprights run`
 * gives on it. A phone that goes away mid-check (its virtual phone stopped) sends its job back with the reason,
 * the phone is marked away, and the job finishes on another worker's phone. Two farms on one Redis judge by their
 * own templates, each worker listed with its phone and the job on it; a job whose template a host lacks fails with
 * the reason and its worker goes on. Needs `npm run build`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inlineParser } from '../../../src-main/core/checklist/template-parser.js';
import { TemplateStore } from '../../../src-main/core/checklist/template-store.js';
import { resourcesDir } from '../../../src-main/core/resources-dir.js';
import { loadScenarioFile, VirtualDevice } from '../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../support/adb-server.js';
import { runCli } from '../../support/cli.js';
import { spawnWorker, statusOf, stopWorker, untilReady, untilSettled, type WorkerProcess } from '../../support/farm.js';
import { startRedis, type TestRedis } from '../../support/redis-server.js';
import { SCENARIOS, TEST_APKS } from '../../support/virtual-phone.js';
import { withComment } from '../../support/zip-builder.js';

let adb: TestAdbServer;
let redis: TestRedis;
let work: string;
const phones: VirtualDevice[] = [];
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  [adb, redis] = await Promise.all([startAdbServer(), startRedis()]);
  work = mkdtempSync(join(tmpdir(), 'apprights-farm-check-'));
  for (let i = 0; i < 2; i++) {
    const phone = new VirtualDevice({ scenario: loadScenarioFile(join(SCENARIOS, 'collects-before-consent.yaml')) });
    await phone.start();
    phones.push(phone);
  }
}, 60_000);

// Each test's workers end with it: none is left to take the next test's jobs.
afterEach(async () => {
  for (const w of workers.splice(0)) await stopWorker(w);
});

afterAll(async () => {
  for (const p of phones) await p.stop();
  await adb?.kill();
  await redis?.kill();
  rmSync(work, { recursive: true, force: true });
});

const apprights = (args: string[]) => runCli(args, adb.env, 120_000);

interface CheckLine { kind: string; job: string; packageName: string; serial: string; worker: string; package: string; incomplete: string | null; proposals: Array<{ item: string; status: string }> }

describe('apprights farm: check jobs on phones', () => {
  it('runs each check once on the phones the workers hold, through a worker killed mid-check', async () => {
    const store = join(work, 'store');
    const out = join(work, 'packages');
    mkdirSync(store, { recursive: true });
    const pass = join(work, 'pass.txt');
    writeFileSync(pass, 'lab passphrase 1\n');
    const apks = await apprights(['farm', 'add', '--redis', redis.url, '--store', store, '--check', '--data-dir', join(work, 'add'), TEST_APKS.settings, TEST_APKS.androidTest, '--json']);
    expect(apks.code, apks.stderr).toBe(0);
    const pkg = await apprights(['farm', 'add', '--redis', redis.url, '--store', store, '--check', '--package', 'com.demo.shop', '--data-dir', join(work, 'add'), '--json']);
    expect(pkg.code, pkg.stderr).toBe(0);
    const again = await apprights(['farm', 'add', '--redis', redis.url, '--store', store, '--check', '--package', 'com.demo.shop', '--data-dir', join(work, 'add'), '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: [], already: JSON.parse(pkg.stdout).added });

    // Each worker is its own host: its own data folder (signing identity), the shared store and package folder.
    const start = (name: string, phone: VirtualDevice): WorkerProcess => {
      const w = spawnWorker(name, ['--redis', redis.url, '--store', store, '--out', out, '--connect', `127.0.0.1:${phone.port}`, '--concurrency', '0',
        '--dwell', '1', '--lock-seconds', '3', '--passphrase-file', pass, '--data-dir', join(work, `data-${name}`)], adb.env);
      workers.push(w);
      return w;
    };
    const a = start('w-a', phones[0]!);
    const b = start('w-b', phones[1]!);
    await Promise.all([untilReady(a), untilReady(b)]);
    const held = await waitFor('w-a in the middle of a check', async () => (await statusOf(redis.url)).queues[1]!.running.find((r) => r.worker === 'w-a' && Date.now() - (r.since ?? Date.now()) > 3000), 60_000, 100);
    expect(held.phone).toBe(`127.0.0.1:${phones[0]!.port}`);
    a.child.kill('SIGKILL');
    await a.exited;
    const a2 = start('w-a2', phones[0]!);
    await untilReady(a2);
    const status = await untilSettled(redis.url, 'check', 150_000);
    expect(status.queues[1]).toMatchObject({ done: 3, failed: 0 });
    expect(b.log() + a2.log()).toMatch(new RegExp(`${held.id} stalled`));

    const results = join(work, 'results.jsonl');
    const r = await apprights(['farm', 'results', '--redis', redis.url, '--out', results]);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(results, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CheckLine);
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.packageName).sort()).toEqual(['com.demo.shop', 'io.appium.settings', 'io.appium.uiautomator2.server.test']);
    const killed = lines.find((l) => l.job === held.id)!;
    expect(['w-b', 'w-a2']).toContain(killed.worker);
    for (const l of lines) {
      expect(l.package).toBe(join(out, `${l.job}.zip`));
      const verify = await apprights(['verify', l.package]);
      expect(verify.code, verify.stdout).toBe(0);
    }
    // The scenario's app: the proposals `apprights run` gives on it.
    expect(lines.find((l) => l.packageName === 'com.demo.shop')!.proposals.filter((p) => p.status === 'violation').map((p) => p.item).sort()).toEqual(['164-1.1', '164-1.2']);
    // One package and one session per job; the killed attempt's partial output discarded.
    expect(readdirSync(out).filter((f) => f.endsWith('.zip')).sort()).toEqual(lines.map((l) => `${l.job}.zip`).sort());
    expect(readdirSync(join(out, 'work'))).toEqual([]);
    for (const l of lines) expect(existsSync(join(out, `${l.job}-session`))).toBe(true);
    // Which phone did what, in the workers' own words.
    expect(b.log()).toMatch(new RegExp(`\\[127\\.0\\.0\\.1:${phones[1]!.port}\\] check-[0-9a-f]+ check .*: started`));
  }, 240_000);

  it('sends a job back with the reason when its phone goes away mid-check, and marks the phone', async () => {
    const store = join(work, 'store');
    const out = join(work, 'packages-unplug');
    const pass = join(work, 'pass.txt');
    const apk = join(work, 'unplug.apk');
    mkdirSync(store, { recursive: true });
    writeFileSync(pass, 'lab passphrase 1\n');
    writeFileSync(apk, withComment(readFileSync(TEST_APKS.androidTest), 'unplugged mid-check'));
    const leaving = new VirtualDevice({ scenario: loadScenarioFile(join(SCENARIOS, 'collects-before-consent.yaml')) });
    await leaving.start();
    // Stopped again after the tests if this one fails before it unplugs it (a second stop is harmless).
    phones.push(leaving);
    const start = (name: string, phone: VirtualDevice): WorkerProcess => {
      const w = spawnWorker(name, ['--redis', redis.url, '--store', store, '--out', out, '--connect', `127.0.0.1:${phone.port}`, '--concurrency', '0',
        '--dwell', '1', '--lock-seconds', '3', '--passphrase-file', pass, '--data-dir', join(work, `data-${name}`)], adb.env);
      workers.push(w);
      return w;
    };
    const p = start('w-p', leaving);
    await untilReady(p);
    const added = await apprights(['farm', 'add', '--redis', redis.url, '--store', store, '--check', '--data-dir', join(work, 'add'), apk, '--json']);
    expect(added.code, added.stderr).toBe(0);
    const [id] = JSON.parse(added.stdout).added as string[];
    await waitFor('w-p in the middle of the check', async () => (await statusOf(redis.url)).queues[1]!.running.find((r) => r.id === id && r.worker === 'w-p' && Date.now() - (r.since ?? Date.now()) > 3000), 60_000, 100);
    await leaving.stop();
    const q = start('w-q', phones[1]!);
    await untilReady(q);
    await waitFor('the job to fail once on w-p', async () => p.log().includes(`${id} attempt 1 failed, will retry: phone 127.0.0.1:${leaving.port} went away mid-job`), 90_000, 200);
    expect(p.log()).toContain(`[127.0.0.1:${leaving.port}] phone away: it takes no job until it is back`);
    const status = await untilSettled(redis.url, 'check', 120_000);
    expect(status.queues[1]!.failures.find((f) => f.id === id)).toBeUndefined();
    expect(q.log()).toMatch(new RegExp(`${id} check io\\.appium\\.uiautomator2\\.server\\.test: done`));
    expect(readdirSync(out).filter((f) => f.endsWith('.zip'))).toEqual([`${id}.zip`]);
  }, 240_000);

  it('keeps two farms on one Redis to their own templates, lists each worker with its phone, and fails a job whose template a host lacks', async () => {
    const store = join(work, 'store');
    const out = join(work, 'packages-farms');
    const pass = join(work, 'pass.txt');
    mkdirSync(store, { recursive: true });
    writeFileSync(pass, 'lab passphrase 1\n');
    // Lab B's own template, saved on the host that adds its jobs and on its worker's host (not on lab A's).
    const labX = readFileSync(join(resourcesDir(), 'templates', 'miit-164.yaml'), 'utf8').replace(/^id: miit-164$/m, 'id: lab-x').replace(/^version: .*$/m, 'version: 1.0.0');
    for (const dir of ['add-b', 'data-w-tb']) {
      const templates = new TemplateStore(join(work, dir), { parser: inlineParser() });
      await templates.save(labX);
      await templates.close();
    }
    const add = (farmName: string, dataDir: string, extra: string[]) =>
      apprights(['farm', 'add', '--redis', redis.url, '--store', store, '--farm', farmName, '--check', '--package', 'com.demo.shop', '--data-dir', join(work, dataDir), '--attempts', '2', '--json', ...extra]);
    const a = await add('lab-a', 'add-a', []);
    const b = await add('lab-b', 'add-b', ['--template', 'lab-x']);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const [idA] = JSON.parse(a.stdout).added as string[];
    const [idB] = JSON.parse(b.stdout).added as string[];
    expect(idA).not.toBe(idB);
    const start = (name: string, farmName: string, phone: VirtualDevice): WorkerProcess => {
      const w = spawnWorker(name, ['--redis', redis.url, '--farm', farmName, '--store', store, '--out', out, '--connect', `127.0.0.1:${phone.port}`, '--concurrency', '0',
        '--dwell', '1', '--lock-seconds', '3', '--passphrase-file', pass, '--data-dir', join(work, `data-${name}`)], adb.env);
      workers.push(w);
      return w;
    };
    const ta = start('w-ta', 'lab-a', phones[0]!);
    const tb = start('w-tb', 'lab-b', phones[1]!);
    await Promise.all([untilReady(ta), untilReady(tb)]);
    // Each farm lists its own worker, with the phone it holds and the job on it.
    const serialA = `127.0.0.1:${phones[0]!.port}`;
    const listed = await waitFor('w-ta listed with its phone busy', async () => {
      const s = await statusOf(redis.url, 'lab-a');
      return s.workers.find((w) => w.name === 'w-ta' && w.phones.some((p) => p.state === 'busy')) ? s : null;
    }, 60_000, 100);
    expect(listed.workers.map((w) => w.name)).toEqual(['w-ta']);
    expect(listed.workers[0]!.phones).toEqual([{ serial: serialA, state: 'busy', job: idA }]);
    const text = await apprights(['farm', 'status', '--redis', redis.url, '--farm', 'lab-a']);
    expect(text.stdout).toContain(`phone ${serialA}: running ${idA}`);
    await Promise.all([untilSettled(redis.url, 'check', 120_000, 'lab-a'), untilSettled(redis.url, 'check', 120_000, 'lab-b')]);
    expect((await statusOf(redis.url, 'lab-a')).workers[0]!.phones).toEqual([{ serial: serialA, state: 'idle', job: null }]);
    for (const [farmName, id, template, w] of [['lab-a', idA, 'miit-164', ta], ['lab-b', idB, 'lab-x', tb]] as const) {
      const results = join(work, `results-${farmName}.jsonl`);
      const r = await apprights(['farm', 'results', '--redis', redis.url, '--farm', farmName, '--out', results]);
      expect(r.code, r.stderr).toBe(0);
      const lines = readFileSync(results, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as CheckLine & { template: { id: string } });
      expect(lines.map((l) => [l.job, l.template.id, l.worker])).toEqual([[id, template, w.name]]);
    }
    expect(ta.log()).not.toContain(idB);
    expect(tb.log()).not.toContain(idA);

    // Lab B's template in lab A's farm: w-ta's host has no lab-x, so the job fails at once with the reason and
    // w-ta goes on.
    const wrong = await add('lab-a', 'add-b', ['--template', 'lab-x']);
    expect(wrong.code, wrong.stderr).toBe(0);
    const [idWrong] = JSON.parse(wrong.stdout).added as string[];
    const failed = await untilSettled(redis.url, 'check', 60_000, 'lab-a');
    const f = failed.queues[1]!.failures.find((x) => x.id === idWrong)!;
    expect(f.attempts).toBe(1);
    expect(f.reason).toMatch(/this host has no template lab-x version 1\.0\.0 .*save it here, or run this farm's jobs on hosts that have it/);
    expect(ta.child.exitCode).toBeNull();
    expect((await statusOf(redis.url, 'lab-a')).workers.map((w) => [w.name, w.alive])).toEqual([['w-ta', true]]);
  }, 240_000);
});
