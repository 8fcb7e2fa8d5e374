// The monitor through the real adb server against the virtual phone: the violations of the scenarios show up
// as typed events within about a second, and a phone that drops mid-stream and returns leaves every log line
// in the raw log exactly once.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { MonitorEvent } from '../../../../src-preload/monitor-events.js';
import { AdbkitBridge } from '../../../../src-main/core/adb/index.js';
import { DeviceControl } from '../../../../src-main/core/adb/device-control.js';
import { DeviceMonitor, type MonitoredLine } from '../../../../src-main/core/monitor/device-monitor.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone } from '../../../support/virtual-phone.js';

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

async function monitor(phone: VirtualDevice, pkg: string | null) {
  const events: MonitorEvent[] = [];
  const lines: MonitoredLine[] = [];
  const rawLogPath = join(mkdtempSync(join(tmpdir(), 'mon-')), 'raw.log');
  const m = new DeviceMonitor({ bridge, serial: phone.serial, packageName: pkg, rawLogPath, onEvent: (e) => events.push(e), onLines: (l) => lines.push(...l) });
  await m.start();
  cleanup.push(async () => {
    await m.stop();
    await phone.stop();
  });
  return { m, events, lines, rawLogPath };
}

const tap = async (control: DeviceControl, serial: string, idSuffix: string): Promise<void> => {
  const tree = await control.uiTree(serial);
  const all = (ns: typeof tree.nodes): typeof tree.nodes => ns.flatMap((n) => [n, ...all(n.children)]);
  const node = all(tree.nodes).find((n) => n.resourceId.endsWith(idSuffix));
  if (!node) throw new Error(`no node ${idSuffix}`);
  await control.input(serial, { kind: 'tap', x: (node.bounds[0] + node.bounds[2]) / 2, y: (node.bounds[1] + node.bounds[3]) / 2 });
};

