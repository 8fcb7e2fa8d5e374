/**
 * A session whose timeline holds what left the phone, written with the real Session class (timeline chain,
 * blobs by hash) the way the network capability records it: the proxy set on the phone, connections opened and
 * closed (tunnelled, intercepted, plain HTTP), exchanges with their bodies kept as blobs, the phone's own values
 * found in them (`pi.sent`, masked), across template stages. `bulk` adds that many more plain connections, to
 * load the Network view the way a long session does. The Network view's unit tests and e2e specs read it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { TimelineEvent } from '../../src-preload/monitor-events.js';
import type { FlowApp, FlowBody, NetworkEventBody, SdkRef } from '../../src-preload/network.js';
import { Session } from '../../src-main/core/session/index.js';
import { putBlob } from '../../src-main/core/session/blob-store.js';
import { maskDigest, maskPackageList, maskValue } from '../../src-main/core/network/pi/index.js';
import { TOOL } from './evidence-fixtures.js';

export const NET_APP = 'com.demo.shop';
const SERIAL = 'emulator-5554';
const BASE = Date.UTC(2026, 10, 30, 2, 0, 0);

export const UMENG: SdkRef = { id: 'umeng-analytics', name: { zh: '友盟+', en: 'Umeng+' }, vendor: '友盟同欣（北京）科技有限公司', scope: 'company' };
export const JPUSH: SdkRef = { id: 'jpush', name: { zh: '极光推送', en: 'JPush' }, vendor: '深圳市和讯华谷信息技术有限公司', scope: 'sdk' };

/** The phone's Android ID in this session, and its SHA-256 as the SDK sends it. */
export const ANDROID_ID = '9774d56d682e549c';
export const ANDROID_ID_SHA256 = createHash('sha256').update(ANDROID_ID).digest('hex');
/** As the PI search masks them (its own functions): the digest as found, the Android ID as sent in a URL. */
export const MASKED_SHA256 = maskDigest(ANDROID_ID_SHA256);
export const MASKED_ID = maskValue(ANDROID_ID);
export const PACKAGES = ['com.tencent.mm', 'com.eg.android.AlipayGphone', 'com.demo.bank'];

/** What the fixture's session holds, for assertions. */
export interface NetworkSession {
  id: string;
  dir: string;
  /** Connections the timeline holds (rows of the Network view). */
  flows: number;
  /** The binary response's size (bigger than the 64 KB shown). */
  binarySize: number;
}

const byUid = (packageName: string, uid: number): FlowApp => ({ attribution: 'uid', uid, packageName, candidates: [], foreground: packageName, alive: [packageName] });
const unattributed = (candidates: string[]): FlowApp => ({ attribution: candidates.length > 1 ? 'ambiguous' : 'unattributed', uid: null, packageName: null, candidates, foreground: NET_APP, alive: [NET_APP, 'com.android.systemui'] });

