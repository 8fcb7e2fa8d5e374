// The Network view's rows from a session's timeline: a connection joined by flowId with its close, exchanges and
// matches, placed in the stage marked before it; read page by page (live), a page changing only the rows it
// touches; a hostile or cut timeline (wrong types, missing connections, repeated ids, floods) never throws and
// stays bounded. Then the filters and their choices, and the whole path from a session written by the real
// Session class through the dispatcher's session.timeline, as the renderer reads it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../src-preload/api.js';
import type { FlowApp, NetworkEventBody } from '../../../src-preload/network.js';
import { Dispatcher } from '../../../src-main/bridge/dispatcher.js';
import { Workbench } from '../../../src-main/core/workbench.js';
import { FlowLedger, MAX_PER_FLOW, type Flow } from '../../../src-preload/network-flows.js';
import { filterChoices, flowMatches, NO_FILTER, NO_SDK, NO_STAGE, UNATTRIBUTED, type FlowFilter } from '../../../src-renderer/src/network/flow-filter.js';
import { callApi } from '../../support/dispatcher-call.js';
import { JPUSH, MASKED_SHA256, NET_APP, UMENG, writeNetworkSession } from '../../support/recorded-network.js';

let seq = 0;
const entry = (body: NetworkEventBody | Record<string, unknown>, time = 1000 + seq): TimelineEntry =>
  ({ seq: ++seq, event: { seq, serial: 'S', packageName: NET_APP, hostTime: time, deviceTime: time + 5, source: 'network', raw: [], ...body } }) as unknown as TimelineEntry;
const app: FlowApp = { attribution: 'uid', uid: 10123, packageName: NET_APP, candidates: [], foreground: NET_APP, alive: [NET_APP] };
const conn = (flowId: string, host: string, extra: Partial<Extract<NetworkEventBody, { type: 'net.connection' }>> = {}): NetworkEventBody =>
  ({ type: 'net.connection', flowId, via: 'connect', host, port: 443, sni: host, tls: true, intercepted: false, app, sdk: null, ...extra });
const closed = (flowId: string): NetworkEventBody => ({ type: 'net.closed', flowId, bytesUp: 10, bytesDown: 20, durationMs: 30, error: null });
const request = (flowId: string, requestId: string): NetworkEventBody => ({
  type: 'net.request', flowId, requestId, method: 'POST', url: 'https://sdk.jpush.cn/v1/report', httpVersion: '1.1', status: 200,
  requestHeaders: [['content-type', 'application/json']], responseHeaders: [], requestBody: null, responseBody: null, durationMs: 12,
});
const piSent = (flowId: string, requestId: string): NetworkEventBody => ({ type: 'pi.sent', flowId, requestId, kind: 'android-id', form: 'sha256', where: 'body', host: 'sdk.jpush.cn', sdk: JPUSH, masked: MASKED_SHA256 });
const stage = (id: string): Record<string, unknown> => ({ type: 'tester.mark', mark: 'stage.started', label: id, source: 'workbench' });

