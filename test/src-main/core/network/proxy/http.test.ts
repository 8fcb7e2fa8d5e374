/**
 * Plain HTTP through the proxy, against a real upstream server on loopback: the exchange with its bodies,
 * one flow per upstream connection with the bytes the server saw, keep-alive reuse, and the proxy's answers
 * when it cannot serve (502 upstream-failed, 400 malformed, the machine's own loopback refused by default).
 */
import { createHash } from 'node:crypto';
import { request, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startProxy } from '../../../../../src-main/core/network/proxy/index.js';
import type { RunningProxy } from '../../../../../src-main/core/network/contracts.js';
import { Recorder, dial, echoServer, listening, loopbackConnector, readHead, whenGone } from '../../../../support/proxy-harness.js';

let upstream: Server;
let upstreamPort: number;
const upstreamSockets: Socket[] = [];
let proxy: RunningProxy | null = null;

beforeAll(async () => {
  upstream = echoServer();
  upstream.on('connection', (s: Socket) => upstreamSockets.push(s));
  upstreamPort = await listening(upstream);
});
afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));
afterEach(async () => {
  await proxy?.stop();
  proxy = null;
});

async function start(rec: Recorder, upstreamConnector = loopbackConnector()): Promise<RunningProxy> {
  proxy = await startProxy({ mode: 'usb', bindAddress: '127.0.0.1', port: 0, allowedClients: null, intercept: () => false, ca: null, upstream: upstreamConnector }, rec);
  return proxy;
}

