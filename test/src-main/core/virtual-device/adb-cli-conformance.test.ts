// The adb CLI (Debian's adb 1.0.41 through its own server on a private port) treats the virtual phone as a
// phone: connect, devices -l, shell, push/pull, install, logcat, screencap, uiautomator, reboot.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { TEST_APKS, startPhone } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let phone: VirtualDevice;
const sh = async (...args: string[]): Promise<string> => (await adb.adb(['-s', phone.serial, ...args])).stdout;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhone(adb, 'collects-before-consent', { rebootDelayMs: 800 });
});
afterAll(async () => {
  await adb?.kill();
  await phone?.stop();
});

describe('adb CLI against the virtual phone', () => {
  it('lists it with its model and answers getprop', async () => {
    expect((await adb.adb(['devices', '-l'])).stdout).toMatch(new RegExp(`${phone.serial.replace(/\./g, '\\.')}\\s+device product:panther model:Pixel_7 device:panther`));
    expect((await sh('shell', 'getprop', 'ro.product.model')).trim()).toBe('Pixel 7');
    expect(await sh('shell', 'getprop')).toMatch(/^\[ro\.build\.version\.sdk\]: \[33\]$/m);
  });

  it('pushes and pulls 20 MB with equal sha256', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vd-push-'));
    const data = randomBytes(20 * 1024 * 1024);
    writeFileSync(join(dir, 'in.bin'), data);
    await adb.adb(['-s', phone.serial, 'push', join(dir, 'in.bin'), '/sdcard/Download/in.bin'], { timeoutMs: 60_000 });
    await adb.adb(['-s', phone.serial, 'pull', '/sdcard/Download/in.bin', join(dir, 'out.bin')], { timeoutMs: 60_000 });
    expect(sha(readFileSync(join(dir, 'out.bin')))).toBe(sha(data));
    expect(await sh('shell', 'ls', '/sdcard/Download')).toMatch(/^in\.bin$/m);
  });

  it('installs a real APK; pm list packages and pm path show it; uninstall removes it', async () => {
    const out = (await adb.adb(['-s', phone.serial, 'install', TEST_APKS.settings], { timeoutMs: 60_000 })).stdout;
    expect(out).toMatch(/Success/);
    expect(await sh('shell', 'pm', 'list', 'packages', '-3')).toMatch(/^package:io\.appium\.settings$/m);
    expect(await sh('shell', 'pm', 'path', 'io.appium.settings')).toMatch(/^package:\/data\/app\/.*\/base\.apk$/m);
    expect(await sh('shell', 'dumpsys', 'package', 'io.appium.settings')).toMatch(/versionCode=192 minSdk=26 targetSdk=35/);
    expect(await sh('shell', 'ls', '/data/local/tmp')).not.toMatch(/\.apk/);
    expect(await sh('uninstall', 'io.appium.settings')).toMatch(/Success/);
    expect(await sh('shell', 'pm', 'list', 'packages')).not.toMatch(/io\.appium\.settings/);
  });

  it('refuses a file that is not an APK with the real failure code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vd-bad-'));
    writeFileSync(join(dir, 'bad.apk'), 'not a zip');
    const result = await adb.adb(['-s', phone.serial, 'install', join(dir, 'bad.apk')]).catch((e: { stdout?: string; stderr?: string }) => ({ stdout: String(e.stdout), stderr: String(e.stderr) }));
    expect(result.stdout + result.stderr).toMatch(/INSTALL_PARSE_FAILED_NOT_APK/);
  });

  it('launches the app and logcat -d shows the threadtime lines', async () => {
    expect(await sh('shell', 'am', 'start', '-W', '-n', 'com.demo.shop/.MainActivity')).toMatch(/Status: ok\nLaunchState: COLD\nActivity: com\.demo\.shop\/\.MainActivity\nTotalTime: \d+/);
    const log = await sh('logcat', '-d', '-b', 'all');
    expect(log).toMatch(/^\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} {1,5}\d+ {1,5}\d+ I ActivityManager: Start proc \d+:com\.demo\.shop\/u0a\d+ for top-activity \{com\.demo\.shop\/\.MainActivity\}$/m);
    expect(await sh('logcat', '-d', '-s', 'ActivityManager:I')).not.toMatch(/ActivityTaskManager/);
  });

  it('exec-out screencap -p is a PNG of the screen size; uiautomator dump writes the layout', async () => {
    const png = PNG.sync.read(await adb.adbBuffer(['-s', phone.serial, 'exec-out', 'screencap', '-p'], 30_000));
    expect([png.width, png.height]).toEqual([1080, 2400]);
    expect(await sh('shell', 'uiautomator', 'dump')).toMatch(/UI hierchary dumped to: \/sdcard\/window_dump\.xml/);
    const xml = await sh('shell', 'cat', '/sdcard/window_dump.xml');
    expect(xml).toMatch(/^<\?xml version='1\.0' encoding='UTF-8' standalone='yes' \?><hierarchy rotation="0">/);
    expect(xml).toMatch(/bounds="\[\d+,\d+\]\[\d+,\d+\]"/);
  });

  it('refuses unknown services like adbd (error: closed)', async () => {
    const err = await adb.adb(['-s', phone.serial, 'root']).then(() => null, (e: { stderr?: string; stdout?: string }) => String(e.stderr) + String(e.stdout));
    expect(err ?? '').toMatch(/closed|error/);
  });

  it('reboots: the device goes away and comes back', async () => {
    await adb.adb(['-s', phone.serial, 'reboot']).catch(() => undefined);
    await waitFor('device gone', async () => !(await adb.adb(['devices'])).stdout.includes(`${phone.serial}\tdevice`), 5000);
    await waitFor('device back', async () => (await adb.adb(['devices'])).stdout.includes(`${phone.serial}\tdevice`), 20_000, 250);
    expect((await sh('shell', 'echo', 'back')).trim()).toBe('back');
  }, 40_000);
});
