// The one join of network events into connections, as its two readers use it: the evidence package folds the
// timeline file line by line (the batch join) and the Network view folds it page by page through session.timeline
// (incremental). For a session written by the real Session class they must give the same rows — in order, and
// with events out of order (a request before its connection is known, a close before a request or before its
// connection, a match before its request), where they must also give what the in-order timeline gives.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../src-preload/api.js';
import { EVIDENCE_LIMITS, FlowLedger, joinFlows, wantsLine, type Flow } from '../../src-preload/network-flows.js';
import { Dispatcher } from '../../src-main/bridge/dispatcher.js';
import { scanTimeline } from '../../src-main/core/session/timeline-chain.js';
import { Workbench } from '../../src-main/core/workbench.js';
import { callApi } from '../support/dispatcher-call.js';
import { writeNetworkSession, type NetworkSession } from '../support/recorded-network.js';

type Entry = { seq: number; event: Record<string, unknown> };

let wb: Workbench;
let api: Dispatcher;
let dataDir: string;
let written: NetworkSession;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'net-flows-'));
  wb = new Workbench({ dataDir, shell: 'browser', version: 'test' });
  api = new Dispatcher(wb.handlers());
  written = await writeNetworkSession(join(dataDir, 'sessions'), { bulk: 300 });
});
afterAll(async () => {
  await wb.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The export's reading: every wanted line of timeline.jsonl parsed and folded with its size. */
function batchFromFile(dir: string): FlowLedger {
  const lines: Array<{ seq: number; event: unknown; lineBytes: number }> = [];
  scanTimeline(join(dir, 'timeline.jsonl'), (line, seq) => {
    if (wantsLine(line)) lines.push({ seq, event: (JSON.parse(line.toString('utf8')) as { event: unknown }).event, lineBytes: line.length });
  });
  return joinFlows(lines, EVIDENCE_LIMITS);
}

/** The view's reading: session.timeline page by page into a ledger. */
async function viewThroughApi(id: string, limit: number): Promise<{ ledger: FlowLedger; entries: Entry[] }> {
  const ledger = new FlowLedger();
  const entries: Entry[] = [];
  for (;;) {
    const page = await callApi<{ entries: TimelineEntry[] }>(api, 'session.timeline', { id, afterSeq: ledger.lastSeq, limit });
    if (!page.entries.length) break;
    ledger.addPage(page.entries);
    entries.push(...(page.entries as unknown as Entry[]));
  }
  return { ledger, entries };
}

function inPages(entries: Entry[], size: number): FlowLedger {
  const ledger = new FlowLedger();
  for (let i = 0; i < entries.length; i += size) ledger.addPage(entries.slice(i, i + size));
  return ledger;
}

/**
 * The same events with each listed connection's events in another order, at the place of its first event, then
 * numbered again as a timeline numbers its lines.
 */
function reorder(entries: Entry[], orders: Map<string, (events: Entry[]) => Entry[]>): Entry[] {
  const byFlow = new Map<string, Entry[]>();
  for (const x of entries) {
    const flowId = x.event.flowId as string | undefined;
    if (flowId && orders.has(flowId)) byFlow.set(flowId, [...(byFlow.get(flowId) ?? []), x]);
  }
  const out: Entry[] = [];
  const done = new Set<string>();
  for (const x of entries) {
    const flowId = x.event.flowId as string | undefined;
    if (!flowId || !orders.has(flowId)) out.push(x);
    else if (!done.has(flowId)) {
      done.add(flowId);
      out.push(...orders.get(flowId)!(byFlow.get(flowId)!));
    }
  }
  return out.map((x, i) => ({ seq: i + 1, event: { ...x.event, seq: i + 1 } }));
}

const ofType = (events: Entry[], type: string): Entry[] => events.filter((x) => x.event.type === type);

/** A row without what numbers it (its key and seqs), for comparing rows of timelines numbered differently. */
function unnumbered(f: Flow): unknown {
  const { key: _key, seq: _seq, ...rest } = f;
  return {
    ...rest,
    closed: f.closed && { ...f.closed, seq: 0 },
    requests: f.requests.map((r) => ({ ...r, seq: 0 })),
    pi: f.pi.map((p) => ({ ...p, seq: 0 })),
  };
}
const byFlowId = (flows: readonly Flow[]): Map<string, unknown> => new Map(flows.map((f) => [f.flowId, unnumbered(f)]));

describe('the batch join and the incremental join', () => {
  it('give the same rows for a recorded session: the export\'s file scan and the view\'s pages of any size', async () => {
    const batch = batchFromFile(written.dir);
    const { ledger: view, entries } = await viewThroughApi(written.id, 2000);
    expect(batch.flows).toHaveLength(written.flows);
    expect(view.flows).toEqual(batch.flows);
    for (const size of [1, 7, 500]) expect(inPages(entries, size).flows).toEqual(batch.flows);
    // Nothing of it is an orphan or stray: every request, match and close joined its connection.
    expect(batch.flows.filter((f) => f.orphan)).toEqual([]);
    expect(batch.strayPi).toEqual([]);
    expect(batch.omittedExchanges).toBe(0);
    const jpush = batch.flows.find((f) => f.flowId === 'f-jpush')!;
    expect(jpush).toMatchObject({ stage: 'first-launch', intercepted: true, requests: [{ requestId: 'r-jpush-1', status: 200 }], closed: { bytesDown: 73_000 } });
    expect(jpush.pi.map((p) => p.where)).toEqual(['body', 'header']);
    expect(batch.stages.map((s) => s.id)).toEqual(['first-launch', 'decline', 'agree']);
    expect(batch.launches).toHaveLength(1);
    expect(batch.consents.map((c) => c.mark)).toEqual(['consent.declined']);
  });

  it('events out of order join as in order, and the batch and the pages agree on them', async () => {
    const { entries } = await viewThroughApi(written.id, 2000);
    const inOrder = joinFlows(entries, EVIDENCE_LIMITS);
    const orders = new Map<string, (events: Entry[]) => Entry[]>([
      // The close, then the request, then the connection (its attribution came late), then the matches.
      ['f-jpush', (ev) => [...ofType(ev, 'net.closed'), ...ofType(ev, 'net.request'), ...ofType(ev, 'net.connection'), ...ofType(ev, 'pi.sent')]],
      // A match before its request, the request before its connection.
      ['f-ads', (ev) => [ofType(ev, 'pi.sent')[0]!, ...ofType(ev, 'net.request'), ...ofType(ev, 'net.connection'), ofType(ev, 'pi.sent')[1]!, ...ofType(ev, 'net.closed')]],
      // A close before its connection, for every third of the bulk.
      ...Array.from({ length: 100 }, (_, i) => [`b${i * 3}`, (ev: Entry[]) => [...ofType(ev, 'net.closed'), ...ofType(ev, 'net.connection')]] as const),
    ]);
    const shuffled = reorder(entries, orders);
    expect(shuffled).toHaveLength(entries.length);
    expect(shuffled.findIndex((x) => x.event.type === 'net.request' && x.event.flowId === 'f-jpush')).toBeLessThan(shuffled.findIndex((x) => x.event.type === 'net.connection' && x.event.flowId === 'f-jpush'));

    const batch = joinFlows(shuffled, EVIDENCE_LIMITS);
    for (const size of [1, 3, 64, 2000]) expect(inPages(shuffled, size).flows).toEqual(batch.flows);
    // One row per connection, none left an orphan, each as the in-order timeline has it (but for its numbers).
    expect(batch.flows).toHaveLength(written.flows);
    expect(batch.flows.filter((f) => f.orphan)).toEqual([]);
    expect(byFlowId(batch.flows)).toEqual(byFlowId(inOrder.flows));
    // The match that came before its request is joined to it, in the HAR's terms too: nothing stray, nothing left out.
    expect(batch.strayPi).toEqual([]);
    expect(batch.omittedExchanges).toBe(0);
    // The row keeps the key its first event gave it (the view's selection stays on it) and takes the connection's seq.
    const jpush = batch.flows.find((f) => f.flowId === 'f-jpush')!;
    const connectionSeq = shuffled.find((x) => x.event.type === 'net.connection' && x.event.flowId === 'f-jpush')!.seq;
    const closedSeq = shuffled.find((x) => x.event.type === 'net.closed' && x.event.flowId === 'f-jpush')!.seq;
    expect(jpush).toMatchObject({ key: `f${closedSeq}`, seq: connectionSeq, closed: { seq: closedSeq } });
  });

  it('while the connection is not known yet the row shows as an orphan; the connection completes that row, not another', () => {
    const base = { serial: 'S', packageName: 'com.demo.shop', hostTime: 1000, deviceTime: 1005, source: 'network' };
    const ledger = new FlowLedger();
    ledger.addPage([{ seq: 1, event: { ...base, type: 'net.request', flowId: 'x', requestId: 'r', method: 'GET', url: 'http://late.example/p', httpVersion: '1.1', status: 200, requestHeaders: [], responseHeaders: [], requestBody: null, responseBody: null, durationMs: 3 } }]);
    const orphan = ledger.flows[0]!;
    expect(orphan).toMatchObject({ key: 'f1', orphan: true, host: 'late.example', port: 80, requests: [{ requestId: 'r' }] });
    expect(ledger.connections).toEqual([]);
    expect(ledger.omittedExchanges).toBe(1);
    ledger.addPage([{ seq: 2, event: { ...base, type: 'net.connection', flowId: 'x', via: 'http', host: 'late.example', port: 80, sni: null, tls: false, intercepted: false, app: null, sdk: null } }]);
    expect(ledger.flows).toHaveLength(1);
    expect(ledger.flows[0]).not.toBe(orphan);
    expect(ledger.flows[0]).toMatchObject({ key: 'f1', seq: 2, orphan: false, via: 'http', requests: [{ requestId: 'r' }] });
    expect(orphan.orphan).toBe(true);
    expect(ledger.omittedExchanges).toBe(0);
  });

  it('a second close of a row changes nothing; a repeated connection id is a new row, counted as kept', () => {
    const ev = (type: string, extra: Record<string, unknown>) => ({ type, hostTime: 1, deviceTime: null, source: 'network', flowId: 'x', ...extra });
    const conn = ev('net.connection', { via: 'connect', host: 'h', port: 443, sni: null, tls: true, intercepted: false, app: null, sdk: null });
    const ledger = joinFlows([
      { seq: 1, event: conn }, { seq: 2, event: ev('net.closed', { bytesUp: 1, bytesDown: 2, durationMs: 3, error: null }) },
      { seq: 3, event: ev('net.closed', { bytesUp: 999, bytesDown: 999, durationMs: 999, error: 'forged' }) }, { seq: 4, event: conn },
    ], EVIDENCE_LIMITS);
    expect(ledger.flows.map((f) => f.closed)).toEqual([{ seq: 2, bytesUp: 1, bytesDown: 2, durationMs: 3, error: null }, null]);
    expect(ledger.omittedFlows).toBe(0);
  });

  it('the evidence keeps URLs and headers whole, the view cuts them to what a pane shows', () => {
    const url = `https://t.example/c?d=${'a'.repeat(20_000)}`;
    const headers = Array.from({ length: 300 }, (_, i) => [`x-${i}`, 'v']);
    const events = [{ seq: 1, event: { type: 'net.request', hostTime: 1, flowId: 'x', requestId: 'r', method: 'GET', url, httpVersion: '1.1', status: 200, requestHeaders: headers, responseHeaders: [] } }];
    const kept = joinFlows(events, EVIDENCE_LIMITS).flows[0]!.requests[0]!;
    const shown = joinFlows(events).flows[0]!.requests[0]!;
    expect(kept.url).toBe(url);
    expect(kept.requestHeaders).toHaveLength(300);
    expect(shown.url).toHaveLength(8192);
    expect(shown.requestHeaders).toHaveLength(200);
  });
});
