/**
 * `apprights devices`, `virtual-device` and `scenarios`: the phones the adb server sees, the virtual phone
 * playing a scenario, and the shipped scenarios.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AdbkitBridge, DeviceWatcher, locateAdb } from '../core/adb/index.js';
import { defaultDataDir } from '../core/data-dir.js';
import { resourcesDir } from '../core/resources-dir.js';
import { SettingsStore } from '../core/settings/index.js';
import { VirtualDevice, listScenarios, loadScenarioFile, romProfile } from '../core/virtual-device/index.js';
import { scenarioPath } from '../core/virtual-device/scenario/load-scenario.js';
import { phoneName } from '../../src-preload/phone-name.js';
import { fail, intOption, waitForSignal } from './cli-support.js';
import { column, own, tty } from './terminal-guard.js';

export async function devices(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, 'data-dir': { type: 'string' } } });
  const settings = new SettingsStore(resolve(values['data-dir'] ?? defaultDataDir()));
  const adb = locateAdb({ settingPath: settings.get().adbPath, env: process.env, platform: process.platform });
  const bridge = new AdbkitBridge(adb.path, Number(process.env.ANDROID_ADB_SERVER_PORT) || 5037);
  await bridge.startServer();
  const watcher = new DeviceWatcher(bridge);
  await watcher.refresh();
  // Give property reads of newly seen devices a moment to land.
  await new Promise((r) => setTimeout(r, 300));
  await watcher.refresh();
  const list = watcher.devices;
  if (values.json) {
    process.stdout.write(JSON.stringify(list, null, 2) + '\n');
    return;
  }
  if (!list.length) {
    process.stdout.write('No devices. Connect a phone with USB debugging on, or start the demo phone: apprights virtual-device --connect\n');
    return;
  }
  for (const d of list) {
    // Serial, model, manufacturer and version are the phone's own words.
    process.stdout.write(tty`${column(d.serial, 24)} ${column(d.state, 14)} ${column(d.transport, 4)} ${phoneName(d.manufacturer, d.model)}${own(d.androidVersion ? tty` (Android ${d.androidVersion}, SDK ${d.sdk})` : '')}\n`);
  }
}

export async function virtualDevice(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { scenario: { type: 'string' }, profile: { type: 'string' }, port: { type: 'string' }, connect: { type: 'boolean' }, auth: { type: 'boolean' } } });
  const name = values.scenario ?? 'compliant-app';
  const port = intOption(values.port, '--port', 0, 65535, 0);
  let scenario;
  let profile;
  try {
    profile = romProfile(values.profile ?? 'virtual');
    scenario = loadScenarioFile(scenarioPath(name, join(resourcesDir(), 'scenarios')));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err), 2);
  }
  const device = new VirtualDevice({ scenario, profile: profile.id, port, requireAuth: values.auth ?? false });
  await device.start();
  process.stdout.write(tty`Virtual phone "${device.scenario.id}" (${profile.name.en}) listening on ${device.serial}\n`);
  let bridge: AdbkitBridge | null = null;
  if (values.connect) {
    const adb = locateAdb({ settingPath: null, env: process.env, platform: process.platform });
    bridge = new AdbkitBridge(adb.path, Number(process.env.ANDROID_ADB_SERVER_PORT) || 5037);
    await bridge.startServer();
    try {
      await bridge.connect(device.host, device.port);
      process.stdout.write(tty`Connected: adb -s ${device.serial} shell\n`);
    } catch (err) {
      // With --auth the phone refuses the host's key, as a phone whose RSA prompt nobody accepted: adb lists it
      // as unauthorized for as long as it runs. Anything else is a real failure.
      if (!values.auth || !/authenticate/i.test(err instanceof Error ? err.message : '')) throw err;
      process.stdout.write(tty`Connected; adb lists ${device.serial} as "unauthorized" (the RSA prompt was not accepted), as --auth asks.\n`);
    }
  } else {
    process.stdout.write(tty`Connect it with: adb connect ${device.serial}\n`);
  }
  process.stdout.write(tty`serial=${device.serial}\n`);
  await waitForSignal();
  await device.stop();
  // Leave no offline entry behind in the adb server for a phone we connected ourselves.
  await bridge?.disconnect(device.host, device.port).catch(() => undefined);
  process.stdout.write('Virtual phone stopped.\n');
}

export async function scenarios(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
  const { scenarios: list, errors } = listScenarios(join(resourcesDir(), 'scenarios'));
  if (values.json) process.stdout.write(JSON.stringify(list, null, 2) + '\n');
  else for (const s of list) process.stdout.write(tty`${column(s.id, 36)} ${s.violates.join(', ') || '(compliant)'}\n`);
  for (const e of errors) process.stderr.write(tty`invalid scenario: ${e}\n`);
}

