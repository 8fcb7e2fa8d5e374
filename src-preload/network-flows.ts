/**
 * The one join of a session's network events into connections, for the live Network view and the evidence
 * package (network.har, the report's "what left the phone") alike: each `net.connection` is a row, joined by
 * flowId with its `net.closed`, its `net.request`s and its `pi.sent`s, in the template stage marked last before
 * it; beside the rows, the marks that put them in time (stage starts, launches, consent answers, the proxy on and
 * off) and what the proxy refused. Incremental: events are folded in one at a time (the export while it scans
 * the timeline, the view page by page); the batch join is folding every event. A row changed since `flows` was
 * last read is a new object (the others keep theirs), so a live table re-renders only those — and a row not yet
 * handed out is changed in place, so folding a whole timeline costs no copies.
 *
 * A session folder is untrusted (a colleague's, an archive, a hand-edited file): every field is read for what it
 * claims to be; events out of order still join (a request or close before its connection shows as an `orphan`
 * row that the connection, when it comes, completes); what is kept is bounded (connections, the exchanges' bytes,
 * per connection in the view), the rest counted. It never throws on what a timeline says. Pure: no Node, no DOM.
 */
import { PI_FORMS, PI_KINDS, type FlowApp, type FlowBody, type NetworkEventBody, type SdkRef } from './network.js';

/** Connections kept: each is about 1 KB of HAR, so the HAR stays within tens of MB (the timeline keeps them all). */
export const MAX_FLOWS = 50_000;
/** Exchanges kept, counted by the size of their timeline lines (headers are most of it). */
export const MAX_EXCHANGE_BYTES = 64 * 1024 * 1024;
/** Refusals listed one by one (the proxy folds floods already); the rest are counted. */
export const MAX_REFUSALS = 1000;
/** Exchanges and matches one connection keeps for the view's detail pane; beyond, they are counted. */
export const MAX_PER_FLOW = 1000;

/** How much the ledger keeps. */
export interface FlowLimits {
  /** Rows (connections, orphans included); past it connections are counted in `omittedFlows`. */
  maxFlows: number;
  /** Exchanges, by the size of their timeline lines; past it they are counted in `pastCapExchanges`. */
  maxExchangeBytes: number;
  /** Exchanges and matches per row; past it they are counted in the row's `dropped`. */
  maxPerFlow: number;
  /** Cut long texts and header lists (the view); the evidence keeps them as sent, bounded by maxExchangeBytes. */
  clip: boolean;
}

/** The Network view: a few screens of detail per connection, texts cut to what a pane shows. */
export const VIEW_LIMITS: FlowLimits = { maxFlows: MAX_FLOWS, maxExchangeBytes: MAX_EXCHANGE_BYTES, maxPerFlow: MAX_PER_FLOW, clip: true };
/** The evidence package: every exchange of a connection, every header and URL whole. */
export const EVIDENCE_LIMITS: FlowLimits = { maxFlows: MAX_FLOWS, maxExchangeBytes: MAX_EXCHANGE_BYTES, maxPerFlow: Infinity, clip: false };

type EventOf<T extends NetworkEventBody['type']> = Omit<Extract<NetworkEventBody, { type: T }>, 'type' | 'flowId'>;

/** A `net.request` as its row keeps it. */
export interface FlowRequest extends EventOf<'net.request'> {
  seq: number;
  /** The phone's time when known, else the host's (what the view shows). */
  at: number;
  /** The host's time: the clock of the stage marks, launches and consent answers (what the HAR writes). */
  hostAt: number;
}

/** A `pi.sent` as its row keeps it; `requestId` names the request it was found in. */
export interface FlowPi extends EventOf<'pi.sent'> {
  seq: number;
}

/** A `net.closed` as its row keeps it. */
export interface FlowClosed extends EventOf<'net.closed'> {
  seq: number;
}

/** A connection: its `net.connection` (made up, host from what named it, while it is an orphan) and what joined it. */
export interface Flow extends Omit<Extract<NetworkEventBody, { type: 'net.connection' }>, 'type'> {
  /** Unique per row: the seq of the event that made it (kept when an orphan row gets its connection). */
  key: string;
  /** The seq of its `net.connection` (of its first event while it is an orphan). */
  seq: number;
  /** When it opened, on the renderer's clock convention (the phone's time when known, else the host's). */
  at: number;
  /** When it opened on the host's clock (stages, launches and consent answers are on it). */
  hostAt: number;
  /** Its first `net.closed` (a second one for the same row is a forged or broken line, not a later truth). */
  closed: FlowClosed | null;
  requests: FlowRequest[];
  /** The phone's values found in its requests, in timeline order; `requestId` names the request. */
  pi: FlowPi[];
  /** Requests and matches past the per-row cap, counted only. */
  dropped: number;
  /** The template stage (its id) under way when it opened; null before the first stage mark. */
  stage: string | null;
  /** Its requests, matches or close are in the timeline, its `net.connection` is not (yet, or at all: a cut file). */
  orphan: boolean;
}