describe('joining a session\'s network events', () => {
  it('makes one row per connection with its close, exchanges and matches, in its stage, at the phone\'s time', () => {
    seq = 0;
    const ledger = new FlowLedger();
    ledger.addPage([entry(stage('first-launch')), entry(conn('a', 'alog.umeng.com', { sdk: UMENG }), 5000), entry(conn('b', 'sdk.jpush.cn', { intercepted: true, sdk: JPUSH })),
      entry(request('b', 'r1')), entry(piSent('b', 'r1')), entry(closed('a')), entry(stage('decline')), entry(closed('b')), entry(conn('c', '203.0.113.7', { sni: 'api.example' }))]);
    const [a, b, c] = ledger.flows as Flow[];
    expect(ledger.flows).toHaveLength(3);
    expect(a).toMatchObject({ flowId: 'a', host: 'alog.umeng.com', at: 5005, sdk: UMENG, stage: 'first-launch', closed: { bytesUp: 10, bytesDown: 20, durationMs: 30, error: null }, orphan: false });
    expect(b).toMatchObject({ flowId: 'b', intercepted: true, stage: 'first-launch', requests: [{ requestId: 'r1', method: 'POST', status: 200 }], pi: [{ kind: 'android-id', form: 'sha256', masked: MASKED_SHA256 }] });
    expect(b!.closed).not.toBeNull();
    expect(c).toMatchObject({ stage: 'decline', sni: 'api.example', closed: null });
    expect(ledger.lastSeq).toBe(9);
  });

  it('read page by page, a page replaces only the rows it touches and skips what it already read', () => {
    seq = 0;
    const ledger = new FlowLedger();
    const first = [entry(conn('a', 'h1')), entry(conn('b', 'h2')), entry(conn('c', 'h3'))];
    expect(ledger.addPage(first)).toBe(true);
    const before = ledger.flows;
    expect(ledger.addPage(first)).toBe(false);
    expect(ledger.flows).toBe(before);
    expect(ledger.addPage([entry(closed('b')), entry(conn('d', 'h4'))])).toBe(true);
    const after = ledger.flows;
    expect(after).not.toBe(before);
    expect(after[0]).toBe(before[0]);
    expect(after[2]).toBe(before[2]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[1]!.closed).not.toBeNull();
    expect(after.map((f) => f.flowId)).toEqual(['a', 'b', 'c', 'd']);
    // Events that are not the network's change nothing.
    expect(ledger.addPage([entry({ type: 'appop.access', op: 'READ_PHONE_STATE' })])).toBe(false);
    expect(ledger.flows).toBe(after);
  });

  it('shows requests and matches whose connection is missing, and starts a new row for a repeated flow id', () => {
    seq = 0;
    const ledger = new FlowLedger();
    ledger.addPage([entry(request('lost', 'r1')), entry(piSent('lost', 'r1')), entry(conn('x', 'h1')), entry(closed('x')), entry(conn('x', 'h2')), entry(closed('x'))]);
    const [lost, x1, x2] = ledger.flows as Flow[];
    expect(lost).toMatchObject({ orphan: true, host: 'sdk.jpush.cn', port: 443, requests: [{ requestId: 'r1' }], pi: [{ kind: 'android-id' }], app: { attribution: 'unattributed', packageName: null } });
    expect(x1).toMatchObject({ host: 'h1' });
    expect(x2).toMatchObject({ host: 'h2' });
    expect(x1!.closed).not.toBeNull();
    expect(x2!.closed).not.toBeNull();
    expect(new Set(ledger.flows.map((f) => f.key)).size).toBe(3);
  });

  it('reads a hostile timeline without throwing: wrong types, missing fields, unknown kinds, a flood of requests', () => {
    seq = 0;
    const ledger = new FlowLedger();
    const junk = [
      { type: 'net.connection', flowId: 'j', host: 42, port: '443', app: 'me', sdk: { id: 7 }, tls: 'yes', via: 'pigeon' },
      { type: 'net.connection', flowId: '' }, { type: 'net.connection' }, { type: 'net.closed', flowId: 'j', bytesUp: -5, bytesDown: 'lots', durationMs: Infinity },
      { type: 'net.request', flowId: 'j', requestHeaders: 'x', responseHeaders: [[1, 2], 'h', null], requestBody: { blob: { path: 5 } }, status: '200' },
      { type: 'pi.sent', flowId: 'j', kind: '__proto__', form: 'rot13', where: 'soul', masked: { v: 1 } }, { type: 'tester.mark', mark: 'stage.started', label: 7 },
      { type: 'net.connection', flowId: 'k', host: 'h', app: { attribution: 'sure', candidates: ['a', 1, null], alive: 'x' }, sdk: { id: 'umeng', name: null } },
    ];
    expect(() => ledger.addPage([...junk.map((b) => entry(b)), { seq: ++seq, event: null } as unknown as TimelineEntry])).not.toThrow();
    const [j, k] = ledger.flows as Flow[];
    expect(ledger.flows).toHaveLength(2);
    expect(j).toMatchObject({ host: '', port: 0, via: 'connect', tls: false, app: { attribution: 'unattributed', packageName: null }, sdk: null, closed: { bytesUp: 0, bytesDown: 0, durationMs: 0 } });
    expect(j!.requests[0]).toMatchObject({ requestHeaders: [], responseHeaders: [['', '']], status: null, requestBody: { blob: null } });
    expect(j!.pi[0]).toMatchObject({ kind: 'other', form: 'plain', where: 'body', masked: '' });
    expect(k!.app).toEqual({ attribution: 'unattributed', uid: null, packageName: null, candidates: ['a'], foreground: null, alive: [] });
    expect(k!.sdk).toEqual({ id: 'umeng', name: { zh: 'umeng', en: 'umeng' }, vendor: '' });
    expect(ledger.flows[0]!.sdk).toBeNull();

    const flood = Array.from({ length: MAX_PER_FLOW + 500 }, (_, i) => entry(request('k', `r${i}`)));
    ledger.addPage(flood);
    const k2 = ledger.flows[1]!;
    expect(k2.requests).toHaveLength(MAX_PER_FLOW);
    expect(k2.dropped).toBe(500);
  });
});

