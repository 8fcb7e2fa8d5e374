/**
 * The workbench working for the farm with a phone, through its own API (the dispatcher every shell uses), a real
 * redis-server and a virtual phone through the real adb server: a wrong passphrase is refused and holds no phone;
 * joined with the phone and the tester's identity, a session on that phone is refused while the farm holds it; the
 * check job added for the app on the phone runs there with the workbench's template store and identity, its result
 * names the phone and its package verifies (`apprights verify`); leave frees the phone. Needs `npm run build`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../../../src-main/bridge/dispatcher.js';
import { Workbench } from '../../../../src-main/core/workbench.js';
import { ApkStore, addJobs, commandConnection, farmKeys } from '../../../../src-main/core/farm/index.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import type { FarmView } from '../../../../src-preload/farm.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { runCli } from '../../../support/cli.js';
import { callApi } from '../../../support/dispatcher-call.js';
import { startRedis, type TestRedis } from '../../../support/redis-server.js';
import { startPhone } from '../../../support/virtual-phone.js';

const PASSPHRASE = 'lab passphrase 1';

let adb: TestAdbServer;
let redis: TestRedis;
let phone: VirtualDevice;
let work: string;
let wb: Workbench;
let api: Dispatcher;

beforeAll(async () => {
  [adb, redis] = await Promise.all([startAdbServer(), startRedis()]);
  phone = await startPhone(adb, 'collects-before-consent');
  work = mkdtempSync(join(tmpdir(), 'apprights-farm-join-'));
  wb = new Workbench({ dataDir: join(work, 'data'), shell: 'browser', version: 'test', adbServerPort: adb.port });
  await wb.start();
  api = new Dispatcher(wb.handlers());
}, 60_000);

afterAll(async () => {
  await wb?.close();
  await phone?.stop();
  await adb?.kill();
  await redis?.kill();
  rmSync(work, { recursive: true, force: true });
});

describe('the workbench as a farm worker with a phone', () => {
  it('refuses a wrong passphrase, holds the phone against sessions while joined, runs a check on it and frees it on leave', async () => {
    await callApi(api, 'evidence.createIdentity', { name: 'Farm Tester', passphrase: PASSPHRASE });
    await callApi(api, 'farm.connect', { redisUrl: redis.url, farm: null });
    await waitFor('the phone listed by the workbench', async () => (await callApi<Array<{ serial: string; state: string }>>(api, 'devices.list', {})).some((d) => d.serial === phone.serial && d.state === 'device'), 15_000, 200);
    const storeDir = join(work, 'store');
    mkdirSync(storeDir);
    const join0 = { phones: [phone.serial], storeDir, analyze: 0, identityId: null, passphrase: PASSPHRASE, dwellSeconds: 1 };

    const wrong = await api.call('farm.join', { ...join0, passphrase: 'not the passphrase' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'evidence.wrong-passphrase' } });
    expect(JSON.stringify(wrong)).not.toContain('not the passphrase');
    expect(wb.farm.offeredPhones()).toEqual([]);
    expect(await api.call('farm.join', { ...join0, phones: ['127.0.0.1:1'] })).toMatchObject({ ok: false, error: { code: 'farm.phone-unavailable', details: { reason: 'farm-phone-not-ready' } } });

    const joined = await callApi<{ name: string; phones: string[] }>(api, 'farm.join', join0);
    expect(joined.phones).toEqual([phone.serial]);
    // The tester cannot start a session on it meanwhile.
    const refused = await api.call('session.start', { serial: phone.serial, packageName: 'com.demo.shop', tester: 'T', caseRef: '' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'farm.phone-in-farm', details: { serial: phone.serial } } });
    // Nor change the phone by hand: a shell, a tap or an uninstall is refused; looking at it is not.
    for (const [method, args] of [['device.shell', { command: 'id' }], ['device.input', { action: { kind: 'key', key: 'HOME' } }], ['device.uninstall', { packageName: 'com.demo.shop' }]] as const) {
      expect(await api.call(method as never, { serial: phone.serial, ...args } as never), method).toMatchObject({ ok: false, error: { code: 'farm.phone-in-farm' } });
    }
    expect(await api.call('device.details', { serial: phone.serial })).toMatchObject({ ok: true });

    // A check of the app already on the phone, judged by the workbench's own default template.
    const t = await wb.templates.get();
    const template = { id: t.summary.id, version: t.summary.version, sha256: t.sha256 };
    const conn = await commandConnection(redis.url);
    try {
      const added = await addJobs(conn, new ApkStore(storeDir), { farm: farmKeys(null), kind: 'check', apks: [], packages: ['com.demo.shop'], template });
      expect(added.added).toHaveLength(1);
    } finally {
      conn.disconnect();
    }
    const busy = await waitFor('the phone busy with the check', async () => {
      const v = await callApi<FarmView>(api, 'farm.status', {});
      return v.status!.workers.find((w) => w.name === joined.name)?.phones.find((p) => p.serial === phone.serial && p.state === 'busy') ?? null;
    }, 30_000, 200);
    expect(busy.job).toMatch(/^check-[0-9a-f]{40}$/);
    const done = await waitFor('the check to be done', async () => {
      const v = await callApi<FarmView>(api, 'farm.status', {});
      const q = v.status!.queues.find((x) => x.kind === 'check')!;
      return q.done === 1 ? v : q.failed ? Promise.reject(new Error(`the check failed: ${q.failures[0]!.reason}`)) : null;
    }, 180_000, 500);
    expect(done.status!.workers.find((w) => w.name === joined.name)?.phones).toEqual([{ serial: phone.serial, state: 'idle', job: null }]);
    const redisConn = await commandConnection(redis.url);
    let line: { serial: string; worker: string; package: string; packageName: string; proposals: unknown[] };
    try {
      line = JSON.parse((await redisConn.hget(farmKeys(null).results, busy.job!))!);
    } finally {
      redisConn.disconnect();
    }
    expect(line).toMatchObject({ serial: phone.serial, worker: joined.name, packageName: 'com.demo.shop', package: join(storeDir, 'packages', `${busy.job}.zip`) });
    expect(line.proposals.length).toBeGreaterThan(0);
    const verify = await runCli(['verify', line.package, '--lang', 'en'], adb.env, 60_000);
    expect(verify.code, verify.stdout).toBe(0);

    expect(await callApi(api, 'farm.leave', {})).toEqual({ left: true });
    expect(wb.farm.offeredPhones()).toEqual([]);
    expect(await api.call('device.shell', { serial: phone.serial, command: 'id' })).toMatchObject({ ok: true });
  }, 240_000);
});
