/**
 * What left the phone from a hostile or huge session: a host and values that are markup come out escaped in
 * report.html and as a URL every reader parses in network.har; 20,000 connections export in bounded time with
 * the report's table capped per stage; past the collector's caps connections and exchanges are counted, not kept,
 * and the HAR says how many were left out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPackage } from '../../../../src-main/core/evidence/index.js';
import { buildHar, HAR_FILE, type Har } from '../../../../src-main/core/evidence/har.js';
import { harProblems } from '../../../../src-main/core/evidence/har-schema.js';
import { EVIDENCE_LIMITS, FlowLedger, MAX_EXCHANGE_BYTES, MAX_FLOWS } from '../../../../src-preload/network-flows.js';
import type { TimelineEvent } from '../../../../src-preload/monitor-events.js';
import { readEntries, TOOL } from '../../../support/evidence-fixtures.js';
import { appOf, NetworkWriter, UMENG } from '../../../support/network-events.js';
import { exportNetworkSession } from '../../../support/network-evidence-session.js';
import { RecordedSession } from '../../../support/recorded-session.js';

const root = mkdtempSync(join(tmpdir(), 'network-bounds-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('hostile values', () => {
  it('a host and a masked value that are markup: escaped in the report, a parsable URL in the HAR with the raw host kept', async () => {
    const r = new RecordedSession(root);
    const w = new NetworkWriter(r);
    w.proxyOn(0);
    r.firstLaunch(10);
    const host = '<img src=x onerror=alert(1)>\u202eevil';
    const c = w.connection(800, { host, sdk: UMENG, intercepted: true });
    const x = w.request(820, c.flowId, { method: 'POST', url: 'https://x.example/"><script>alert(1)</script>', requestHeaders: [['x-a', '</code><script>alert(2)</script>']] });
    w.piSent(821, c.flowId, x.requestId, { host, sdk: UMENG, masked: '</code><script>alert(3)</script>' });
    w.closed(900, c.flowId, 10, 10);
    await r.s.setState('closed', null);
    await r.s.release();
    const out = await exportNetworkSession(r.s.dir, join(root, 'hostile.zip'));
    const got = new Map(await readEntries(out.path));
    const html = got.get('report.html')!.toString('utf8');
    const section = html.slice(html.indexOf('<h2 id="network">'), html.indexOf('<h2>摘要'));
    expect(section).not.toMatch(/<script>|<img src=x/);
    expect(section).toContain('&#60;img src=x onerror=alert(1)&#62;&lt;U+202E&gt;evil'.replace('&lt;U+202E&gt;', '<U+202E>').replace('<U+202E>', '&#60;U+202E&#62;'));
    expect(section).toContain('&#60;/code&#62;&#60;script&#62;alert(3)&#60;/script&#62;');
    const har = JSON.parse(got.get(HAR_FILE)!.toString('utf8')) as Har;
    expect(harProblems(har)).toEqual([]);
    const tunnel = har.log.entries.find((e) => e._tunnel)!;
    expect(tunnel.request.url).toBe('https://invalid-host.invalid:443');
    expect(() => new URL(tunnel.request.url)).not.toThrow();
    expect(tunnel._authority).toBe(`${host}:443`);
    expect((await verifyPackage(out.path)).ok).toBe(true);
  });
});

describe('size', () => {
  it('20,000 connections export and verify in bounded time; the report lists 500 destinations per stage and counts the rest', async () => {
    const r = new RecordedSession(root);
    const w = new NetworkWriter(r);
    w.proxyOn(0);
    r.firstLaunch(10);
    for (let i = 0; i < 20_000; i++) {
      const c = w.connection(100 + i, { host: `h${i}.tracker.example`, tls: i % 2 === 0 });
      if (i % 4 === 0) w.request(100 + i, c.flowId, { url: `http://h${i}.tracker.example/p?i=${i}` });
      w.closed(101 + i, c.flowId, 100, 200);
    }
    await r.s.setState('closed', null);
    await r.s.release();
    const started = Date.now();
    const out = await exportNetworkSession(r.s.dir, join(root, 'big.zip'));
    const exportMs = Date.now() - started;
    const verifyStarted = Date.now();
    expect((await verifyPackage(out.path)).ok).toBe(true);
    const verifyMs = Date.now() - verifyStarted;
    console.log(`20,000 connections (60,000 network events): export ${exportMs} ms, verify ${verifyMs} ms`);
    // Measured 16–19 s export and 2–4 s verify on the shared 2-core machine at load average 16 (other helpers testing);
    // the bound is for that load, not for a slower design.
    expect(exportMs).toBeLessThan(60_000);
    const got = new Map(await readEntries(out.path));
    const har = JSON.parse(got.get(HAR_FILE)!.toString('utf8')) as Har;
    expect(har.log.entries.length).toBe(10_000 + 5_000);
    expect(har.log._connectionsWithoutExchange).toHaveLength(10_000);
    const html = got.get('report.html')!.toString('utf8');
    expect(html).toContain('另有 19500 个目的地见 <code>network.har</code>');
  }, 120_000);

  it('past the caps connections and exchanges are counted, not kept, and the HAR says how many', () => {
    const flows = new FlowLedger(EVIDENCE_LIMITS);
    const base = { serial: 'S', packageName: 'com.demo.shop', hostTime: Date.UTC(2026, 11, 1), deviceTime: null, source: 'network' as const, raw: [] as string[] };
    const started = Date.now();
    for (let i = 0; i < MAX_FLOWS + 5; i++) {
      flows.add(i + 1, { ...base, seq: i + 1, type: 'net.connection', flowId: `f${i}`, via: 'connect', host: 'a.example', port: 443, sni: null, tls: true, intercepted: false, app: appOf('com.demo.shop'), sdk: null } as TimelineEvent);
    }
    // An exchange whose line would pass the bytes kept is counted.
    flows.add(MAX_FLOWS + 10, { ...base, seq: 1, type: 'net.request', flowId: 'f1', requestId: 'r1', method: 'GET', url: 'https://a.example/', httpVersion: '1.1', status: 200, requestHeaders: [], responseHeaders: [], requestBody: null, responseBody: null, durationMs: 1 } as TimelineEvent, MAX_EXCHANGE_BYTES + 1);
    expect(flows.flows).toHaveLength(MAX_FLOWS);
    expect(flows.omittedFlows).toBe(5);
    expect(flows.omittedExchanges).toBe(1);
    const har = buildHar(flows, { tool: TOOL, packageName: 'com.demo.shop', bodies: { mode: 'reference', inPackage: () => true } });
    expect(har.log._omitted).toEqual({ connections: 5, exchanges: 1, bodies: 0 });
    expect(har.log.comment).toContain(`Left out: 5 connections past ${MAX_FLOWS} kept; 1 exchanges past the size kept.`);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