export interface Moment {
  seq: number;
  /** The host's time. */
  at: number;
}

export type ConsentMark = 'consent.given' | 'consent.declined' | 'consent.withdrawn';

const MAX_TEXT = 8192;
const MAX_HEADERS = 200;

/** Readers of untrusted fields; `clip` false keeps texts whole (the type checks stay). */
function readers(clip: boolean) {
  const cap = (max: number): number => (clip ? max : Infinity);
  const text = (v: unknown, max = MAX_TEXT): string => (typeof v === 'string' ? v.slice(0, cap(max)) : '');
  const textOrNull = (v: unknown, max = MAX_TEXT): string | null => (typeof v === 'string' ? v.slice(0, cap(max)) : null);
  const strings = (v: unknown, max: number): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, cap(max)).map((x) => x.slice(0, cap(300))) : []);
  return {
    text, textOrNull,
    flowApp(v: unknown): FlowApp {
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
    },
    sdkRef(v: unknown): SdkRef | null {
      if (!v || typeof v !== 'object') return null;
      const s = v as Record<string, unknown>;
      const name = (s.name && typeof s.name === 'object' ? s.name : {}) as Record<string, unknown>;
      const id = text(s.id, 200);
      if (!id) return null;
      const ref: SdkRef = { id, name: { zh: text(name.zh, 200) || id, en: text(name.en, 200) || id }, vendor: text(s.vendor, 200) };
      // `company`: the host is the SDK's company's, which of its SDKs the host does not tell.
      if (s.scope === 'sdk' || s.scope === 'company') ref.scope = s.scope;
      return ref;
    },
    flowBody(v: unknown): FlowBody | null {
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
    },
    headers(v: unknown): [string, string][] {
      if (!Array.isArray(v)) return [];
      const out: [string, string][] = [];
      for (const h of v) {
        if (out.length >= cap(MAX_HEADERS)) break;
        if (Array.isArray(h)) out.push([text(h[0], 1000), text(h[1])]);
      }
      return out;
    },
  };
}

const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const oneOf = <T extends string>(v: unknown, options: readonly T[], fallback: T): T => (options.includes(v as T) ? (v as T) : fallback);

const NOBODY: FlowApp = { attribution: 'unattributed', uid: null, packageName: null, candidates: [], foreground: null, alive: [] };

/** The host a URL names, for a row made from a request whose connection is not known. */
function urlHost(url: string): { host: string; port: number } {
  try {
    const u = new URL(url);
    return { host: u.hostname, port: Number(u.port) || (u.protocol === 'https:' ? 443 : 80) };
  } catch {
    return { host: '', port: 0 };
  }
}

/** Cheap test on a raw timeline line (a string or a Buffer): whether the ledger wants it parsed. */
export function wantsLine(line: { includes(text: string): boolean }): boolean {
  return line.includes('"source":"network"') || line.includes('"stage.started"') || line.includes('"mark":"consent.') ||
    (line.includes('"app.action"') && line.includes('"action":"launch"')) || line.includes('"type":"net.');
}

/** The app a connection is the doing of, as the report and HAR name it: its package, or who might have opened it. */
export function appName(app: FlowApp): string | null {
  return app.packageName ?? (app.candidates.length ? app.candidates.join(' | ') : null);
}

export class FlowLedger {
  readonly stages: Array<Moment & { id: string }> = [];
  readonly launches: Moment[] = [];
  readonly consents: Array<Moment & { mark: ConsentMark }> = [];
  /** The proxy's state on the phone over time (on, restored, refused, stale-cleared). */
  readonly proxy: Array<Moment & { state: string }> = [];
  refused = 0;
  /** The first refusals, as the proxy said them (what the phone tried that it could not carry). */
  readonly refusals: Array<Moment & { reason: string; client: string; detail: string }> = [];
  /** Connections past maxFlows: counted, not kept. */
  omittedFlows = 0;
  /** Exchanges past maxExchangeBytes, or with no room for the row they would have made: counted, not kept. */
  pastCapExchanges = 0;

  private rows: Flow[] = [];
  /** Per row: whether no snapshot handed out holds it, so it may change in place. */
  private own: boolean[] = [];
  /** flowId → index in rows of the latest row with that id (a repeated connection id starts a new row). */
  private byId = new Map<string, number>();
  private snapshot: readonly Flow[] | null = [];
  private last = 0;
  private exchangeBytes = 0;
  private read: ReturnType<typeof readers>;

