/**
 * The interceptor's CONNECT relay on real sockets: it serves mockttp only (the secret), CONNECT only, names and
 * ports only, in bounded bytes and time; a destination that fails is a 502, one that answers gets the bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { startUpstreamRelay, type UpstreamRelay } from '../../../../../src-main/core/network/proxy/upstream-relay.js';

const MAX_HEADER = 4096;
/** Long enough that a head cut at the header limit is told apart from one cut at the timeout. */
const HANDSHAKE_MS = 3000;

function exchange(port: number, send: string | Buffer, o: { end?: boolean } = {}): Promise<{ reply: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const s = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    s.on('data', (d: Buffer) => (reply += d.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => resolve({ reply, closedAfterMs: performance.now() - t0 }));
    s.write(send);
    if (o.end) s.end();
  });
}

describe('upstream relay', () => {
  let relay: UpstreamRelay;
  let auth: string;
  let port: number;
  let echo: net.Server;
  let echoPort: number;
  const asked: string[] = [];

  beforeAll(async () => {
    echo = net.createServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    echoPort = (echo.address() as net.AddressInfo).port;
    relay = await startUpstreamRelay({
      connect: (host, p) => {
        asked.push(`${host}:${p}`);
        if (host === 'throws.test') throw new Error('resolver broke');
        return net.connect({ host: '127.0.0.1', port: host === 'echo.test' ? echoPort : 1 });
      },
      maxHeaderBytes: MAX_HEADER, handshakeTimeoutMs: HANDSHAKE_MS, idleTimeoutMs: 5000,
    });
    const url = new URL(relay.proxyUrl);
    expect(url.hostname).toBe('127.0.0.1');
    port = Number(url.port);
    auth = `Proxy-Authorization: Basic ${Buffer.from(`${url.username}:${url.password}`).toString('base64')}\r\n`;
  });

  afterAll(async () => {
    await relay?.close();
    echo?.close();
  });

  it('relays a CONNECT from mockttp (with the secret) to the connector, bytes both ways', async () => {
    const got = await new Promise<string>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      let text = '';
      s.on('data', (d: Buffer) => {
        text += d.toString('latin1');
        if (text.includes('ping')) s.end();
      });
      s.on('close', () => resolve(text));
      s.write(`CONNECT echo.test:443 HTTP/1.1\r\nHost: echo.test:443\r\n${auth}\r\nping`);
    });
    expect(got).toBe('HTTP/1.1 200 Connection established\r\n\r\nping');
    expect(asked).toContain('echo.test:443');
  });

  it('refuses anyone without the secret, anything but CONNECT, and targets that are not a name and a port — without asking the connector', async () => {
    const before = asked.length;
    const forbidden = 'HTTP/1.1 403 Forbidden';
    expect((await exchange(port, 'CONNECT echo.test:443 HTTP/1.1\r\n\r\n')).reply).toMatch(new RegExp(`^${forbidden}`));
    expect((await exchange(port, `CONNECT echo.test:443 HTTP/1.1\r\nProxy-Authorization: Basic ${Buffer.from('relay:guess').toString('base64')}\r\n\r\n`)).reply).toMatch(new RegExp(`^${forbidden}`));
    expect((await exchange(port, `GET http://echo.test/ HTTP/1.1\r\n${auth}\r\n`)).reply).toMatch(new RegExp(`^${forbidden}`));
    for (const target of ['echo.test', 'echo.test:0', 'echo.test:70000', 'a b:443', 'echo.test:443/x', '[::1]x:443']) {
      expect((await exchange(port, `CONNECT ${target} HTTP/1.1\r\n${auth}\r\n`)).reply, target).toMatch(new RegExp(`^${forbidden}`));
    }
    expect(asked.length).toBe(before);
  });

  it('a destination that fails or a connector that throws: 502', async () => {
    expect((await exchange(port, `CONNECT closed.test:443 HTTP/1.1\r\n${auth}\r\n`)).reply).toMatch(/^HTTP\/1\.1 502 /);
    expect((await exchange(port, `CONNECT throws.test:443 HTTP/1.1\r\n${auth}\r\n`)).reply).toMatch(/^HTTP\/1\.1 502 /);
  });

  it('a head that never ends is cut at the header limit; a silent client at the handshake timeout', async () => {
    const bomb = await exchange(port, Buffer.alloc(MAX_HEADER * 4, 'a'));
    expect(bomb.reply).toBe('');
    expect(bomb.closedAfterMs).toBeLessThan(HANDSHAKE_MS - 1000);
    const silent = await exchange(port, '');
    expect(silent.reply).toBe('');
    expect(silent.closedAfterMs).toBeGreaterThanOrEqual(HANDSHAKE_MS - 50);
    expect(silent.closedAfterMs).toBeLessThan(HANDSHAKE_MS + 2000);
  });
});
