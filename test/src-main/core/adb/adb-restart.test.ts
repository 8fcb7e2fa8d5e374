/**
 * adb.restart through the real adb server: overlapping calls (20 clients pressing Retry at once) share one
 * reconnection; a restart while adb works keeps the watcher (and what it knows); a restart that must replace
 * the watcher (the adb path changed) closes everything the old one had open — its track-devices connection
 * and a getprop still waiting for a phone that never answers.
 */
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AdbStatus } from '../../../../src-preload/api.js';
import { Workbench } from '../../../../src-main/core/workbench.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startSilentPhone, type SilentPhone } from '../../../support/silent-phone.js';
import { connectionsTo } from '../../../support/socket-count.js';

let adb: TestAdbServer;
let silent: SilentPhone;
let wb: Workbench;
const starts: AdbStatus[] = [];

beforeAll(async () => {
  adb = await startAdbServer();
  silent = await startSilentPhone();
  await adb.adb(['connect', silent.serial]);
  wb = new Workbench({ dataDir: mkdtempSync(join(tmpdir(), 'restart-')), shell: 'browser', version: 'test', adbServerPort: adb.port });
  wb.hub.tap((event, item) => {
    if (event === 'adb' && (item as AdbStatus).state === 'starting') starts.push(item as AdbStatus);
  });
  await wb.start();
});
afterAll(async () => {
  await wb?.close();
  await silent?.stop();
  await adb?.kill();
});

it('20 overlapping restarts reconnect once; a restart while adb works keeps the watcher', async () => {
  const handlers = wb.handlers();
  starts.length = 0;
  const watcher = wb.adb.watcher;
  const results = await Promise.all(Array.from({ length: 20 }, () => handlers['adb.restart']({})));
  expect(results.every((r) => r.state === 'running')).toBe(true);
  expect(starts).toHaveLength(0);
  expect(wb.adb.watcher).toBe(watcher);
});

it('replacing the watcher 20 times closes what each old one had open, here and on the silent phone', async () => {
  // Two names for the same adb: each change of the setting replaces the bridge and the watcher.
  const dir = mkdtempSync(join(tmpdir(), 'adb-alias-'));
  mkdirSync(join(dir, 'platform-tools'));
  const real = execFileSync('sh', ['-c', 'command -v adb'], { encoding: 'utf8' }).trim();
  symlinkSync(real, join(dir, 'platform-tools', 'adb'));
  const paths = [join(dir, 'platform-tools', 'adb'), real];
  const getprops = () => silent.services.filter((s) => s === 'shell:getprop').length;
  await waitFor('the first watcher tracks and asks the silent phone', async () => getprops() > 0 && connectionsTo(adb.port) >= 2, 5000, 20);
  const baseline = connectionsTo(adb.port);
  starts.length = 0;
  const asked = getprops();
  let peak = 0;
  for (let i = 0; i < 20; i++) {
    wb.settings.update({ adbPath: paths[i % 2]! });
    const status = await wb.adb.connect();
    expect(status).toMatchObject({ state: 'running', adbPath: paths[i % 2] });
    // The new watcher has its tracker and its getprop in flight before it is replaced in turn.
    await waitFor('new watcher asks', async () => getprops() > asked + i, 3000, 10);
    peak = Math.max(peak, connectionsTo(adb.port));
  }
  expect(starts).toHaveLength(20);
  expect(getprops() - asked).toBe(20);
  // One watcher's worth open at any time: its tracker and its one getprop (plus a list in flight).
  expect(peak).toBeLessThanOrEqual(baseline + 1);
  // On the phone too, only the last watcher's getprop is left (the adb server closes the others' streams). The
  // workbench's own check for a proxy a dead workbench left on a phone that appeared (its http_proxy read, which
  // this phone never answers, bounded by the shell timeout) is not a watcher's and is left out.
  const watchers = (): string[] => silent.openServices.filter((s) => !s.includes('http_proxy'));
  await waitFor('old streams closed on the phone', async () => watchers().length === 1 && watchers()[0] === 'shell:getprop', 2000, 20);
  wb.settings.update({ adbPath: null });
}, 30_000);
