/**
 * Device text reaches the UI cleaned, whichever way it comes: a phone whose model and manufacturer carry a bidi
 * override, an OSC title and BEL, whose UI dump carries ESC, BEL, C1 controls and bidi overrides (raw and as
 * XML character references), whose package list carries a screen clear and whose package manager answers an
 * install with an OSC title — read through the real adb server and the workbench API, as the Devices page reads
 * them. Escape sequences and controls are gone, bidi controls show as `<U+202E>`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../../../src-main/bridge/dispatcher.js';
import { callApi } from '../../../support/dispatcher-call.js';
import { Workbench } from '../../../../src-main/core/workbench.js';
import { AdbkitBridge } from '../../../../src-main/core/adb/index.js';
import { DeviceControl } from '../../../../src-main/core/adb/device-control.js';
import { loadScenarioFile, VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { packageCommands } from '../../../../src-main/core/virtual-device/commands/package-commands.js';
import type { DeviceDetails, DeviceInfo, InstalledApp, SessionInfo, UiDumpNode, UiTree } from '../../../../src-preload/api.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { SCENARIOS, TEST_APKS } from '../../../support/virtual-phone.js';

/** What must never reach the UI from a phone: C0/C1 controls (tab and newline excepted) and raw bidi controls. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const HOSTILE_DUMP = `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation="0">`
  + `<node index="0" text="" resource-id="" class="android.widget.FrameLayout" package="com.demo.shop" content-desc="" checkable="false" checked="false" clickable="false" enabled="true" bounds="[0,0][1080,2400]">`
  + `<node index="0" text="Agree\u001b[2J\u001b]0;pwned\u0007 and go\u202eeno" resource-id="com.demo.shop:id/btn\u009b31m_agree" class="android.widget.Button\u2066" package="com.demo.shop" content-desc="&#27;]52;c;aGk=&#7;desc&#x202E;" checkable="false" checked="false" clickable="true" enabled="true" bounds="[100,2000][980,2140]" />`
  + `</node></hierarchy>`;

let adb: TestAdbServer;
let phone: VirtualDevice;
let wb: Workbench;
let api: Dispatcher;
let dir: string;

const call = <T>(method: string, args: Record<string, unknown>): Promise<T> => callApi<T>(api, method, args);

beforeAll(async () => {
  adb = await startAdbServer();
  dir = mkdtempSync(join(tmpdir(), 'device-text-'));
  const scenario = loadScenarioFile(join(SCENARIOS, 'collects-before-consent.yaml'));
  // Set past the scenario schema, as a real phone's properties are: the phone says what it likes.
  scenario.device.model = 'Pixel\u202e\u001b]0;pwned\u0007';
  scenario.device.manufacturer = 'Goo\u001b[31mgle\u0085\u200f';
  phone = new VirtualDevice({
    scenario,
    commandOverrides: {
      uiautomator: async ({ argv, out }) => {
        const file = argv.slice(2).find((a) => !a.startsWith('-')) ?? '/sdcard/window_dump.xml';
        phone.system.fs.writeFile(file, Buffer.from(HOSTILE_DUMP));
        out.write(`UI hierchary dumped to: ${file}\n`);
        return 0;
      },
      pm: async (ctx) => {
        if (ctx.argv[1] === 'list' && ctx.argv.includes('packages')) ctx.out.write('package:com.evil\u001b[2J\u202eppa versionCode:7\n');
        if (ctx.argv[1] === 'install') {
          ctx.out.write('Failure [INSTALL_FAILED_INVALID_APK: \u001b]0;pwned\u0007split\u202ekpa.lve is bad]\n');
          return 1;
        }
        return packageCommands(phone.system).pm!(ctx);
      },
    },
  });
  await phone.start();
  await adb.adb(['connect', phone.serial]);
  await waitFor('online', async () => (await adb.adb(['devices'])).stdout.includes(`${phone.serial}\tdevice`), 5000);
  wb = new Workbench({ dataDir: dir, shell: 'browser', version: 't', adbServerPort: adb.port });
  await wb.start();
  api = new Dispatcher(wb.handlers());
}, 60_000);

afterAll(async () => {
  await wb?.close();
  await phone?.stop();
  await adb?.kill();
  rmSync(dir, { recursive: true, force: true });
});

function walk(nodes: UiDumpNode[], out: UiDumpNode[] = []): UiDumpNode[] {
  for (const n of nodes) {
    out.push(n);
    walk(n.children, out);
  }
  return out;
}

describe('device text through the workbench API', () => {
  it('the device list shows the model and manufacturer cleaned, bidi visible', async () => {
    const device = await waitFor('properties read', async () => (await call<DeviceInfo[]>('devices.list', {})).find((d) => d.serial === phone.serial && d.model !== null), 10_000);
    expect(device.model).toBe('Pixel<U+202E>');
    expect(device.manufacturer).toBe('Google<U+200F>');
    expect(JSON.stringify(device)).not.toMatch(UNSAFE);
  });

  it('the details panel shows the same', async () => {
    const d = await call<DeviceDetails>('device.details', { serial: phone.serial });
    expect(d).toMatchObject({ model: 'Pixel<U+202E>', manufacturer: 'Google<U+200F>', androidVersion: '13', sdk: 33 });
    expect(JSON.stringify(d)).not.toMatch(UNSAFE);
  });

  it('the UI tree shows node text, content-desc, resource-id and class cleaned', async () => {
    const tree = await call<UiTree>('device.uiTree', { serial: phone.serial });
    const button = walk(tree.nodes).find((n) => n.clickable)!;
    expect(button).toMatchObject({
      text: 'Agree and go<U+202E>eno', contentDesc: 'desc<U+202E>', resourceId: 'com.demo.shop:id/btn_agree', className: 'android.widget.Button<U+2066>',
    });
    expect(JSON.stringify(tree)).not.toMatch(UNSAFE);
  });

  it('the apps list shows a hostile package name cleaned', async () => {
    const apps = await call<InstalledApp[]>('device.packages', { serial: phone.serial });
    expect(apps.map((a) => a.packageName)).toContain('com.evil<U+202E>ppa');
    expect(JSON.stringify(apps)).not.toMatch(UNSAFE);
  });

  it('a failed install explains itself cleaned', async () => {
    const control = new DeviceControl(new AdbkitBridge('adb', adb.port));
    const result = await control.install(phone.serial, TEST_APKS.settings, 'settings.apk', () => {});
    expect(result).toMatchObject({ ok: false, failure: { code: 'INSTALL_FAILED_INVALID_APK', detail: 'split<U+202E>kpa.lve is bad' } });
    expect(JSON.stringify(result)).not.toMatch(UNSAFE);
  });

  it('a session records the phone cleaned', async () => {
    const s = await call<SessionInfo>('session.start', { serial: phone.serial, packageName: 'com.demo.shop', tester: 'T', caseRef: '' });
    expect(s.device).toMatchObject({ model: 'Pixel<U+202E>', manufacturer: 'Google<U+200F>' });
    await call('session.close', { id: s.id });
  });
});
