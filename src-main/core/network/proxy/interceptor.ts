/**
 * TLS interception of the tunnels the proxy front chose (on mockttp, HTTP Toolkit's engine): each tunnel is
 * handed, with the bytes already read from it, to one mockttp instance of this interceptor, which presents a
 * certificate for the host signed by the session CA, speaks HTTP/1.1, HTTP/2 (ALPN h2) and WebSocket with the
 * phone, and passes every request on through the upstream relay (the session's `UpstreamConnector`), verifying
 * the destination's certificate. Each exchange comes back as an `HttpExchange` with the tunnel's flowId.
 *
 * What mockttp would otherwise do that we do not let it: listen on every interface (its `listen` is replaced by
 * one bound to 127.0.0.1), buffer bodies (recordTraffic off, no whole-body listeners, maxBodySize = the kept
 * bytes — bodies are read from its streaming body-data events into a BodyCapture), start an admin server
 * (getLocal only). Flows are tagged through mockttp's CONNECT socket metadata and, as a fallback, by the local
 * port of our loopback connection to it (mockttp's TLS failure events carry no tags).
 *
 * What the reports are: bodies as they crossed the tunnel, chunked framing removed but Content-Encoding (gzip,
 * br) left as sent — the headers say which; a WebSocket is one exchange, reported when it closes (or at stop),
 * the phone's messages one after another as its request body and the destination's as its response body. The
 * phone's HTTP/2 is answered in HTTP/2, but passed on in HTTP/1.1 (mockttp never uses HTTP/2 through an upstream
 * proxy). A request Node's parser refuses inside the tunnel (headers over its 16 KiB) is answered 431 by mockttp
 * and not reported.
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { getLocal, type Mockttp, type MockttpOptions } from 'mockttp';
import type { HttpExchange, Interceptor, InterceptorOptions } from '../contracts.js';
import { BodyCapture } from './body-capture.js';
import { defaultConnector, startUpstreamRelay } from './upstream-relay.js';

const FLOW_TAG = 'socket-metadata:flow:';
/** Longest reply mockttp gives to our CONNECT ("HTTP/1.1 200 OK\r\n\r\n"); more is not mockttp. */
const MAX_CONNECT_REPLY = 1024;
/**
 * After a tunnel closes, how long its exchanges may still be waiting for mockttp's last events (they arrive on
 * setImmediate, body data in 20 ms batches). An exchange with no end and no abort by then is reported as it is.
 */
const FLUSH_AFTER_CLOSE_MS = 1000;
/**
 * Event-loop turns after a tunnel closes before `handle()` settles. When the phone refuses our certificate it
 * closes first; mockttp learns of it when it reads the close on its own socket (the next turn's poll) and reports
 * on setImmediate (that turn's check phase). Counted in turns, not milliseconds, so a slow machine cannot reorder it.
 */
const SETTLE_TURNS = 4;

function afterTurns(n: number, then: () => void): void {
  if (n <= 0) then();
  else setImmediate(() => afterTurns(n - 1, then));
}

interface PendingExchange {
  flowId: string;
  requestId: string;
  startedAt: number;
  t0: number;
  method: string;
  url: string;
  httpVersion: string;
  requestHeaders: [string, string][];
  requestBody: BodyCapture;
  requestEnded: boolean;
  status: number | null;
  responseHeaders: [string, string][];
  responseBody: BodyCapture | null;
  responseEnded: boolean;
}

interface PendingWebSocket {
  flowId: string;
  requestId: string;
  startedAt: number;
  t0: number;
  url: string;
  httpVersion: string;
  requestHeaders: [string, string][];
  status: number | null;
  responseHeaders: [string, string][];
  /** Messages from the phone, one after another, as the exchange's request body. */
  fromPhone: BodyCapture;
  /** Messages to the phone, as its response body. */
  toPhone: BodyCapture;
}

