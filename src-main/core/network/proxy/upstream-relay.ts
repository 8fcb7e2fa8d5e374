/**
 * The interceptor's way out: a CONNECT-only relay on 127.0.0.1 that mockttp uses as its upstream proxy, so that
 * every request it passes on reaches the destination through the session's `UpstreamConnector` (the world, or a
 * test's resolver) instead of mockttp's own DNS and sockets. It answers only mockttp: a random secret in
 * Proxy-Authorization, anything else refused. It never reads what it relays (TLS to the destination is mockttp's,
 * verified there).
 */
import net from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { UpstreamConnector } from '../contracts.js';

export interface UpstreamRelay {
  /** `http://relay:<secret>@127.0.0.1:<port>`: what mockttp's proxyConfig takes. */
  proxyUrl: string;
  close(): Promise<void>;
}

export interface UpstreamRelayOptions {
  connect: UpstreamConnector;
  maxHeaderBytes: number;
  handshakeTimeoutMs: number;
  idleTimeoutMs: number;
}

/** A CONNECT target as `host:port` / `[v6]:port`: only name, address and port characters. */
const TARGET = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9_.-]+)):(\d{1,5})$/;

export function defaultConnector(host: string, port: number): Duplex {
  return net.connect({ host, port });
}

export async function startUpstreamRelay(o: UpstreamRelayOptions): Promise<UpstreamRelay> {
  const secret = randomBytes(18).toString('base64url');
  const expectedAuth = Buffer.from(`Basic ${Buffer.from(`relay:${secret}`).toString('base64')}`);
  const open = new Set<Duplex>();
  const track = (s: Duplex): void => {
    open.add(s);
    s.once('close', () => open.delete(s));
  };

  const server = net.createServer((socket) => {
    track(socket);
    socket.on('error', () => socket.destroy());
    socket.setTimeout(o.handshakeTimeoutMs, () => socket.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > o.maxHeaderBytes) socket.destroy();
        return;
      }
      socket.off('data', onData);
      socket.pause();
      const rest = head.subarray(end + 4);
      const lines = head.subarray(0, end).toString('latin1').split('\r\n');
      const [method, target] = (lines[0] ?? '').split(' ');
      const auth = lines.find((l) => /^proxy-authorization:/i.test(l))?.replace(/^[^:]*:\s*/, '') ?? '';
      const authBuf = Buffer.from(auth);
      const m = TARGET.exec(target ?? '');
      const port = m ? Number(m[3]) : 0;
      if (method !== 'CONNECT' || authBuf.length !== expectedAuth.length || !timingSafeEqual(authBuf, expectedAuth) || !m || port < 1 || port > 65535) {
        socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      relay(socket, (m[1] ?? m[2])!, port, rest);
    };
    socket.on('data', onData);
  });

  const relay = (socket: net.Socket, host: string, port: number, rest: Buffer): void => {
    let upstream: Duplex;
    try {
      upstream = o.connect(host, port);
    } catch {
      socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    track(upstream);
    let established = false;
    // Before the tunnel is up, a failed destination is a 502 (mockttp then fails the phone's connection);
    // after, either side going away ends both.
    const fail = (): void => {
      if (!established && !socket.destroyed) socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      else socket.destroy();
      upstream.destroy();
    };
    upstream.on('error', fail);
    upstream.on('close', () => (established ? socket.destroy() : fail()));
    socket.on('close', () => upstream.destroy());
    const go = (): void => {
      established = true;
      socket.setTimeout(o.idleTimeoutMs, () => {
        socket.destroy();
        upstream.destroy();
      });
      socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
      if (rest.length) upstream.write(rest);
      socket.pipe(upstream);
      upstream.pipe(socket);
      socket.resume();
    };
    // A real socket says when it is connected (so a refused port is a 502, as a proxy says it); another Duplex
    // (the virtual phone's network, a test's pipe) is taken as ready.
    if (upstream instanceof net.Socket && upstream.connecting) upstream.once('connect', go);
    else go();
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    proxyUrl: `http://relay:${secret}@127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    }),
  };
}
