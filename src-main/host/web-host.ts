/**
 * Browser mode: serves the built renderer and the WebSocket API on 127.0.0.1 (another address only when
 * asked). A random token is required on every http request (query `token`, then an HttpOnly SameSite
 * cookie) and every WebSocket; the WebSocket also checks Origin. Messages are size-capped and validated
 * by the one dispatcher; garbage gets an error reply, never a crash.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { EVENT_NAMES, type EventBatch } from '../../src-preload/api.js';
import type { Dispatcher } from '../bridge/dispatcher.js';
import type { EventHub } from '../bridge/event-hub.js';
import { WorkbenchError, toBridgeError } from '../core/errors.js';
import { CONTENT_SECURITY_POLICY_HEADER } from './content-security-policy.js';

export const MAX_MESSAGE_BYTES = 1024 * 1024;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.otf': 'font/otf',
};

export interface WebHostOptions {
  rendererDir: string;
  dispatcher: Dispatcher;
  hub: EventHub;
  /** Where POST /upload streams files (APKs to install); absent: uploads are refused. */
  uploads?: {
    stageUpload(fileName: string, body: IncomingMessage, declaredSize: number | null): Promise<{ fileId: string; fileName: string; size: number }>;
    /** GET /download?file=ID serves only what the workbench made for the user (an exported package). */
    download(fileId: string): { path: string; fileName: string } | null;
  };
  host?: string;
  port?: number;
  token?: string;
}

