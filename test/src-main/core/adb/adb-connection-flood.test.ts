/**
 * The workbench's connections to the adb server stay bounded under abuse, measured from the kernel's tables:
 * 10 WebSocket clients press Retry (adb.restart) as fast as they can for 60 s while a phone that accepts
 * getprop and never answers is connected. Before, each unanswered getprop leaked its connection (one per
 * watcher timeout, forever) and the restart flood leaked hundreds, until Debian's adb server aborted at
 * FD_SETSIZE and every phone disappeared. An answering phone must stay listed and keep answering shell
 * commands quickly throughout.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DeviceInfo } from '../../../../src-preload/api.js';
import { Dispatcher } from '../../../../src-main/bridge/dispatcher.js';
import { Workbench } from '../../../../src-main/core/workbench.js';
import { WebHost } from '../../../../src-main/host/web-host.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone } from '../../../support/virtual-phone.js';
import { startSilentPhone, type SilentPhone } from '../../../support/silent-phone.js';
import { connectApi, type ApiClient } from '../../../support/ws-client.js';
import { connectionsTo, listenerPid, openFds } from '../../../support/socket-count.js';

/** 60 s as the issue asks; APPRIGHTS_FLOOD_MS shortens it for a quick look by hand. */
const FLOOD_MS = Number(process.env.APPRIGHTS_FLOOD_MS ?? 60_000);

let adb: TestAdbServer;
let phone: VirtualDevice;
let silent: SilentPhone;
let wb: Workbench;
let web: WebHost;
const clients: ApiClient[] = [];

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhone(adb, 'compliant-app');
  silent = await startSilentPhone();
  await adb.adb(['connect', silent.serial]);
  wb = new Workbench({ dataDir: mkdtempSync(join(tmpdir(), 'adb-flood-')), shell: 'browser', version: 'test', adbServerPort: adb.port });
  await wb.start();
  web = new WebHost({ rendererDir: mkdtempSync(join(tmpdir(), 'adb-flood-renderer-')), dispatcher: new Dispatcher(wb.handlers()), hub: wb.hub });
  await web.start();
  for (let i = 0; i < 10; i++) clients.push(await connectApi(web.url));
});

afterAll(async () => {
  for (const c of clients) c.close();
  await web?.stop();
  await wb?.close();
  await silent?.stop();
  await phone?.stop();
  await adb?.kill();
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

it('a 60 s adb.restart flood from 10 clients and a silent phone leave connections bounded and the other phone served', async () => {
  const [probe] = clients;
  const listed = (list: DeviceInfo[]) => list.find((d) => d.serial === phone.serial && d.state === 'device' && d.model);
  await waitFor('both phones listed', async () => {
    const list = await probe!.call<DeviceInfo[]>('devices.list');
    return listed(list) && list.some((d) => d.serial === silent.serial && d.state === 'device');
  }, 10_000);
  const serverPid = listenerPid(adb.port);
  expect(serverPid).not.toBeNull();
  const before = { connections: connectionsTo(adb.port), fds: openFds(serverPid!) };

  const samples: Array<{ connections: number; fds: number; silentStreams: number }> = [];
  const latencies: number[] = [];
  const listLatencies: number[] = [];
  const getpropsBefore = silent.services.filter((s) => s === 'shell:getprop').length;
  const problems: string[] = [];
  let restarts = 0;
  const cpu = process.cpuUsage();
  const until = Date.now() + FLOOD_MS;
  const sampler = setInterval(() => samples.push({ connections: connectionsTo(adb.port), fds: openFds(serverPid!), silentStreams: silent.openStreams }), 500);
  const flood = clients.map(async (c) => {
    while (Date.now() < until) {
      const status = await c.call<{ state: string }>('adb.restart');
      restarts++;
      if (status.state !== 'running') problems.push(`restart ended ${status.state}`);
      // Hundreds a second in all, far past any person, without the test itself taking a whole core from the
      // files that run beside it.
      await new Promise((r) => setTimeout(r, 10));
    }
  });
  const served = (async () => {
    while (Date.now() < until) {
      const t0 = performance.now();
      const { output } = await probe!.call<{ output: string }>('device.shell', { serial: phone.serial, command: 'echo still-here' });
      latencies.push(performance.now() - t0);
      if (output.trim() !== 'still-here') problems.push(`shell answered ${JSON.stringify(output)}`);
      const t1 = performance.now();
      const list = await probe!.call<DeviceInfo[]>('devices.list');
      listLatencies.push(performance.now() - t1);
      if (!listed(list)) problems.push('answering phone not listed');
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    await Promise.all([...flood, served]);
  } finally {
    clearInterval(sampler);
  }

  const used = process.cpuUsage(cpu);
  const peak = {
    connections: Math.max(...samples.map((s) => s.connections)),
    fds: Math.max(...samples.map((s) => s.fds)),
    silentStreams: Math.max(...samples.map((s) => s.silentStreams)),
  };
  latencies.sort((a, b) => a - b);
  listLatencies.sort((a, b) => a - b);
  const getprops = silent.services.filter((s) => s === 'shell:getprop').length - getpropsBefore;
  const figures = {
    cpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(1)),
    before, peak, after: { connections: connectionsTo(adb.port), fds: openFds(serverPid!) }, restarts, getprops,
    shell: { n: latencies.length, p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), max: latencies.at(-1)! },
    list: { n: listLatencies.length, p50: percentile(listLatencies, 0.5), p95: percentile(listLatencies, 0.95), max: listLatencies.at(-1)! },
  };
  console.log('adb flood figures', JSON.stringify(figures));
  expect(problems.slice(0, 5)).toEqual([]);
  expect(peak.connections - before.connections, JSON.stringify(figures)).toBeLessThanOrEqual(10);
  expect(peak.fds - before.fds, JSON.stringify(figures)).toBeLessThanOrEqual(20);
  expect(peak.silentStreams, JSON.stringify(figures)).toBeLessThanOrEqual(3);
  // No input holds the workbench's other calls for more than a second (a wide margin on the worst one).
  for (const calls of [figures.shell, figures.list]) {
    expect(calls.p95, JSON.stringify(figures)).toBeLessThan(1000);
    expect(calls.max, JSON.stringify(figures)).toBeLessThan(3000);
  }
  // The silent phone was asked at 0, ~10, ~25 and ~55 s (pauses doubling from 5 s), not once every 6 s,
  // and says it does not answer.
  expect(getprops, JSON.stringify(figures)).toBeLessThanOrEqual(Math.ceil(FLOOD_MS / 15_000) + 1);
  expect((await probe!.call<DeviceInfo[]>('devices.list')).find((d) => d.serial === silent.serial)?.hintKey).toBe('device.hint.notAnswering');
  // The adb server itself still serves the answering phone (its own CLI, not the workbench).
  expect((await adb.adb(['-s', phone.serial, 'shell', 'echo', 'served'])).stdout.trim()).toBe('served');
}, FLOOD_MS + 30_000);
