// The phone's proxy set up and put back through the REAL adb server and the virtual phone: the previous value
// restored exactly (none, a preset proxy, ":0"), the phone's effective proxy with it (a deleted http_proxy alone
// would leave it in force), the reverse made and removed, the lease written before the phone is touched and gone
// after; a phone that refuses the setting is put back at once; a lease held by a live process refuses a second one.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdbkitBridge } from '../../../../src-main/core/adb/device-bridge.js';
import { PhoneProxy } from '../../../../src-main/core/network/phone-proxy.js';
import { leaseDir, listLeases, writeLease } from '../../../../src-main/core/network/proxy-lease.js';
import { settingsCommand } from '../../../../src-main/core/virtual-device/commands/settings-command.js';
import type { CommandFn } from '../../../../src-main/core/virtual-device/shell/interpreter.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let phone: VirtualDevice;
let bridge: AdbkitBridge;
let dataDir: string;
/** Whether the phone refuses writes to global settings (as MIUI does without "USB debugging (Security settings)"). */
let refuseWrites = false;
let realSettings: CommandFn;

const shell = async (...args: string[]): Promise<string> => (await adb.adb(['-s', phone.serial, 'shell', ...args])).stdout;
const reverses = async (): Promise<string> => (await adb.adb(['-s', phone.serial, 'reverse', '--list'])).stdout;
const httpProxy = async (): Promise<string> => (await shell('settings', 'get', 'global', 'http_proxy')).trim();

beforeAll(async () => {
  adb = await startAdbServer();
  const settings: CommandFn = async (ctx) => {
    if (refuseWrites && (ctx.argv[1] === 'put' || ctx.argv[1] === 'delete')) {
      // MIUI's words when the shell lacks WRITE_SECURE_SETTINGS (the shell command prints them and changes nothing).
      ctx.err.write(`Exception occurred while executing '${ctx.argv[1]}':\njava.lang.SecurityException: Permission denial: writing to settings requires:android.permission.WRITE_SECURE_SETTINGS\n\tat com.android.providers.settings.SettingsProvider.enforceWritePermission(SettingsProvider.java:2435)\n`);
      return 255;
    }
    return realSettings(ctx);
  };
  phone = await startPhone(adb, 'compliant-app', { commandOverrides: { settings } });
  realSettings = settingsCommand(phone.system.settings);
  bridge = new AdbkitBridge('adb', adb.port);
});
afterAll(async () => {
  await adb?.kill();
  await phone?.stop();
});
afterEach(async () => {
  refuseWrites = false;
  rmSync(dataDir, { recursive: true, force: true });
  await shell('settings', 'put', 'global', 'http_proxy', ':0');
  await shell('settings', 'delete', 'global', 'http_proxy');
  await adb.adb(['-s', phone.serial, 'reverse', '--remove-all']);
});

function proxyOn(port: number): PhoneProxy {
  dataDir = mkdtempSync(join(tmpdir(), 'phone-proxy-'));
  return new PhoneProxy({ bridge, dataDir, serial: phone.serial, mode: 'usb', host: '127.0.0.1', port, sessionId: 's1' });
}

describe('phone proxy set-up and tear-down (real adb server, virtual phone)', () => {
  it('none before: set to 127.0.0.1:P with the reverse and a lease, then put back to none and no proxy in force', async () => {
    expect(await httpProxy()).toBe('null');
    const p = proxyOn(18771);
    const r = await p.setUp();
    expect(r).toEqual({ previous: null, staleCleared: null });
    expect(await httpProxy()).toBe('127.0.0.1:18771');
    expect(phone.system.network.proxy()).toEqual({ host: '127.0.0.1', port: 18771 });
    expect(await reverses()).toContain('tcp:18771 tcp:18771');
    const { leases } = listLeases(dataDir);
    expect(leases).toEqual([expect.objectContaining({ serial: phone.serial, previous: null, address: '127.0.0.1:18771', pid: process.pid, port: 18771, mode: 'usb', reverse: true, sessionId: 's1' })]);
    await p.tearDown();
    expect(await httpProxy()).toBe('null');
    // A deleted http_proxy alone would leave 127.0.0.1:18771 in force until a reboot: the phone would have no internet.
    expect(phone.system.network.proxy()).toBeNull();
    expect(await reverses()).not.toContain('18771');
    expect(readdirSync(leaseDir(dataDir))).toEqual([]);
  });

  it('a preset proxy before: the same value back, in force', async () => {
    await shell('settings', 'put', 'global', 'http_proxy', 'proxy.lab:3128');
    const p = proxyOn(18772);
    expect((await p.setUp()).previous).toBe('proxy.lab:3128');
    expect(phone.system.network.proxy()).toEqual({ host: '127.0.0.1', port: 18772 });
    await p.tearDown();
    expect(await httpProxy()).toBe('proxy.lab:3128');
    expect(phone.system.network.proxy()).toEqual({ host: 'proxy.lab', port: 3128 });
  });

  it('":0" before (a proxy cleared by hand): ":0" back', async () => {
    await shell('settings', 'put', 'global', 'http_proxy', ':0');
    const p = proxyOn(18773);
    expect((await p.setUp()).previous).toBe(':0');
    await p.tearDown();
    expect(await httpProxy()).toBe(':0');
    expect(phone.system.network.proxy()).toBeNull();
  });

  it('a phone that refuses the setting: refused with its words, nothing left on it (no reverse, no lease)', async () => {
    refuseWrites = true;
    const p = proxyOn(18774);
    await expect(p.setUp()).rejects.toMatchObject({ code: 'network.phone-refused', details: expect.objectContaining({ reason: expect.stringContaining('WRITE_SECURE_SETTINGS') }) });
    expect(await httpProxy()).toBe('null');
    expect(phone.system.network.proxy()).toBeNull();
    expect(await reverses()).not.toContain('18774');
    expect(existsSync(leaseDir(dataDir)) ? readdirSync(leaseDir(dataDir)) : []).toEqual([]);
    expect(p.active).toBe(false);
  });

  it('a lease of a live process refuses a second workbench; a dead one is adopted: its previous value is restored', async () => {
    const p = proxyOn(18775);
    // A live process (this test's parent) holds the phone.
    writeLease(dataDir, { serial: phone.serial, previous: null, address: '127.0.0.1:9', pid: process.ppid, port: 9, mode: 'usb', reverse: true, startedAt: 1, sessionId: null });
    await expect(p.setUp()).rejects.toMatchObject({ code: 'network.busy' });
    // A dead one left the phone on its proxy; the phone had proxy.lab:3128 before it.
    await shell('settings', 'put', 'global', 'http_proxy', '127.0.0.1:9');
    writeLease(dataDir, { serial: phone.serial, previous: 'proxy.lab:3128', address: '127.0.0.1:9', pid: 2 ** 22 + 12345, port: 9, mode: 'usb', reverse: true, startedAt: 1, sessionId: null });
    const r = await p.setUp();
    expect(r.previous).toBe('proxy.lab:3128');
    expect(r.staleCleared).toMatchObject({ address: '127.0.0.1:9' });
    await p.tearDown();
    expect(await httpProxy()).toBe('proxy.lab:3128');
  });
});