  constructor(private limits: FlowLimits = VIEW_LIMITS) {
    this.read = readers(limits.clip);
  }

  /** The seq of the last entry read by `addPage`: the next page starts after it. */
  get lastSeq(): number {
    return this.last;
  }

  /** The rows: the same array until something changes; a row that changed is a new object. */
  get flows(): readonly Flow[] {
    if (!this.snapshot) {
      this.snapshot = this.rows.slice();
      this.own.fill(false);
    }
    return this.snapshot;
  }

  /** Folds a page of timeline entries in (those at or before lastSeq are skipped); true when a row was added or changed. */
  addPage(entries: ReadonlyArray<{ seq: number; event: unknown }>): boolean {
    let changed = false;
    for (const { seq, event } of entries) {
      if (!(seq > this.last)) continue;
      this.last = seq;
      if (this.add(seq, event)) changed = true;
    }
    return changed;
  }

  /**
   * Folds one timeline event in; true when a row was added or changed. `lineBytes`: the size of its timeline
   * line, what an exchange costs to keep (0 when not known: then only the other caps bound it).
   */
  add(seq: number, event: unknown, lineBytes = 0): boolean {
    if (!event || typeof event !== 'object') return false;
    const e = event as Record<string, unknown>;
    const { text, textOrNull } = this.read;
    const hostAt = count(e.hostTime);
    const at = numOrNull(e.deviceTime) ?? hostAt;
    switch (e.type) {
      case 'tester.mark':
        if (e.mark === 'stage.started' && typeof e.label === 'string' && e.label) this.stages.push({ seq, at: hostAt, id: text(e.label, 200) });
        else if (e.mark === 'consent.given' || e.mark === 'consent.declined' || e.mark === 'consent.withdrawn') this.consents.push({ seq, at: hostAt, mark: e.mark });
        return false;
      case 'app.action':
        if (e.action === 'launch') this.launches.push({ seq, at: hostAt });
        return false;
      case 'net.proxy':
        this.proxy.push({ seq, at: hostAt, state: text(e.state, 50) });
        return false;
      case 'net.refused':
        this.refused++;
        if (this.refusals.length < MAX_REFUSALS) this.refusals.push({ seq, at: hostAt, reason: text(e.reason, 100), client: text(e.client, 300), detail: text(e.detail, 1000) });
        return false;
      case 'net.connection':
        return this.connection(seq, at, hostAt, e);
      case 'net.closed':
        return this.change(seq, at, hostAt, e, { host: '', port: 0 }, (f) => !f.closed, (f) => {
          f.closed = { seq, bytesUp: count(e.bytesUp), bytesDown: count(e.bytesDown), durationMs: count(e.durationMs), error: textOrNull(e.error, 1000) };
        });
      case 'net.request': {
        if (this.exchangeBytes + lineBytes > this.limits.maxExchangeBytes) {
          this.pastCapExchanges++;
          return false;
        }
        const r = this.read;
        const request: FlowRequest = {
          seq, at, hostAt, requestId: text(e.requestId, 200), method: text(e.method, 50), url: text(e.url), httpVersion: text(e.httpVersion, 20),
          status: numOrNull(e.status), requestHeaders: r.headers(e.requestHeaders), responseHeaders: r.headers(e.responseHeaders),
          requestBody: r.flowBody(e.requestBody), responseBody: r.flowBody(e.responseBody), durationMs: numOrNull(e.durationMs),
        };
        const changed = this.change(seq, at, hostAt, e, urlHost(request.url), () => true, (f) => this.keep(f, () => f.requests.push(request)));
        if (changed) this.exchangeBytes += lineBytes;
        else if (text(e.flowId, 200)) this.pastCapExchanges++;
        return changed;
      }
      case 'pi.sent': {
        const pi: FlowPi = {
          seq, requestId: text(e.requestId, 200), kind: oneOf(e.kind, PI_KINDS, 'other'), form: oneOf(e.form, PI_FORMS, 'plain'),
          where: oneOf(e.where, ['url', 'header', 'body'] as const, 'body'), host: text(e.host, 300), sdk: this.read.sdkRef(e.sdk), masked: text(e.masked, 200),
        };
        return this.change(seq, at, hostAt, e, { host: pi.host, port: 0 }, () => true, (f) => this.keep(f, () => f.pi.push(pi)));
      }
      default:
        return false;
    }
  }

  /** The rows whose `net.connection` the timeline holds (an orphan row is what a cut timeline left). */
  get connections(): Flow[] {
    return this.rows.filter((f) => !f.orphan);
  }

  /** Exchanges not kept with a connection: past the caps, or of a connection the timeline does not hold. */
  get omittedExchanges(): number {
    let n = this.pastCapExchanges;
    for (const f of this.rows) if (f.orphan) n += f.requests.length;
    return n;
  }