/** A request through the proxy as a proxy-aware client sends it: absolute URL, keep-alive agent optional. */
function viaProxy(p: RunningProxy, url: string, opts: { method?: string; body?: Buffer; agent?: import('node:http').Agent } = {}): Promise<{ res: IncomingMessage; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: '127.0.0.1', port: p.port, method: opts.method ?? 'GET', path: url, headers: { host: u.host }, agent: opts.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ res, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('plain HTTP through the proxy', () => {
  it('forwards a POST, reports the exchange with both bodies, and closes the flow with the bytes the server saw', async () => {
    const rec = new Recorder();
    const p = await start(rec);
    const body = Buffer.from('android_id=9774d56d682e549c&app=demo');
    const before = upstreamSockets.length;
    const { res, body: answer } = await viaProxy(p, `http://sdk.example.test:${upstreamPort}/collect?x=%41`, { method: 'POST', body });
    expect(res.statusCode).toBe(200);
    expect(answer.toString()).toBe(`POST /collect?x=%41 ${body.toString()}`);
    // The path reached the server exactly as written (origin-form, no re-encoding).
    expect(res.headers['x-seen-url']).toBe('/collect?x=%41');

    await rec.until(() => rec.exchanges.length === 1 && rec.closedList.length === 1);
    const [opened] = rec.openedList;
    expect(opened).toMatchObject({ via: 'http', host: 'sdk.example.test', port: upstreamPort, sni: null, tls: false, intercepted: false, clientAddress: '127.0.0.1' });
    const x = rec.exchanges[0]!;
    expect(x).toMatchObject({ flowId: opened!.flowId, method: 'POST', url: `http://sdk.example.test:${upstreamPort}/collect?x=%41`, httpVersion: '1.1', status: 200 });
    expect(x.requestHeaders).toContainEqual(['Content-Length', String(body.length)]);
    expect(x.responseHeaders.find(([k]) => k.toLowerCase() === 'x-seen-url')?.[1]).toBe('/collect?x=%41');
    expect(x.requestBody).toEqual({ bytes: body, size: body.length, sha256: createHash('sha256').update(body).digest('hex'), truncated: false });
    expect(x.responseBody?.bytes.toString()).toBe(answer.toString());
    expect(x.responseBody?.sha256).toBe(createHash('sha256').update(answer).digest('hex'));

    const server = upstreamSockets[before]!;
    await new Promise((r) => (server.closed ? r(null) : server.once('close', r)));
    const closed = rec.closedOf(opened!.flowId)!;
    expect(closed.bytesUp).toBe(server.bytesRead);
    expect(closed.bytesDown).toBe(server.bytesWritten);
    expect(closed.error).toBeNull();
  });

  it('keeps one upstream connection (one flow) for keep-alive requests to the same host, a new one per host', async () => {
    const rec = new Recorder();
    const p = await start(rec);
    const client = await dial(p.port);
    const send = async (host: string, path: string): Promise<string> => {
      client.write(`GET http://${host}:${upstreamPort}${path} HTTP/1.1\r\nHost: ${host}:${upstreamPort}\r\n\r\n`);
      const head = await readHead(client);
      const length = Number(/content-length: (\d+)/i.exec(head)![1]);
      const body = await new Promise<Buffer>((resolve) => {
        let got = Buffer.alloc(0);
        const on = (c: Buffer): void => {
          got = Buffer.concat([got, c]);
          if (got.length >= length) {
            client.removeListener('data', on);
            resolve(got);
          }
        };
        client.on('data', on);
        client.resume();
      });
      return body.toString();
    };
    expect(await send('a.example.test', '/one')).toBe('GET /one ');
    expect(await send('a.example.test', '/two')).toBe('GET /two ');
    expect(await send('b.example.test', '/three')).toBe('GET /three ');
    await rec.until(() => rec.exchanges.length === 3);
    expect(rec.openedList.map((o) => o.host)).toEqual(['a.example.test', 'b.example.test']);
    expect(rec.exchanges.map((x) => x.flowId)).toEqual([rec.openedList[0]!.flowId, rec.openedList[0]!.flowId, rec.openedList[1]!.flowId]);
    client.destroy();
    // The client's connection takes its upstream connections with it.
    await rec.until(() => rec.closedList.length === 2);
  });

  it('answers 502 and reports upstream-failed when the server cannot be reached, and serves on', async () => {
    const rec = new Recorder();
    const p = await start(rec);
    const t = performance.now();
    const { res, body } = await viaProxy(p, 'http://gone.example.test:1/');
    expect(res.statusCode).toBe(502);
    expect(body.toString()).toContain('gone.example.test:1');
    expect(performance.now() - t).toBeLessThan(2000);
    expect(rec.refusals).toEqual([expect.objectContaining({ reason: 'upstream-failed', client: '127.0.0.1', detail: expect.stringContaining('ECONNREFUSED') })]);
    expect(rec.openedList).toHaveLength(0);
    expect((await viaProxy(p, `http://sdk.example.test:${upstreamPort}/after`)).res.statusCode).toBe(200);
  });

  it('refuses a request that is not a proxy request (origin-form) as malformed with 400', async () => {
    const rec = new Recorder();
    const p = await start(rec);
    const client = await dial(p.port);
    client.write('GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const head = await readHead(client);
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(rec.refusals).toEqual([expect.objectContaining({ reason: 'malformed', detail: expect.stringContaining('GET /index.html') })]);
    client.destroy();
  });

  it('by default never connects to the workbench machine itself (its adb server, local services), by literal or by name', async () => {
    const rec = new Recorder();
    proxy = await startProxy({ mode: 'usb', bindAddress: '127.0.0.1', port: 0, allowedClients: null, intercept: () => false, ca: null }, rec);
    for (const host of ['127.0.0.1', 'localhost', '[::1]', '0.0.0.0']) {
      const { res } = await viaProxy(proxy, `http://${host}:${upstreamPort}/secret`);
      expect(res.statusCode).toBe(502);
    }
    expect(rec.refusals.map((r) => r.reason)).toEqual(['upstream-failed', 'upstream-failed', 'upstream-failed', 'upstream-failed']);
    expect(rec.refusals[0]!.detail).toContain('workbench machine itself');
    expect(rec.exchanges).toHaveLength(0);
  });

  it('keeps the first keepBodyBytes of a body and counts and hashes the whole', async () => {
    const rec = new Recorder();
    proxy = await startProxy({ mode: 'usb', bindAddress: '127.0.0.1', port: 0, allowedClients: null, intercept: () => false, ca: null, upstream: loopbackConnector(), limits: { keepBodyBytes: 1000 } }, rec);
    const { body } = await viaProxy(proxy, `http://sdk.example.test:${upstreamPort}/bytes/5000`);
    expect(body.length).toBe(5000);
    await rec.until(() => rec.exchanges.length === 1);
    const b = rec.exchanges[0]!.responseBody!;
    expect(b.size).toBe(5000);
    expect(b.bytes.length).toBe(1000);
    expect(b.truncated).toBe(true);
    expect(b.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(rec.exchanges[0]!.requestBody).toBeNull();
  });
});

void whenGone;
