/**
 * The flows of a session as HAR 1.2 (network.har in the evidence package): the format Chrome DevTools, Charles,
 * Fiddler and Playwright read. One page per checklist stage the session marked; one entry per HTTP exchange the
 * proxy read (plain HTTP, or inside an intercepted tunnel) and one per CONNECT tunnel.
 *
 * Tunnels. A CONNECT tunnel whose bytes could not be read is still what left the phone: it is an entry with
 * method CONNECT, the absolute URL `https://host:port` (HAR 1.2 wants a URL; a bare `host:port` is one only by
 * accident, and readers parse the field as one), response 200 "Connection established" (0 when the tunnel failed
 * before anything came back), no body, the tunnel's life as `time`, and what only we know as custom fields
 * (HAR 1.2: custom fields start with "_"): `_tunnel: true`, `_authority`, `_sni`, `_bytesUp`/`_bytesDown`.
 * That is how Charles and Fiddler list a tunnel (a CONNECT row with its byte counts), and a reader that knows
 * nothing of the custom fields still shows the row.
 *
 * Bodies. In the package every kept body is already a file, blobs/<sha256>.<ext>, listed and hashed in the
 * manifest: the HAR refers to it (`_file`, with `_sha256`), and leaves `text` out — HAR 1.2 makes `content.text`
 * optional, and `postData` needs only its `mimeType` once text and params are absent. `_file` is Playwright's
 * own HAR convention (its recordHar "attach" mode): Playwright's HAR reader resolves it against the HAR's folder,
 * or inside a zip, so the evidence package itself replays in Playwright with every body. Chrome, Charles and
 * Fiddler open such a HAR and show every entry, header, size and timing, with the body left empty; for them a
 * session's HAR can be written with the bodies embedded (`embed`: text as text, anything else base64), which
 * is the form to hand to a tool — the package keeps each body once.
 */
import { STATUS_CODES } from 'node:http';
import type { FlowBody } from '../../../src-preload/network.js';
import { appName, type Flow, type FlowLedger, type FlowPi, type FlowRequest } from '../../../src-preload/network-flows.js';

export const HAR_FILE = 'network.har';

export type HarBodies =
  /** The package carries the blob at this path (a file listed in its manifest). */
  | { mode: 'reference'; inPackage: (path: string) => boolean }
  /** Read each body (null: not readable) and write it into the HAR, up to `maxBytes` in all. */
  | { mode: 'embed'; read: (path: string) => Buffer | null; maxBytes: number };

export interface HarOptions {
  tool: { name: string; version: string };
  packageName: string;
  bodies: HarBodies;
}

interface NameValue { name: string; value: string }

export interface HarContent {
  size: number;
  mimeType: string;
  text?: string;
  encoding?: 'base64';
  comment?: string;
  [custom: `_${string}`]: unknown;
}

export interface HarPostData {
  mimeType: string;
  text?: string;
  params?: NameValue[];
  comment?: string;
  [custom: `_${string}`]: unknown;
}

export interface HarEntry {
  pageref?: string;
  startedDateTime: string;
  time: number;
  request: { method: string; url: string; httpVersion: string; cookies: NameValue[]; headers: NameValue[]; queryString: NameValue[]; postData?: HarPostData; headersSize: number; bodySize: number };
  response: { status: number; statusText: string; httpVersion: string; cookies: NameValue[]; headers: NameValue[]; content: HarContent; redirectURL: string; headersSize: number; bodySize: number };
  cache: Record<string, never>;
  timings: { blocked: number; dns: number; connect: number; send: number; wait: number; receive: number; ssl: number };
  connection: string;
  comment?: string;
  [custom: `_${string}`]: unknown;
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    pages: Array<{ startedDateTime: string; id: string; title: string; pageTimings: Record<string, never> }>;
    entries: HarEntry[];
    comment: string;
    [custom: `_${string}`]: unknown;
  };
}

