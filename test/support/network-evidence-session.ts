/**
 * A recorded session with what left the phone, written through the real Session class as the wiring writes a
 * proxy's reports: the proxy on, the first launch, Umeng's server reached 0.8 s after it through a tunnel never
 * decrypted, JPush's through an intercepted tunnel with a POST carrying the Android ID as MD5 (binary answer),
 * another app's plain HTTP request, the consent, the agree stage with the app's own host, the proxy restored.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { exportPackage, IdentityStore, type ExportOutcome } from '../../src-main/core/evidence/index.js';
import { PASSPHRASE, TOOL } from './evidence-fixtures.js';
import { JPUSH, NetworkWriter, UMENG } from './network-events.js';
import { RecordedSession } from './recorded-session.js';

export const REQUEST_BODY = Buffer.from('{"aid":"5d41402abc4b2a76b9719d911017c592","pkg":"com.demo.shop","ch":"官方"}');
export const RESPONSE_BODY = Buffer.from([0x00, 0x9c, 0xff, 0x10, 0x80, 0x7f, 0x00, 0xfe, 0xc3, 0x28]);

export interface NetworkSession {
  dir: string;
  seqs: { umeng: number; umengClosed: number; jpush: number; post: number; pi: number; other: number; otherGet: number; own: number; ownGet: number; consent: number };
  flowIds: string[];
}

export async function networkSession(root: string): Promise<NetworkSession> {
  const r = new RecordedSession(root);
  const w = new NetworkWriter(r);
  w.proxyOn(-500);
  r.firstLaunch(0);
  const umeng = w.connection(810, { host: 'alog.umeng.com', sdk: UMENG });
  const umengClosed = w.closed(1200, umeng.flowId, 2345, 678);
  const jpush = w.connection(900, { host: 'api.jpush.cn', sdk: JPUSH, intercepted: true });
  const post = w.request(950, jpush.flowId, {
    method: 'POST', url: 'https://api.jpush.cn/v3/report?app=com.demo.shop&v=2',
    requestHeaders: [['host', 'api.jpush.cn'], ['content-type', 'application/json'], ['cookie', 'sid=abc123; t=1']],
    requestBody: w.body(REQUEST_BODY), responseHeaders: [['content-type', 'application/octet-stream'], ['set-cookie', 'jid=42; Path=/; HttpOnly']], responseBody: w.body(RESPONSE_BODY),
  });
  const pi = w.piSent(951, jpush.flowId, post.requestId, { host: 'api.jpush.cn', sdk: JPUSH, kind: 'android-id', form: 'md5', masked: '5d41…c592' });
  w.closed(1300, jpush.flowId, 900, 400);
  const other = w.connection(1000, { host: 'cdn.other.example', tls: false, app: null });
  const otherGet = w.request(1010, other.flowId, { url: 'http://cdn.other.example/a.png', status: 404, app: null });
  w.closed(1020, other.flowId, 100, 200, 20, null, null);
  const consent = r.mark(5000, 'consent.given');
  r.ran(5001, 'first-launch');
  r.stage(6000, 'agree');
  const own = w.connection(6500, { host: 'api.demo.shop', tls: false });
  const ownGet = w.request(6510, own.flowId, { url: 'http://api.demo.shop/home', responseBody: w.body(Buffer.from('{"ok":true}')) });
  w.closed(6600, own.flowId, 300, 500);
  w.proxyRestored(9000);
  await r.s.setState('closed', null);
  await r.s.release();
  return {
    dir: r.s.dir,
    seqs: { umeng: umeng.seq, umengClosed, jpush: jpush.seq, post: post.seq, pi, other: other.seq, otherGet: otherGet.seq, own: own.seq, ownGet: ownGet.seq, consent },
    flowIds: [umeng.flowId, jpush.flowId, other.flowId, own.flowId],
  };
}

export async function exportNetworkSession(dir: string, out: string, dataDir = mkdtempSync(join(tmpdir(), 'net-data-'))): Promise<ExportOutcome> {
  const store = new IdentityStore(dataDir);
  const id = store.list()[0]?.id ?? (await store.createSelfSigned('张三', PASSPHRASE)).id;
  return exportPackage({ sessionDir: dir, out, identity: await store.unlock(id, PASSPHRASE), national: true, compress: false, tsaUrl: null, tool: TOOL });
}