export async function writeNetworkSession(root: string, o: { bulk?: number; id?: string; recording?: boolean } = {}): Promise<NetworkSession> {
  const id = o.id ?? `net-${randomBytes(4).toString('hex')}`;
  const s = Session.create(join(root, id), {
    id, app: { packageName: NET_APP, versionName: '1.0', versionCode: 1, apkSha256: null },
    device: { serial: SERIAL, model: 'Pixel 7', manufacturer: 'Google', fingerprint: null, androidVersion: '14', sdk: 34, clockOffsetMs: 0, timezone: 'Asia/Shanghai' },
    tester: '张三', caseRef: 'CASE-27', startedAt: BASE, tool: TOOL,
  });
  let n = 0;
  const at = (ms: number) => ({ hostTime: BASE + ms, deviceTime: BASE + ms });
  const net = (ms: number, body: NetworkEventBody): number => s.appendObserved({ seq: ++n, serial: SERIAL, packageName: NET_APP, raw: [], source: 'network', ...at(ms), ...body } as unknown as TimelineEvent);
  const stage = (ms: number, stageId: string): number => s.append({ type: 'tester.mark', mark: 'stage.started', label: stageId }, { source: 'workbench', ...at(ms) });
  const body = (bytes: Buffer, mediaType: string): FlowBody => ({ blob: putBlob(s.dir, bytes, mediaType), size: bytes.length, truncated: false, sha256: createHash('sha256').update(bytes).digest('hex'), searched: true });

  s.append({ type: 'session.started', reason: null }, at(0));
  net(10, { type: 'net.proxy', state: 'on', mode: 'usb', address: '127.0.0.1:8899', previous: null, problem: null });
  stage(100, 'first-launch');
  s.append({ type: 'app.action', action: 'launch', target: NET_APP }, at(110));
  let flows = 0;

  // Umeng's server, 0.8 s after the launch, before any answer to the privacy dialog: tunnelled, host and size only.
  net(910, { type: 'net.connection', flowId: 'f-umeng', via: 'connect', host: 'alog.umeng.com', port: 443, sni: 'alog.umeng.com', tls: true, intercepted: false, app: byUid(NET_APP, 10123), sdk: UMENG });
  net(1410, { type: 'net.closed', flowId: 'f-umeng', bytesUp: 2150, bytesDown: 5388, durationMs: 500, error: null });
  flows++;

  // JPush, intercepted: the Android ID hashed in a JSON body, and a binary answer larger than the pane shows.
  const request = Buffer.from(JSON.stringify({ aid: ANDROID_ID_SHA256, platform: 'android', note: '<b>not markup</b> & "quotes"' }));
  const binary = Buffer.concat([Buffer.from([0x08, 0x96, 0x01, 0x00, 0xff]), randomBytes(70 * 1024)]);
  net(1200, { type: 'net.connection', flowId: 'f-jpush', via: 'connect', host: 'sdk.jpush.cn', port: 443, sni: 'sdk.jpush.cn', tls: true, intercepted: true, app: byUid(NET_APP, 10123), sdk: JPUSH });
  net(1350, {
    type: 'net.request', flowId: 'f-jpush', requestId: 'r-jpush-1', method: 'POST', url: 'https://sdk.jpush.cn/v1/report?from=<script>alert(1)</script>', httpVersion: '2',
    status: 200, requestHeaders: [['content-type', 'application/json'], ['x-device', ANDROID_ID_SHA256]], responseHeaders: [['content-type', 'application/x-protobuf']],
    requestBody: body(request, 'application/json'), responseBody: body(binary, 'application/octet-stream'), durationMs: 140,
  });
  net(1351, { type: 'pi.sent', flowId: 'f-jpush', requestId: 'r-jpush-1', kind: 'android-id', form: 'sha256', where: 'body', host: 'sdk.jpush.cn', sdk: JPUSH, masked: MASKED_SHA256 });
  net(1352, { type: 'pi.sent', flowId: 'f-jpush', requestId: 'r-jpush-1', kind: 'android-id', form: 'sha256', where: 'header', host: 'sdk.jpush.cn', sdk: JPUSH, masked: MASKED_SHA256 });
  net(1600, { type: 'net.closed', flowId: 'f-jpush', bytesUp: 4012, bytesDown: 73_000, durationMs: 400, error: null });
  flows++;

  s.append({ type: 'tester.mark', mark: 'consent.declined', label: null }, { source: 'tester', ...at(5000) });
  stage(5100, 'decline');
  // After the decline: the Android ID and the app list in a plain HTTP URL, from a socket the phone would not name an app for.
  const url = `http://log.adsdk.example:8080/collect?aid=${ANDROID_ID}&pkgs=${encodeURIComponent(PACKAGES.join(','))}`;
  net(6000, { type: 'net.connection', flowId: 'f-ads', via: 'http', host: 'log.adsdk.example', port: 8080, sni: null, tls: false, intercepted: false, app: unattributed([NET_APP, 'com.demo.other']), sdk: null });
  net(6010, { type: 'net.request', flowId: 'f-ads', requestId: 'r-ads-1', method: 'GET', url, httpVersion: '1.1', status: 204, requestHeaders: [['host', 'log.adsdk.example:8080']], responseHeaders: [], requestBody: null, responseBody: null, durationMs: 9 });
  net(6011, { type: 'pi.sent', flowId: 'f-ads', requestId: 'r-ads-1', kind: 'android-id', form: 'plain', where: 'url', host: 'log.adsdk.example', sdk: null, masked: MASKED_ID });
  net(6012, { type: 'pi.sent', flowId: 'f-ads', requestId: 'r-ads-1', kind: 'package-list', form: 'plain', where: 'url', host: 'log.adsdk.example', sdk: null, masked: maskPackageList(PACKAGES) });
  net(6020, { type: 'net.closed', flowId: 'f-ads', bytesUp: 310, bytesDown: 120, durationMs: 20, error: null });
  flows++;
  // The app's own server, SNI other than the CONNECT host, still open when the session ends.
  net(7000, { type: 'net.connection', flowId: 'f-own', via: 'connect', host: '203.0.113.7', port: 443, sni: 'api.demo-shop.example', tls: true, intercepted: false, app: byUid(NET_APP, 10123), sdk: null });
  flows++;

  const hosts = [['alog.umeng.com', UMENG], ['sdk.jpush.cn', JPUSH], ['cdn.demo-shop.example', null]] as const;
  for (let i = 0; i < (o.bulk ?? 0); i++) {
    const [host, sdk] = hosts[i % hosts.length]!;
    if (i === Math.floor((o.bulk ?? 0) / 2)) stage(10_000 + i * 10, 'agree');
    net(10_000 + i * 10, { type: 'net.connection', flowId: `b${i}`, via: 'connect', host, port: 443, sni: host, tls: true, intercepted: false, app: byUid(i % 7 === 0 ? 'com.demo.other' : NET_APP, 10123), sdk });
    net(10_005 + i * 10, { type: 'net.closed', flowId: `b${i}`, bytesUp: 100 + i, bytesDown: 1000 + i, durationMs: 5, error: null });
    flows++;
  }
  if (!o.recording) await s.setState('closed', null);
  await s.release();
  return { id, dir: s.dir, flows, binarySize: binary.length };
}
