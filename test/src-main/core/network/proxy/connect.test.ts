/**
 * CONNECT tunnels through the proxy to real servers on loopback: TLS to an HTTPS server (SNI read, bytes
 * equal to what the client and the server saw), plain bytes, a server that speaks first, and the bad inputs
 * of a tunnel — a malformed target (400), an unreachable one (502), a client hello of garbage.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProxy } from '../../../../../src-main/core/network/contracts.js';
import { startProxy } from '../../../../../src-main/core/network/proxy/index.js';
import { Recorder, dial, listening, loopbackConnector, makeTestTls, nextData, readHead, tlsServer, whenGone, type TestTls } from '../../../../support/proxy-harness.js';

let tls: TestTls;
let https: ReturnType<typeof tlsServer>;
let httpsPort: number;
let echo: Server;
let echoPort: number;
let greeter: Server;
let greeterPort: number;
let proxy: RunningProxy | null = null;

beforeAll(async () => {
  tls = makeTestTls();
  https = tlsServer(tls);
  httpsPort = await listening(https.server);
  echo = createServer((s) => s.pipe(s));
  echoPort = await listening(echo);
  // A server that speaks first (SMTP-like) and then echoes.
  greeter = createServer((s) => {
    s.write('220 ready\r\n');
    s.pipe(s);
  });
  greeterPort = await listening(greeter);
});
afterAll(async () => {
  for (const s of [https.server, echo, greeter]) await new Promise((r) => s.close(r));
});
afterEach(async () => {
  await proxy?.stop();
  proxy = null;
});

async function start(rec: Recorder, handshakeTimeoutMs = 10_000): Promise<RunningProxy> {
  const upstream = loopbackConnector({ 'api.example.test:443': httpsPort, 'echo.example.test': echoPort, 'greeter.example.test': greeterPort });
  proxy = await startProxy({ mode: 'usb', bindAddress: '127.0.0.1', port: 0, allowedClients: null, intercept: () => false, ca: null, upstream, limits: { handshakeTimeoutMs } }, rec);
  return proxy;
}

/** Opens a CONNECT tunnel through the proxy; resolves with the socket after the proxy's answer head. */
async function tunnel(port: number, target: string): Promise<{ socket: Socket; head: string; connectBytes: number }> {
  const socket = await dial(port);
  const line = `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`;
  socket.write(line);
  const head = await readHead(socket);
  return { socket, head, connectBytes: Buffer.byteLength(line) };
}

