// uid → package live: the monitor reads the phone's own package list (`pm list packages -U`) through the real adb
// server from the virtual phone, so a line that names only a uid (the REAL_GET_TASKS form of search index file
// 9248556724) names its app. A package installed while the monitor runs (`pm install` logs nothing on this phone)
// is named once a line names its unknown uid: the monitor reads the list again. A uid the phone does not list stays a uid.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorEvent } from '../../../../src-preload/monitor-events.js';
import { AdbkitBridge } from '../../../../src-main/core/adb/index.js';
import { DeviceControl } from '../../../../src-main/core/adb/device-control.js';
import { DeviceMonitor } from '../../../../src-main/core/monitor/device-monitor.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone, TEST_APKS } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let bridge: AdbkitBridge;
const cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  adb = await startAdbServer();
  bridge = new AdbkitBridge('adb', adb.port);
});
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});
afterAll(async () => adb?.kill());

describe('uid → package on a live phone', () => {
  it('names the app of a uid from pm list packages -U, and reads the list again after an install', async () => {
    const phone = await startPhone(adb, 'collects-before-consent');
    const events: MonitorEvent[] = [];
    const m = new DeviceMonitor({ bridge, serial: phone.serial, packageName: null, rawLogPath: join(mkdtempSync(join(tmpdir(), 'uids-')), 'raw.log'), onEvent: (e) => events.push(e), onLines: () => {} });
    await m.start();
    cleanup.push(async () => {
      await m.stop();
      await phone.stop();
    });
    const polled = (uid: number): void => {
      phone.system.log.append({ pid: 1201, priority: 5, tag: 'ActivityManager', message: `getRunningAppProcesses: caller ${uid} does not hold REAL_GET_TASKS; limiting output`, buffer: 'system' });
    };
    const readBy = (uid: number) => waitFor(`the read by uid ${uid}`, async () => events.find((e) => e.type === 'sensitive.access' && e.uid === uid), 5000);

    const shopUid = phone.system.pm.get('com.demo.shop')!.uid;
    polled(shopUid);
    expect(await readBy(shopUid)).toMatchObject({ type: 'sensitive.access', data: 'running-apps', outcome: 'limited', packageName: 'com.demo.shop', source: 'logcat' });
    polled(10999);
    expect(await readBy(10999)).toMatchObject({ packageName: null });

    const control = new DeviceControl(bridge);
    const installed = await control.install(phone.serial, TEST_APKS.settings, 'settings.apk', () => {});
    expect(installed.ok).toBe(true);
    const newUid = phone.system.pm.get('io.appium.settings')!.uid;
    polled(newUid);
    expect(await readBy(newUid)).toMatchObject({ packageName: null });
    // The unknown uid asks for the list again (at most every 2 s after the last read).
    await waitFor('the list read again', async () => m.appDirectory.packageOfUid(newUid), 6000);
    events.length = 0;
    polled(newUid);
    expect(await readBy(newUid)).toMatchObject({ packageName: 'io.appium.settings' });
  }, 30_000);
});
