/**
 * Overlapping adb.restart calls (20 clients pressing Retry at once) share one reconnection through the real
 * adb server, instead of each starting a device watcher that is never stopped.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AdbStatus } from '../../../../src-preload/api.js';
import { Workbench } from '../../../../src-main/core/workbench.js';
import { startAdbServer, type TestAdbServer } from '../../../support/adb-server.js';

let adb: TestAdbServer;
beforeAll(async () => {
  adb = await startAdbServer();
});
afterAll(async () => adb?.kill());

it('20 overlapping restarts reconnect once', async () => {
  const wb = new Workbench({ dataDir: mkdtempSync(join(tmpdir(), 'restart-')), shell: 'browser', version: 'test', adbServerPort: adb.port });
  await wb.start();
  const starts: AdbStatus[] = [];
  wb.hub.tap((event, item) => {
    if (event === 'adb' && (item as AdbStatus).state === 'starting') starts.push(item as AdbStatus);
  });
  const handlers = wb.handlers();
  const results = await Promise.all(Array.from({ length: 20 }, () => handlers['adb.restart']({})));
  expect(results.every((r) => r.state === 'running')).toBe(true);
  expect(starts).toHaveLength(1);
  // A restart after the first finished is a new one.
  await handlers['adb.restart']({});
  expect(starts).toHaveLength(2);
  await wb.close();
});
