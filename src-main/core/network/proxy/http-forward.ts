/**
 * A plain HTTP proxy request (`GET http://host/path HTTP/1.1`): forwarded upstream on the client's pool
 * (http-flows.ts), the response streamed back, and the exchange reported once both ends are done — headers
 * as the phone and the server sent them, bodies captured as they stream (first bytes kept, size and SHA-256
 * of the whole), so an upload of any size passes with bounded memory.
 */
import { request, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { CapturedBody, HttpExchange } from '../contracts.js';
import { BodyCapture } from './body-capture.js';
import type { ClientConnection, ProxyContext } from './context.js';
import { forwardable, hasHeader, pairs } from './headers.js';
import { FlowPool, flowOf } from './http-flows.js';
import { clip, parseAbsoluteUrl, type HttpTarget } from './target.js';
import { failureText } from './upstream.js';

const pools = new WeakMap<ClientConnection, FlowPool>();

function poolOf(ctx: ProxyContext, conn: ClientConnection): FlowPool {
  let pool = pools.get(conn);
  if (!pool) {
    const created = new FlowPool(ctx, conn);
    pools.set(conn, created);
    conn.release = () => created.destroy();
    pool = created;
  }
  return pool;
}

function answer(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `${text}\n`;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body);
}

/** No body byte passed (a GET, a 204): "no body" rather than an empty one. */
function orNull(body: BodyCapture): CapturedBody | null {
  return body.bytesSeen === 0 ? null : body.finish();
}

export function forwardRequest(ctx: ProxyContext, conn: ClientConnection, req: IncomingMessage, res: ServerResponse): void {
  const target = parseAbsoluteUrl(req.url ?? '');
  if (!target) {
    ctx.refuse('malformed', conn, `not a proxy request (absolute http:// URL expected): ${clip(`${req.method ?? ''} ${req.url ?? ''}`)}`);
    req.resume();
    answer(res, 400, 'This is an HTTP proxy: send absolute http:// URLs, or CONNECT for TLS.');
    return;
  }
  new Exchange(ctx, conn, req, res, target).start();
}

class Exchange {
  private readonly startedAt = Date.now();
  private readonly t0 = performance.now();
  private readonly requestBody: BodyCapture;
  private readonly responseBody: BodyCapture;
  private upstream: ClientRequest | null = null;
  private response: IncomingMessage | null = null;
  private flowId: string | null = null;
  private failed = false;
  private reported = false;

  constructor(
    private readonly ctx: ProxyContext,
    private readonly conn: ClientConnection,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly target: HttpTarget,
  ) {
    this.requestBody = new BodyCapture(ctx.limits.keepBodyBytes);
    this.responseBody = new BodyCapture(ctx.limits.keepBodyBytes);
  }

  start(): void {
    const { req, res, target } = this;
    // Expect: 100-continue was answered by this proxy's server already; the body follows regardless.
    const headers = forwardable(req.rawHeaders, ['expect']);
    if (!hasHeader(headers, 'host')) headers.push('Host', target.port === 80 ? target.host : `${target.host}:${target.port}`);
    let up: ClientRequest;
    try {
      up = request({ agent: poolOf(this.ctx, this.conn), host: target.host, port: target.port, method: req.method, path: target.path, headers, setHost: false });
    } catch (err) {
      // Node refuses a path or header it cannot send (a character HTTP forbids): the client's request is malformed.
      this.ctx.refuse('malformed', this.conn, `${clip(target.url)}: ${failureText(err)}`);
      req.resume();
      answer(res, 400, 'The proxy cannot forward this request as written.');
      return;
    }
    this.upstream = up;
    res.sendDate = false;
    up.on('socket', (s) => (this.flowId = flowOf(s)));
    up.on('response', (r) => this.respond(r));
    up.on('error', (err) => this.upstreamFailed(err));
    req.on('data', (c: Buffer) => this.requestBody.add(c));
    req.on('error', () => up.destroy());
    req.pipe(up);
    res.on('close', () => this.finish());
  }

  private respond(upRes: IncomingMessage): void {
    const { res } = this;
    this.response = upRes;
    upRes.on('data', (c: Buffer) => this.responseBody.add(c));
    upRes.on('error', () => res.destroy());
    upRes.on('aborted', () => res.destroy());
    try {
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, forwardable(upRes.rawHeaders, ['transfer-encoding']));
    } catch (err) {
      // A header Node will not write on (invalid characters): the phone gets a 502 and the exchange says why.
      this.ctx.refuse('upstream-failed', this.conn, `${clip(this.target.url)}: unforwardable response: ${failureText(err)}`, `${this.target.host}:${this.target.port}`);
      upRes.destroy();
      answer(res, 502, 'The upstream server sent a response the proxy cannot forward.');
      return;
    }
    upRes.pipe(res);
  }

  private upstreamFailed(err: Error): void {
    if (this.response) {
      // The response had started: the phone's copy is cut short the same way.
      this.res.destroy();
      return;
    }
    this.failed = true;
    this.ctx.refuse('upstream-failed', this.conn, `${this.target.host}:${this.target.port}: ${failureText(err)}`, `${this.target.host}:${this.target.port}`);
    this.req.resume();
    answer(this.res, 502, `The proxy could not reach ${this.target.host}:${this.target.port}.`);
  }

  /** Once, when the phone's response is finished or abandoned. */
  private finish(): void {
    if (this.reported) return;
    this.reported = true;
    const up = this.upstream;
    if (up && !this.response?.complete) up.destroy();
    // Nothing reached a server (it could not be reached, or the phone gave up before it was): no exchange.
    if ((this.failed && !this.response) || !this.flowId) return;
    const { req, response } = this;
    const x: HttpExchange = {
      flowId: this.flowId,
      requestId: this.ctx.newFlowId(),
      startedAt: this.startedAt,
      method: req.method ?? '',
      url: this.target.url,
      httpVersion: req.httpVersion,
      status: response?.statusCode ?? null,
      requestHeaders: pairs(req.rawHeaders),
      responseHeaders: response ? pairs(response.rawHeaders) : [],
      requestBody: orNull(this.requestBody),
      responseBody: orNull(this.responseBody),
      durationMs: Math.round(performance.now() - this.t0),
    };
    this.ctx.observer.exchange(x);
  }
}
