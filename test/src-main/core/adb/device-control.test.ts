// Device control through the real adb server against the virtual phone: details, install with progress,
// lifecycle, screenshots, taps that change the screen, the UI tree, keys, the shell, and a phone that
// disappears mid-install.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstallProgress, UiDumpNode } from '../../../../src-preload/api.js';
import { AdbkitBridge } from '../../../../src-main/core/adb/index.js';
import { DeviceControl } from '../../../../src-main/core/adb/device-control.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { TEST_APKS, startPhone } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let phone: VirtualDevice;
let control: DeviceControl;

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhone(adb, 'collects-before-consent');
  control = new DeviceControl(new AdbkitBridge('adb', adb.port));
});
afterAll(async () => {
  await adb?.kill();
  await phone?.stop();
});

describe('DeviceControl', () => {
  it('reads the details in one round trip, with the clock offset and the phone\'s time zone', async () => {
    const d = await control.details(phone.serial);
    expect(d).toMatchObject({
      model: 'Pixel 7', manufacturer: 'Google', androidVersion: '13', sdk: 33, abis: ['arm64-v8a', 'armeabi-v7a', 'armeabi'],
      screen: { width: 1080, height: 2400, density: 440 }, batteryLevel: 87, rooted: false, timezone: 'Asia/Shanghai',
    });
    expect(d.fingerprint).toMatch(/^google\/panther\/panther:13\//);
    expect(d.freeStorageBytes).toBeGreaterThan(100 * 1024 * 1024);
    expect(Math.abs(d.clockOffsetMs!)).toBeLessThan(1000);
  });

  it('installs a real APK with push progress before the result, without granting permissions', async () => {
    const progress: InstallProgress[] = [];
    const result = await control.install(phone.serial, TEST_APKS.uiautomator2, 'server.apk', (p) => progress.push(p));
    expect(result).toMatchObject({ ok: true, packageName: 'io.appium.uiautomator2.server' });
    const pushes = progress.filter((p) => p.phase === 'push');
    expect(pushes.length).toBeGreaterThan(10);
    expect(pushes.at(-1)!.bytes).toBe(17_968_807);
    expect(progress.map((p) => p.phase).slice(-2)).toEqual(['install', 'done']);
    expect((await control.packages(phone.serial)).map((a) => a.packageName)).toContain('io.appium.uiautomator2.server');
    expect(phone.system.pm.get('io.appium.uiautomator2.server')!.runtime.size).toBe(0);
    expect(await control.shell(phone.serial, 'ls /data/local/tmp')).not.toMatch(/apprights-/);
  });

  it('explains a failed install in both languages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bad-apk-'));
    writeFileSync(join(dir, 'fake.apk'), 'not really an apk');
    const result = await control.install(phone.serial, join(dir, 'fake.apk'), 'fake.apk', () => {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure).toMatchObject({ code: 'INSTALL_PARSE_FAILED_NOT_APK', en: 'The file is not an APK.' });
  });

  it('launches, shows the consent screen, taps through it and goes home', async () => {
    await control.launch(phone.serial, 'com.demo.shop');
    const shot = await control.screenshot(phone.serial);
    expect([shot.width, shot.height]).toEqual([1080, 2400]);
    const png = PNG.sync.read(shot.png);
    expect(png.width).toBe(1080);
    // The permission dialog comes over the consent screen a moment after the launch (the app asks once it is up):
    // deny it first.
    const deny = await waitFor('the permission dialog', async () => find((await control.uiTree(phone.serial)).nodes, (n) => n.resourceId.endsWith('permission_deny_button')));
    expect(deny).toMatchObject({ clickable: true, packageName: 'com.android.permissioncontroller' });
    await control.input(phone.serial, { kind: 'tap', x: mid(deny!.bounds)[0], y: mid(deny!.bounds)[1] });
    let tree = await control.uiTree(phone.serial);
    const agree = find(tree.nodes, (n) => n.resourceId === 'com.demo.shop:id/btn_agree');
    expect(agree).toMatchObject({ text: '同意并继续', clickable: true });
    await control.input(phone.serial, { kind: 'tap', x: mid(agree!.bounds)[0], y: mid(agree!.bounds)[1] });
    tree = await control.uiTree(phone.serial);
    expect(find(tree.nodes, (n) => n.text === '演示商城首页')).toBeDefined();
    await control.input(phone.serial, { kind: 'key', key: 'HOME' });
    expect(await control.shell(phone.serial, 'dumpsys activity activities')).toMatch(/ResumedActivity: ActivityRecord\{\w+ u0 com\.android\.launcher3\//);
    await control.forceStop(phone.serial, 'com.demo.shop');
    await control.clearData(phone.serial, 'com.demo.shop');
    await expect(control.launch(phone.serial, 'com.not.installed')).rejects.toThrow(/no launcher activity/);
  });

  it('strips terminal controls from shell output', async () => {
    expect(await control.shell(phone.serial, "echo '\u001b]0;owned\u0007hello \u001b[31mworld\u001b[0m'")).toBe('hello world\n');
  });

  it('fails clearly within 3 s when the phone vanishes mid-install', async () => {
    const second = await startPhone(adb, 'compliant-app');
    const progress: InstallProgress[] = [];
    const started = Date.now();
    const install = control.install(second.serial, TEST_APKS.uiautomator2, 'server.apk', (p) => {
      progress.push(p);
      if (progress.length === 3) void second.stop();
    });
    await expect(install).rejects.toThrow(/push to 127\.0\.0\.1:\d+: (Premature end|closed|.*ECONNRESET)/);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

function find(nodes: UiDumpNode[], pred: (n: UiDumpNode) => boolean): UiDumpNode | undefined {
  for (const n of nodes) {
    if (pred(n)) return n;
    const c = find(n.children, pred);
    if (c) return c;
  }
  return undefined;
}
function mid(b: [number, number, number, number]): [number, number] {
  return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
}
