// The UI's demo phone brings a talking scenario's virtual internet up with it, through the Workbench API and the
// real adb server: launched from the workbench, the scenario's SDK reaches its stand-in server; the connector the
// demo phone hands out (for a session's proxy) reaches the same server; stopping the phone stops its internet.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Handlers } from '../../../../src-main/bridge/dispatcher.js';
import { Workbench } from '../../../../src-main/core/workbench.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';

let adb: TestAdbServer;
let wb: Workbench;
let api: Handlers;
let dataDir: string;

beforeAll(async () => {
  adb = await startAdbServer();
  dataDir = mkdtempSync(join(tmpdir(), 'demo-phone-net-'));
  wb = new Workbench({ dataDir, shell: 'browser', version: 'test', adbServerPort: adb.port });
  await wb.start();
  api = wb.handlers();
}, 30_000);

afterAll(async () => {
  await wb?.close();
  await adb?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

it('starts the scenario\'s virtual internet with the demo phone; its SDK reaches it; stop takes it down', async () => {
  expect(wb.demo.internet).toBeNull();
  const serial = (await api['virtualDevice.start']({ scenario: 'sdk-sends-id-before-consent' })).serial!;
  await waitFor('the demo phone online', async () => (await api['devices.list']({})).some((d) => d.serial === serial && d.state === 'device'), 10_000);
  const internet = wb.demo.internet!;
  expect(internet.serial).toBe(serial);
  await api['device.launch']({ serial, packageName: 'com.demo.weather' });
  await waitFor('the SDK\'s request', async () => internet.requests.some((r) => r.sni === 'ulogs.umeng.com' && r.target === '/unify_logs'), 10_000);
  // The connector handed out for a session's proxy reaches the same server, certified by the CA handed out.
  const status = await new Promise<string>((resolve, reject) => {
    const socket = tlsConnect({ socket: internet.connector('ulogs.umeng.com', 443), servername: 'ulogs.umeng.com', ca: internet.caPem }, () => {
      socket.write('GET /from-the-proxy HTTP/1.1\r\nHost: ulogs.umeng.com\r\nConnection: close\r\n\r\n');
    });
    socket.once('data', (d: Buffer) => resolve(d.toString('latin1').split('\r\n')[0]!));
    socket.once('error', reject);
  });
  expect(status).toBe('HTTP/1.1 200 OK');
  expect(internet.requests.map((r) => r.target)).toEqual(['/unify_logs', '/from-the-proxy']);
  await api['virtualDevice.stop']({});
  expect(wb.demo.internet).toBeNull();
  const after = internet.connector('ulogs.umeng.com', 443);
  const err = await new Promise<NodeJS.ErrnoException>((resolve) => after.once('error', resolve));
  expect(err.code).toBe('ECONNREFUSED');
});
