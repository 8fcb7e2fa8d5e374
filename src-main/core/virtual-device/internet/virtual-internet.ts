/**
 * The virtual internet the virtual phone's apps reach: one local server on 127.0.0.1 standing in for every SDK
 * and app server a scenario names (plain HTTP and HTTPS on the same port, the certificate chosen by SNI from the
 * virtual world's public CA), a resolver that says which hostnames exist (others fail as an unknown host does),
 * and a record of what each request carried, for tests. `connector` is the `UpstreamConnector` the phone's
 * network and the workbench's proxy are given, so both reach these servers instead of the real ones.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import type { UpstreamConnector } from '../../network/contracts.js';
import { createPublicCa, type PublicCa } from './public-ca.js';

/** What one request to a stand-in server carried. */
export interface ServedRequest {
  /** Date.now() when the request's head arrived. */
  at: number;
  tls: boolean;
  /** The TLS client hello's server name (null for plain HTTP or a client that sent none). */
  sni: string | null;
  /** The Host header, without a default port. */
  host: string;
  method: string;
  /** The request target as sent (origin form: path and query). */
  target: string;
  headers: [string, string][];
  body: Buffer;
  /** The body was longer than `MAX_KEPT_BODY`: `body` holds its first bytes. */
  truncated: boolean;
}

export interface VirtualInternetOptions {
  /** Hostnames that resolve to the stand-in server (more may be added with `addHost`). */
  hosts?: Iterable<string>;
}

const MAX_KEPT_BODY = 1024 * 1024;
/** Requests remembered, and their bodies' bytes together; the oldest go first (a long demo must not grow without bound). */
const MAX_REQUESTS = 10_000;
const MAX_KEPT_TOTAL = 32 * 1024 * 1024;
/** A connection that says nothing for this long is closed. */
const IDLE_MS = 30_000;

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** `socket` as a plain Duplex whose first bytes are `head` (already read from it). */
function replaying(socket: Socket, head: Buffer): Duplex {
  const stream: Duplex = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      socket.write(chunk, cb);
    },
    final(cb) {
      socket.end();
      cb();
    },
    destroy(err, cb) {
      socket.destroy();
      cb(err);
    },
  });
  stream.push(head);
  socket.on('data', (c: Buffer) => {
    if (!stream.push(c)) socket.pause();
  });
  socket.on('end', () => stream.push(null));
  socket.on('close', () => stream.destroy());
  // What Node's servers ask of a socket beyond a stream; the idle limit is the real socket's.
  return Object.assign(stream, { setTimeout: () => stream, setNoDelay: () => stream, setKeepAlive: () => stream });
}

export class VirtualInternet {
  private hosts = new Set<string>();
  private ca: PublicCa | null = null;
  private contexts = new Map<string, Promise<SecureContext>>();
  private server: Server | null = null;
  private http: HttpServer | null = null;
  private https: HttpsServer | null = null;
  private sockets = new Set<Socket>();
  private boundPort = 0;
  private listeners = new Set<(r: ServedRequest) => void>();
  private keptBytes = 0;
  /** Every request the stand-in servers answered, oldest first. */
  readonly requests: ServedRequest[] = [];

  constructor(options: VirtualInternetOptions = {}) {
    for (const h of options.hosts ?? []) this.addHost(h);
  }

  /** Makes a hostname resolve to the stand-in server. */
  addHost(host: string): void {
    const h = host.toLowerCase();
    if (!HOSTNAME.test(h)) throw new Error(`not a hostname: ${host}`);
    this.hosts.add(h);
  }

  resolves(host: string): boolean {
    return this.hosts.has(host.toLowerCase());
  }

  get port(): number {
    return this.boundPort;
  }

  /** The public CA's certificate (PEM): the phone's system store trusts it; an intercepting proxy's upstream must too. */
  get caPem(): string {
    if (!this.ca) throw new Error('the virtual internet is not started');
    return this.ca.certPem;
  }

