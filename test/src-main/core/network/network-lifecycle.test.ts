// Network capture through the Workbench API (the window's and browser mode's) with the REAL adb server and the
// virtual phone: the phone unplugged and back mid-session (the reverse made again, traffic flows again), the session
// stopped while the phone is away (restored when it comes back, the lease kept until then), pause and resume (off
// and on again with the same choice and the same CA), a phone that refuses the setting (refused event, the session
// records on), the workbench's exit (restored), and a stale proxy found and cleared with its event in the session.
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkStatus, SessionInfo } from '../../../../src-preload/api.js';
import type { TimelineEvent } from '../../../../src-preload/monitor-events.js';
import type { Handlers } from '../../../../src-main/bridge/dispatcher.js';
import { listLeases, writeLease } from '../../../../src-main/core/network/proxy-lease.js';
import { Workbench } from '../../../../src-main/core/workbench.js';
import { settingsCommand } from '../../../../src-main/core/virtual-device/commands/settings-command.js';
import type { CommandFn } from '../../../../src-main/core/virtual-device/shell/interpreter.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { USB_INTERCEPT, USB_TUNNEL, virtualEngine } from '../../../support/network-session.js';
import { startPhone } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let phone: VirtualDevice;
let wb: Workbench;
let api: Handlers;
let dataDir: string;
let refuseWrites = false;
let realSettings: CommandFn;
const statuses: NetworkStatus[] = [];
const APP = 'com.demo.weather';

const shell = async (...args: string[]): Promise<string> => (await adb.adb(['-s', phone.serial, 'shell', ...args])).stdout.trim();
const reverses = async (): Promise<string> => (await adb.adb(['-s', phone.serial, 'reverse', '--list'])).stdout;
const events = async (id: string): Promise<TimelineEvent[]> => (await api['session.timeline']({ id, afterSeq: 0, limit: 2000 })).entries.map((e) => e.event);
const of = <T extends TimelineEvent['type']>(list: TimelineEvent[], type: T): Array<Extract<TimelineEvent, { type: T }>> => list.filter((e): e is Extract<TimelineEvent, { type: T }> => e.type === type);
const lastStatus = (id: string): NetworkStatus | undefined => statuses.filter((s) => s.sessionId === id).at(-1);

async function unplug(): Promise<void> {
  await adb.adb(['disconnect', phone.serial]);
}
async function plugBack(): Promise<void> {
  await adb.adb(['connect', phone.serial]);
  await waitFor('the phone listed again', async () => (await adb.adb(['devices'])).stdout.includes(`${phone.serial}\tdevice`), 10_000, 100);
}
async function start(): Promise<SessionInfo> {
  await waitFor('the phone online', async () => (await api['devices.list']({})).some((d) => d.serial === phone.serial && d.state === 'device'), 10_000, 100);
  return api['session.start']({ serial: phone.serial, packageName: APP, tester: 't', caseRef: '' });
}

beforeAll(async () => {
  adb = await startAdbServer();
  const settings: CommandFn = async (ctx) => {
    if (refuseWrites && (ctx.argv[1] === 'put' || ctx.argv[1] === 'delete')) {
      ctx.err.write(`Exception occurred while executing '${ctx.argv[1]}':\njava.lang.SecurityException: Permission denial: writing to settings requires:android.permission.WRITE_SECURE_SETTINGS\n`);
      return 255;
    }
    return realSettings(ctx);
  };
  phone = await startPhone(adb, 'sdk-sends-id-before-consent', { commandOverrides: { settings } });
  realSettings = settingsCommand(phone.system.settings);
  dataDir = mkdtempSync(join(tmpdir(), 'net-lifecycle-'));
  wb = new Workbench({ dataDir, shell: 'browser', version: 'test', adbServerPort: adb.port, networkEngine: () => virtualEngine(phone) });
  wb.hub.tap((event, item) => {
    if (event === 'network') statuses.push(item as NetworkStatus);
  });
  await wb.start();
  api = wb.handlers();
});
afterAll(async () => {
  await wb?.close();
  await phone?.stop();
  await adb?.kill();
});
afterEach(async () => {
  refuseWrites = false;
  for (const s of await api['session.list']({})) if (s.state !== 'closed') await api['session.close']({ id: s.id });
});