const iso = (ms: number): string => new Date(Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? ms : 0).toISOString();
const pairs = (h: [string, string][]): NameValue[] => h.map(([name, value]) => ({ name: String(name), value: String(value) }));
const header = (h: [string, string][], name: string): string | null => h.find(([n]) => String(n).toLowerCase() === name)?.[1] ?? null;
const nonNegative = (n: number | null | undefined): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

/** "1.1" and "HTTP/1.1" → "HTTP/1.1"; "2" or "2.0" → "HTTP/2.0" (as Chrome writes h2 in a HAR). */
function httpVersion(v: string): string {
  const m = /^(?:HTTP\/)?(\d)(?:\.(\d))?$/i.exec(v.trim());
  return m ? `HTTP/${m[1]}.${m[2] ?? '0'}` : v;
}

/** The query of a URL as HAR's name/value list (empty for a URL that does not parse). */
function queryString(url: string): NameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/** Cookie: a=1; b=2 → [{a,1},{b,2}]; Set-Cookie: a=1; Path=/ → [{a,1}]. */
function cookies(h: [string, string][], name: 'cookie' | 'set-cookie'): NameValue[] {
  const out: NameValue[] = [];
  for (const [n, v] of h) {
    if (String(n).toLowerCase() !== name) continue;
    const parts = name === 'cookie' ? String(v).split(';') : [String(v).split(';')[0] ?? ''];
    for (const part of parts) {
      const at = part.indexOf('=');
      if (at > 0) out.push({ name: part.slice(0, at).trim(), value: part.slice(at + 1).trim() });
    }
  }
  return out;
}

/** A host as a URL writes it: an IPv6 literal in brackets; a name no URL can hold is replaced (the raw one stays in _authority). */
function urlHost(host: string): string {
  if (/^[A-Za-z0-9_.-]{1,253}$/.test(host)) return host;
  if (/^[0-9A-Fa-f:.]{2,45}$/.test(host) && host.includes(':')) return `[${host}]`;
  return 'invalid-host.invalid';
}

const TEXT_TYPE = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|[\w.+-]*\+(json|xml)))/i;

export class HarBuilder {
  private embedded = 0;
  private omittedBodies = 0;

  constructor(private flows: FlowLedger, private o: HarOptions) {}

  build(): Har {
    const f = this.flows;
    const pages = f.stages.map((s) => ({ startedDateTime: iso(s.at), id: `stage-${s.seq}`, title: s.id, pageTimings: {} as Record<string, never> }));
    const rows: Array<{ at: number; seq: number; entry: HarEntry }> = [];
    const unread: Array<Record<string, unknown>> = [];
    const flows = f.connections;
    for (const flow of flows) {
      if (flow.via === 'connect') rows.push({ at: flow.hostAt, seq: flow.seq, entry: this.tunnel(flow) });
      else if (!flow.requests.length) unread.push({ _flowId: flow.flowId, _seq: flow.seq, via: flow.via, host: flow.host, port: flow.port, startedDateTime: iso(flow.hostAt), _app: this.app(flow), _bytesUp: flow.closed?.bytesUp ?? null, _bytesDown: flow.closed?.bytesDown ?? null });
      const pi = piByRequest(flow.pi);
      for (const x of flow.requests) rows.push({ at: x.hostAt, seq: x.seq, entry: this.exchange(flow, x, pi.get(x.requestId) ?? []) });
    }
    rows.sort((a, b) => a.at - b.at || a.seq - b.seq);
    for (const r of rows) {
      const stage = f.stageAt(r.at);
      if (stage) r.entry.pageref = `stage-${stage.seq}`;
    }
    const omittedExchanges = f.omittedExchanges;
    const left = [
      f.omittedFlows ? `${f.omittedFlows} connections past ${flows.length} kept` : '',
      omittedExchanges ? `${omittedExchanges} exchanges past the size kept` : '',
      this.omittedBodies ? `${this.omittedBodies} bodies past the embedding budget (still in blobs/)` : '',
    ].filter(Boolean);
    return {
      log: {
        version: '1.2',
        creator: { name: this.o.tool.name, version: this.o.tool.version },
        pages,
        entries: rows.map((r) => r.entry),
        comment: `What left the phone through the workbench's proxy while the session recorded (app under test: ${this.o.packageName}). Pages are the checklist stages; CONNECT entries with _tunnel are tunnels whose content was not read (_bytesUp/_bytesDown count it). ${this.o.bodies.mode === 'reference' ? 'Bodies are the package\'s files named in _file (SHA-256 in _sha256), kept once.' : 'Bodies are embedded.'}${left.length ? ` Left out: ${left.join('; ')}.` : ''} 经工作台代理离开手机的流量；页面即检测阶段；带 _tunnel 的 CONNECT 条目为未解密的隧道。`,
        _app: this.o.packageName,
        _omitted: { connections: f.omittedFlows, exchanges: omittedExchanges, bodies: this.omittedBodies },
        _connectionsWithoutExchange: unread,
        _piWithoutExchange: f.strayPi.map(piField),
        // What the phone tried that the proxy could not carry (no connection, so no entry): the proxy's own words.
        _refused: { count: f.refused, first: f.refusals.map((r) => ({ _seq: r.seq, startedDateTime: iso(r.at), reason: r.reason, client: r.client, detail: r.detail })) },
      },
    };
  }

