/**
 * The proxy's limits against hostile clients on real sockets: header bombs (one huge header, 10,000
 * headers) answered 431 in bounded time, a slow or silent client cut at the handshake timeout, an idle
 * tunnel cut at the idle timeout, Wi-Fi mode refusing every host but the phone — and the proxy serving a
 * normal request after each.
 */
import type { Server } from 'node:http';
import { createServer, type Server as NetServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyLimits, RunningProxy } from '../../../../../src-main/core/network/contracts.js';
import { DEFAULT_PROXY_LIMITS, startProxy } from '../../../../../src-main/core/network/proxy/index.js';
import { Recorder, dial, eventually, echoServer, listening, loopbackConnector, readHead, whenGone } from '../../../../support/proxy-harness.js';

let upstream: Server;
let upstreamPort: number;
let silent: NetServer;
let silentPort: number;
let proxy: RunningProxy | null = null;

beforeAll(async () => {
  upstream = echoServer();
  upstreamPort = await listening(upstream);
  silent = createServer((s) => s.resume()); // accepts, reads, never answers
  silentPort = await listening(silent);
});
afterAll(async () => {
  await new Promise((r) => upstream.close(r));
  await new Promise((r) => silent.close(r));
});
afterEach(async () => {
  await proxy?.stop();
  proxy = null;
});

async function start(rec: Recorder, limits: Partial<ProxyLimits> = {}, allowedClients: string[] | null = null): Promise<RunningProxy> {
  proxy = await startProxy({ mode: allowedClients ? 'wifi' : 'usb', bindAddress: '127.0.0.1', port: 0, allowedClients, intercept: () => false, ca: null, upstream: loopbackConnector({ 'silent.example.test': silentPort }), limits }, rec);
  return proxy;
}

/** A normal GET through the proxy on a fresh connection: the proxy still serves. */
async function servesNormally(p: RunningProxy, localAddress?: string): Promise<void> {
  const s = await dial(p.port, localAddress);
  s.write(`GET http://ok.example.test:${upstreamPort}/still-serving HTTP/1.1\r\nHost: ok.example.test\r\nConnection: close\r\n\r\n`);
  const { data } = await whenGone(s);
  expect(data).toMatch(/^HTTP\/1\.1 200 /);
  expect(data).toContain('GET /still-serving');
}