describe('filters', () => {
  seq = 0;
  const ledger = new FlowLedger();
  ledger.addPage([
    entry(conn('a', 'alog.umeng.com', { sdk: UMENG })), entry(stage('decline')), entry(conn('b', 'sdk.jpush.cn', { sdk: JPUSH, app: { ...app, packageName: 'com.demo.other' } })),
    entry(request('b', 'r')), entry(piSent('b', 'r')), entry(conn('c', 'cdn.example', { app: { attribution: 'ambiguous', uid: null, packageName: null, candidates: [NET_APP, 'com.x'], foreground: null, alive: [] } })),
  ]);
  const flows = ledger.flows;
  const keep = (f: Partial<FlowFilter>): string[] => flows.filter((x) => flowMatches(x, { ...NO_FILTER, ...f })).map((x) => x.flowId);

  it('filter by app, unattributed, SDK, no SDK, stage, before the first stage, values found, text', () => {
    expect(keep({})).toEqual(['a', 'b', 'c']);
    expect(keep({ app: NET_APP })).toEqual(['a']);
    expect(keep({ app: UNATTRIBUTED })).toEqual(['c']);
    expect(keep({ sdk: 'jpush' })).toEqual(['b']);
    expect(keep({ sdk: NO_SDK })).toEqual(['c']);
    expect(keep({ stage: 'decline' })).toEqual(['b', 'c']);
    expect(keep({ stage: NO_STAGE })).toEqual(['a']);
    expect(keep({ piOnly: true })).toEqual(['b']);
    expect(keep({ text: '极光' })).toEqual(['b']);
    expect(keep({ text: ' UMENG ' })).toEqual(['a']);
    expect(keep({ text: 'com.x' })).toEqual(['c']);
    expect(keep({ sdk: 'jpush', stage: NO_STAGE })).toEqual([]);
  });

  it('offers the apps, SDKs and stages the rows hold', () => {
    const c = filterChoices(flows);
    expect(c.apps).toEqual(['com.demo.other', NET_APP, UNATTRIBUTED]);
    expect(c.sdks.map((s) => s.id)).toEqual(['umeng-analytics', 'jpush']);
    expect(c.none).toBe(true);
    expect(c.stages).toEqual([NO_STAGE, 'decline']);
  });
});

describe('a session written by the Session class, read through session.timeline', () => {
  let wb: Workbench;
  let api: Dispatcher;
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'net-ledger-'));
    wb = new Workbench({ dataDir, shell: 'browser', version: 'test' });
    api = new Dispatcher(wb.handlers());
  });
  afterAll(async () => wb.close());

  it('gives the view its rows page by page, 3,000 connections and the four described ones', async () => {
    const written = await writeNetworkSession(join(dataDir, 'sessions'), { bulk: 3000 });
    const ledger = new FlowLedger();
    let pages = 0;
    for (;;) {
      const page = await callApi<{ entries: TimelineEntry[]; count: number }>(api, 'session.timeline', { id: written.id, afterSeq: ledger.lastSeq, limit: 2000 });
      pages++;
      if (!page.entries.length) break;
      ledger.addPage(page.entries);
    }
    expect(pages).toBeGreaterThan(3);
    expect(ledger.flows).toHaveLength(written.flows);
    const byId = new Map(ledger.flows.map((f) => [f.flowId, f]));
    expect(byId.get('f-umeng')).toMatchObject({ sdk: UMENG, tls: true, intercepted: false, stage: 'first-launch', closed: { bytesUp: 2150, bytesDown: 5388 } });
    expect(byId.get('f-jpush')!.requests[0]!.responseBody!.size).toBe(written.binarySize);
    expect(byId.get('f-jpush')!.pi).toHaveLength(2);
    expect(byId.get('f-ads')).toMatchObject({ app: { attribution: 'ambiguous', candidates: [NET_APP, 'com.demo.other'] }, stage: 'decline', pi: [{ kind: 'android-id', where: 'url' }, { kind: 'package-list', where: 'url' }] });
    expect(byId.get('f-own')).toMatchObject({ host: '203.0.113.7', sni: 'api.demo-shop.example', closed: null });
    expect(byId.get('b2999')).toMatchObject({ stage: 'agree' });
  });
});
