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
import { intOption, waitForSignal } from './cli-support.js';
import { failWith } from './cli-errors.js';
import { language, say } from './cli-language.js';
import { text } from './cli-text.js';
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
    process.stdout.write(say(text.noDevices) + '\n');
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
    failWith(err, 2);
  }
  const device = new VirtualDevice({ scenario, profile: profile.id, port, requireAuth: values.auth ?? false });
  await device.start();
  process.stdout.write(say(text.virtualListening(device.scenario.id, language() === 'zh-CN' ? profile.name.zh : profile.name.en, device.serial)) + '\n');
  let bridge: AdbkitBridge | null = null;
  if (values.connect) {
    const adb = locateAdb({ settingPath: null, env: process.env, platform: process.platform });
    bridge = new AdbkitBridge(adb.path, Number(process.env.ANDROID_ADB_SERVER_PORT) || 5037);
    await bridge.startServer();
    try {
      await bridge.connect(device.host, device.port);
      process.stdout.write(say(text.connectedShell(device.serial)) + '\n');
    } catch (err) {
      // With --auth the phone refuses the host's key, as a phone whose RSA prompt nobody accepted: adb lists it
      // as unauthorized for as long as it runs. Anything else is a real failure.
      if (!values.auth || !/authenticate/i.test(err instanceof Error ? err.message : '')) throw err;
      process.stdout.write(say(text.connectedUnauthorized(device.serial)) + '\n');
    }
  } else {
    process.stdout.write(say(text.connectWith(device.serial)) + '\n');
  }
  process.stdout.write(tty`serial=${device.serial}\n`);
  await waitForSignal();
  await device.stop();
  // Leave no offline entry behind in the adb server for a phone we connected ourselves.
  await bridge?.disconnect(device.host, device.port).catch(() => undefined);
  process.stdout.write(say(text.virtualStopped) + '\n');
}

export async function scenarios(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
  const { scenarios: list, errors } = listScenarios(join(resourcesDir(), 'scenarios'));
  if (values.json) process.stdout.write(JSON.stringify(list, null, 2) + '\n');
  else for (const s of list) process.stdout.write(tty`${column(s.id, 36)} ${s.violates.join(', ') || own(say(text.compliant))}\n`);
  for (const e of errors) process.stderr.write(say(text.invalidScenario(e)) + '\n');
}

