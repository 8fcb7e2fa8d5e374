/**
 * Every adb call owns the connections it opens and closes them on every path, checked in the kernel's
 * socket table and on the phone end (streams the real adb server keeps open to a phone that never
 * answers): timeouts, aborts, a stopped tracker, a handed-off stream, and a server that is down (one
 * `adb start-server` for a burst of refused calls, not one each).
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdbkitBridge } from '../../../../src-main/core/adb/index.js';
import type { WorkbenchError } from '../../../../src-main/core/errors.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone } from '../../../support/virtual-phone.js';
import { startSilentPhone, type SilentPhone } from '../../../support/silent-phone.js';
import { connectionsTo } from '../../../support/socket-count.js';

let adb: TestAdbServer;
let silent: SilentPhone;
let phone: VirtualDevice;
let bridge: AdbkitBridge;

beforeAll(async () => {
  adb = await startAdbServer();
  silent = await startSilentPhone();
  await adb.adb(['connect', silent.serial]);
  phone = await startPhone(adb, 'compliant-app');
  bridge = new AdbkitBridge('adb', adb.port);
  await waitFor('silent phone online', async () => (await bridge.listDevices()).some((d) => d.serial === silent.serial && d.type === 'device'));
  // The bridge is this process's only adb client: between calls it holds no connection at all.
  await waitFor('no connection left from the setup', async () => connectionsTo(adb.port) === 0, 2000, 20);
});
afterAll(async () => {
  await adb?.kill();
  await silent?.stop();
  await phone?.stop();
});

/** Waits until this process holds no connection to the adb server, and the adb server no stream to the phone. */
async function allClosed(): Promise<void> {
  await waitFor('connections closed', async () => connectionsTo(adb.port) === 0 && silent.openStreams === 0, 2000, 20);
}

describe('adb connections', () => {
  it('a shell command that times out closes its connection, here and on the phone', async () => {
    const t0 = Date.now();
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => bridge.shell(silent.serial, 'getprop', 300)));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(results.map((r) => r.status === 'rejected' && (r.reason as WorkbenchError).code)).toEqual(Array(30).fill('adb.timeout'));
    await allClosed();
  });

  it('getprop on a phone that never answers closes its connection at the timeout', async () => {
    const asked = silent.services.length;
    await expect(bridge.properties(silent.serial)).rejects.toMatchObject({ code: 'adb.timeout' });
    expect(silent.services.slice(asked)).toEqual(['shell:getprop']);
    await allClosed();
  }, 10_000);

  it('an aborted call fails at once and closes its connection', async () => {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    const pending = Array.from({ length: 20 }, () => bridge.properties(silent.serial, controller.signal));
    await waitFor('the phone was asked', async () => silent.openStreams === 20, 2000, 20);
    const t0 = Date.now();
    controller.abort();
    const results = await Promise.allSettled(pending);
    expect(Date.now() - t0).toBeLessThan(200);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    await allClosed();
  });

  it('a stopped tracker closes its connection; one stopped by abort while it starts leaves nothing open', async () => {
    const stop = await bridge.track(() => undefined, () => undefined);
    expect(connectionsTo(adb.port)).toBe(1);
    stop();
    await allClosed();
    const controller = new AbortController();
    const starting = bridge.track(() => undefined, () => undefined, controller.signal);
    controller.abort();
    await expect(starting).rejects.toBeDefined();
    await allClosed();
  });

  it('a handed-off stream stays open until its owner ends it, and the phone still answers meanwhile', async () => {
    const stream = await bridge.shellStream(phone.serial, 'logcat -v threadtime');
    await new Promise((r) => setTimeout(r, 200));
    expect(stream.destroyed).toBe(false);
    expect(connectionsTo(adb.port)).toBe(1);
    expect((await bridge.shell(phone.serial, 'echo ok')).trim()).toBe('ok');
    stream.destroy();
    await allClosed();
  });

  it('with the server down, a burst of 20 calls starts adb once, not once each', async () => {
    // An adb that logs each run, then is the real one.
    const dir = mkdtempSync(join(tmpdir(), 'adb-log-'));
    const log = join(dir, 'runs.log');
    writeFileSync(log, '');
    const wrapper = join(dir, 'adb');
    writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${log}'\nexec adb "$@"\n`);
    chmodSync(wrapper, 0o755);
    await adb.adb(['kill-server']);
    const logged = new AdbkitBridge(wrapper, adb.port);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => logged.listDevices()));
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const runs = readFileSync(log, 'utf8').trim().split('\n');
    expect(runs).toEqual([`-P ${adb.port} start-server`]);
    // The restarted server knows no network phones: reconnect them for any later test.
    await adb.adb(['connect', silent.serial]);
    await adb.adb(['connect', phone.serial]);
  });
});
