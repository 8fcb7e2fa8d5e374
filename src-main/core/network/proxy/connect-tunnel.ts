/**
 * CONNECT: the phone asks for a tunnel to host:port. Tunnels are carried untouched by default — the proxy
 * connects upstream first (a failure is answered 502, not a 200 that then drops), answers "200 Connection
 * established", reads the client's first bytes (TLS client hello → SNI) and reports the flow. Tunnels the
 * session chose to intercept go to the Interceptor after the hello, which connects upstream itself.
 *
 * Bytes are counted on the phone's socket from after the CONNECT head (up) and after the 200 (down): what the
 * phone sent into and received from the tunnel.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { answerAndClose } from './answers.js';
import type { ClientConnection, ProxyContext } from './context.js';
import { readFirstBytes, type FirstBytes } from './client-hello.js';
import { clip, parseAuthority, type Target } from './target.js';
import { openTunnel } from './tunnel.js';
import { failureText, whenConnected } from './upstream.js';

const ESTABLISHED = 'HTTP/1.1 200 Connection established\r\n\r\n';
/** The interceptor reports on a tunnel up to a second after it closed (interceptor.ts, FLUSH_AFTER_CLOSE_MS). */
const INTERCEPTOR_SETTLE_MS = 1100;

interface TunnelStart {
  ctx: ProxyContext;
  conn: ClientConnection;
  target: Target;
  head: Buffer;
  openedAt: number;
  /** client.bytesRead and bytesWritten where the tunnel's own bytes begin. */
  baseRead: number;
  baseWritten: number;
}

export function handleConnect(ctx: ProxyContext, conn: ClientConnection, req: IncomingMessage, head: Buffer): void {
  const client = conn.socket;
  const target = parseAuthority(req.url ?? '');
  if (!target) {
    ctx.refuse('malformed', conn, `CONNECT target is not host:port: ${clip(req.url ?? '')}`);
    answerAndClose(client, 400, 'Bad Request', 'The CONNECT target must be host:port.');
    return;
  }
  // After a CONNECT the HTTP server no longer watches the socket: the idle timeout is ours to act on.
  client.on('timeout', () => client.destroy());
  const start = { ctx, conn, target, head, openedAt: Date.now(), baseRead: client.bytesRead - head.length, baseWritten: 0 };
  ctx.run('CONNECT', client, ctx.interceptor && ctx.intercept(target.host, target.port) ? intercepted(start) : tunnelled(start));
}

async function tunnelled(s: TunnelStart): Promise<void> {
  const { ctx, conn, target } = s;
  const client = conn.socket;
  let upstream: Duplex;
  try {
    upstream = await whenConnected(ctx.upstream, target.host, target.port, ctx.limits.handshakeTimeoutMs);
  } catch (err) {
    ctx.refuse('upstream-failed', conn, `${target.host}:${target.port}: ${failureText(err)}`, `${target.host}:${target.port}`);
    answerAndClose(client, 502, 'Bad Gateway', `The proxy could not connect to ${target.host}:${target.port}.`);
    return;
  }
  ctx.hold(upstream);
  if (client.destroyed) {
    upstream.destroy();
    return;
  }
  client.write(ESTABLISHED);
  s.baseWritten = client.bytesWritten;
  const tunnel = openTunnel(client, upstream);
  const first = await readFirstBytes(client, s.head, ctx.limits.handshakeTimeoutMs);
  if (first.kind === 'bad-tls') {
    refuseHello(s, first.detail);
    upstream.destroy();
    return;
  }
  const flowId = report(s, first, false);
  tunnel.release(first.bytes);
  const error = await tunnel.closed;
  closed(s, flowId, error);
}

async function intercepted(s: TunnelStart): Promise<void> {
  const { ctx, conn, target } = s;
  const client = conn.socket;
  client.write(ESTABLISHED);
  s.baseWritten = client.bytesWritten;
  const first = await readFirstBytes(client, s.head, ctx.limits.handshakeTimeoutMs);
  if (first.kind === 'bad-tls') return refuseHello(s, first.detail);
  if (first.kind === 'not-tls') return lateTunnel(s, first);
  const flowId = report(s, first, true);
  let error: string | null = null;
  client.on('error', (err: NodeJS.ErrnoException) => (error ??= `client: ${err.code ?? err.message}`));
  const done = new Promise<void>((resolve) => (client.closed ? resolve() : client.once('close', () => resolve())));
  // handle() settles once the tunnel is closed and a refused handshake's cause is known (interceptor.ts).
  const handled = ctx.interceptor!.handle(client, target, flowId, first.bytes);
  await done;
  const end = ends(s);
  await handled;
  // mockttp tells of the tunnel's last exchanges shortly after it closed: the flow's end is reported after them,
  // with the TLS failure as its error.
  await ctx.settle(INTERCEPTOR_SETTLE_MS);
  const tlsFailure = ctx.tlsFailures.get(flowId);
  ctx.tlsFailures.delete(flowId);
  ctx.observer.closed({ flowId, ...end, error: tlsFailure ? `tls: ${tlsFailure}` : error });
}

/** Chosen for interception but not TLS: tunnelled untouched, connected only now (the 200 is already sent). */
async function lateTunnel(s: TunnelStart, first: FirstBytes): Promise<void> {
  const { ctx, conn, target } = s;
  let upstream: Duplex;
  try {
    upstream = await whenConnected(ctx.upstream, target.host, target.port, ctx.limits.handshakeTimeoutMs);
  } catch (err) {
    ctx.refuse('upstream-failed', conn, `${target.host}:${target.port}: ${failureText(err)}`, `${target.host}:${target.port}`);
    conn.socket.destroy();
    return;
  }
  ctx.hold(upstream);
  const tunnel = openTunnel(conn.socket, upstream);
  const flowId = report(s, first, false);
  tunnel.release(first.bytes);
  closed(s, flowId, await tunnel.closed);
}

function refuseHello(s: TunnelStart, detail: string): void {
  s.ctx.refuse('bad-tls-hello', s.conn, `${s.target.host}:${s.target.port}: ${detail}`, `${s.target.host}:${s.target.port}`);
  s.conn.socket.destroy();
}

function report(s: TunnelStart, first: FirstBytes, intercepted: boolean): string {
  const flowId = s.ctx.newFlowId();
  s.ctx.observer.opened({
    flowId,
    via: 'connect',
    host: s.target.host,
    port: s.target.port,
    sni: first.kind === 'tls' ? first.sni : null,
    tls: first.kind === 'tls',
    intercepted,
    clientAddress: s.conn.address,
    clientPort: s.conn.port,
    openedAt: s.openedAt,
  });
  return flowId;
}

/** The tunnel's bytes and length, read when it closed. */
function ends(s: TunnelStart): { bytesUp: number; bytesDown: number; durationMs: number } {
  const client: Socket = s.conn.socket;
  return { bytesUp: client.bytesRead - s.baseRead, bytesDown: client.bytesWritten - s.baseWritten, durationMs: Date.now() - s.openedAt };
}

function closed(s: TunnelStart, flowId: string, error: string | null): void {
  s.ctx.observer.closed({ flowId, ...ends(s), error });
}