describe('network capture across the phone\'s and the session\'s life (Workbench API, real adb server)', () => {
  it('unplugged and back mid-session: away, then on again with a new reverse, and the app\'s traffic is captured', async () => {
    await shell('settings', 'put', 'global', 'http_proxy', 'proxy.lab:3128');
    const s = await start();
    const on = await api['network.start']({ sessionId: s.id, choice: USB_TUNNEL });
    expect(on).toMatchObject({ state: 'on', previous: 'proxy.lab:3128' });
    const port = on.address!.split(':')[1]!;
    await unplug();
    await waitFor('away', async () => lastStatus(s.id)?.state === 'phone-away', 10_000, 50);
    await plugBack();
    await waitFor('on again', async () => lastStatus(s.id)?.state === 'on', 15_000, 50);
    // adbd forgot the reverse with the connection: it was made again.
    expect(await reverses()).toContain(`tcp:${port} tcp:${port}`);
    await api['device.clearData']({ serial: phone.serial, packageName: APP });
    await api['device.launch']({ serial: phone.serial, packageName: APP });
    await waitFor('the SDK\'s connection', async () => of(await events(s.id), 'net.connection').some((c) => c.host === 'ulogs.umeng.com'), 15_000, 100);
    await api['session.close']({ id: s.id });
    expect(await shell('settings', 'get', 'global', 'http_proxy')).toBe('proxy.lab:3128');
    expect(phone.system.network.proxy()).toEqual({ host: 'proxy.lab', port: 3128 });
    expect(await reverses()).not.toContain(`tcp:${port}`);
    await shell('settings', 'put', 'global', 'http_proxy', ':0');
    await shell('settings', 'delete', 'global', 'http_proxy');
  });

  it('stopped while the phone is away: the lease stays, and the phone is put back when it returns', async () => {
    const s = await start();
    const on = await api['network.start']({ sessionId: s.id, choice: USB_TUNNEL });
    await unplug();
    await waitFor('away', async () => lastStatus(s.id)?.state === 'phone-away', 10_000, 50);
    await api['session.close']({ id: s.id });
    const proxies = of(await events(s.id), 'net.proxy');
    expect(proxies.at(-1)).toMatchObject({ state: 'restored', problem: expect.stringMatching(/^not yet: /) });
    expect(listLeases(dataDir).leases).toEqual([expect.objectContaining({ serial: phone.serial, previous: null, address: on.address })]);
    await plugBack();
    await waitFor('restored on return', async () => listLeases(dataDir).leases.length === 0, 15_000, 100);
    expect(await shell('settings', 'get', 'global', 'http_proxy')).toBe('null');
    expect(phone.system.network.proxy()).toBeNull();
  });

  it('pause and resume: off with the pause, on again with the same choice and the same session CA', async () => {
    const s = await start();
    const first = await api['network.start']({ sessionId: s.id, choice: USB_INTERCEPT });
    await api['session.pause']({ id: s.id });
    expect(await shell('settings', 'get', 'global', 'http_proxy')).toBe('null');
    expect(lastStatus(s.id)).toMatchObject({ state: 'off' });
    await api['session.resume']({ id: s.id });
    const again = await api['network.status']({ sessionId: s.id });
    expect(again).toMatchObject({ state: 'on', intercept: true, caSha256: first.caSha256 });
    expect(await shell('settings', 'get', 'global', 'http_proxy')).toBe(again!.address);
    await api['session.close']({ id: s.id });
    expect(await shell('settings', 'get', 'global', 'http_proxy')).toBe('null');
    expect(of(await events(s.id), 'net.proxy').map((p) => p.state)).toEqual(['on', 'restored', 'on', 'restored']);
  });

  it('a phone that refuses the setting: net.proxy refused with its words, and the session keeps recording', async () => {
    const s = await start();
    refuseWrites = true;
    const r = await api['network.start']({ sessionId: s.id, choice: USB_TUNNEL });
    expect(r).toMatchObject({ state: 'refused', problem: expect.stringContaining('WRITE_SECURE_SETTINGS') });
    const seq = (await api['session.note']({ id: s.id, text: 'still recording' })).seq;
    const list = await events(s.id);
    expect(of(list, 'net.proxy')).toEqual([expect.objectContaining({ state: 'refused', source: 'workbench', problem: expect.stringContaining('WRITE_SECURE_SETTINGS') })]);
    expect(seq).toBeGreaterThan(0);
    expect((await api['session.list']({})).find((x) => x.id === s.id)?.state).toBe('recording');
    expect((await reverses()).trim()).toBe('');
    expect(listLeases(dataDir).leases).toEqual([]);
  });

  it('a stale proxy a dead workbench left: found, offered, cleared (its previous value back), stale-cleared in the open session', async () => {
    await shell('settings', 'put', 'global', 'http_proxy', '127.0.0.1:9');
    writeLease(dataDir, { serial: phone.serial, previous: 'proxy.lab:3128', address: '127.0.0.1:9', pid: 2 ** 22 + 4321, port: 9, mode: 'usb', reverse: true, startedAt: 1, sessionId: 'gone' });
    const stale = await api['network.staleProxies']({});
    expect(stale).toEqual([expect.objectContaining({ serial: phone.serial, current: '127.0.0.1:9', restore: 'proxy.lab:3128', reason: 'dead-workbench', connected: true })]);
    const s = await start();
    expect(await api['network.clearStale']({ serial: phone.serial })).toEqual([]);
    expect(await shell('settings', 'get', 'global', 'http_proxy')).toBe('proxy.lab:3128');
    expect(of(await events(s.id), 'net.proxy')).toEqual([expect.objectContaining({ state: 'stale-cleared', previous: 'proxy.lab:3128' })]);
    // No lease, but the phone points at a loopback port where nothing listens: stale too (cleared = deleted).
    await shell('settings', 'put', 'global', 'http_proxy', '127.0.0.1:9');
    expect(await api['network.staleProxies']({})).toEqual([expect.objectContaining({ serial: phone.serial, reason: 'nothing-listening', restore: null, lease: null })]);
    await api['network.clearStale']({ serial: phone.serial });
    expect(await shell('settings', 'get', 'global', 'http_proxy')).toBe('null');
    expect(phone.system.network.proxy()).toBeNull();
  });

  it('Wi-Fi mode: the proxy on this computer\'s LAN address, no reverse, another host refused (net.refused), then restored', async () => {
    const lan = (await api['network.lanAddresses']({}))[0];
    expect(lan).toBeDefined();
    const s = await start();
    const on = await api['network.start']({ sessionId: s.id, choice: { mode: 'wifi', intercept: false, lanAddress: lan!.address, values: [] } });
    expect(on).toMatchObject({ state: 'on', mode: 'wifi', address: expect.stringMatching(new RegExp(`^${lan!.address.replace(/\./g, '\\.')}:\\d+$`)) });
    expect(await shell('settings', 'get', 'global', 'http_proxy')).toBe(on.address);
    expect((await reverses()).trim()).toBe('');
    // This computer is not the phone: refused, and said in the session.
    const [host, port] = on.address!.split(':');
    await new Promise<void>((resolve) => {
      const socket = connect({ host: host!, port: Number(port) }, () => socket.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'));
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
      socket.resume();
    });
    await waitFor('the refusal', async () => of(await events(s.id), 'net.refused').length > 0, 5000, 50);
    expect(of(await events(s.id), 'net.refused')[0]).toMatchObject({ source: 'network', reason: 'not-the-phone' });
    await api['session.close']({ id: s.id });
    expect(await shell('settings', 'get', 'global', 'http_proxy')).toBe('null');
  });

  it('the workbench\'s exit puts the phone back', async () => {
    const s = await start();
    await api['network.start']({ sessionId: s.id, choice: USB_TUNNEL });
    expect(await shell('settings', 'get', 'global', 'http_proxy')).toMatch(/^127\.0\.0\.1:\d+$/);
    await wb.network.stopAll();
    expect(await shell('settings', 'get', 'global', 'http_proxy')).toBe('null');
    expect(listLeases(dataDir).leases).toEqual([]);
  });
});