  private app(flow: Flow): Record<string, unknown> {
    return { packageName: appName(flow.app), attribution: flow.app.attribution, uid: flow.app.uid, foreground: flow.app.foreground };
  }

  private common(flow: Flow): Record<`_${string}`, unknown> {
    return { _flowId: flow.flowId, _app: this.app(flow), _sdk: flow.sdk ? { id: flow.sdk.id, name: flow.sdk.name, vendor: flow.sdk.vendor } : null, _tls: flow.tls, _intercepted: flow.intercepted };
  }

  private tunnel(flow: Flow): HarEntry {
    const c = flow.closed;
    const failed = !!c?.error && c.bytesDown === 0;
    const scheme = flow.tls ? 'https' : 'http';
    return {
      startedDateTime: iso(flow.hostAt), time: nonNegative(c?.durationMs),
      request: { method: 'CONNECT', url: `${scheme}://${urlHost(flow.host)}:${flow.port}`, httpVersion: 'HTTP/1.1', cookies: [], headers: [{ name: 'Host', value: `${flow.host}:${flow.port}` }], queryString: [], headersSize: -1, bodySize: 0 },
      response: { status: failed ? 0 : 200, statusText: failed ? '' : 'Connection established', httpVersion: 'HTTP/1.1', cookies: [], headers: [], content: { size: 0, mimeType: '' }, redirectURL: '', headersSize: -1, bodySize: 0 },
      cache: {}, timings: { blocked: -1, dns: -1, connect: -1, send: 0, wait: 0, receive: nonNegative(c?.durationMs), ssl: -1 }, connection: flow.flowId,
      ...(flow.intercepted ? { comment: 'Intercepted: the exchanges inside follow as their own entries.' } : {}),
      ...this.common(flow),
      _seq: flow.seq, _tunnel: true, _authority: `${flow.host}:${flow.port}`, _sni: flow.sni,
      _bytesUp: c?.bytesUp ?? null, _bytesDown: c?.bytesDown ?? null, _closed: !!c, _closedSeq: c?.seq ?? null, _error: c?.error ?? null,
    };
  }