function sameToken(a: string | undefined | null, b: string): boolean {
  if (!a || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** The token cookie is named per port: two workbenches in one browser do not overwrite each other's. */
function cookieName(port: number): string {
  return `wb_token_${port}`;
}

function cookieToken(req: IncomingMessage, port: number): string | undefined {
  const m = new RegExp(`(?:^|;\\s*)${cookieName(port)}=([A-Za-z0-9_-]+)`).exec(req.headers.cookie ?? '');
  return m?.[1];
}

/** A request target or Origin that does not parse is refused, never thrown (it comes before any token check). */
function parseUrl(value: string | undefined, base?: string): URL | null {
  try {
    return new URL(value ?? '/', base);
  } catch {
    return null;
  }
}

/** Bytes waiting in one client's socket past which its event batches are dropped, and past which it is closed. */
export const SOFT_LIMIT = 8 * 1024 * 1024;
export const HARD_LIMIT = 64 * 1024 * 1024;

export class WebHost {
  readonly token: string;
  private server: Server | null = null;
  private wss: WebSocketServer | null = null;
  /** The port it listens on (0 until started). */
  port = 0;

  constructor(private options: WebHostOptions) {
    this.token = options.token ?? randomBytes(24).toString('base64url');
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  get url(): string {
    const h = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${h}:${this.port}/?token=${this.token}`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      try {
        this.onRequest(req, res);
      } catch {
        // Nothing a client sends may take the server down.
        if (!res.headersSent) res.writeHead(400);
        res.end();
      }
    });
    const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
    server.on('upgrade', (req, socket, head) => {
      try {
        const url = parseUrl(req.url, 'http://x');
        // An empty ?token= (a page opened without it) falls back to the cookie.
        const token = url?.searchParams.get('token') || cookieToken(req, this.port);
        if (!url || url.pathname !== '/api' || !this.hostAllowed(req) || !sameToken(token, this.token) || !this.sameOrigin(req)) {
          socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
      } catch {
        socket.destroy();
      }
    });
    server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    this.server = server;
    this.wss = wss;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.host, () => resolve());
    });
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
  }

  async stop(): Promise<void> {
    for (const ws of this.wss?.clients ?? []) ws.terminate();
    this.wss?.close();
    const server = this.server;
    this.server = null;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A browser tab keeps connections alive; stopping must not wait for it to go away.
      server.closeAllConnections();
      await closed;
    }
  }

  /** Only the names this server is reached by (DNS-rebinding hardening): loopback names, or the --host given. */
  private hostAllowed(req: IncomingMessage): boolean {
    const host = (req.headers.host ?? '').toLowerCase();
    const names = new Set(['127.0.0.1', 'localhost', '[::1]', this.host.includes(':') ? `[${this.host}]` : this.host]);
    return [...names].some((n) => host === `${n}:${this.port}`);
  }

  /** No Origin (a non-browser client) or this server's own; a null or unparsable Origin is refused. */
  private sameOrigin(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    return parseUrl(origin)?.host === req.headers.host;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = parseUrl(req.url, 'http://x');
    if (!url || !this.hostAllowed(req)) {
      res.writeHead(url ? 421 : 400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(url ? 'This workbench is not served under that host name.\n' : 'Bad request.\n');
      return;
    }
    const queryToken = url.searchParams.get('token');
    const authorized = sameToken(queryToken, this.token) || sameToken(cookieToken(req, this.port), this.token);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    if (!authorized) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('401: open the address printed by `apprights serve` (it carries the access token).\n401：请使用 `apprights serve` 打印的地址（其中包含访问令牌）。\n');
      return;
    }
    if (req.method === 'POST' && url.pathname === '/upload' && this.options.uploads) {
      void this.onUpload(req, res, url);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (url.pathname === '/download' && this.options.uploads) {
      const file = this.options.uploads.download(url.searchParams.get('file') ?? '');
      if (!file || !existsSync(file.path)) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
        return;
      }
      res.writeHead(200, {
        'Content-Type': 'application/zip',
        'Content-Disposition': `attachment; filename="${file.fileName.replace(/[^\w.-]/g, '_')}"`,
        'Content-Length': statSync(file.path).size,
        'Cache-Control': 'no-store',
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file.path).pipe(res);
      return;
    }
    if (queryToken) {
      res.setHeader('Set-Cookie', `${cookieName(this.port)}=${this.token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (rel === '/' || rel === '') rel = '/index.html';
    const root = normalize(this.options.rendererDir);
    const file = normalize(join(root, rel));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY_HEADER,
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  }

  private async onUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    // Same-origin only: a page elsewhere cannot push files even if the cookie were sent.
    const origin = req.headers.origin;
    const reply = (outcome: unknown, status = 200): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(outcome));
    };
    if (origin !== undefined && !this.sameOrigin(req)) {
      reply({ ok: false, error: toBridgeError(new WorkbenchError('bridge.forbidden-sender', 'cross-origin upload refused')) }, 403);
      req.resume();
      return;
    }
    const declared = Number(req.headers['content-length']);
    try {
      const { fileId, fileName, size } = await this.options.uploads!.stageUpload(url.searchParams.get('name') ?? 'upload.apk', req, Number.isFinite(declared) ? declared : null);
      reply({ ok: true, value: { fileId, fileName, size } });
    } catch (err) {
      reply({ ok: false, error: toBridgeError(err) }, 400);
    }
  }

  private onSocket(ws: WebSocket): void {
    // A client that stops reading must not make this process buffer without end: past SOFT_LIMIT bytes waiting
    // in its socket, event batches for it are dropped (and counted); once it catches up it is told how many.
    // Answers to its calls are always queued; past HARD_LIMIT the client is closed (1013: try again later).
    let dropped = 0;
    const send = (msg: unknown, isEvent = false): void => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > HARD_LIMIT) {
        ws.close(1013, 'the client does not read its messages');
        return;
      }
      if (isEvent && ws.bufferedAmount > SOFT_LIMIT) {
        dropped++;
        return;
      }
      if (isEvent && dropped && ws.bufferedAmount < SOFT_LIMIT / 8) {
        const problem = toBridgeError(new WorkbenchError('bridge.slow-client', `This window fell behind: ${dropped} event batches were not delivered. Reload the page to see the current state.`, { dropped }));
        ws.send(JSON.stringify({ kind: 'events', batch: [{ event: 'problem', items: [problem] }] }));
        dropped = 0;
      }
      ws.send(JSON.stringify(msg));
    };
    // A new client starts with the current state of every stream.
    const initial: EventBatch = EVENT_NAMES.flatMap((event) => {
      const last = this.options.hub.last(event);
      return last === undefined || event === 'problem' ? [] : [{ event, items: [last] }];
    });
    if (initial.length) send({ kind: 'events', batch: initial });
    const events = this.options.hub.subscribe((batch) => send({ kind: 'events', batch }, true));
    ws.on('close', events.unsubscribe);
    ws.on('error', events.unsubscribe);
    ws.on('message', (data, isBinary) => {
      let id: unknown = null;
      void (async () => {
        try {
          if (isBinary) throw new WorkbenchError('bridge.malformed-message', 'binary messages are not accepted');
          const msg: unknown = JSON.parse(String(data));
          if (typeof msg !== 'object' || msg === null) throw new WorkbenchError('bridge.malformed-message', 'message must be an object');
          const m = msg as { id?: unknown; method?: unknown; args?: unknown };
          id = typeof m.id === 'number' || typeof m.id === 'string' ? m.id : null;
          if (id === null) throw new WorkbenchError('bridge.malformed-message', 'message needs an id');
          const outcome = await this.options.dispatcher.call(m.method, m.args);
          events.flush();
          send({ kind: 'result', id, outcome });
        } catch (err) {
          const error = err instanceof SyntaxError ? toBridgeError(new WorkbenchError('bridge.malformed-message', 'not JSON')) : toBridgeError(err);
          send({ kind: 'result', id, outcome: { ok: false, error } });
        }
      })();
    });
  }
}
