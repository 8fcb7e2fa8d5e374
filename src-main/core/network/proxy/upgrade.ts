/**
 * An HTTP Upgrade on a plain proxy request (`GET http://host/chat` with `Upgrade: websocket`): the request
 * head is written upstream as the phone sent it (origin-form), then bytes flow both ways untouched — the 101
 * and every frame after it — counted at the upstream side (what the server saw). The exchange (request head,
 * status and response head) is reported once the response head has passed. Upgrades to other protocols
 * (h2c) travel the same way, reported as plain HTTP flows.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpExchange } from '../contracts.js';
import { answerAndClose } from './answers.js';
import type { ClientConnection, ProxyContext } from './context.js';
import { forwardable, hasHeader, pairs } from './headers.js';
import { meter } from './meter.js';
import { clip, parseAbsoluteUrl, type HttpTarget } from './target.js';
import { openTunnel } from './tunnel.js';
import { failureText, whenConnected } from './upstream.js';

export function handleUpgrade(ctx: ProxyContext, conn: ClientConnection, req: IncomingMessage, head: Buffer): void {
  const client = conn.socket;
  const target = parseAbsoluteUrl(req.url ?? '');
  if (!target) {
    ctx.refuse('malformed', conn, `not a proxy request (absolute http:// URL expected): ${clip(`${req.method ?? ''} ${req.url ?? ''}`)}`);
    answerAndClose(client, 400, 'Bad Request', 'This is an HTTP proxy: send absolute http:// URLs.');
    return;
  }
  client.on('timeout', () => client.destroy());
  ctx.run('upgrade', client, upgrade(ctx, conn, req, head, target));
}

async function upgrade(ctx: ProxyContext, conn: ClientConnection, req: IncomingMessage, head: Buffer, target: HttpTarget): Promise<void> {
  const client = conn.socket;
  const startedAt = Date.now();
  const t0 = performance.now();
  let upstream: Duplex;
  try {
    upstream = await whenConnected(ctx.upstream, target.host, target.port, ctx.limits.handshakeTimeoutMs);
  } catch (err) {
    ctx.refuse('upstream-failed', conn, `${target.host}:${target.port}: ${failureText(err)}`, `${target.host}:${target.port}`);
    answerAndClose(client, 502, 'Bad Gateway', `The proxy could not reach ${target.host}:${target.port}.`);
    return;
  }
  ctx.hold(upstream);
  if (client.destroyed) {
    upstream.destroy();
    return;
  }
  const flowId = ctx.newFlowId();
  const websocket = /(^|,)\s*websocket\s*(,|$)/i.test(String(req.headers.upgrade ?? ''));
  const bytes = meter(upstream);
  ctx.observer.opened({ flowId, via: websocket ? 'websocket' : 'http', host: target.host, port: target.port, sni: null, tls: false, intercepted: false, clientAddress: conn.address, clientPort: conn.port, openedAt: startedAt });

  const headers = forwardable(req.rawHeaders, [], ['connection', 'upgrade']);
  if (!hasHeader(headers, 'host')) headers.push('Host', target.port === 80 ? target.host : `${target.host}:${target.port}`);
  let text = `${req.method ?? 'GET'} ${target.path} HTTP/${req.httpVersion}\r\n`;
  for (let i = 0; i + 1 < headers.length; i += 2) text += `${headers[i]!}: ${headers[i + 1]!}\r\n`;
  const tunnel = openTunnel(client, upstream);
  watchResponseHead(upstream, ctx.limits.maxHeaderBytes, (status, responseHeaders) => {
    const x: HttpExchange = {
      flowId, requestId: ctx.newFlowId(), startedAt, method: req.method ?? 'GET', url: target.url, httpVersion: req.httpVersion,
      status, requestHeaders: pairs(req.rawHeaders), responseHeaders, requestBody: null, responseBody: null, durationMs: Math.round(performance.now() - t0),
    };
    ctx.observer.exchange(x);
  });
  tunnel.release(Buffer.concat([Buffer.from(`${text}\r\n`, 'latin1'), head]));
  const error = await tunnel.closed;
  const b = bytes();
  ctx.observer.closed({ flowId, bytesUp: b.written, bytesDown: b.read, durationMs: Date.now() - startedAt, error });
}

/**
 * Reads (never consumes) the upstream's response head as it passes: status and headers, once. A head
 * longer than `max` or not HTTP is not reported (the bytes still pass).
 */
function watchResponseHead(upstream: Duplex, max: number, done: (status: number | null, headers: [string, string][]) => void): void {
  let seen = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    seen = Buffer.concat([seen, chunk]);
    const end = seen.indexOf('\r\n\r\n');
    if (end < 0 && seen.length <= max) return;
    upstream.removeListener('data', onData);
    upstream.removeListener('close', onClose);
    if (end < 0) return;
    const lines = seen.subarray(0, end).toString('latin1').split('\r\n');
    const status = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(lines[0] ?? '');
    const headers: [string, string][] = [];
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
    }
    done(status ? Number(status[1]) : null, headers);
  };
  const onClose = (): void => {
    upstream.removeListener('data', onData);
  };
  upstream.on('data', onData);
  upstream.once('close', onClose);
}
