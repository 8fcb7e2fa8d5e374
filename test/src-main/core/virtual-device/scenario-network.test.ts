// The scenario apps' network traffic end to end, through the REAL adb server and the virtual phone: with no proxy
// the requests reach the virtual internet directly; with `settings put global http_proxy` and `adb reverse` to a
// CONNECT-capable proxy on the host they go through it with the right CONNECT targets, SNI and absolute-form
// requests, and the bodies carry the phone's own values (read back over adb) in the scenario's forms — checked
// with openssl and with the workbench's PI search. An app that does not trust user CAs refuses an intercepting
// proxy's certificate (logged as OkHttp would), and one that trusts them is read.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PiSearch } from '../../../../src-main/core/network/pi/index.js';
import type { PhoneValue } from '../../../../src-main/core/network/contracts.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { VirtualInternet, type ServedRequest } from '../../../../src-main/core/virtual-device/internet/virtual-internet.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startTestProxy, type TestProxy } from '../../../support/connect-proxy.js';
import { startPhone, startPhoneFrom } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
const cleanup: Array<() => Promise<unknown> | unknown> = [];
/** The phone's loopback port the proxy is reversed to, as a tester's session would choose it. */
const PHONE_PROXY_PORT = 8888;

beforeAll(async () => {
  adb = await startAdbServer();
}, 30_000);
afterAll(async () => {
  await adb?.kill();
});
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function phoneFor(scenario: string, fixture = false): Promise<VirtualDevice> {
  const phone = fixture ? await startPhoneFrom(adb, join(__dirname, '../../../fixtures/scenarios', `${scenario}.yaml`)) : await startPhone(adb, scenario);
  cleanup.push(async () => {
    await adb.adb(['disconnect', phone.serial]).catch(() => undefined);
    await phone.stop();
  });
  return phone;
}

const shell = async (phone: VirtualDevice, ...args: string[]): Promise<string> => (await adb.adb(['-s', phone.serial, 'shell', ...args])).stdout;
const launch = (phone: VirtualDevice, pkg: string): Promise<string> => shell(phone, 'am', 'start', '-n', `${pkg}/.MainActivity`);
/** A tap in the middle of a node's bounds, as the tester's finger or `input tap` gives it. */
const tap = (phone: VirtualDevice, [x1, y1, x2, y2]: number[]): Promise<string> => shell(phone, 'input', 'tap', String((x1! + x2!) >> 1), String((y1! + y2!) >> 1));
const AGREE = [60, 1180, 1020, 1320];
const DECLINE = [60, 1350, 1020, 1490];

/** The host proxy, `adb reverse tcp:8888 tcp:<proxy>` and the phone's global proxy pointing at it. */
async function proxied(phone: VirtualDevice, upstream = phone.internet!.connector, beforeTunnel?: (target: string) => Promise<void>): Promise<TestProxy> {
  const proxy = await startTestProxy(upstream, beforeTunnel);
  cleanup.push(() => proxy.stop());
  await adb.adb(['-s', phone.serial, 'reverse', `tcp:${PHONE_PROXY_PORT}`, `tcp:${proxy.port}`]);
  await shell(phone, 'settings', 'put', 'global', 'http_proxy', `127.0.0.1:${PHONE_PROXY_PORT}`);
  expect((await shell(phone, 'settings', 'get', 'global', 'http_proxy')).trim()).toBe(`127.0.0.1:${PHONE_PROXY_PORT}`);
  return proxy;
}

/** An intercepting server: the same hostnames, certified by its own CA (the one a tester installs on the phone). */
async function interceptor(hosts: string[]): Promise<VirtualInternet> {
  const mitm = new VirtualInternet({ hosts });
  await mitm.start();
  cleanup.push(() => mitm.stop());
  return mitm;
}

function servedTo(internet: VirtualInternet, host: string): Promise<ServedRequest> {
  return waitFor(`a request to ${host}`, async () => internet.requests.find((r) => r.host === host), 10_000);
}

function opensslDigest(algorithm: 'md5' | 'sha1' | 'sha256', text: string): string {
  const r = spawnSync('openssl', ['dgst', `-${algorithm}`], { input: text, encoding: 'utf8' });
  return /= ([0-9a-f]+)\s*$/.exec(r.stdout)![1]!;
}

/** The phone's values as the workbench reads them over adb (Android ID, serial, Wi-Fi MAC, the installed apps). */
async function phoneValues(phone: VirtualDevice): Promise<PhoneValue[]> {
  const packages = (await shell(phone, 'pm', 'list', 'packages', '-3')).split('\n').map((l) => l.replace(/^package:/, '').trim()).filter(Boolean);
  return [
    { kind: 'android-id', value: (await shell(phone, 'settings', 'get', 'secure', 'android_id')).trim() },
    { kind: 'serial', value: (await shell(phone, 'getprop', 'ro.serialno')).trim() },
    { kind: 'wifi-mac', value: (await shell(phone, 'cat', '/sys/class/net/wlan0/address')).trim() },
    ...packages.map((value): PhoneValue => ({ kind: 'package-list', value })),
  ];
}

