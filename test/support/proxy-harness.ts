/**
 * What the proxy tests share: an observer that records every callback, real upstream servers on loopback
 * (HTTP, HTTPS with a CA made by openssl, WebSocket with the `ws` package), a connector that sends the test's
 * host names to them, and small raw-socket clients (a CONNECT, reading a head).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import type { ConnectionClosed, ConnectionOpened, HttpExchange, ProxyObserver, ProxyRefusal, UpstreamConnector } from '../../src-main/core/network/contracts.js';

export class Recorder implements ProxyObserver {
  readonly openedList: ConnectionOpened[] = [];
  readonly closedList: ConnectionClosed[] = [];
  readonly exchanges: HttpExchange[] = [];
  readonly refusals: ProxyRefusal[] = [];
  /** Every callback in order, as `kind:flowId` (refusals as `refused:reason`). */
  readonly log: string[] = [];
  private waiters: (() => void)[] = [];

  opened(c: ConnectionOpened): void { this.openedList.push(c); this.log.push(`opened:${c.flowId}`); this.wake(); }
  closed(c: ConnectionClosed): void { this.closedList.push(c); this.log.push(`closed:${c.flowId}`); this.wake(); }
  exchange(x: HttpExchange): void { this.exchanges.push(x); this.log.push(`exchange:${x.flowId}`); this.wake(); }
  refused(r: ProxyRefusal): void { this.refusals.push(r); this.log.push(`refused:${r.reason}`); this.wake(); }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves when `ready()` holds after some callback (or at once); rejects after `ms`. */
  async until(ready: () => boolean, ms = 10_000, what = 'proxy events'): Promise<void> {
    const deadline = Date.now() + ms;
    while (!ready()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  closedOf(flowId: string): ConnectionClosed | undefined {
    return this.closedList.find((c) => c.flowId === flowId);
  }
}

/** Every host name the test uses goes to 127.0.0.1 at `ports[host]` (or the port asked for). */
export function loopbackConnector(ports: Record<string, number> = {}): UpstreamConnector {
  return (host, port) => connect({ host: '127.0.0.1', port: ports[`${host}:${port}`] ?? ports[host] ?? port });
}

export async function listening<T extends HttpServer | HttpsServer | import('node:net').Server>(server: T, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  return (server.address() as AddressInfo).port;
}

export interface TestTls {
  caPem: string;
  keyPem: string;
  certPem: string;
}

/** A CA and a server certificate for api.example.test, localhost and 127.0.0.1, made by openssl. */
export function makeTestTls(): TestTls {
  const dir = mkdtempSync(join(tmpdir(), 'proxy-tls-'));
  try {
    const o = (args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    o(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Proxy Test CA']);
    o(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=api.example.test']);
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:api.example.test,DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
    o(['x509', '-req', '-in', 'srv.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.pem', '-days', '2', '-extfile', 'ext.cnf']);
    const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
    return { caPem: read('ca.pem'), keyPem: read('srv.key'), certPem: read('srv.pem') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An HTTP server that echoes: `/echo` answers the request body back; `/bytes/N` answers N bytes of 'x'. */
export function echoServer(): HttpServer {
  return createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const size = /^\/bytes\/(\d+)$/.exec(req.url ?? '');
      if (size) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size[1] });
        res.end(Buffer.alloc(Number(size[1]), 'x'));
        return;
      }
      const answer = Buffer.concat([Buffer.from(`${req.method} ${req.url} `), ...chunks]);
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': answer.length, 'x-seen-url': req.url ?? '' });
      res.end(answer);
    });
  });
}

/** An HTTPS server (the test certificate) answering `hello over tls` with the request path; raw sockets kept. */
export function tlsServer(tls: TestTls): { server: HttpsServer; raw: Socket[] } {
  const raw: Socket[] = [];
  const server = createHttpsServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    req.resume();
    req.on('end', () => res.end(`hello over tls ${req.url}`));
  });
  server.on('connection', (s: Socket) => raw.push(s));
  return { server, raw };
}

/** A WebSocket server echoing each message back with a prefix; it refuses paths under /forbidden (403). */
export function wsServer(server: HttpServer): WebSocketServer {
  const wss = new WebSocketServer({ server, verifyClient: (info, done) => (info.req.url?.startsWith('/forbidden') ? done(false, 403) : done(true)) });
  wss.on('connection', (ws) => ws.on('message', (data, binary) => ws.send(binary ? data : `echo: ${String(data)}`)));
  return wss;
}

/** Reads from the socket until a blank line; resolves with the head and leaves what followed unshifted. */
export function readHead(socket: Socket, max = 64 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (c: Buffer): void => {
      buf = Buffer.concat([buf, c]);
      const end = buf.indexOf('\r\n\r\n');
      if (end >= 0) {
        cleanup();
        const rest = buf.subarray(end + 4);
        if (rest.length) socket.unshift(rest);
        resolve(buf.subarray(0, end + 4).toString('latin1'));
      } else if (buf.length > max) {
        cleanup();
        reject(new Error('head too long'));
      }
    };
    const onEnd = (): void => {
      cleanup();
      reject(Object.assign(new Error(`closed before a head (${buf.length} bytes: ${buf.toString('latin1').slice(0, 80)})`), { partial: buf.toString('latin1') }));
    };
    const cleanup = (): void => {
      socket.removeListener('data', onData);
      socket.removeListener('end', onEnd);
      socket.removeListener('close', onEnd);
      socket.removeListener('error', onEnd);
      socket.pause();
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.once('error', onEnd);
  });
}

/** The next chunk the socket gives (resuming it: readHead leaves it paused). */
export function nextData(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('data', (c: Buffer) => resolve(c.toString('latin1')));
    socket.resume();
  });
}

/** A raw socket to the proxy, connected. */
export function dial(port: number, localAddress?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, localAddress }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Resolves when the socket has closed; `ended`: whether the peer ended it cleanly, and the bytes it sent. */
export function whenGone(s: Socket): Promise<{ data: string; error: string | null }> {
  return new Promise((resolve) => {
    let data = '';
    let error: string | null = null;
    s.on('data', (c: Buffer) => (data += c.toString('latin1')));
    s.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    if (s.closed) return resolve({ data, error });
    s.once('close', () => resolve({ data, error }));
    s.resume();
  });
}

/** Polls `ready` every 20 ms until it holds; rejects after `ms`. */
export async function eventually(ready: () => boolean, ms = 5000, what = 'a condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function rssMb(): number {
  return process.memoryUsage().rss / (1024 * 1024);
}
