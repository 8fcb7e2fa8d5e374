/**
 * Network events written into a real session the way the per-session wiring writes what the proxy reports
 * (src-preload/network.ts is the contract; net-netsession's network-events.ts the writer): source 'network' (the
 * proxy's state 'workbench'), the event's package the session's app whoever opened the connection (the app is in
 * the connection's `app`), host time and the phone's time from the session's clock offset (0 here), bodies kept
 * once in the session's blobs as application/octet-stream.
 */
import { createHash } from 'node:crypto';
import type { FlowApp, FlowBody, NetworkEventBody, PiForm, PiKind, SdkRef } from '../../src-preload/network.js';
import type { TimelineEvent } from '../../src-preload/monitor-events.js';
import { putBlob } from '../../src-main/core/session/blob-store.js';
import { APP, BASE, type RecordedSession } from './recorded-session.js';

export const UMENG: SdkRef = { id: 'umeng-analytics', name: { zh: '友盟+ 统计', en: 'Umeng+ Analytics' }, vendor: '友盟同欣（北京）科技有限公司' };
export const JPUSH: SdkRef = { id: 'jpush', name: { zh: '极光推送', en: 'JPush' }, vendor: '深圳市和讯华谷信息技术有限公司' };

export function appOf(packageName: string | null, uid: number | null = packageName ? 10123 : null): FlowApp {
  return packageName
    ? { attribution: 'uid', uid, packageName, candidates: [], foreground: APP, alive: [APP] }
    : { attribution: 'unattributed', uid: null, packageName: null, candidates: [], foreground: APP, alive: [APP, 'com.other.app'] };
}

export class NetworkWriter {
  private n = 0;
  private flows = 0;

  constructor(readonly r: RecordedSession) {}

  /** `_app`: who the event concerns in the test's words; the wiring writes the session's app on every event. */
  event(ms: number, body: NetworkEventBody, _app: string | null = APP): number {
    const source = body.type === 'net.proxy' ? 'workbench' : 'network';
    return this.r.s.appendObserved({ seq: ++this.n, serial: 'S', packageName: APP, hostTime: BASE + ms, deviceTime: BASE + ms, source, raw: [], ...body } as TimelineEvent);
  }

  proxyOn(ms: number): number {
    return this.event(ms, { type: 'net.proxy', state: 'on', mode: 'usb', address: '127.0.0.1:8899', previous: null, problem: null }, null);
  }

  proxyRestored(ms: number): number {
    return this.event(ms, { type: 'net.proxy', state: 'restored', mode: 'usb', address: '127.0.0.1:8899', previous: null, problem: null }, null);
  }

  /** A connection; returns its flow id and seq. */
  connection(ms: number, o: { host: string; port?: number; tls?: boolean; intercepted?: boolean; via?: 'connect' | 'http' | 'websocket'; app?: string | null; sdk?: SdkRef | null; sni?: string | null }): { flowId: string; seq: number } {
    const flowId = `f${++this.flows}`;
    const app = o.app === undefined ? APP : o.app;
    const tls = o.tls ?? true;
    const seq = this.event(ms, {
      type: 'net.connection', flowId, via: o.via ?? (tls ? 'connect' : 'http'), host: o.host, port: o.port ?? (tls ? 443 : 80), sni: o.sni === undefined ? (tls ? o.host : null) : o.sni,
      tls, intercepted: o.intercepted ?? false, app: appOf(app), sdk: o.sdk ?? null,
    }, app);
    return { flowId, seq };
  }

  closed(ms: number, flowId: string, bytesUp: number, bytesDown: number, durationMs = 120, error: string | null = null, app: string | null = APP): number {
    return this.event(ms, { type: 'net.closed', flowId, bytesUp, bytesDown, durationMs, error }, app);
  }

  /** A body as the wiring keeps it: its bytes in blobs/, its size and SHA-256; `keep` cuts it as the proxy's cap would. */
  body(bytes: Buffer, mediaType = 'application/octet-stream', keep = Infinity): FlowBody {
    const kept = bytes.subarray(0, Math.min(bytes.length, keep));
    return { blob: putBlob(this.r.s.dir, kept, mediaType), size: bytes.length, truncated: kept.length < bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), searched: true };
  }

  request(ms: number, flowId: string, o: { method?: string; url: string; status?: number | null; requestHeaders?: [string, string][]; responseHeaders?: [string, string][]; requestBody?: FlowBody | null; responseBody?: FlowBody | null; app?: string | null }): { requestId: string; seq: number } {
    const requestId = `${flowId}-r${this.n + 1}`;
    const seq = this.event(ms, {
      type: 'net.request', flowId, requestId, method: o.method ?? 'GET', url: o.url, httpVersion: '1.1', status: o.status === undefined ? 200 : o.status,
      requestHeaders: o.requestHeaders ?? [['host', new URL(o.url).host]], responseHeaders: o.responseHeaders ?? [['content-type', 'application/json']],
      requestBody: o.requestBody ?? null, responseBody: o.responseBody ?? null, durationMs: 35,
    }, o.app === undefined ? APP : o.app);
    return { requestId, seq };
  }

  piSent(ms: number, flowId: string, requestId: string, o: { host: string; sdk?: SdkRef | null; kind?: PiKind; form?: PiForm; where?: 'url' | 'header' | 'body'; masked?: string; app?: string | null }): number {
    return this.event(ms, { type: 'pi.sent', flowId, requestId, kind: o.kind ?? 'android-id', form: o.form ?? 'md5', where: o.where ?? 'body', host: o.host, sdk: o.sdk ?? null, masked: o.masked ?? '9f3c…e1a2' }, o.app === undefined ? APP : o.app);
  }
}
