/**
 * The proxy's front: one listener, Node's HTTP parser (llhttp) for request heads, and the admission of each
 * connection — Wi-Fi mode's allow-list (`not-the-phone`), the connection limit (`too-many-connections`), the
 * handshake timeout until the first request head, the idle timeout, header limits (`headers-too-large`, 431)
 * and malformed heads (`malformed`, 400). Requests go to http-forward.ts, CONNECT to connect-tunnel.ts,
 * upgrades to upgrade.ts. No socket handler throws: each one's failure closes that socket, the proxy serves on.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ProxyStartOptions, RunningProxy } from '../contracts.js';
import { WorkbenchError } from '../../errors.js';
import { answerAndClose } from './answers.js';
import { handleConnect } from './connect-tunnel.js';
import type { ClientConnection, ProxyContext } from './context.js';
import { forwardRequest } from './http-forward.js';
import { handleUpgrade } from './upgrade.js';

/** `::ffff:192.168.1.20` → `192.168.1.20`: how allow-lists and events name a client. */
export function plainAddress(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}

export async function listen(ctx: ProxyContext, options: ProxyStartOptions): Promise<RunningProxy> {
  const { limits } = ctx;
  const allowed = options.allowedClients ? new Set(options.allowedClients.map(plainAddress)) : null;
  const connections = new Map<Socket, ClientConnection>();
  let total = 0;

  const server: Server = createServer({
    maxHeaderSize: limits.maxHeaderBytes,
    // Heads after the first on a kept-alive connection; the first is timed by our own handshake timer.
    headersTimeout: limits.handshakeTimeoutMs,
    requestTimeout: 0,
    keepAliveTimeout: limits.idleTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, limits.handshakeTimeoutMs),
    requireHostHeader: false,
    noDelay: true,
  });
  // Node would keep only the first 2,000 headers silently; the byte limit bounds them instead.
  server.maxHeadersCount = 0;
  server.timeout = limits.idleTimeoutMs;

  server.on('connection', (socket: Socket) => {
    const address = plainAddress(socket.remoteAddress);
    if (allowed && !allowed.has(address)) {
      ctx.refuse('not-the-phone', address, `${address}:${socket.remotePort ?? 0} is not the phone (Wi-Fi mode serves only ${[...allowed].join(', ')})`);
      socket.destroy();
      return;
    }
    if (connections.size >= limits.maxConnections) {
      ctx.refuse('too-many-connections', address, `${limits.maxConnections} connections already open`);
      socket.destroy();
      return;
    }
    total++;
    const conn: ClientConnection = { socket, address, port: socket.remotePort ?? 0, acceptedAt: Date.now(), handshakeTimer: null, release: null };
    connections.set(socket, conn);
    conn.handshakeTimer = setTimeout(() => handshakeExpired(ctx, conn), limits.handshakeTimeoutMs);
    socket.on('error', () => {}); // reported where it matters (tunnels, flows); never fatal here
    socket.once('close', () => {
      clearHandshake(conn);
      connections.delete(socket);
      conn.release?.();
    });
  });

  const guard = (what: string, conn: ClientConnection | undefined, f: (c: ClientConnection) => void): void => {
    if (!conn) return;
    clearHandshake(conn);
    try {
      f(conn);
    } catch (err) {
      console.error(`proxy: ${what} failed:`, err);
      conn.socket.destroy();
    }
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) =>
    guard('request', connections.get(req.socket), (c) => forwardRequest(ctx, c, req, res)));
  server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) =>
    guard('CONNECT', connections.get(socket), (c) => handleConnect(ctx, c, req, head)));
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) =>
    guard('upgrade', connections.get(socket), (c) => handleUpgrade(ctx, c, req, head)));
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const conn = connections.get(socket);
    // Node's own head timeout is checked on an interval and can beat our handshake timer on the first head;
    // that timer decides (a client that sent nothing is closed without an event), Node's covers later heads.
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' && conn?.handshakeTimer) return;
    if (conn) clearHandshake(conn);
    clientError(ctx, conn, err, socket);
  });

  await new Promise<void>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException): void => reject(new WorkbenchError('network.proxy-failed', `proxy cannot listen on ${options.bindAddress}:${options.port}: ${err.message}`, { message: `${options.bindAddress}:${options.port}: ${err.code ?? err.message}` }));
    server.once('error', failed);
    // A deep accept queue: under a burst of connections, those past the limit are accepted and refused at once
    // instead of waiting in the kernel for SYN-ACK retries (1 s, 3 s, 7 s…) — legitimate ones too.
    server.listen({ host: options.bindAddress, port: options.port, backlog: 2048 }, () => {
      server.removeListener('error', failed);
      resolve();
    });
  });
  // After listening, an accept failure (out of file descriptors under a flood) must not stop the proxy.
  server.on('error', (err) => console.error('proxy: listener error:', err.message));

  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : options.port;
  let stopping: Promise<void> | null = null;
  return {
    address: options.bindAddress,
    port,
    stats: () => ({ open: connections.size, total, refused: ctx.refusals.total }),
    stop: () =>
      (stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        const sockets = [...connections.keys()].map((s) => new Promise<void>((resolve) => (s.closed ? resolve() : (s.once('close', () => resolve()), s.destroy()))));
        await Promise.all([closed, ...sockets, ctx.closeAll()]);
        await ctx.interceptor?.stop();
        // Every flow opened has its end reported before stop() resolves.
        await ctx.finishAll();
        ctx.refusals.flush();
      })()),
  };
}

function clearHandshake(conn: ClientConnection): void {
  if (conn.handshakeTimer) clearTimeout(conn.handshakeTimer);
  conn.handshakeTimer = null;
}

/**
 * No complete request head within the handshake time. A socket that sent nothing is a preconnect the client
 * never used: closed without an event. One that sent part of a head is refused as malformed.
 */
function handshakeExpired(ctx: ProxyContext, conn: ClientConnection): void {
  conn.handshakeTimer = null;
  const got = conn.socket.bytesRead;
  if (got > 0) ctx.refuse('malformed', conn, `no complete request head within ${ctx.limits.handshakeTimeoutMs} ms (${got} bytes received)`);
  if (got > 0) answerAndClose(conn.socket, 408, 'Request Timeout', 'The request head did not arrive in time.');
  else conn.socket.destroy();
}

function clientError(ctx: ProxyContext, conn: ClientConnection | undefined, err: NodeJS.ErrnoException, socket: Socket): void {
  const code = err.code ?? '';
  const client = conn ?? `${socket.remoteAddress ?? ''}`;
  // A response is being written (the error came mid-stream) or the client is simply gone, possibly in the
  // middle of a head (HPE_INVALID_EOF_STATE: it closed, nothing was refused): close, no event.
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'HPE_INVALID_EOF_STATE' || !socket.writable || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  if (code === 'HPE_HEADER_OVERFLOW') {
    ctx.refuse('headers-too-large', client, `request head over ${ctx.limits.maxHeaderBytes} bytes`);
    answerAndClose(socket, 431, 'Request Header Fields Too Large', `The request head is over ${ctx.limits.maxHeaderBytes} bytes.`);
    return;
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    ctx.refuse('malformed', client, `no complete request head within ${ctx.limits.handshakeTimeoutMs} ms`);
    answerAndClose(socket, 408, 'Request Timeout', 'The request head did not arrive in time.');
    return;
  }
  ctx.refuse('malformed', client, `not an HTTP request head (${code || err.message})`);
  answerAndClose(socket, 400, 'Bad Request', 'The proxy could not read this request.');
}
