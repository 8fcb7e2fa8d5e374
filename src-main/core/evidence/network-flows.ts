/**
 * What left the phone, gathered from a session's timeline for the evidence package: each connection the proxy
 * carried (net.connection, its net.closed), each exchange it read (net.request) with the phone's values found in
 * it (pi.sent), and the marks that put them in time (stage starts, launches, consent answers, the proxy on and
 * off). Fed one timeline event at a time while the export scans the timeline, so the timeline is read once;
 * bounded: past MAX_FLOWS connections or MAX_EXCHANGE_BYTES of exchanges, the rest are counted, not kept, and
 * the HAR and the report say how many were left out. Never reads a blob.
 */
import type { FlowApp, FlowBody, PiForm, PiKind, SdkRef } from '../../../src-preload/network.js';
import type { TimelineEvent } from '../../../src-preload/monitor-events.js';

/** Connections kept: each is about 1 KB of HAR, so the HAR stays within tens of MB (the timeline keeps them all). */
export const MAX_FLOWS = 50_000;
/** Exchanges kept, counted by the size of their timeline lines (headers are most of it). */
export const MAX_EXCHANGE_BYTES = 64 * 1024 * 1024;
/** Refusals listed one by one (the proxy folds floods already); the rest are counted. */
export const MAX_REFUSALS = 1000;

export interface PiRecord {
  seq: number;
  at: number;
  flowId: string;
  requestId: string;
  kind: PiKind;
  form: PiForm;
  where: 'url' | 'header' | 'body';
  host: string;
  sdk: SdkRef | null;
  masked: string;
}

export interface ExchangeRecord {
  seq: number;
  at: number;
  flowId: string;
  requestId: string;
  method: string;
  url: string;
  httpVersion: string;
  status: number | null;
  requestHeaders: [string, string][];
  responseHeaders: [string, string][];
  requestBody: FlowBody | null;
  responseBody: FlowBody | null;
  durationMs: number | null;
  pi: PiRecord[];
}

export interface FlowRecord {
  seq: number;
  at: number;
  flowId: string;
  via: 'connect' | 'http' | 'websocket';
  host: string;
  port: number;
  sni: string | null;
  tls: boolean;
  intercepted: boolean;
  app: FlowApp;
  sdk: SdkRef | null;
  closed: { seq: number; at: number; bytesUp: number; bytesDown: number; durationMs: number; error: string | null } | null;
  exchanges: ExchangeRecord[];
}

export interface Moment {
  seq: number;
  at: number;
}

/** Cheap test on a raw timeline line: whether the collector wants it parsed. */
export function wantsLine(line: string | Buffer): boolean {
  return line.includes('"source":"network"') || line.includes('"stage.started"') || line.includes('"mark":"consent.') ||
    (line.includes('"app.action"') && line.includes('"action":"launch"')) || line.includes('"type":"net.');
}

export class NetworkFlows {
  readonly flows: FlowRecord[] = [];
  readonly stages: Array<Moment & { id: string }> = [];
  readonly launches: Moment[] = [];
  readonly consents: Array<Moment & { mark: 'consent.given' | 'consent.declined' | 'consent.withdrawn' }> = [];
  /** The proxy's state on the phone over time (on, restored, refused, stale-cleared). */
  readonly proxy: Array<Moment & { state: string }> = [];
  /** pi.sent whose exchange was not kept (left out, or a request the timeline does not hold). */
  readonly strayPi: PiRecord[] = [];
  /** Connections and exchanges past the caps: counted, not kept. */
  omittedFlows = 0;
  omittedExchanges = 0;
  refused = 0;
  /** The first refusals, as the proxy said them (what the phone tried that it could not carry). */
  readonly refusals: Array<Moment & { reason: string; client: string; detail: string }> = [];
  private byFlow = new Map<string, FlowRecord>();
  private byRequest = new Map<string, ExchangeRecord>();
  private exchangeBytes = 0;

