/**
 * The session's connections as the Network view lists them, folded from its timeline in order: each
 * `net.connection` is a row, joined by flowId with its `net.closed`, its `net.request`s and its `pi.sent`s, and
 * placed in the template stage whose stage mark came last before it. Incremental: a page of new entries replaces
 * only the rows it touches (the others keep their objects), so a live table re-renders only those.
 *
 * A session folder is untrusted (a colleague's, an archive, a hand-edited file): every field is read for what it
 * claims to be, a request or match whose connection is missing still shows (as an `orphan` row), and how much one
 * connection holds is bounded. It never throws on what a timeline says.
 */
import type { TimelineEntry } from '../../../src-preload/api';
import { PI_FORMS, PI_KINDS, type FlowApp, type FlowBody, type PiForm, type PiKind, type SdkRef } from '../../../src-preload/network';

/** Exchanges and matches one connection keeps for the detail pane; beyond, they are counted. */
export const MAX_PER_FLOW = 1000;

export interface FlowRequest {
  seq: number;
  at: number;
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
}

export interface FlowPi {
  seq: number;
  requestId: string;
  kind: PiKind;
  form: PiForm;
  where: 'url' | 'header' | 'body';
  host: string;
  masked: string;
}

export interface Flow {
  /** Unique per row: the seq of the event that made it. */
  key: string;
  seq: number;
  /** When it opened, on the renderer's clock convention (the phone's time when known, else the host's). */
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
  closed: { bytesUp: number; bytesDown: number; durationMs: number; error: string | null } | null;
  requests: FlowRequest[];
  pi: FlowPi[];
  /** Requests and matches past MAX_PER_FLOW, counted only. */
  dropped: number;
  /** The template stage (its id) under way when it opened; null before the first stage mark. */
  stage: string | null;
  /** Its requests or matches are in the timeline, its `net.connection` is not (a cut or edited file). */
  orphan: boolean;
}

const MAX_TEXT = 8192;
const MAX_HEADERS = 200;

const text = (v: unknown, max = MAX_TEXT): string => (typeof v === 'string' ? v.slice(0, max) : '');
const textOrNull = (v: unknown, max = MAX_TEXT): string | null => (typeof v === 'string' ? v.slice(0, max) : null);
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const strings = (v: unknown, max: number): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, max).map((x) => x.slice(0, 300)) : []);
const oneOf = <T extends string>(v: unknown, options: readonly T[], fallback: T): T => (options.includes(v as T) ? (v as T) : fallback);

const NOBODY: FlowApp = { attribution: 'unattributed', uid: null, packageName: null, candidates: [], foreground: null, alive: [] };

function flowApp(v: unknown): FlowApp {
  if (!v || typeof v !== 'object') return NOBODY;
  const a = v as Record<string, unknown>;
  return {
    attribution: oneOf(a.attribution, ['uid', 'unattributed', 'ambiguous'] as const, 'unattributed'),
    uid: numOrNull(a.uid),
    packageName: textOrNull(a.packageName, 300) || null,
    candidates: strings(a.candidates, 20),
    foreground: textOrNull(a.foreground, 300),
    alive: strings(a.alive, 50),
  };
}

function sdkRef(v: unknown): SdkRef | null {
  if (!v || typeof v !== 'object') return null;
  const s = v as Record<string, unknown>;
  const name = (s.name && typeof s.name === 'object' ? s.name : {}) as Record<string, unknown>;
  const id = text(s.id, 200);
  if (!id) return null;
  const ref: SdkRef = { id, name: { zh: text(name.zh, 200) || id, en: text(name.en, 200) || id }, vendor: text(s.vendor, 200) };
  // `company`: the host is the SDK's company's, which of its SDKs the host does not tell.
  if (s.scope === 'sdk' || s.scope === 'company') ref.scope = s.scope;
  return ref;
}

function flowBody(v: unknown): FlowBody | null {
  if (!v || typeof v !== 'object') return null;
  const b = v as Record<string, unknown>;
  const blob = b.blob && typeof b.blob === 'object' ? (b.blob as Record<string, unknown>) : null;
  return {
    blob: blob && typeof blob.path === 'string' ? { path: text(blob.path, 300), sha256: text(blob.sha256, 64), size: count(blob.size), mediaType: text(blob.mediaType, 200) } : null,
    size: count(b.size),
    truncated: b.truncated === true,
    sha256: text(b.sha256, 64),
    searched: b.searched === true,
  };
}

function headers(v: unknown): [string, string][] {
  if (!Array.isArray(v)) return [];
  const out: [string, string][] = [];
  for (const h of v) {
    if (out.length >= MAX_HEADERS) break;
    if (Array.isArray(h)) out.push([text(h[0], 1000), text(h[1])]);
  }
  return out;
}