  async start(): Promise<void> {
    if (this.server) return;
    this.ca = await createPublicCa();
    const handle = (req: IncomingMessage, res: ServerResponse): void => this.serve(req, res);
    this.http = createHttpServer({ maxHeaderSize: 16 * 1024 }, handle);
    this.https = createHttpsServer({ maxHeaderSize: 16 * 1024, SNICallback: (name, cb) => this.contextFor(name).then((c) => cb(null, c), (err: Error) => cb(err)) }, handle);
    for (const s of [this.http, this.https]) {
      s.on('clientError', (_err, socket) => socket.destroy());
      // A client that sends its request and half-closes (HTTP/1.0 style, or a proxy passing the phone's FIN on)
      // still gets its answer, as from a real server; Node's servers otherwise drop the request at the FIN.
      (s as unknown as { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
    }
    this.https.on('tlsClientError', (_err, socket) => socket.destroy());
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const addr = server.address();
        this.boundPort = typeof addr === 'object' && addr ? addr.port : 0;
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Called with every request as it is answered (tests wait on it). */
  onRequest(listener: (r: ServedRequest) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Opens a connection to `host:port` in the virtual world: a hostname it serves reaches the stand-in server
   * whatever the port; any other fails as a lookup of an unknown name does (ENOTFOUND).
   */
  readonly connector: UpstreamConnector = (host, port) => {
    // No Nagle either side: a request written as head then body otherwise waits out the peer's delayed ACK (~40 ms).
    if (this.server && this.resolves(host)) return connect({ port: this.boundPort, host: '127.0.0.1', noDelay: true });
    const failed = new Duplex({ read() {}, write(_c, _e, cb) { cb(); } });
    const err = Object.assign(new Error(this.server ? `getaddrinfo ENOTFOUND ${host}` : 'the virtual internet is not running'), { code: this.server ? 'ENOTFOUND' : 'ECONNREFUSED', hostname: host, port });
    process.nextTick(() => failed.destroy(err));
    return failed;
  };

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    // The first byte tells a TLS client hello (a handshake record, 0x16) from a plain HTTP request. Node's
    // servers read a socket's handle directly, past anything unshifted: they are given the socket as a plain
    // stream that replays the byte read.
    socket.once('data', (first: Buffer) => {
      (first[0] === 0x16 ? this.https : this.http)?.emit('connection', replaying(socket, first));
    });
  }

  private contextFor(name: string): Promise<SecureContext> {
    const host = name.toLowerCase();
    if (!this.resolves(host)) return Promise.reject(new Error(`no server for ${name}`));
    let ctx = this.contexts.get(host);
    if (!ctx) {
      ctx = this.ca!.issue(host).then(({ certPem, keyPem }) => createSecureContext({ cert: certPem + this.ca!.certPem, key: keyPem }));
      this.contexts.set(host, ctx);
    }
    return ctx;
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const at = Date.now();
    const chunks: Buffer[] = [];
    let kept = 0;
    let truncated = false;
    req.on('data', (c: Buffer) => {
      if (kept >= MAX_KEPT_BODY) return void (truncated = true);
      const part = c.subarray(0, MAX_KEPT_BODY - kept);
      if (part.length < c.length) truncated = true;
      chunks.push(part);
      kept += part.length;
    });
    req.on('end', () => {
      const tlsSocket = req.socket as TLSSocket;
      const isTls = tlsSocket.encrypted === true;
      const servername = isTls && typeof tlsSocket.servername === 'string' ? tlsSocket.servername : null;
      const host = (req.headers.host ?? '').replace(isTls ? /:443$/ : /:80$/, '');
      const headers: [string, string][] = [];
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      const record: ServedRequest = { at, tls: isTls, sni: servername, host, method: req.method ?? '', target: req.url ?? '', headers, body: Buffer.concat(chunks), truncated };
      this.requests.push(record);
      this.keptBytes += record.body.length;
      let drop = 0;
      while (drop < this.requests.length - 1 && (this.requests.length - drop > MAX_REQUESTS || this.keptBytes > MAX_KEPT_TOTAL)) this.keptBytes -= this.requests[drop++]!.body.length;
      if (drop) this.requests.splice(0, drop);
      for (const l of this.listeners) l(record);
      // What an SDK's collector answers: a small JSON acknowledgement.
      const body = Buffer.from('{"code":0,"msg":"ok"}');
      res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': body.length, Server: 'Tengine' });
      res.end(body);
    });
  }
}