  /** `lineBytes`: the size of the event's timeline line, what its exchange costs to keep. */
  add(seq: number, e: TimelineEvent, lineBytes = 0): void {
    const at = e.hostTime;
    switch (e.type) {
      case 'tester.mark':
        if (e.mark === 'stage.started' && e.label) this.stages.push({ seq, at, id: e.label });
        else if (e.mark === 'consent.given' || e.mark === 'consent.declined' || e.mark === 'consent.withdrawn') this.consents.push({ seq, at, mark: e.mark });
        return;
      case 'app.action':
        if (e.action === 'launch') this.launches.push({ seq, at });
        return;
      case 'net.proxy':
        this.proxy.push({ seq, at, state: e.state });
        return;
      case 'net.refused':
        this.refused++;
        if (this.refusals.length < MAX_REFUSALS) this.refusals.push({ seq, at, reason: e.reason, client: e.client, detail: e.detail });
        return;
      case 'net.connection': {
        if (this.flows.length >= MAX_FLOWS || this.byFlow.has(e.flowId)) {
          this.omittedFlows++;
          return;
        }
        const f: FlowRecord = { seq, at, flowId: e.flowId, via: e.via, host: e.host, port: e.port, sni: e.sni, tls: e.tls, intercepted: e.intercepted, app: e.app, sdk: e.sdk, closed: null, exchanges: [] };
        this.flows.push(f);
        this.byFlow.set(e.flowId, f);
        return;
      }
      case 'net.closed': {
        const f = this.byFlow.get(e.flowId);
        if (f && !f.closed) f.closed = { seq, at, bytesUp: e.bytesUp, bytesDown: e.bytesDown, durationMs: e.durationMs, error: e.error };
        return;
      }
      case 'net.request': {
        const f = this.byFlow.get(e.flowId);
        if (!f || this.exchangeBytes + lineBytes > MAX_EXCHANGE_BYTES) {
          this.omittedExchanges++;
          return;
        }
        this.exchangeBytes += lineBytes;
        const x: ExchangeRecord = {
          seq, at, flowId: e.flowId, requestId: e.requestId, method: e.method, url: e.url, httpVersion: e.httpVersion, status: e.status,
          requestHeaders: e.requestHeaders, responseHeaders: e.responseHeaders, requestBody: e.requestBody, responseBody: e.responseBody, durationMs: e.durationMs, pi: [],
        };
        f.exchanges.push(x);
        this.byRequest.set(`${e.flowId}\n${e.requestId}`, x);
        return;
      }
      case 'pi.sent': {
        const p: PiRecord = { seq, at, flowId: e.flowId, requestId: e.requestId, kind: e.kind, form: e.form, where: e.where, host: e.host, sdk: e.sdk, masked: e.masked };
        const x = this.byRequest.get(`${e.flowId}\n${e.requestId}`);
        if (x) x.pi.push(p);
        else if (this.strayPi.length < MAX_FLOWS) this.strayPi.push(p);
        return;
      }
      default:
    }
  }

  get empty(): boolean {
    return !this.flows.length && !this.proxy.length && !this.omittedFlows;
  }

  /** The stage mark in force at a moment (the last started before it), or null. */
  stageAt(at: number): (Moment & { id: string }) | null {
    let found: (Moment & { id: string }) | null = null;
    for (const s of this.stages) if (s.at <= at) found = s;
    return found;
  }

  /** The last of the moments at or before `at`. */
  static lastBefore<M extends Moment>(moments: M[], at: number): M | null {
    let found: M | null = null;
    for (const m of moments) if (m.at <= at) found = m;
    return found;
  }
}

/** The app a connection is the doing of, as the report and HAR name it: its package, or who might have opened it. */
export function appName(app: FlowApp): string | null {
  return app.packageName ?? (app.candidates.length ? app.candidates.join(' | ') : null);
}