/** The host a URL names, for a row made from a request whose connection is missing. */
function urlHost(url: string): { host: string; port: number } {
  try {
    const u = new URL(url);
    return { host: u.hostname, port: Number(u.port) || (u.protocol === 'https:' ? 443 : 80) };
  } catch {
    return { host: '', port: 0 };
  }
}

export class FlowLedger {
  private rows: Flow[] = [];
  /** flowId → index in rows of the latest row with that id (a repeated id starts a new row). */
  private byId = new Map<string, number>();
  private stage: string | null = null;
  private last = 0;
  private snapshot: readonly Flow[] = [];

  /** The seq of the last entry read: the next page starts after it. */
  get lastSeq(): number {
    return this.last;
  }

  /** The rows as of the last `add`: the same array until something changes. */
  get flows(): readonly Flow[] {
    return this.snapshot;
  }

  /** Folds entries in (those at or before lastSeq are skipped); true when a row was added or changed. */
  add(entries: readonly TimelineEntry[]): boolean {
    let changed = false;
    for (const { seq, event } of entries) {
      if (!(seq > this.last)) continue;
      this.last = seq;
      if (!event || typeof event !== 'object') continue;
      if (this.fold(seq, event as unknown as Record<string, unknown>)) changed = true;
    }
    if (changed) this.snapshot = this.rows.slice();
    return changed;
  }

  private fold(seq: number, e: Record<string, unknown>): boolean {
    const at = numOrNull(e.deviceTime) ?? count(e.hostTime);
    switch (e.type) {
      case 'tester.mark':
        if (e.mark === 'stage.started' && typeof e.label === 'string' && e.label) this.stage = e.label.slice(0, 200);
        return false;
      case 'net.connection': {
        const flowId = text(e.flowId, 200);
        if (!flowId) return false;
        this.byId.set(flowId, this.rows.length);
        this.rows.push({
          key: `f${seq}`, seq, at, flowId, via: oneOf(e.via, ['connect', 'http', 'websocket'] as const, 'connect'),
          host: text(e.host, 300), port: count(e.port), sni: textOrNull(e.sni, 300), tls: e.tls === true, intercepted: e.intercepted === true,
          app: flowApp(e.app), sdk: sdkRef(e.sdk), closed: null, requests: [], pi: [], dropped: 0, stage: this.stage, orphan: false,
        });
        return true;
      }
      case 'net.closed':
        return this.update(seq, at, e, { host: '', port: 0 }, (f) => ({
          ...f, closed: { bytesUp: count(e.bytesUp), bytesDown: count(e.bytesDown), durationMs: count(e.durationMs), error: textOrNull(e.error, 1000) },
        }));
      case 'net.request': {
        const request: FlowRequest = {
          seq, at, requestId: text(e.requestId, 200), method: text(e.method, 50), url: text(e.url), httpVersion: text(e.httpVersion, 20),
          status: numOrNull(e.status), requestHeaders: headers(e.requestHeaders), responseHeaders: headers(e.responseHeaders),
          requestBody: flowBody(e.requestBody), responseBody: flowBody(e.responseBody), durationMs: numOrNull(e.durationMs),
        };
        return this.update(seq, at, e, urlHost(request.url), (f) => (f.requests.length + f.pi.length >= MAX_PER_FLOW ? { ...f, dropped: f.dropped + 1 } : { ...f, requests: [...f.requests, request] }));
      }
      case 'pi.sent': {
        const pi: FlowPi = {
          seq, requestId: text(e.requestId, 200), kind: oneOf(e.kind, PI_KINDS, 'other'), form: oneOf(e.form, PI_FORMS, 'plain'),
          where: oneOf(e.where, ['url', 'header', 'body'] as const, 'body'), host: text(e.host, 300), masked: text(e.masked, 200),
        };
        return this.update(seq, at, e, { host: pi.host, port: 0 }, (f) => (f.requests.length + f.pi.length >= MAX_PER_FLOW ? { ...f, dropped: f.dropped + 1 } : { ...f, pi: [...f.pi, pi] }));
      }
      default:
        return false;
    }
  }

  /** Applies `change` to the row of the event's flowId, making an orphan row first when there is none. */
  private update(seq: number, at: number, e: Record<string, unknown>, where: { host: string; port: number }, change: (f: Flow) => Flow): boolean {
    const flowId = text(e.flowId, 200);
    if (!flowId) return false;
    let index = this.byId.get(flowId);
    if (index === undefined) {
      index = this.rows.length;
      this.byId.set(flowId, index);
      this.rows.push({
        key: `f${seq}`, seq, at, flowId, via: 'connect', host: where.host, port: where.port, sni: null, tls: false, intercepted: false,
        app: NOBODY, sdk: sdkRef(e.sdk), closed: null, requests: [], pi: [], dropped: 0, stage: this.stage, orphan: true,
      });
    }
    this.rows[index] = change(this.rows[index]!);
    return true;
  }
}