describe('proxy limits', () => {
  it('answers a 1 MB header with 431 in bounded time, reports headers-too-large, and serves on', async () => {
    const rec = new Recorder();
    const p = await start(rec);
    const s = await dial(p.port);
    const t = performance.now();
    s.write(`GET http://ok.example.test:${upstreamPort}/ HTTP/1.1\r\nHost: ok.example.test\r\nX-Bomb: ${'a'.repeat(1024 * 1024)}\r\n\r\n`);
    const { data } = await whenGone(s);
    expect(performance.now() - t).toBeLessThan(3000);
    expect(data).toMatch(/^HTTP\/1\.1 431 /);
    expect(rec.refusals).toEqual([expect.objectContaining({ reason: 'headers-too-large', client: '127.0.0.1', detail: expect.stringContaining(String(DEFAULT_PROXY_LIMITS.maxHeaderBytes)) })]);
    expect(rec.exchanges).toHaveLength(0);
    await servesNormally(p);
  });

  it('answers 10,000 headers with 431 (the byte limit bounds the count too)', async () => {
    const rec = new Recorder();
    const p = await start(rec);
    const s = await dial(p.port);
    const headers = Array.from({ length: 10_000 }, (_, i) => `X-H${i}: v\r\n`).join('');
    const t = performance.now();
    s.write(`GET http://ok.example.test:${upstreamPort}/ HTTP/1.1\r\nHost: ok.example.test\r\n${headers}\r\n`);
    const { data } = await whenGone(s);
    expect(performance.now() - t).toBeLessThan(3000);
    expect(data).toMatch(/^HTTP\/1\.1 431 /);
    expect(rec.refusals.map((r) => r.reason)).toEqual(['headers-too-large']);
    await servesNormally(p);
  });

  it('cuts a client that sends half a request head at the handshake timeout (408, malformed); a silent preconnect closes without an event', async () => {
    const rec = new Recorder();
    const p = await start(rec, { handshakeTimeoutMs: 400 });
    const slow = await dial(p.port);
    const quiet = await dial(p.port);
    const t = performance.now();
    slow.write('GET http://ok.example.test/ HTTP/1.1\r\nHost: ok.exa');
    const [slowGone, quietGone] = await Promise.all([whenGone(slow), whenGone(quiet)]);
    const elapsed = performance.now() - t;
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(2500);
    expect(slowGone.data).toMatch(/^HTTP\/1\.1 408 /);
    expect(quietGone.data).toBe('');
    expect(rec.refusals).toEqual([expect.objectContaining({ reason: 'malformed', detail: expect.stringContaining('no complete request head within 400 ms') })]);
    await eventually(() => p.stats().open === 0, 2000, 'both connections closed');
    await servesNormally(p);
  });

  it('closes a kept-alive connection that sends no further request at the idle timeout, without an event', async () => {
    const rec = new Recorder();
    // A handshake timeout far shorter than the idle one: a kept-alive client waiting is not a slow head.
    const p = await start(rec, { handshakeTimeoutMs: 300, idleTimeoutMs: 1500 });
    const s = await dial(p.port);
    s.write(`GET http://ok.example.test:${upstreamPort}/once HTTP/1.1\r\nHost: ok.example.test\r\n\r\n`);
    expect(await readHead(s)).toMatch(/^HTTP\/1\.1 200 /);
    const t = performance.now();
    const gone = await whenGone(s);
    const elapsed = performance.now() - t;
    expect(gone.data).toBe('GET /once '); // the body of the answer, then nothing: no 408
    expect(elapsed).toBeGreaterThanOrEqual(1400);
    expect(elapsed).toBeLessThan(5000);
    expect(rec.refusals).toHaveLength(0);
  });

  it('closes a tunnel with no bytes either way at the idle timeout, and reports it closed', async () => {
    const rec = new Recorder();
    const p = await start(rec, { idleTimeoutMs: 500 });
    const s = await dial(p.port);
    s.write('CONNECT silent.example.test:80 HTTP/1.1\r\nHost: silent.example.test\r\n\r\n');
    expect(await readHead(s)).toMatch(/^HTTP\/1\.1 200 /);
    s.write('hello'); // then nothing either way
    const t = performance.now();
    await whenGone(s);
    const elapsed = performance.now() - t;
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(elapsed).toBeLessThan(3000);
    await rec.until(() => rec.closedList.length === 1);
    expect(rec.closedList[0]).toMatchObject({ bytesUp: 5, bytesDown: 0 });
  });

  it('in Wi-Fi mode refuses every client address but the phone, without serving it a byte', async () => {
    const rec = new Recorder();
    // Linux routes all of 127/8 to lo: 127.0.0.1 and 127.0.0.2 are two hosts to the proxy.
    const p = await start(rec, {}, ['127.0.0.2']);
    const stranger = await dial(p.port, '127.0.0.1');
    stranger.write(`GET http://ok.example.test:${upstreamPort}/ HTTP/1.1\r\nHost: ok.example.test\r\n\r\n`);
    const t = performance.now();
    const gone = await whenGone(stranger);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(gone.data).toBe('');
    await rec.until(() => rec.refusals.length === 1);
    expect(rec.refusals[0]).toMatchObject({ reason: 'not-the-phone', client: '127.0.0.1' });
    expect(rec.refusals[0]!.detail).toContain('127.0.0.2');
    expect(rec.exchanges).toHaveLength(0);
    expect(rec.openedList).toHaveLength(0);
    await servesNormally(p, '127.0.0.2');
    await rec.until(() => rec.exchanges.length === 1);
    expect(rec.openedList[0]!.clientAddress).toBe('127.0.0.2');
  });
});