describe('DeviceMonitor', () => {
  it('collects-before-consent: dialog, identifier access and rejected app ops of the app appear', async () => {
    const phone = await startPhone(adb, 'collects-before-consent');
    const { m, events, lines } = await monitor(phone, 'com.demo.shop');
    const control = new DeviceControl(bridge);
    const launched = Date.now();
    await control.launch(phone.serial, 'com.demo.shop');
    const dialog = await waitFor('dialog event', async () => events.find((e) => e.type === 'permission.dialog'), 6000);
    expect(dialog).toMatchObject({ packageName: 'com.demo.shop', source: 'logcat', controller: 'com.android.permissioncontroller' });
    expect(dialog.raw[0]).toMatch(/REQUEST_PERMISSIONS/);
    expect(events.find((e) => e.type === 'identifier.access')).toMatchObject({ method: 'getImeiForSlot', packageName: 'com.demo.shop' });
    expect(events.filter((e) => e.type === 'identifier.access')).toHaveLength(1);
    // Generous bounds here: this file shares 2 cores with the flood and fuzz tests. The e2e suite (one
    // worker) holds the timeline to its 1 s goal.
    const reject = await waitFor('app-op reject', async () => events.find((e) => e.type === 'appop.reject' && e.op === 'READ_PHONE_STATE'), 8000)
      .catch((err: Error) => {
        // Say what the poller did, so a failure here can be understood from the log alone.
        throw new Error(`${err.message}; monitor ${JSON.stringify(m.stats)}; events ${events.map((e) => `${e.type}${'op' in e ? `:${e.op}` : ''}@${e.hostTime - launched}`).join(' ')}`);
      });
    expect(reject).toMatchObject({ uidState: 'top', flags: 's', source: 'appops' });
    expect(reject.hostTime - launched).toBeLessThan(8000);
    expect(events.find((e) => e.type === 'process.start')).toMatchObject({ hostingType: 'top-activity', selfStart: false });
    expect(lines.some((l) => l.app && l.tag === 'TelephonyPermissions')).toBe(true);
    expect(lines.some((l) => !l.app)).toBe(true);
  });

  it('re-requests-denied-permission: deny result, re-opened dialog, USER_SET/USER_FIXED state changes', async () => {
    const phone = await startPhone(adb, 're-requests-denied-permission');
    const { events } = await monitor(phone, 'com.demo.camera');
    const control = new DeviceControl(bridge);
    await control.launch(phone.serial, 'com.demo.camera');
    await tap(control, phone.serial, 'agree');
    await waitFor('first dialog', async () => events.find((e) => e.type === 'permission.dialog'), 6000);
    await tap(control, phone.serial, 'permission_deny_button');
    const denied = await waitFor('denied', async () => events.find((e) => e.type === 'permission.result'), 6000);
    expect(denied).toMatchObject({ permission: 'android.permission.CAMERA', resultName: 'USER_DENIED', granted: false });
    await waitFor('second dialog', async () => events.filter((e) => e.type === 'permission.dialog').length === 2, 6000);
    await tap(control, phone.serial, 'permission_deny_and_dont_ask_again_button');
    await waitFor('fixed', async () => events.find((e) => e.type === 'permission.result' && e.result === 7), 6000);
    const state = await waitFor('state change', async () => events.find((e) => e.type === 'permission.state' && e.flags.includes('USER_FIXED')), 4000);
    expect(state).toMatchObject({ permission: 'android.permission.CAMERA', granted: false, change: 'flags' });
  });

  it('self-start and associated start after a reboot, and the foreground/screen state', async () => {
    const phone = await startPhone(adb, 'self-start-and-associated-start', { rebootDelayMs: 300 });
    const { events } = await monitor(phone, 'com.demo.video');
    await waitFor('foreground baseline', async () => events.find((e) => e.type === 'app.foreground'), 6000);
    await adb.adb(['-s', phone.serial, 'shell', 'am', 'broadcast', '-a', 'android.net.conn.CONNECTIVITY_CHANGE']);
    const selfStart = await waitFor('self-start', async () => events.find((e) => e.type === 'process.start' && e.selfStart), 6000);
    expect(selfStart).toMatchObject({ hostingType: 'broadcast', component: 'com.demo.video/.NetReceiver' });
    await adb.adb(['-s', phone.serial, 'reboot']).catch(() => undefined);
    await waitFor('disconnected', async () => events.find((e) => e.type === 'device.disconnected'), 5000);
    await waitFor('reconnected', async () => events.find((e) => e.type === 'device.reconnected'), 20_000, 200);
    const associated = await waitFor('associated start', async () => events.find((e) => e.type === 'process.start' && e.caller === 'com.demo.video'), 8000);
    expect(associated).toMatchObject({ component: 'com.demo.videohelper/.PushService', hostingType: 'service' });
    await adb.adb(['-s', phone.serial, 'shell', 'input', 'keyevent', 'KEYCODE_POWER']);
    expect(await waitFor('screen off', async () => events.find((e) => e.type === 'screen.state' && !e.on), 4000)).toBeTruthy();
  }, 40_000);

  it('the phone drops mid-stream and returns: the raw log has every line exactly once', async () => {
    const phone = await startPhone(adb, 'compliant-app');
    const { events, rawLogPath, m } = await monitor(phone, null);
    let n = 0;
    const producer = setInterval(() => {
      for (let i = 0; i < 5; i++) phone.system.log.append({ pid: 777, priority: 4, tag: 'Seq', message: `n=${n++}` });
    }, 5);
    await waitFor('lines flowing', async () => m.stats.lines > 200, 6000);
    await phone.unplug(1500);
    await waitFor('reconnected', async () => events.find((e) => e.type === 'device.reconnected'), 10_000, 100);
    await new Promise((r) => setTimeout(r, 500));
    clearInterval(producer);
    const last = n - 1;
    await waitFor('tail arrived', async () => readFileSync(rawLogPath, 'utf8').includes(`n=${last}\n`), 5000);
    const seen = readFileSync(rawLogPath, 'utf8').split('\n').map((l) => /Seq\s*: n=(\d+)$/.exec(l)?.[1]).filter((x): x is string => !!x).map(Number);
    expect(seen.length).toBe(last + 1);
    expect(seen).toEqual([...Array(last + 1).keys()]);
    expect(events.find((e) => e.type === 'device.disconnected')).toBeTruthy();
  }, 30_000);
});
