// A recording session with network capture, end to end through the REAL adb server, the virtual phone and the real
// proxy: the scenario app's HTTPS POST to Umeng before consent becomes net.connection (its app by uid from the
// phone's /proc/net, the SDK from the host table), net.request with its body kept once by hash, pi.sent (the MD5
// of the Android ID) and net.closed; the phone's proxy is what it was after the session stops.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../../src-preload/monitor-events.js';
import { listLeases } from '../../../../src-main/core/network/proxy-lease.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { networkRig, USB_INTERCEPT, type NetworkRig } from '../../../support/network-session.js';
import { startPhone } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let phone: VirtualDevice;
let rig: NetworkRig;

const APP = 'com.demo.weather';
const of = <T extends TimelineEvent['type']>(events: TimelineEvent[], type: T): Array<Extract<TimelineEvent, { type: T }>> => events.filter((e): e is Extract<TimelineEvent, { type: T }> => e.type === type);

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhone(adb, 'sdk-sends-id-before-consent');
  rig = networkRig(adb, phone);
});
afterAll(async () => {
  await adb?.kill();
  await phone?.stop();
});

describe('a session with network capture (real adb server, virtual phone, real proxy)', () => {
  it('the SDK\'s POST before consent: connection by uid, SDK, request with its body by hash, pi.sent, closed; the phone put back', async () => {
    const before = (await adb.adb(['-s', phone.serial, 'shell', 'settings', 'get', 'global', 'http_proxy'])).stdout;
    const info = await rig.manager.start({ serial: phone.serial, packageName: APP, tester: 't', caseRef: '' });
    const status = await rig.network.start(info.id, USB_INTERCEPT);
    expect(status).toMatchObject({ state: 'on', mode: 'usb', previous: null, address: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
    // The tester installed the session CA as a user CA; the app's network security config trusts user CAs.
    phone.system.network.addUserCa(rig.network.ca(info.id).pem);
    await rig.control.launch(phone.serial, APP);
    await waitFor('the SDK\'s request through the proxy', async () => of(await rig.events(info.id), 'pi.sent').length > 0, 15_000, 100);
    await rig.manager.close(info.id);

    const events = await rig.events(info.id);
    const [conn] = of(events, 'net.connection').filter((c) => c.host === 'ulogs.umeng.com');
    expect(conn).toMatchObject({
      source: 'network', via: 'connect', port: 443, sni: 'ulogs.umeng.com', tls: true, intercepted: true,
      app: { attribution: 'uid', packageName: APP, uid: expect.any(Number) },
      sdk: { id: 'umeng-analytics' },
    });
    const [request] = of(events, 'net.request').filter((r) => r.flowId === conn!.flowId);
    expect(request).toMatchObject({ method: 'POST', url: 'https://ulogs.umeng.com/unify_logs', status: 200 });
    const body = request!.requestBody!;
    expect(body).toMatchObject({ truncated: false, searched: true });
    // Kept once, by hash, in the session's blobs: what the app sent.
    const kept = readFileSync(join(info.dir, body.blob!.path));
    expect(kept.toString()).toContain('"idtype":"android_id_md5"');
    const sent = of(events, 'pi.sent').filter((p) => p.flowId === conn!.flowId);
    expect(sent).toEqual([expect.objectContaining({ kind: 'android-id', form: 'md5', where: 'body', host: 'ulogs.umeng.com', sdk: expect.objectContaining({ id: 'umeng-analytics' }) })]);
    expect(sent[0]!.masked).not.toContain(phone.system.androidId);
    const closed = of(events, 'net.closed').filter((c) => c.flowId === conn!.flowId);
    expect(closed).toHaveLength(1);
    expect(closed[0]!.bytesUp).toBeGreaterThan(body.size);
    // Each flow's events in order: connection first, closed last.
    const seqOf = (e: TimelineEvent): number => events.indexOf(e);
    expect(seqOf(conn!)).toBeLessThan(seqOf(request!));
    expect(seqOf(request!)).toBeLessThan(seqOf(closed[0]!));
    // The proxy's set-up and tear-down are the workbench's, both in the timeline; the phone has its setting back.
    expect(of(events, 'net.proxy').map((p) => [p.state, p.source, p.previous])).toEqual([['on', 'workbench', null], ['restored', 'workbench', null]]);
    expect((await adb.adb(['-s', phone.serial, 'shell', 'settings', 'get', 'global', 'http_proxy'])).stdout).toBe(before);
    expect(phone.system.network.proxy()).toBeNull();
    expect((await adb.adb(['-s', phone.serial, 'reverse', '--list'])).stdout.trim()).toBe('');
    expect(listLeases(rig.dataDir).leases).toEqual([]);
    expect(rig.statuses.at(-1)).toMatchObject({ state: 'off', piFound: 1 });
  });
});