  private exchange(flow: Flow, x: FlowRequest, pi: FlowPi[]): HarEntry {
    const time = nonNegative(x.durationMs);
    const reqType = header(x.requestHeaders, 'content-type') ?? x.requestBody?.blob?.mediaType ?? 'application/octet-stream';
    const resType = header(x.responseHeaders, 'content-type') ?? (x.responseBody?.blob?.mediaType ?? '');
    return {
      startedDateTime: iso(x.hostAt), time,
      request: {
        method: x.method, url: x.url, httpVersion: httpVersion(x.httpVersion), cookies: cookies(x.requestHeaders, 'cookie'), headers: pairs(x.requestHeaders), queryString: queryString(x.url),
        ...(x.requestBody ? { postData: this.postData(x.requestBody, reqType) } : {}),
        headersSize: -1, bodySize: x.requestBody?.size ?? 0,
      },
      response: {
        status: x.status ?? 0, statusText: x.status === null ? '' : STATUS_CODES[x.status] ?? '', httpVersion: httpVersion(x.httpVersion), cookies: cookies(x.responseHeaders, 'set-cookie'), headers: pairs(x.responseHeaders),
        content: x.responseBody ? this.content(x.responseBody, resType) : { size: 0, mimeType: resType },
        redirectURL: header(x.responseHeaders, 'location') ?? '', headersSize: -1, bodySize: x.status === null ? -1 : x.responseBody?.size ?? 0,
      },
      cache: {}, timings: { blocked: -1, dns: -1, connect: -1, send: 0, wait: time, receive: 0, ssl: -1 }, connection: flow.flowId,
      ...(x.status === null ? { comment: 'No response was read.' } : {}),
      ...this.common(flow),
      _seq: x.seq, _requestId: x.requestId, _tunnel: false, _pi: pi.map(piField),
    };
  }

  /** Where a body is, and (embedding) the body itself. */
  private body(b: FlowBody, mimeType: string): { text?: string; encoding?: 'base64'; fields: Record<`_${string}`, unknown>; comment?: string } {
    const fields: Record<`_${string}`, unknown> = { _sha256: b.sha256, _size: b.size, _truncated: b.truncated, _searched: b.searched };
    const kept = b.blob ? ` (${b.truncated ? `its first ${b.blob.size} bytes` : 'whole'})` : '';
    if (!b.blob) return { fields, comment: `Body not kept (${b.size} bytes, SHA-256 ${b.sha256}).` };
    if (this.o.bodies.mode === 'reference') {
      if (!this.o.bodies.inPackage(b.blob.path)) return { fields, comment: `Body not in this package (${b.blob.path}).` };
      return { fields: { _file: b.blob.path, ...fields }, comment: `Body in ${b.blob.path}${kept}.` };
    }
    const bytes = this.embedded + b.blob.size <= this.o.bodies.maxBytes ? this.o.bodies.read(b.blob.path) : null;
    if (!bytes) {
      this.omittedBodies++;
      return { fields, comment: `Body not embedded (${b.blob.path}).` };
    }
    this.embedded += bytes.length;
    const text = TEXT_TYPE.test(mimeType) ? utf8(bytes) : null;
    return text !== null ? { text, fields, comment: b.truncated ? `Truncated body${kept}.` : undefined } : { text: bytes.toString('base64'), encoding: 'base64', fields, comment: b.truncated ? `Truncated body${kept}.` : undefined };
  }

  private content(b: FlowBody, mimeType: string): HarContent {
    const r = this.body(b, mimeType);
    return { size: b.size, mimeType, ...(r.text !== undefined ? { text: r.text } : {}), ...(r.encoding ? { encoding: r.encoding } : {}), ...(r.comment ? { comment: r.comment } : {}), ...r.fields };
  }

  /** HAR 1.2's postData has no encoding field: a binary body embedded is base64 with `_encoding` saying so. */
  private postData(b: FlowBody, mimeType: string): HarPostData {
    const r = this.body(b, mimeType);
    return { mimeType, ...(r.text !== undefined ? { text: r.text } : {}), ...(r.encoding ? { _encoding: r.encoding } : {}), ...(r.comment ? { comment: r.comment } : {}), ...r.fields };
  }
}

function utf8(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** A connection's matches by the request they were found in. */
function piByRequest(pi: FlowPi[]): Map<string, FlowPi[]> {
  const out = new Map<string, FlowPi[]>();
  for (const p of pi) {
    const list = out.get(p.requestId);
    if (list) list.push(p);
    else out.set(p.requestId, [p]);
  }
  return out;
}

function piField(p: FlowPi): Record<string, unknown> {
  return { seq: p.seq, kind: p.kind, form: p.form, where: p.where, host: p.host, sdk: p.sdk?.id ?? null, masked: p.masked };
}

export function buildHar(flows: FlowLedger, o: HarOptions): Har {
  return new HarBuilder(flows, o).build();
}
