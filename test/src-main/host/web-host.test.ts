// Browser mode's host: the token is required for http and WebSocket; garbage and oversized messages get
// errors or a closed socket, never a crash.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import WebSocket from 'ws';
import { Dispatcher } from '../../../src-main/bridge/dispatcher.js';
import { EventHub } from '../../../src-main/bridge/event-hub.js';
import { WebHost } from '../../../src-main/host/web-host.js';
import { echoHandlers } from '../../support/fake-handlers.js';

let host: WebHost;
let base: string;
const hub = new EventHub();

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'renderer-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(tmpdir(), 'secret.txt'), 'secret');
  host = new WebHost({ rendererDir: dir, dispatcher: new Dispatcher(echoHandlers()), hub });
  await host.start();
  base = host.url.replace(/\/\?token=.*$/, '');
});
afterAll(async () => host?.stop());

function open(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function next(ws: WebSocket, kind = 'result'): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const on = (data: WebSocket.RawData): void => {
      const msg = JSON.parse(String(data)) as Record<string, unknown>;
      if (msg.kind === kind) {
        ws.off('message', on);
        resolve(msg);
      }
    };
    ws.on('message', on);
  });
}

describe('WebHost', () => {
  it('binds loopback and refuses http without the token', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    const ok = await fetch(host.url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(ok.headers.get('set-cookie')).toMatch(new RegExp(`^wb_token_${host.port}=.*HttpOnly; SameSite=Strict`));
  });

  it('never serves files outside the renderer folder', async () => {
    const cookie = `wb_token_${host.port}=${host.token}`;
    expect((await fetch(`${base}/..%2fsecret.txt`, { headers: { cookie } })).status).toBe(404);
    expect((await fetch(`${base}/%2e%2e/%2e%2e/etc/passwd`, { headers: { cookie } })).status).toBe(404);
  });

  it('refuses a WebSocket without the token or from a foreign origin', async () => {
    await expect(open(`${base.replace('http', 'ws')}/api`)).rejects.toThrow(/403/);
    await expect(open(`${base.replace('http', 'ws')}/api?token=nope`)).rejects.toThrow(/403/);
    await expect(open(`${base.replace('http', 'ws')}/api?token=${host.token}`, { Origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });

  it('answers calls, refuses garbage with typed errors and survives it', async () => {
    const ws = await open(`${base.replace('http', 'ws')}/api?token=${host.token}`);
    ws.send('{{{ not json');
    expect(await next(ws)).toMatchObject({ id: null, outcome: { ok: false, error: { code: 'bridge.malformed-message' } } });
    ws.send(JSON.stringify({ id: 1, method: 'nope' }));
    expect(await next(ws)).toMatchObject({ id: 1, outcome: { ok: false, error: { code: 'bridge.unknown-method' } } });
    ws.send(JSON.stringify([1, 2, 3]));
    expect(await next(ws)).toMatchObject({ outcome: { ok: false, error: { code: 'bridge.malformed-message' } } });
    ws.send(JSON.stringify({ id: 2, method: 'devices.connect', args: { address: 'h:1' } }));
    expect(await next(ws)).toEqual({ kind: 'result', id: 2, outcome: { ok: true, value: { serial: 'h:1' } } });
    hub.emit('problem', { code: 'internal', messageKey: 'error.internal', details: {} });
    expect(await next(ws, 'events')).toMatchObject({ batch: [{ event: 'problem', items: [{ code: 'internal' }] }] });
    ws.close();
  });

  it('closes a socket that sends an oversized message; others keep working', async () => {
    const big = await open(`${base.replace('http', 'ws')}/api?token=${host.token}`);
    const closed = new Promise<number>((resolve) => big.on('close', (code) => resolve(code)));
    big.send('x'.repeat(2 * 1024 * 1024));
    expect(await closed).toBe(1009);
    const ws = await open(`${base.replace('http', 'ws')}/api?token=${host.token}`);
    ws.send(JSON.stringify({ id: 3, method: 'app.info', args: {} }));
    expect(await next(ws)).toMatchObject({ id: 3, outcome: { ok: true } });
    ws.close();
  });

  it('a null, garbage or foreign Origin, a request line that does not parse, a foreign Host: refused, and the server keeps answering', async () => {
    const ws = `${base.replace('http', 'ws')}/api?token=${host.token}`;
    for (const origin of ['null', 'garbage', 'http://[', 'file://']) await expect(open(ws, { Origin: origin })).rejects.toThrow(/403/);
    const raw = async (request: string): Promise<string> => new Promise((resolve) => {
      const s = connect(host.port, '127.0.0.1', () => s.write(request));
      let data = '';
      s.on('data', (d) => (data += d.toString()));
      s.on('close', () => resolve(data));
      s.on('error', () => resolve(data));
      setTimeout(() => s.destroy(), 2000);
    });
    expect(await raw('GET http://[/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(`GET http://[/ HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`)).toMatch(/^HTTP\/1\.1 40[03]/);
    expect(await raw(`GET /?token=${host.token} HTTP/1.1\r\nHost: evil.example:${host.port}\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 421/);
    await expect(open(ws, { Host: `evil.example:${host.port}` })).rejects.toThrow(/403/);
    expect((await fetch(host.url)).status).toBe(200);
    const ok = await open(ws);
    ok.send(JSON.stringify({ id: 9, method: 'app.info', args: {} }));
    expect(await next(ok)).toMatchObject({ id: 9, outcome: { ok: true } });
    ok.close();
  });

  it('a page opened without ?token uses its cookie, and the cookie is per port', async () => {
    const cookie = `wb_token_${host.port}=${host.token}`;
    expect((await fetch(`${base}/`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${base}/`, { headers: { cookie: `wb_token_${host.port + 1}=${host.token}` } })).status).toBe(401);
    const ws = await open(`${base.replace('http', 'ws')}/api?token=`, { cookie, Origin: base });
    ws.send(JSON.stringify({ id: 10, method: 'app.info', args: {} }));
    expect(await next(ws)).toMatchObject({ id: 10, outcome: { ok: true } });
    ws.close();
  });
});

describe('a client that stops reading', () => {
  it('costs a bounded buffer: its event batches are dropped past the limit, and it is told when it catches up', async () => {
    const { SOFT_LIMIT } = await import('../../../src-main/host/web-host.js');
    const ws = await open(host.url.replace('http', 'ws').replace('/?token=', '/api?token='), { origin: base });
    const problems: Array<{ code: string; details: { dropped: number } }> = [];
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { kind: string; batch?: Array<{ event: string; items: unknown[] }> };
      for (const b of msg.batch ?? []) if (b.event === 'problem') problems.push(...(b.items as typeof problems));
    });
    const socket = (ws as unknown as { _socket: import('node:net').Socket })._socket;
    socket.pause();
    const line = 'x'.repeat(1000);
    const rss = process.memoryUsage().rss;
    // 40 ms batches of 2,000 lines (about 2 MB each) for 3 s: some 150 MB the client never reads.
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      for (let i = 0; i < 2000; i++) hub.emit('logLines', { serial: 's', lines: [{ time: 0, pid: 1, priority: 'I', tag: 't', message: line, app: false }], dropped: 0 } as never);
      await new Promise((r) => setTimeout(r, 40));
    }
    const grew = process.memoryUsage().rss - rss;
    expect(grew).toBeLessThan(SOFT_LIMIT * 8);
    socket.resume();
    // Catching up, then the next event brings the notice.
    await new Promise((r) => setTimeout(r, 1500));
    hub.emit('logLines', { serial: 's', lines: [], dropped: 0 } as never);
    await new Promise((r) => setTimeout(r, 500));
    expect(problems.find((p) => p.code === 'bridge.slow-client')?.details.dropped).toBeGreaterThan(0);
    ws.close();
  }, 30_000);
});
