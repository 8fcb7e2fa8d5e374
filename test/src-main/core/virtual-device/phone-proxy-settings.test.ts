// `settings put/get/delete global http_proxy` on the virtual phone through the REAL adb server and adbkit, with the
// global proxy following it as AOSP's ProxyTracker does (":0" clears at once, a delete waits for a reboot, the
// global_http_proxy_* settings it writes), the SettingsService wording, and /proc/net readable or refused by the ROM.
import Adb from '@devicefarmer/adbkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let phone: VirtualDevice;
const shell = async (...args: string[]): Promise<string> => (await adb.adb(['-s', phone.serial, 'shell', ...args])).stdout;

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhone(adb, 'compliant-app', { rebootDelayMs: 300 });
});
afterAll(async () => {
  await adb?.kill();
  await phone?.stop();
});

describe('settings global http_proxy on the virtual phone (real adb server)', () => {
  it('prints null when unset, stores what is put, and the phone uses it as its proxy', async () => {
    expect(await shell('settings', 'get', 'global', 'http_proxy')).toBe('null\n');
    expect(phone.system.network.proxy()).toBeNull();
    expect(await shell('settings', 'put', 'global', 'http_proxy', '127.0.0.1:8888')).toBe('');
    expect(await shell('settings', 'get', 'global', 'http_proxy')).toBe('127.0.0.1:8888\n');
    expect(phone.system.network.proxy()).toEqual({ host: '127.0.0.1', port: 8888 });
    // ProxyTracker.setGlobalProxy writes these, as a real phone lists them.
    expect(await shell('settings', 'get', 'global', 'global_http_proxy_host')).toBe('127.0.0.1\n');
    expect(await shell('settings', 'get', 'global', 'global_http_proxy_port')).toBe('8888\n');
  });

  it('":0" clears the proxy at once and stays in the setting', async () => {
    await shell('settings', 'put', 'global', 'http_proxy', 'proxy.lab:3128');
    expect(phone.system.network.proxy()).toEqual({ host: 'proxy.lab', port: 3128 });
    await shell('settings', 'put', 'global', 'http_proxy', ':0');
    expect(phone.system.network.proxy()).toBeNull();
    expect(await shell('settings', 'get', 'global', 'http_proxy')).toBe(':0\n');
    expect(await shell('settings', 'get', 'global', 'global_http_proxy_host')).toBe('\n');
    expect(await shell('settings', 'get', 'global', 'global_http_proxy_port')).toBe('0\n');
  });

  it('a host without a port means 8080; a bad port or host is ignored (the previous proxy stays)', async () => {
    await shell('settings', 'put', 'global', 'http_proxy', '10.0.0.9');
    expect(phone.system.network.proxy()).toEqual({ host: '10.0.0.9', port: 8080 });
    await shell('settings', 'put', 'global', 'http_proxy', '10.0.0.9:abc');
    expect(phone.system.network.proxy()).toEqual({ host: '10.0.0.9', port: 8080 });
    await shell('settings', 'put', 'global', 'http_proxy', 'bad_host:80');
    expect(phone.system.network.proxy()).toEqual({ host: '10.0.0.9', port: 8080 });
    await shell('settings', 'put', 'global', 'http_proxy', '10.0.0.9:70000');
    expect(phone.system.network.proxy()).toEqual({ host: '10.0.0.9', port: 8080 });
  });

  it('delete answers "Deleted 1 rows", keeps the proxy until a reboot, and the reboot reads global_http_proxy_host back', async () => {
    await shell('settings', 'put', 'global', 'http_proxy', '127.0.0.1:9000');
    expect(await shell('settings', 'delete', 'global', 'http_proxy')).toBe('Deleted 1 rows\n');
    expect(await shell('settings', 'delete', 'global', 'http_proxy')).toBe('Deleted 0 rows\n');
    expect(await shell('settings', 'get', 'global', 'http_proxy')).toBe('null\n');
    // A deleted http_proxy is ignored by ProxyTracker until the next boot...
    expect(phone.system.network.proxy()).toEqual({ host: '127.0.0.1', port: 9000 });
    await rebootAndWait();
    // ...and the boot loads the saved global proxy first: still set. Only ":0" (or deleting those too) clears it.
    expect(phone.system.network.proxy()).toEqual({ host: '127.0.0.1', port: 9000 });
    await shell('settings', 'put', 'global', 'http_proxy', ':0');
    await shell('settings', 'delete', 'global', 'http_proxy');
    await rebootAndWait();
    expect(phone.system.network.proxy()).toBeNull();
  });

  it('answers usage errors in SettingsService\'s words', async () => {
    const fails = async (...args: string[]): Promise<string> => {
      // adb shell v1 merges stderr into stdout and carries no status: the words are what the host sees.
      const r = await adb.adb(['-s', phone.serial, 'shell', ...args]).catch((e: { stdout: string }) => e);
      return r.stdout;
    };
    expect(await fails('settings', 'get', 'global')).toContain('Bad arguments');
    expect(await fails('settings', 'frob', 'global', 'x')).toContain('Invalid command: frob');
    expect(await fails('settings', 'get', 'galaxy', 'x')).toContain("Invalid namespace 'galaxy'");
    expect(await fails('settings', 'get', 'global', 'a', 'b')).toContain('Too many arguments');
    expect(await shell('settings', 'list', 'global')).toMatch(/^global_http_proxy_host=.*$/m);
  });

  it('adbkit sets and reads it the same way', async () => {
    const client = Adb.createClient({ host: '127.0.0.1', port: adb.port });
    const device = client.getDevice(phone.serial);
    const read = async (cmd: string): Promise<string> => (await Adb.util.readAll(await device.shell(cmd))).toString();
    await read('settings put global http_proxy 127.0.0.1:8123');
    expect(await read('settings get global http_proxy')).toBe('127.0.0.1:8123\n');
    expect(phone.system.network.proxy()).toEqual({ host: '127.0.0.1', port: 8123 });
    await read('settings put global http_proxy :0');
    expect(phone.system.network.proxy()).toBeNull();
  });
});

/** `adb reboot`, then the phone is connected again as soon as it is back (the adb server alone retries only every few seconds). */
async function rebootAndWait(): Promise<void> {
  const booted = new Promise<void>((r) => phone.once('booted', () => r()));
  await adb.adb(['-s', phone.serial, 'reboot']).catch(() => undefined);
  await booted;
  await adb.adb(['disconnect', phone.serial]).catch(() => undefined);
  await waitFor('phone back', async () => {
    await adb.adb(['connect', phone.serial]);
    return (await adb.adb(['devices'])).stdout.includes(`${phone.serial}\tdevice`);
  }, 10_000, 100);
}