async function piFound(phone: VirtualDevice, r: ServedRequest): Promise<Array<{ kind: string; form: string; where: string }>> {
  const search = PiSearch.compile(await phoneValues(phone));
  const { matches } = await search.search({ url: `${r.tls ? 'https' : 'http'}://${r.host}${r.target}`, headers: r.headers, body: r.body });
  return matches.map(({ kind, form, where }) => ({ kind, form, where }));
}

describe('sdk-sends-id-before-consent', () => {
  it('no proxy: Umeng\'s endpoint gets the MD5 of the Android ID, directly, while the consent dialog waits', async () => {
    const phone = await phoneFor('sdk-sends-id-before-consent');
    expect((await shell(phone, 'settings', 'get', 'global', 'http_proxy')).trim()).toBe('null');
    const launched = Date.now();
    await launch(phone, 'com.demo.weather');
    const req = await servedTo(phone.internet!, 'ulogs.umeng.com');
    // The scenario's 800 ms on the phone's clock passed before it was sent.
    expect(req.at - launched).toBeGreaterThanOrEqual(700);
    expect(req).toMatchObject({ tls: true, sni: 'ulogs.umeng.com', method: 'POST', target: '/unify_logs' });
    const androidId = (await shell(phone, 'settings', 'get', 'secure', 'android_id')).trim();
    expect(JSON.parse(req.body.toString()).header.device_id).toBe(opensslDigest('md5', androidId));
    expect(await piFound(phone, req)).toEqual([{ kind: 'android-id', form: 'md5', where: 'body' }]);
    expect(phone.system.screenOf('com.demo.weather')).toBe('consent');
    expect(phone.player.requests.calls.map((c) => c.result?.ok && c.result.via)).toEqual(['direct']);
  });

  it('through the proxy: CONNECT ulogs.umeng.com:443 with that SNI, before consent and again after agreement', async () => {
    const phone = await phoneFor('sdk-sends-id-before-consent');
    const proxy = await proxied(phone);
    await launch(phone, 'com.demo.weather');
    const before = await servedTo(phone.internet!, 'ulogs.umeng.com');
    expect(proxy.connects).toEqual([{ target: 'ulogs.umeng.com:443', sni: 'ulogs.umeng.com', headers: [['Host', 'ulogs.umeng.com:443'], ['Proxy-Connection', 'Keep-Alive'], ['User-Agent', 'okhttp/4.12.0']] }]);
    expect(JSON.parse(before.body.toString()).analytics.launch).toBeDefined();
    await tap(phone, AGREE);
    await waitFor('the request after agreement', async () => phone.internet!.requests.length === 2, 10_000);
    expect(proxy.connects.map((c) => [c.target, c.sni])).toEqual([['ulogs.umeng.com:443', 'ulogs.umeng.com'], ['ulogs.umeng.com:443', 'ulogs.umeng.com']]);
    expect(JSON.parse(phone.internet!.requests[1]!.body.toString()).analytics.sessions).toBeDefined();
    expect(proxy.requests).toEqual([]);
  });

  it('while its CONNECT waits, /proc/net/tcp6 read over adb lists the app\'s socket to the proxy port under the app\'s uid', async () => {
    const phone = await phoneFor('sdk-sends-id-before-consent');
    const samples: string[] = [];
    await proxied(phone, phone.internet!.connector, async () => {
      samples.push(await shell(phone, 'cat', '/proc/net/tcp6'));
    });
    await launch(phone, 'com.demo.weather');
    await servedTo(phone.internet!, 'ulogs.umeng.com');
    expect(samples).toHaveLength(1);
    const uid = phone.system.pm.get('com.demo.weather')!.uid;
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid ...; ::ffff:127.0.0.1 port 8888 (0x22B8), ESTABLISHED (01).
    const rows = samples[0]!.split('\n').slice(1).map((l) => l.trim().split(/\s+/)).filter((f) => f.length > 8);
    const toProxy = rows.filter((f) => f[2] === '0000000000000000FFFF00000100007F:22B8' && f[3] === '01');
    expect(toProxy.map((f) => Number(f[7]))).toEqual([uid]);
  });

  it('an intercepting proxy whose CA the user installed reads the body: the app\'s network security config trusts user CAs', async () => {
    const phone = await phoneFor('sdk-sends-id-before-consent');
    const mitm = await interceptor(['ulogs.umeng.com']);
    phone.system.network.addUserCa(mitm.caPem);
    await proxied(phone, mitm.connector);
    await launch(phone, 'com.demo.weather');
    const read = await servedTo(mitm, 'ulogs.umeng.com');
    expect(await piFound(phone, read)).toEqual([{ kind: 'android-id', form: 'md5', where: 'body' }]);
    expect(phone.internet!.requests).toEqual([]);
  });
});

