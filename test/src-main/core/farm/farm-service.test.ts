/**
 * The farm through the workbench's own API (the dispatcher every shell uses), on a real redis-server (private port):
 * bad and unreachable addresses refused in words (the password never in them) without harm to the workbench;
 * connect (remembered for the next start), status with the waiting jobs listed by id, retry and cancel refused and
 * done, the workbench joined as a worker without phones (analyses only) taking jobs added with addJobs — a damaged
 * stored APK failing with its reason, retried once repaired —, leave; Redis stopped and back while the page polls.
 * Needs `npm run build` (the analysis child is the built apk-worker.js).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../../../src-main/bridge/dispatcher.js';
import { Workbench } from '../../../../src-main/core/workbench.js';
import { ApkStore, addJobs, commandConnection, farmKeys, jobId, sha256Of } from '../../../../src-main/core/farm/index.js';
import type { Outcome } from '../../../../src-preload/api.js';
import type { FarmMembership, FarmView } from '../../../../src-preload/farm.js';
import { waitFor } from '../../../support/adb-server.js';
import { startRedis, type TestRedis } from '../../../support/redis-server.js';
import { TEST_APKS } from '../../../support/virtual-phone.js';
import { withComment } from '../../../support/zip-builder.js';

let redis: TestRedis;
let work: string;
let wb: Workbench;
let api: Dispatcher;

beforeAll(async () => {
  redis = await startRedis();
  work = mkdtempSync(join(tmpdir(), 'apprights-farm-service-'));
  wb = new Workbench({ dataDir: join(work, 'data'), shell: 'browser', version: 'test' });
  api = new Dispatcher(wb.handlers());
}, 30_000);

afterAll(async () => {
  await wb?.farm.close();
  await wb?.templates.close();
  await redis?.kill();
  rmSync(work, { recursive: true, force: true });
});

async function status(): Promise<FarmView> {
  const s = await api.call('farm.status', {}) as Outcome<FarmView>;
  if (!s.ok) throw new Error(JSON.stringify(s.error));
  return s.value;
}

const analyzeQueue = (v: FarmView) => v.status!.queues.find((q) => q.kind === 'analyze')!;

describe('the farm through the workbench API', () => {
  it('refuses a wrong or unreachable Redis in words, never saying its password, and the workbench goes on', async () => {
    expect(await status()).toMatchObject({ connection: null, reachable: false, status: null, member: null });
    const http = await api.call('farm.connect', { redisUrl: 'http://127.0.0.1:6379', farm: null });
    expect(http).toMatchObject({ ok: false, error: { code: 'bridge.invalid-arguments', details: { field: 'redisUrl', problem: 'a Redis URL' } } });
    const name = await api.call('farm.connect', { redisUrl: redis.url, farm: 'two words' });
    expect(name).toMatchObject({ ok: false, error: { code: 'bridge.invalid-arguments', details: { field: 'farm', problem: 'a farm name' } } });
    const extra = await api.call('farm.connect', { redisUrl: redis.url, farm: null, password: 'x' } as never);
    expect(extra).toMatchObject({ ok: false, error: { code: 'bridge.invalid-arguments' } });
    // Past the schema's shape but no host: refused with a reason the page words, the password never echoed.
    const noHost = await api.call('farm.connect', { redisUrl: 'redis://:s3cret-pass@', farm: null });
    expect(noHost).toMatchObject({ ok: false, error: { code: 'farm.bad-address', details: { reason: 'farm-bad-url' } } });
    expect(JSON.stringify(noHost)).not.toContain('s3cret');
    const down = await api.call('farm.connect', { redisUrl: 'redis://:s3cret-pass@127.0.0.1:1', farm: null });
    expect(down).toMatchObject({ ok: false, error: { code: 'farm.unreachable' } });
    expect(JSON.stringify(down)).toMatch(/cannot reach Redis at 127\.0\.0\.1:1/);
    expect(JSON.stringify(down)).not.toContain('s3cret');
    // Not remembered, and the workbench still answers.
    expect((await status()).connection).toBeNull();
    expect(await api.call('app.info', {})).toMatchObject({ ok: true });
    expect(await api.call('farm.retry', { jobId: `analyze-${'0'.repeat(40)}` })).toMatchObject({ ok: false, error: { code: 'farm.not-connected' } });
  });

  it('connects (remembered for the next start), lists waiting jobs, refuses and does retry and cancel, works as a worker without phones, leaves', async () => {
    const connected = await api.call('farm.connect', { redisUrl: redis.url, farm: 'lab1' });
    expect(connected).toEqual({ ok: true, value: { redis: redis.url, farm: 'lab1' } });
    expect(statSync(join(work, 'data', 'farm.json')).mode & 0o777).toBe(0o600);
    // A second workbench on the same data folder reads the same farm without being told.
    const again = new Workbench({ dataDir: join(work, 'data'), shell: 'browser', version: 'test' });
    expect((await new Dispatcher(again.handlers()).call('farm.status', {}))).toMatchObject({ ok: true, value: { connection: { farm: 'lab1' }, reachable: true } });
    await again.farm.close();
    await again.templates.close();

    // Three APKs: one fine, one damaged in the store before any worker reads it, one cancelled while it waits.
    const storeDir = join(work, 'store');
    mkdirSync(storeDir);
    const apks = join(work, 'apks');
    mkdirSync(apks);
    const bytes = (tag: string) => withComment(readFileSync(TEST_APKS.androidTest), tag);
    for (const tag of ['fine', 'damaged', 'cancelled']) writeFileSync(join(apks, `${tag}.apk`), bytes(tag));
    const store = new ApkStore(storeDir);
    const keys = farmKeys('lab1');
    const conn = await commandConnection(redis.url);
    let added;
    try {
      added = await addJobs(conn, store, { farm: keys, kind: 'analyze', apks: ['fine', 'damaged', 'cancelled'].map((t) => join(apks, `${t}.apk`)), packages: [], template: null, attempts: 2 });
    } finally {
      conn.disconnect();
    }
    expect(added.added).toHaveLength(3);
    const sha = { damaged: await sha256Of(join(apks, 'damaged.apk')), cancelled: await sha256Of(join(apks, 'cancelled.apk')) };
    const id = { damaged: jobId('analyze', { sha256: sha.damaged, packageName: null }, null), cancelled: jobId('analyze', { sha256: sha.cancelled, packageName: null }, null) };
    writeFileSync(store.pathOf(sha.damaged), 'not the APK any more');

    const before = analyzeQueue(await status());
    expect(before.waiting).toBe(3);
    expect(before.queued.map((q) => q.id)).toEqual(added.added);
    expect(before.queued.find((q) => q.id === id.damaged)).toMatchObject({ file: 'damaged.apk', retrying: false });

    // Refusals, each with its reason for the page to word.
    expect(await api.call('farm.retry', { jobId: id.cancelled })).toMatchObject({ ok: false, error: { code: 'farm.job-refused', details: { id: id.cancelled, reason: 'farm-job-not-failed' } } });
    expect(await api.call('farm.cancel', { jobId: `check-${'f'.repeat(40)}` })).toMatchObject({ ok: false, error: { code: 'farm.job-refused', details: { reason: 'farm-job-not-found' } } });
    expect(await api.call('farm.cancel', { jobId: 'analyze-nothex' })).toMatchObject({ ok: false, error: { code: 'bridge.invalid-arguments', details: { field: 'jobId' } } });
    expect(await api.call('farm.cancel', { jobId: id.cancelled })).toEqual({ ok: true, value: { done: true, kind: 'analyze' } });
    expect(analyzeQueue(await status()).queued.map((q) => q.id)).not.toContain(id.cancelled);

    // Joining: what cannot be offered is refused before anything starts.
    const join0 = { phones: [], storeDir, analyze: 1, identityId: null, passphrase: '' };
    expect(await api.call('farm.join', { ...join0, storeDir: 'store' })).toMatchObject({ ok: false, error: { code: 'bridge.invalid-arguments', details: { field: 'storeDir', problem: 'not absolute' } } });
    expect(await api.call('farm.join', { ...join0, analyze: 0 })).toMatchObject({ ok: false, error: { code: 'bridge.invalid-arguments', details: { problem: 'a phone or an analysis' } } });
    expect(await api.call('farm.join', { ...join0, storeDir: join(work, 'not-mounted') })).toMatchObject({ ok: false, error: { code: 'farm.store-missing' } });
    expect((await status()).member).toBeNull();

    const joined = await api.call('farm.join', join0) as Outcome<FarmMembership>;
    expect(joined).toMatchObject({ ok: true, value: { analyze: 1, phones: [], storeDir } });
    const name = joined.ok ? joined.value.name : '';
    expect(await api.call('farm.join', join0)).toMatchObject({ ok: false, error: { code: 'farm.already-joined' } });
    const settled = await waitFor('the analyze queue to drain', async () => {
      const v = await status();
      const q = analyzeQueue(v);
      return q.done === 1 && q.failed === 1 && q.active === 0 ? v : null;
    }, 60_000, 250);
    expect(settled.member).toMatchObject({ name, analyze: 1 });
    expect(settled.status!.workers.find((w) => w.name === name)).toMatchObject({ analyze: 1, phones: [], alive: true });
    const failure = analyzeQueue(settled).failures.find((f) => f.id === id.damaged)!;
    expect(failure).toMatchObject({ file: 'damaged.apk', attempts: 1 });
    expect(failure.reason).toMatch(/changed or damaged; refused/);
    expect(analyzeQueue(settled).history.reduce((n, b) => n + b.done + b.failed, 0)).toBe(2);

    // Repaired, retried, done; a finished job is not retried.
    copyFileSync(join(apks, 'damaged.apk'), store.pathOf(sha.damaged));
    expect(await api.call('farm.retry', { jobId: id.damaged })).toEqual({ ok: true, value: { done: true, kind: 'analyze' } });
    await waitFor('the retried job to be done', async () => {
      const q = analyzeQueue(await status());
      return q.done === 2 && q.failed === 0;
    }, 60_000, 250);
    expect(await api.call('farm.retry', { jobId: id.damaged })).toMatchObject({ ok: false, error: { code: 'farm.job-refused', details: { reason: 'farm-job-finished' } } });
    expect(existsSync(join(work, 'data', 'farm-worker.log'))).toBe(true);

    expect(await api.call('farm.leave', {})).toEqual({ ok: true, value: { left: true } });
    const after = await status();
    expect(after.member).toBeNull();
    expect(after.status!.workers.map((w) => w.name)).not.toContain(name);
    expect(await api.call('farm.leave', {})).toEqual({ ok: true, value: { left: false } });
  }, 120_000);

  it('says Redis is unreachable while it is down and reads the farm again once it is back', async () => {
    await redis.stop();
    const down = await status();
    expect(down).toMatchObject({ connection: { farm: 'lab1' }, reachable: false, status: null });
    expect(down.problem).toMatch(/cannot reach Redis at 127\.0\.0\.1:\d+/);
    expect(await api.call('app.info', {})).toMatchObject({ ok: true });
    await redis.start();
    await waitFor('Redis to answer the page again', async () => (await status()).reachable, 15_000, 250);
    expect(analyzeQueue(await status()).done).toBe(2);
  }, 60_000);
});
