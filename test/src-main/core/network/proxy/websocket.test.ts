/**
 * A WebSocket upgrade through the proxy on plain HTTP, against a real `ws` server: the client (the `ws`
 * package) sends its handshake to the proxy in absolute form, as a proxy-aware client does; frames pass both
 * ways after the 101, the exchange is reported with status 101, and the flow's bytes equal the server's.
 */
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import WebSocket, { type WebSocketServer } from 'ws';
import type { RunningProxy } from '../../../../../src-main/core/network/contracts.js';
import { startProxy } from '../../../../../src-main/core/network/proxy/index.js';
import { Recorder, listening, loopbackConnector, wsServer } from '../../../../support/proxy-harness.js';

let server: Server;
let wss: WebSocketServer;
let port: number;
const raw: Socket[] = [];
let proxy: RunningProxy | null = null;

beforeAll(async () => {
  server = createServer((_req, res) => res.end('not a websocket'));
  server.on('connection', (s: Socket) => raw.push(s));
  wss = wsServer(server);
  port = await listening(server);
});
afterAll(async () => {
  wss.close();
  await new Promise((r) => server.close(r));
});
afterEach(async () => {
  await proxy?.stop();
  proxy = null;
});

it('carries a WebSocket upgrade and its frames, reporting the 101 exchange and the bytes the server saw', async () => {
  const rec = new Recorder();
  proxy = await startProxy({ mode: 'usb', bindAddress: '127.0.0.1', port: 0, allowedClients: null, intercept: () => false, ca: null, upstream: loopbackConnector() }, rec);
  const proxyPort = proxy.port;
  const url = `ws://chat.example.test:${port}/live?room=1`;
  const ws = new WebSocket(url, {
    createConnection: () => connect(proxyPort, '127.0.0.1'),
    // Through a proxy the request line carries the absolute URL.
    finishRequest: (req) => {
      req.path = `http://chat.example.test:${port}/live?room=1`;
      req.end();
    },
  });
  await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
  const replies: string[] = [];
  ws.on('message', (m) => replies.push(String(m)));
  for (const text of ['one', 'two', 'x'.repeat(70_000)]) ws.send(text);
  await rec.until(() => replies.length === 3, 10_000, 'three echoes');
  expect(replies.slice(0, 2)).toEqual(['echo: one', 'echo: two']);
  expect(replies[2]).toHaveLength(6 + 70_000);
  ws.close();
  await new Promise((r) => ws.once('close', r));

  await rec.until(() => rec.closedList.length === 1);
  const opened = rec.openedList[0]!;
  expect(opened).toMatchObject({ via: 'websocket', host: 'chat.example.test', port, tls: false, intercepted: false });
  const x = rec.exchanges[0]!;
  expect(x).toMatchObject({ flowId: opened.flowId, method: 'GET', url: `http://chat.example.test:${port}/live?room=1`, status: 101, requestBody: null, responseBody: null });
  expect(x.requestHeaders.find(([k]) => k.toLowerCase() === 'upgrade')?.[1]).toBe('websocket');
  expect(x.responseHeaders.find(([k]) => k.toLowerCase() === 'sec-websocket-accept')).toBeDefined();
  const s = raw[raw.length - 1]!;
  await new Promise((r) => (s.closed ? r(null) : s.once('close', r)));
  const closed = rec.closedList[0]!;
  expect(closed.bytesUp).toBe(s.bytesRead);
  expect(closed.bytesDown).toBe(s.bytesWritten);
  expect(closed.bytesUp).toBeGreaterThan(70_000);
});

it('passes the server refusing an upgrade back to the client as it is', async () => {
  const rec = new Recorder();
  proxy = await startProxy({ mode: 'usb', bindAddress: '127.0.0.1', port: 0, allowedClients: null, intercept: () => false, ca: null, upstream: loopbackConnector() }, rec);
  const proxyPort = proxy.port;
  const ws = new WebSocket(`ws://chat.example.test:${port}/forbidden`, {
    createConnection: () => connect(proxyPort, '127.0.0.1'),
    finishRequest: (req) => {
      req.path = `http://chat.example.test:${port}/forbidden`;
      req.end();
    },
  });
  const err = await new Promise<Error>((resolve) => ws.once('error', resolve));
  expect(err.message).toMatch(/Unexpected server response: 403/);
  await rec.until(() => rec.exchanges.length === 1);
  expect(rec.exchanges[0]!.status).toBe(403);
  await rec.until(() => rec.closedList.length === 1);
});