describe('CONNECT tunnels', () => {
  it('carries TLS to an HTTPS server untouched: host, SNI, tls, not intercepted, bytes as the client and the server saw them', async () => {
    const rec = new Recorder();
    const p = await start(rec);
    const { socket, head, connectBytes } = await tunnel(p.port, 'api.example.test:443');
    const clientPort = socket.localPort;
    expect(head).toBe('HTTP/1.1 200 Connection established\r\n\r\n');
    const secure = tlsConnect({ socket, servername: 'api.example.test', ca: tls.caPem });
    await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
    // The client closes first (after the answer), so every byte either side sent reaches the other.
    secure.write('GET /through-the-tunnel HTTP/1.1\r\nHost: api.example.test\r\n\r\n');
    let answer = '';
    await new Promise<void>((resolve) => secure.on('data', (c: Buffer) => {
      answer += c.toString();
      if (answer.endsWith('/through-the-tunnel')) resolve();
    }));
    secure.end();
    await new Promise((r) => secure.once('close', r));
    expect(answer).toContain('hello over tls /through-the-tunnel');

    await rec.until(() => rec.closedList.length === 1);
    const opened = rec.openedList[0]!;
    expect(opened).toMatchObject({ via: 'connect', host: 'api.example.test', port: 443, sni: 'api.example.test', tls: true, intercepted: false, clientAddress: '127.0.0.1', clientPort });
    const closed = rec.closedOf(opened.flowId)!;
    const server = https.raw[https.raw.length - 1]!;
    await new Promise((r) => (server.closed ? r(null) : server.once('close', r)));
    expect(closed.bytesUp).toBe(server.bytesRead);
    expect(closed.bytesDown).toBe(server.bytesWritten);
    expect(closed.bytesUp).toBe(socket.bytesWritten - connectBytes);
    expect(closed.bytesDown).toBe(socket.bytesRead - head.length);
    expect(closed.bytesUp).toBeGreaterThan(200);
    expect(closed.error).toBeNull();
    expect(rec.refusals).toHaveLength(0);
  });

  it('tunnels bytes that are not TLS as they are (tls false, no SNI)', async () => {
    const rec = new Recorder();
    const p = await start(rec);
    const { socket } = await tunnel(p.port, 'echo.example.test:7');
    const payload = randomBytes(100_000);
    payload[0] = 0x47; // 'G': not a TLS record
    socket.write(payload);
    socket.end();
    const { data } = await whenGone(socket);
    expect(Buffer.from(data, 'latin1').equals(payload)).toBe(true);
    await rec.until(() => rec.closedList.length === 1);
    expect(rec.openedList[0]).toMatchObject({ via: 'connect', host: 'echo.example.test', port: 7, tls: false, sni: null, intercepted: false });
    expect(rec.closedList[0]).toMatchObject({ bytesUp: payload.length, bytesDown: payload.length, error: null });
  });

  it('lets a server that speaks first be heard at once, before the client sends anything', async () => {
    const rec = new Recorder();
    const p = await start(rec);
    const t = performance.now();
    const { socket } = await tunnel(p.port, 'greeter.example.test:25');
    const greeting = await nextData(socket);
    expect(greeting).toBe('220 ready\r\n');
    expect(performance.now() - t).toBeLessThan(2000); // not held until the 10 s hello wait ends
    socket.write('HELO phone\r\n');
    expect(await nextData(socket)).toBe('HELO phone\r\n');
    socket.end();
    await rec.until(() => rec.closedList.length === 1);
    expect(rec.openedList[0]).toMatchObject({ tls: false });
  });

  it('refuses a malformed CONNECT target with 400 and keeps serving', async () => {
    const rec = new Recorder();
    const p = await start(rec);
    for (const target of ['no-port', 'host:99999', 'host:0', 'ho st:443', '[::1:443', 'a'.repeat(300) + ':443', 'host:44x']) {
      const socket = await dial(p.port);
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: x\r\n\r\n`);
      const { data } = await whenGone(socket);
      // Node's parser rejects some of these itself (a space in the target): 400 either way.
      expect(data).toMatch(/^HTTP\/1\.1 400 /);
    }
    expect(rec.refusals.length).toBeGreaterThanOrEqual(1);
    expect(rec.refusals.every((r) => r.reason === 'malformed')).toBe(true);
    expect(p.stats().refused).toBe(7);
    expect(rec.openedList).toHaveLength(0);
    const { head } = await tunnel(p.port, 'echo.example.test:7');
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('answers 502 (not a 200 that then drops) when the target cannot be reached', async () => {
    const rec = new Recorder();
    const p = await start(rec);
    const { head } = await tunnel(p.port, 'nowhere.example.test:1');
    expect(head).toMatch(/^HTTP\/1\.1 502 /);
    expect(rec.refusals).toEqual([expect.objectContaining({ reason: 'upstream-failed', detail: expect.stringContaining('nowhere.example.test:1') })]);
  });

  it('refuses a handshake record of garbage as bad-tls-hello within bounded time; other garbage is tunnelled as non-TLS', async () => {
    const rec = new Recorder();
    const p = await start(rec, 1000);
    const hellos: Buffer[] = [
      // A handshake record whose body is random bytes.
      Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x01, 0x00]), randomBytes(256)]),
      // A client hello whose inner length lies.
      Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x00, 0x08, 0x01, 0xff, 0xff, 0xff]), randomBytes(4)]),
      // A record length over the TLS maximum.
      Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff, 0x01]),
      // A record that never completes (the timeout decides).
      Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00]),
    ];
    for (const [i, hello] of hellos.entries()) {
      const t = performance.now();
      const { socket } = await tunnel(p.port, 'echo.example.test:443');
      socket.write(hello);
      const { data } = await whenGone(socket);
      expect(data).toBe(''); // nothing was echoed: the bytes never reached the server
      expect(performance.now() - t).toBeLessThan(3000);
      await rec.until(() => rec.refusals.length === i + 1);
      expect(rec.refusals[i]).toMatchObject({ reason: 'bad-tls-hello', client: '127.0.0.1' });
    }
    expect(rec.openedList).toHaveLength(0);
    // Random bytes that do not claim to be TLS pass as a plain tunnel.
    const { socket } = await tunnel(p.port, 'echo.example.test:443');
    const junk = Buffer.concat([Buffer.from([0x00]), randomBytes(1000)]);
    socket.end(junk);
    const { data } = await whenGone(socket);
    expect(Buffer.from(data, 'latin1').equals(junk)).toBe(true);
    await rec.until(() => rec.closedList.length === 1);
    expect(rec.openedList[0]).toMatchObject({ tls: false, sni: null });
  });
});