  /** Matches whose exchange is not kept with a connection (first maxFlows of them). */
  get strayPi(): FlowPi[] {
    const out: FlowPi[] = [];
    for (const f of this.rows) {
      if (!f.pi.length) continue;
      const kept = f.orphan ? new Set<string>() : new Set(f.requests.map((r) => r.requestId));
      for (const p of f.pi) if (!kept.has(p.requestId) && out.length < this.limits.maxFlows) out.push(p);
    }
    return out;
  }

  /** Nothing of the network in the timeline: the proxy was never set and no connection was seen. */
  get empty(): boolean {
    return !this.rows.some((f) => !f.orphan) && !this.proxy.length && !this.omittedFlows;
  }

  /** The stage mark in force at a moment of the host's clock (the last started before it), or null. */
  stageAt(at: number): (Moment & { id: string }) | null {
    return FlowLedger.lastBefore(this.stages, at);
  }

  /** The last of the moments at or before `at`. */
  static lastBefore<M extends Moment>(moments: M[], at: number): M | null {
    let found: M | null = null;
    for (const m of moments) if (m.at <= at) found = m;
    return found;
  }

  private get stage(): string | null {
    return this.stages[this.stages.length - 1]?.id ?? null;
  }

  /** A connection: completes the orphan row its flowId made before it, or starts a row. */
  private connection(seq: number, at: number, hostAt: number, e: Record<string, unknown>): boolean {
    const { text, textOrNull, flowApp, sdkRef } = this.read;
    const flowId = text(e.flowId, 200);
    if (!flowId) return false;
    const opened = {
      seq, at, hostAt, flowId, via: oneOf(e.via, ['connect', 'http', 'websocket'] as const, 'connect'),
      host: text(e.host, 300), port: count(e.port), sni: textOrNull(e.sni, 300), tls: e.tls === true, intercepted: e.intercepted === true,
      app: flowApp(e.app), sdk: sdkRef(e.sdk), stage: this.stage, orphan: false,
    };
    const index = this.byId.get(flowId);
    if (index !== undefined && this.rows[index]!.orphan) {
      Object.assign(this.writable(index), opened);
      return true;
    }
    if (this.rows.length >= this.limits.maxFlows) {
      this.omittedFlows++;
      return false;
    }
    this.push(flowId, { key: `f${seq}`, ...opened, closed: null, requests: [], pi: [], dropped: 0 });
    return true;
  }

  /**
   * Applies `change` to the row of the event's flowId when `wanted` says the row takes it (an orphan row made
   * first when there is none); true when a row was added or changed.
   */
  private change(seq: number, at: number, hostAt: number, e: Record<string, unknown>, where: { host: string; port: number }, wanted: (f: Flow) => boolean, change: (f: Flow) => void): boolean {
    const flowId = this.read.text(e.flowId, 200);
    if (!flowId) return false;
    let index = this.byId.get(flowId);
    if (index === undefined) {
      if (this.rows.length >= this.limits.maxFlows) return false;
      index = this.push(flowId, {
        key: `f${seq}`, seq, at, hostAt, flowId, via: 'connect', host: where.host, port: where.port, sni: null, tls: false, intercepted: false,
        app: NOBODY, sdk: this.read.sdkRef(e.sdk), closed: null, requests: [], pi: [], dropped: 0, stage: this.stage, orphan: true,
      });
    }
    if (!wanted(this.rows[index]!)) return false;
    change(this.writable(index));
    return true;
  }

  /** Keeps a request or match on a row, or counts it past the per-row cap. */
  private keep(f: Flow, push: () => void): void {
    if (f.requests.length + f.pi.length >= this.limits.maxPerFlow) f.dropped++;
    else push();
  }

  private push(flowId: string, f: Flow): number {
    const index = this.rows.length;
    this.rows.push(f);
    this.own.push(true);
    this.byId.set(flowId, index);
    this.snapshot = null;
    return index;
  }

  /** The row to change: itself when no snapshot holds it, else a copy that replaces it (copy on write). */
  private writable(index: number): Flow {
    this.snapshot = null;
    if (!this.own[index]) {
      const f = this.rows[index]!;
      this.rows[index] = { ...f, requests: f.requests.slice(), pi: f.pi.slice() };
      this.own[index] = true;
    }
    return this.rows[index]!;
  }
}

/** The batch join: every event folded through a ledger, in timeline order. */
export function joinFlows(events: Iterable<{ seq: number; event: unknown; lineBytes?: number }>, limits: FlowLimits = VIEW_LIMITS): FlowLedger {
  const ledger = new FlowLedger(limits);
  for (const { seq, event, lineBytes } of events) ledger.add(seq, event, lineBytes);
  return ledger;
}