type MockttpWithListen = Mockttp & { listen?: unknown };

/** mockttp 4.7 listens on every interface and has no option against it; its private listen is replaced. */
function bindToLoopback(server: Mockttp): void {
  const listen = async (s: net.Server): Promise<number> => {
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        s.off('error', reject);
        resolve();
      });
    });
    s.on('error', () => undefined);
    return (s.address() as net.AddressInfo).port;
  };
  if (typeof (server as MockttpWithListen).listen !== 'function') {
    throw new Error('mockttp changed: it has no listen() to bind to 127.0.0.1; check the interceptor before upgrading it');
  }
  Object.defineProperty(server, 'listen', { value: listen });
}

function flowOf(tags: readonly string[], remotePort: number | undefined, byPort: Map<number, string>): string | null {
  const tag = tags.find((t) => t.startsWith(FLOW_TAG));
  if (tag) return tag.slice(FLOW_TAG.length);
  return remotePort !== undefined ? byPort.get(remotePort) ?? null : null;
}

function headerPairs(raw: readonly (readonly [string, string])[]): [string, string][] {
  return raw.map(([k, v]) => [String(k), String(v)]);
}

function authority(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function createInterceptor(opts: InterceptorOptions): Promise<Interceptor> {
  const { limits } = opts;
  const relay = await startUpstreamRelay({
    connect: opts.upstream ?? defaultConnector,
    maxHeaderBytes: limits.maxHeaderBytes,
    handshakeTimeoutMs: limits.handshakeTimeoutMs,
    idleTimeoutMs: limits.idleTimeoutMs,
  });
  const options: MockttpOptions = {
    https: { key: opts.ca.keyPem, cert: opts.ca.certPem },
    http2: true,
    recordTraffic: false,
    // Nothing here asks mockttp for a whole body; if some path still does, it holds no more than we keep.
    maxBodySize: limits.keepBodyBytes,
    suggestChanges: false,
    cors: false,
    debug: false,
  };
  const server = getLocal(options);
  bindToLoopback(server);
  const passThrough = {
    proxyConfig: { proxyUrl: relay.proxyUrl },
    additionalTrustedCAs: (opts.upstreamTrustedCas ?? []).map((cert) => ({ cert })),
    // The phone sees a failed destination as a failed connection, as it would without us — not a mockttp 502 page.
    simulateConnectionErrors: true,
  };
  try {
    await server.start();
    await server.forAnyRequest().thenPassThrough(passThrough);
    await server.forAnyWebSocket().thenPassThrough(passThrough);
  } catch (err) {
    await Promise.allSettled([server.stop(), relay.close()]);
    throw err;
  }
  const port = server.port;

  let stopped = false;
  const byPort = new Map<number, string>();
  const tunnels = new Set<Duplex>();
  const exchanges = new Map<string, PendingExchange>();
  const sockets = new Map<string, PendingWebSocket>();

  const report = (x: HttpExchange): void => {
    if (stopped) return;
    try {
      opts.exchange(x);
    } catch {
      // The observer's failure is its own; the tunnel and the other exchanges go on.
    }
  };

  const finishExchange = (p: PendingExchange): void => {
    exchanges.delete(p.requestId);
    report({
      flowId: p.flowId, requestId: p.requestId, startedAt: p.startedAt, method: p.method, url: p.url, httpVersion: p.httpVersion,
      status: p.status, requestHeaders: p.requestHeaders, responseHeaders: p.responseHeaders,
      requestBody: p.requestBody.finish(), responseBody: p.responseBody?.finish() ?? null,
      durationMs: p.requestEnded && p.responseEnded ? Math.round(performance.now() - p.t0) : null,
    });
  };

  const finishWebSocket = (w: PendingWebSocket, closed: boolean): void => {
    sockets.delete(w.requestId);
    report({
      flowId: w.flowId, requestId: w.requestId, startedAt: w.startedAt, method: 'GET', url: w.url, httpVersion: w.httpVersion,
      status: w.status, requestHeaders: w.requestHeaders, responseHeaders: w.responseHeaders,
      requestBody: w.fromPhone.finish(), responseBody: w.toPhone.finish(),
      durationMs: closed ? Math.round(performance.now() - w.t0) : null,
    });
  };

  await server.on('request-initiated', (req) => {
    const flowId = flowOf(req.tags, req.remotePort, byPort);
    if (!flowId || stopped) return; // not one of our tunnels (another local process using the port)
    exchanges.set(req.id, {
      flowId, requestId: req.id, startedAt: req.timingEvents.startTime, t0: performance.now(),
      method: req.method, url: req.url, httpVersion: req.httpVersion, requestHeaders: headerPairs(req.rawHeaders),
      requestBody: new BodyCapture(limits.keepBodyBytes), requestEnded: false,
      status: null, responseHeaders: [], responseBody: null, responseEnded: false,
    });
  });
  await server.on('request-body-data', (d) => {
    const p = exchanges.get(d.id);
    if (!p) return;
    p.requestBody.add(d.content);
    if (d.isEnded) {
      p.requestEnded = true;
      if (p.responseEnded) finishExchange(p);
    }
  });
  await server.on('response-initiated', (res) => {
    const p = exchanges.get(res.id);
    if (!p) return;
    p.status = res.statusCode;
    p.responseHeaders = headerPairs(res.rawHeaders);
    p.responseBody = new BodyCapture(limits.keepBodyBytes);
  });
  await server.on('response-body-data', (d) => {
    const p = exchanges.get(d.id);
    if (!p) return;
    (p.responseBody ??= new BodyCapture(limits.keepBodyBytes)).add(d.content);
    if (d.isEnded) {
      p.responseEnded = true;
      if (p.requestEnded) finishExchange(p);
    }
  });
  await server.on('abort', (req) => {
    const p = exchanges.get(req.id);
    if (p) finishExchange(p);
    const w = sockets.get(req.id);
    if (w) finishWebSocket(w, false);
  });

  await server.on('websocket-request', (req) => {
    const flowId = flowOf(req.tags, req.remotePort, byPort);
    if (!flowId || stopped) return;
    sockets.set(req.id, {
      flowId, requestId: req.id, startedAt: req.timingEvents.startTime, t0: performance.now(),
      url: req.url, httpVersion: req.httpVersion, requestHeaders: headerPairs(req.rawHeaders), status: null, responseHeaders: [],
      fromPhone: new BodyCapture(limits.keepBodyBytes), toPhone: new BodyCapture(limits.keepBodyBytes),
    });
  });
  await server.on('websocket-accepted', (res) => {
    const w = sockets.get(res.id);
    if (!w) return;
    w.status = res.statusCode;
    w.responseHeaders = headerPairs(res.rawHeaders);
  });
  await server.on('websocket-message-received', (m) => sockets.get(m.streamId)?.fromPhone.add(m.content));
  await server.on('websocket-message-sent', (m) => sockets.get(m.streamId)?.toPhone.add(m.content));
  await server.on('websocket-close', (c) => {
    const w = sockets.get(c.streamId);
    if (w) finishWebSocket(w, true);
  });

  await server.on('tls-client-error', (failure) => {
    const flowId = flowOf(failure.tags, failure.remotePort, byPort);
    if (!flowId || stopped) return;
    try {
      opts.tlsFailed(flowId, failure.failureCause);
    } catch {
      // as report()
    }
  });

  /** Reports what is still open on a closed tunnel, once mockttp's last events for it have had their time. */
  const flushFlow = (flowId: string): void => {
    setTimeout(() => {
      for (const p of [...exchanges.values()]) if (p.flowId === flowId) finishExchange(p);
      for (const w of [...sockets.values()]) if (w.flowId === flowId) finishWebSocket(w, false);
    }, FLUSH_AFTER_CLOSE_MS).unref();
  };

  const handle = (client: Duplex, target: { host: string; port: number }, flowId: string, head: Buffer): Promise<void> => {
    if (client.destroyed) return Promise.resolve(); // the phone went away before we got it: nothing to intercept
    return new Promise<void>((settled) => tunnel(client, target, flowId, head, settled));
  };

  const tunnel = (client: Duplex, target: { host: string; port: number }, flowId: string, head: Buffer, settled: () => void): void => {
    let failed = false;
    const fail = (cause: string): void => {
      client.destroy();
      if (failed) return;
      failed = true;
      try {
        opts.tlsFailed(flowId, cause);
      } catch {
        // as report()
      }
    };
    if (stopped || !/^[A-Za-z0-9_.:-]+$/.test(target.host) || !Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
      fail(stopped ? 'interceptor-stopped' : 'bad-target');
      return settled();
    }
    const inner = net.connect({ host: '127.0.0.1', port });
    // Settled once both sides are closed and mockttp has had its turns to say why (see SETTLE_TURNS).
    let open = 2;
    const sideClosed = (): void => {
      if (--open === 0) afterTurns(SETTLE_TURNS, settled);
    };
    client.once('close', sideClosed);
    inner.once('close', sideClosed);
    tunnels.add(client);
    tunnels.add(inner);
    client.on('error', () => inner.destroy());
    inner.on('error', () => client.destroy());
    client.once('close', () => {
      tunnels.delete(client);
      inner.destroy();
    });
    inner.once('close', () => {
      tunnels.delete(inner);
      client.destroy();
      flushFlow(flowId);
    });
    inner.setTimeout(limits.handshakeTimeoutMs, () => fail('handshake-timeout'));
    inner.once('connect', () => {
      const localPort = inner.localPort!;
      byPort.set(localPort, flowId);
      // Kept a while after close: mockttp reports a refused handshake on setImmediate, maybe after our side closed.
      inner.once('close', () => setTimeout(() => {
        if (byPort.get(localPort) === flowId) byPort.delete(localPort);
      }, FLUSH_AFTER_CLOSE_MS).unref());
      const hostPort = authority(target.host, target.port);
      const metadata = Buffer.from(`metadata:${JSON.stringify({ tags: [`flow:${flowId}`] })}`).toString('base64');
      inner.write(`CONNECT ${hostPort} HTTP/1.1\r\nHost: ${hostPort}\r\nProxy-Authorization: Basic ${metadata}\r\n\r\n`);
    });
    let reply = Buffer.alloc(0);
    const onReply = (chunk: Buffer): void => {
      reply = Buffer.concat([reply, chunk]);
      const end = reply.indexOf('\r\n\r\n');
      if (end < 0) {
        if (reply.length > MAX_CONNECT_REPLY) fail('interceptor-refused');
        return;
      }
      inner.off('data', onReply);
      if (!/^HTTP\/1\.[01] 200 /.test(reply.toString('latin1', 0, Math.min(end, 64)))) return fail('interceptor-refused');
      inner.setTimeout(limits.idleTimeoutMs, () => {
        inner.destroy();
        client.destroy();
      });
      const extra = reply.subarray(end + 4);
      if (extra.length) client.write(extra);
      if (head.length) inner.write(head);
      client.pipe(inner);
      inner.pipe(client);
    };
    inner.on('data', onReply);
  };

  const stop = async (): Promise<void> => {
    if (stopped) return;
    // What is still open is reported as it stands, before the sockets go.
    for (const p of [...exchanges.values()]) finishExchange(p);
    for (const w of [...sockets.values()]) finishWebSocket(w, false);
    stopped = true;
    for (const s of tunnels) s.destroy();
    tunnels.clear();
    await Promise.allSettled([server.stop(), relay.close()]);
  };

  return { handle, stop };
}