describe('user CA trust', () => {
  it('targetSdk 30 without a network security config refuses the intercepting CA; targetSdk 23 and a config naming user CAs accept it', async () => {
    const phone = await phoneFor('user-ca-trust', true);
    const mitm = await interceptor(['ulogs.umeng.com']);
    phone.system.network.addUserCa(mitm.caPem);
    const proxy = await proxied(phone, mitm.connector);
    for (const pkg of ['com.demo.modern', 'com.demo.legacy', 'com.demo.nscuser']) await launch(phone, pkg);
    await waitFor('all three calls to end', async () => phone.player.requests.calls.length === 3 && phone.player.requests.calls.every((c) => c.result), 10_000);
    // The refused one: its CONNECT and SNI still seen by the proxy, nothing read, the failure in the app's log.
    expect(proxy.connects.map((c) => c.sni)).toEqual(['ulogs.umeng.com', 'ulogs.umeng.com', 'ulogs.umeng.com']);
    expect(mitm.requests.map((r) => JSON.parse(r.body.toString()).app).sort()).toEqual(['legacy', 'nscuser']);
    const log = (await adb.adb(['-s', phone.serial, 'logcat', '-d', '-v', 'brief'])).stdout;
    const modernUid = phone.system.pm.get('com.demo.modern')!.uid;
    const refusals = log.split('\n').filter((l) => l.includes('SSLHandshakeException'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatch(/^W\/UMLog\s*\(\s*\d+\): javax\.net\.ssl\.SSLHandshakeException: java\.security\.cert\.CertPathValidatorException: Trust anchor for certification path not found\.$/);
    expect(phone.player.requests.calls.find((c) => c.pkg === 'com.demo.modern')).toMatchObject({ uid: modernUid, result: { ok: false } });
    // A failed request is not a crash: the app lives on, the phone answers.
    expect((await shell(phone, 'pidof', 'com.demo.modern')).trim()).toMatch(/^\d+$/);
  });
});

describe('uploads-app-list-after-decline', () => {
  it('through the proxy: nothing before the answer; after decline the app list goes to Getui in absolute form', async () => {
    const phone = await phoneFor('uploads-app-list-after-decline');
    const proxy = await proxied(phone);
    await launch(phone, 'com.demo.reader');
    await new Promise((r) => setTimeout(r, 1500));
    expect(proxy.requests).toEqual([]);
    expect(phone.internet!.requests).toEqual([]);
    await tap(phone, DECLINE);
    const upload = await servedTo(phone.internet!, 'sdk.open.phone.igexin.com');
    expect(proxy.requests.map((r) => [r.method, r.target])).toEqual([['POST', 'http://sdk.open.phone.igexin.com/api.php?format=json&t=1']]);
    expect(proxy.connects).toEqual([]);
    expect(upload).toMatchObject({ tls: false, sni: null, target: '/api.php?format=json&t=1' });
    const installed = (await shell(phone, 'pm', 'list', 'packages', '-3')).split('\n').map((l) => l.replace(/^package:/, '').trim()).filter(Boolean).sort();
    expect(installed).toEqual(['com.demo.reader', 'com.eg.android.AlipayGphone', 'com.ss.android.ugc.aweme', 'com.tencent.mm']);
    expect(JSON.parse(upload.body.toString()).BIData.split(',').sort()).toEqual(installed);
    expect(await piFound(phone, upload)).toEqual([{ kind: 'package-list', form: 'plain', where: 'body' }]);
  });
});

describe('compliant-network', () => {
  it('sends nothing before consent nor after decline; after agreement only its own server, with none of the phone\'s values', async () => {
    const phone = await phoneFor('compliant-network');
    const proxy = await proxied(phone);
    await launch(phone, 'com.demo.goodstores');
    await new Promise((r) => setTimeout(r, 1500));
    await tap(phone, DECLINE);
    await new Promise((r) => setTimeout(r, 1500));
    expect(proxy.connects).toEqual([]);
    expect(proxy.requests).toEqual([]);
    expect(phone.player.requests.calls).toEqual([]);
    await shell(phone, 'am', 'force-stop', 'com.demo.goodstores');
    await launch(phone, 'com.demo.goodstores');
    await tap(phone, AGREE);
    const req = await servedTo(phone.internet!, 'api.good-stores.example');
    expect(proxy.connects.map((c) => [c.target, c.sni])).toEqual([['api.good-stores.example:443', 'api.good-stores.example']]);
    expect(req).toMatchObject({ method: 'GET', target: '/v1/stores?city=beijing&page=1' });
    expect(await piFound(phone, req)).toEqual([]);
  });
});
