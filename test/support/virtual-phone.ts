/**
 * Starts a virtual phone from a shipped scenario and connects it to a test adb server, the way a phone is
 * reached in the field: `adb connect 127.0.0.1:PORT` through the real adb server.
 */
import { join } from 'node:path';
import { VirtualDevice, loadScenarioFile, type VirtualDeviceOptions } from '../../src-main/core/virtual-device/index.js';
import { waitFor, type TestAdbServer } from './adb-server.js';

export const SCENARIOS = join(__dirname, '../../resources/scenarios');

export async function startPhone(adb: TestAdbServer, scenario = 'collects-before-consent', extra: Partial<VirtualDeviceOptions> = {}): Promise<VirtualDevice> {
  return startPhoneFrom(adb, join(SCENARIOS, `${scenario}.yaml`), extra);
}

/** The same, from a scenario file anywhere (test/fixtures/scenarios holds the test-only ones). */
export async function startPhoneFrom(adb: TestAdbServer, file: string, extra: Partial<VirtualDeviceOptions> = {}): Promise<VirtualDevice> {
  const device = new VirtualDevice({ scenario: loadScenarioFile(file), ...extra });
  await device.start();
  await adb.adb(['connect', device.serial]);
  await waitFor(`${device.serial} online`, async () => (await adb.adb(['devices'])).stdout.includes(`${device.serial}\tdevice`), 5000);
  return device;
}

/** The screen-video tests' phone (test/fixtures/scenarios/screen-video.yaml), its app open on the consent screen. */
export const SCREEN_VIDEO_SCENARIO = join(__dirname, '../fixtures/scenarios/screen-video.yaml');

export async function startScreenVideoPhone(adb: TestAdbServer): Promise<VirtualDevice> {
  const phone = await startPhoneFrom(adb, SCREEN_VIDEO_SCENARIO);
  const sh = async (...args: string[]): Promise<string> => (await adb.adb(['-s', phone.serial, 'shell', ...args])).stdout;
  await sh('monkey', '-p', 'com.demo.video', '1');
  await waitFor('the consent screen', async () => (await sh('uiautomator', 'dump', '/dev/tty')).includes('policy_link'));
  return phone;
}

export const TEST_APKS = {
  settings: join(__dirname, '../../node_modules/io.appium.settings/apks/settings_apk-debug.apk'),
  uiautomator2: join(__dirname, '../../node_modules/appium-uiautomator2-server/apks/appium-uiautomator2-server-v10.6.6.apk'),
  androidTest: join(__dirname, '../../node_modules/appium-uiautomator2-server/apks/appium-uiautomator2-server-debug-androidTest.apk'),
};
