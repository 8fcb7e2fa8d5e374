/**
 * Destinations for interception tests: a CA of their own made by stock openssl (standing in for a public CA the
 * phone and the workbench trust), HTTPS servers for chosen host names speaking HTTP/1.1, HTTP/2 and WebSocket, a
 * resolver (`UpstreamConnector`) mapping those names to them, and a stand-in for the proxy front that hands each
 * accepted connection to an interceptor with the first bytes it read, as the front does after a CONNECT.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Interceptor, UpstreamConnector } from '../../src-main/core/network/contracts.js';

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface DestinationCa {
  certPem: string;
  /** The CA certificate as a file, for stock tools (openssl s_client -CAfile). */
  caFile: string;
  /** A certificate and key for `host`, issued by this CA. */
  issue(host: string): { certPem: string; keyPem: string };
  dispose(): void;
}

export function makeDestinationCa(): DestinationCa {
  const dir = mkdtempSync(join(tmpdir(), 'dest-ca-'));
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Virtual Internet Test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  const certPem = readFileSync(join(dir, 'ca.pem'), 'utf8');
  let n = 0;
  return {
    certPem,
    caFile: join(dir, 'ca.pem'),
    issue(host: string) {
      const base = `leaf${n++}`;
      writeFileSync(join(dir, `${base}.ext`), `subjectAltName=DNS:${host}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
      openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${host}`], dir);
      openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${base}.ext`, '-out', `${base}.pem`], dir);
      return { certPem: readFileSync(join(dir, `${base}.pem`), 'utf8'), keyPem: readFileSync(join(dir, `${base}.key`), 'utf8') };
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface SeenRequest {
  method: string;
  path: string;
  httpVersion: string;
  body: Buffer;
}

export interface Destination {
  port: number;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** Streams `size` bytes from a repeating 64 KiB block; `sha256` is what the whole body hashes to. */
export function bigBody(size: number): { stream: () => AsyncGenerator<Buffer>; sha256: string; block: Buffer } {
  const block = Buffer.alloc(64 * 1024);
  for (let i = 0; i < block.length; i++) block[i] = (i * 2654435761) >>> 24;
  const hash = createHash('sha256');
  for (let sent = 0; sent < size; sent += block.length) hash.update(block.subarray(0, Math.min(block.length, size - sent)));
  return {
    block,
    sha256: hash.digest('hex'),
    async *stream() {
      for (let sent = 0; sent < size; sent += block.length) yield block.subarray(0, Math.min(block.length, size - sent));
    },
  };
}

/**
 * An HTTPS server for `host` (HTTP/2 and HTTP/1.1 by ALPN, WebSocket on /ws echoing with "echo:"). Routes:
 * `/big/<bytes>` streams that many bytes; `/sink` answers the size and SHA-256 of the body it read; anything
 * else answers JSON naming the request and echoing its body.
 */
export async function startDestination(ca: DestinationCa, host: string): Promise<Destination> {
  const { certPem, keyPem } = ca.issue(host);
  const seen: SeenRequest[] = [];
  const server = http2.createSecureServer({ cert: certPem, key: keyPem, allowHTTP1: true }, (req, res) => {
    if (req.url === '/sink') {
      // Counted and hashed, never held: big uploads measure the interceptor, not this server.
      const hash = createHash('sha256');
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        hash.update(c);
      });
      req.on('end', () => {
        seen.push({ method: req.method, path: req.url, httpVersion: req.httpVersion, body: Buffer.alloc(0) });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ size, sha256: hash.digest('hex') }));
      });
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method, path: req.url, httpVersion: req.httpVersion, body });
      const big = /^\/big\/(\d+)$/.exec(req.url);
      if (big) {
        const size = Number(big[1]);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(size) });
        void (async () => {
          for await (const part of bigBody(size).stream()) {
            if (!res.write(part)) await new Promise((r) => res.once('drain', r));
          }
          res.end();
        })();
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json', 'x-destination': host });
      res.end(JSON.stringify({ host, method: req.method, path: req.url, httpVersion: req.httpVersion, body: body.toString('utf8') }));
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket as Duplex as net.Socket, head, (ws) => {
      ws.on('message', (data, isBinary) => ws.send(isBinary ? data : `echo:${data.toString()}`));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const open = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    open.add(s);
    s.once('close', () => open.delete(s));
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    seen,
    close: () => new Promise<void>((resolve) => {
      for (const s of open) s.destroy();
      wss.close();
      server.close(() => resolve());
    }),
  };
}

/** Names → local ports, as the virtual internet's resolver does; unknown names fail like a DNS miss. */
export function resolverFor(names: Record<string, number>): UpstreamConnector & { asked: string[] } {
  const asked: string[] = [];
  const connect = (host: string, port: number): Duplex => {
    asked.push(`${host}:${port}`);
    const local = names[host];
    if (local === undefined) {
      const dead = new PassThrough();
      setImmediate(() => dead.destroy(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' })));
      return dead;
    }
    return net.connect({ host: '127.0.0.1', port: local });
  };
  return Object.assign(connect, { asked });
}

export interface FrontStandIn {
  port: number;
  /** flowIds handed to the interceptor, in order. */
  flows: string[];
  /** flowIds whose handle() has settled, in order. */
  settled: string[];
  close(): Promise<void>;
}

/**
 * Accepts TCP connections and hands each to the interceptor as the proxy front does after "200 Connection
 * established": the first bytes read (the TLS client hello) as `head`, the target the CONNECT named.
 */
export async function startFrontStandIn(interceptor: () => Interceptor, target: { host: string; port: number }, onSettled?: (flowId: string) => void): Promise<FrontStandIn> {
  const flows: string[] = [];
  const settled: string[] = [];
  const open = new Set<net.Socket>();
  let n = 0;
  const server = net.createServer((socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (head: Buffer) => {
      socket.pause();
      const flowId = `flow-${++n}`;
      flows.push(flowId);
      void interceptor().handle(socket, target, flowId, head).then(() => {
        settled.push(flowId);
        onSettled?.(flowId);
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    flows,
    settled,
    close: () => new Promise<void>((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    }),
  };
}
