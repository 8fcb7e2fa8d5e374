// adbkit (the client library the workbench uses) against the virtual phone through the real adb server.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import Adb from '@devicefarmer/adbkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { TEST_APKS, startPhone } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let phone: VirtualDevice;
let client: ReturnType<typeof Adb.createClient>;

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhone(adb, 'compliant-app');
  client = Adb.createClient({ host: '127.0.0.1', port: adb.port });
});
afterAll(async () => {
  await adb?.kill();
  await phone?.stop();
});

const readAll = async (s: NodeJS.ReadableStream): Promise<Buffer> => Adb.util.readAll(s as never);

describe('adbkit against the virtual phone', () => {
  it('listDevices and getProperties', async () => {
    const list = await client.listDevices();
    expect(list).toContainEqual({ id: phone.serial, type: 'device' });
    const props = await client.getDevice(phone.serial).getProperties();
    expect(props['ro.product.manufacturer']).toBe('Google');
    expect(props['ro.build.version.release']).toBe('13');
  });

  it('trackDevices reports add and remove', async () => {
    const tracker = await client.trackDevices();
    const events: string[] = [];
    tracker.on('add', (d: { id: string }) => events.push(`add ${d.id}`));
    tracker.on('remove', (d: { id: string }) => events.push(`remove ${d.id}`));
    const second = await startPhone(adb, 'pre-ticked-consent');
    await waitFor('add event', async () => events.includes(`add ${second.serial}`), 5000);
    await adb.adb(['disconnect', second.serial]);
    await waitFor('remove event', async () => events.includes(`remove ${second.serial}`), 5000);
    tracker.end();
    await second.stop();
  });

  it('shell, push/pull and stat', async () => {
    const device = client.getDevice(phone.serial);
    expect((await readAll(await device.shell('echo hello && id'))).toString()).toMatch(/^hello\nuid=2000\(shell\)/);
    expect((await readAll(await device.shell(['echo', "it's quoted"]))).toString()).toBe("it's quoted\n");
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const transfer = await device.push(Readable.from([data], { objectMode: false }), '/data/local/tmp/blob.bin');
    await new Promise((resolve, reject) => transfer.on('end', resolve).on('error', reject));
    const stat = await device.stat('/data/local/tmp/blob.bin');
    expect(stat.size).toBe(data.length);
    const pulled = await readAll(await device.pull('/data/local/tmp/blob.bin'));
    expect(createHash('sha256').update(pulled).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('install, isInstalled, startActivity', async () => {
    const device = client.getDevice(phone.serial);
    expect(await device.install(TEST_APKS.androidTest)).toBe(true);
    expect(await device.isInstalled('io.appium.uiautomator2.server.test')).toBe(true);
    expect(await device.isInstalled('com.not.there')).toBe(false);
    await device.startActivity({ component: 'com.demo.compliant/.MainActivity', wait: true });
    expect((await readAll(await device.shell('dumpsys activity activities'))).toString()).toMatch(/ResumedActivity: ActivityRecord\{\w+ u0 com\.demo\.compliant\//);
  });

  it('openLogcat parses the binary entries', async () => {
    const device = client.getDevice(phone.serial);
    const logcat = await device.openLogcat({ clear: false });
    const entries: Array<{ tag: string; message: string; pid: number }> = [];
    logcat.on('entry', (e: { tag: string; message: string; pid: number }) => entries.push(e));
    await device.shell('am force-stop com.demo.compliant').then(readAll);
    await device.shell('monkey -p com.demo.compliant -c android.intent.category.LAUNCHER 1').then(readAll);
    await waitFor('Start proc entry', async () => entries.some((e) => e.tag === 'ActivityManager' && /^Start proc \d+:com\.demo\.compliant\//.test(e.message)), 5000);
    logcat.end();
  });
});
