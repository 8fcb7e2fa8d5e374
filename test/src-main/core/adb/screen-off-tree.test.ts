/**
 * The UI tree of a phone whose screen is off, through the real adb server and the virtual phone (whose
 * uiautomator, like a real one, reads no window then): refused with reason `screen-off` — an expected state the
 * page says in place — and read again once the screen is on. A dump that fails with the screen on stays a plain
 * failure (no reason): only the phone's word that it sleeps makes it expected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdbkitBridge } from '../../../../src-main/core/adb/index.js';
import { DeviceControl } from '../../../../src-main/core/adb/device-control.js';
import { WorkbenchError } from '../../../../src-main/core/errors.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let phone: VirtualDevice;
let control: DeviceControl;

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhone(adb, 'compliant-app');
  control = new DeviceControl(new AdbkitBridge('adb', adb.port));
});

afterAll(async () => {
  await phone?.stop();
  await adb?.kill();
});

const refusal = async (p: Promise<unknown>): Promise<WorkbenchError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof WorkbenchError) return err;
    throw err;
  }
  throw new Error('the UI tree was read');
};

describe('the UI tree with the screen off', () => {
  it('is refused as the screen-off state, and read again once the screen is on', async () => {
    expect((await control.uiTree(phone.serial)).nodes.length).toBeGreaterThan(0);
    await control.input(phone.serial, { kind: 'key', key: 'POWER' });
    const off = await refusal(control.uiTree(phone.serial));
    expect(off).toMatchObject({ code: 'adb.command-failed', details: { reason: 'screen-off' } });
    await control.input(phone.serial, { kind: 'key', key: 'POWER' });
    expect((await control.uiTree(phone.serial)).nodes.length).toBeGreaterThan(0);
  });

  it('a dump that fails with the screen on is a failure, not the screen-off state', async () => {
    // A phone whose uiautomator writes nothing and says nothing, its screen on: nothing explains the failure.
    const mute = await startPhone(adb, 'compliant-app', { commandOverrides: { uiautomator: async () => 0 } });
    try {
      const failed = await refusal(control.uiTree(mute.serial));
      expect(failed.code).toBe('adb.command-failed');
      expect(failed.details.reason).toBeUndefined();
    } finally {
      await mute.stop();
    }
  });
});
