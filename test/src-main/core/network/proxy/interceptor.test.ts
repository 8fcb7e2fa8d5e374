/**
 * The interceptor on real sockets: a client that trusts the session CA talks HTTPS (HTTP/1.1, HTTP/2, WebSocket)
 * to a name the test resolver maps to a local HTTPS server with its own openssl-made CA; the interceptor is handed
 * each connection as the proxy front hands it a tunnel. What the client and the destination see, and what the
 * interceptor reports, are checked against each other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import http from 'node:http';
import tls from 'node:tls';
import { createInterceptor } from '../../../../../src-main/core/network/proxy/interceptor.js';
import { createSessionCa } from '../../../../../src-main/core/network/proxy/session-ca.js';
import type { HttpExchange, Interceptor, ProxyLimits, SessionCa } from '../../../../../src-main/core/network/contracts.js';
import { makeDestinationCa, resolverFor, startDestination, startFrontStandIn, type Destination, type DestinationCa, type FrontStandIn } from '../../../../support/tls-destination.js';

const HOST = 'api.sdk-stand-in.test';
const LIMITS: ProxyLimits = { maxConnections: 100, maxHeaderBytes: 32 * 1024, keepBodyBytes: 1024 * 1024, idleTimeoutMs: 30_000, handshakeTimeoutMs: 10_000 };

interface Recorded {
  exchanges: HttpExchange[];
  tlsFailures: { flowId: string; cause: string }[];
  waitFor(pred: () => boolean, what: string, ms?: number): Promise<void>;
}

function recorder(): Recorded & { exchange(x: HttpExchange): void; tlsFailed(flowId: string, cause: string): void } {
  const exchanges: HttpExchange[] = [];
  const tlsFailures: { flowId: string; cause: string }[] = [];
  return {
    exchanges, tlsFailures,
    exchange: (x) => exchanges.push(x),
    tlsFailed: (flowId, cause) => tlsFailures.push({ flowId, cause }),
    async waitFor(pred, what, ms = 10_000) {
      const end = Date.now() + ms;
      while (!pred()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

function tlsTo(front: FrontStandIn, o: { ca?: string; alpn?: string[] }): tls.TLSSocket {
  return tls.connect({ host: '127.0.0.1', port: front.port, servername: HOST, ...(o.ca ? { ca: o.ca } : {}), ALPNProtocols: o.alpn ?? ['http/1.1'] });
}

function h1(front: FrontStandIn, ca: string, method: string, path: string, body?: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ method, path, headers: { host: HOST, 'user-agent': 'okhttp/4.12.0' }, createConnection: () => tlsTo(front, { ca }) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('interceptor', () => {
  let sessionCa: SessionCa;
  let destCa: DestinationCa;
  let dest: Destination;
  let rec: ReturnType<typeof recorder>;
  let interceptor: Interceptor;
  let front: FrontStandIn;
  let resolver: ReturnType<typeof resolverFor>;

  beforeAll(async () => {
    sessionCa = await createSessionCa();
    destCa = makeDestinationCa();
    dest = await startDestination(destCa, HOST);
    resolver = resolverFor({ [HOST]: dest.port });
    rec = recorder();
    interceptor = await createInterceptor({ ca: sessionCa, upstream: resolver, upstreamTrustedCas: [destCa.certPem], limits: LIMITS, exchange: rec.exchange, tlsFailed: rec.tlsFailed });
    front = await startFrontStandIn(() => interceptor, { host: HOST, port: 443 });
  });

  afterAll(async () => {
    await front?.close();
    await interceptor?.stop();
    await dest?.close();
    destCa?.dispose();
  });

  it('HTTPS over HTTP/1.1: the phone gets the destination\'s answer, the exchange is reported with its flow, bodies and status', async () => {
    const sent = Buffer.from('{"androidId":"9774d56d682e549c"}');
    const res = await h1(front, sessionCa.certPem, 'POST', '/v1/report?x=1', sent);
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body.toString('utf8'))).toMatchObject({ host: HOST, method: 'POST', path: '/v1/report?x=1', httpVersion: '1.1', body: sent.toString('utf8') });
    expect(resolver.asked).toContain(`${HOST}:443`);

    await rec.waitFor(() => rec.exchanges.some((x) => x.url.endsWith('/v1/report?x=1')), 'the exchange');
    const x = rec.exchanges.find((e) => e.url.endsWith('/v1/report?x=1'))!;
    const flowId = front.flows.at(-1)!;
    expect(x).toMatchObject({ flowId, method: 'POST', url: `https://${HOST}/v1/report?x=1`, httpVersion: '1.1', status: 201 });
    expect(x.requestHeaders).toContainEqual(['user-agent', 'okhttp/4.12.0']);
    expect(x.responseHeaders).toContainEqual(['x-destination', HOST]);
    expect(x.requestBody).toEqual({ bytes: sent, size: sent.length, sha256: createHash('sha256').update(sent).digest('hex'), truncated: false });
    expect(x.responseBody!.bytes.equals(res.body)).toBe(true);
    expect(x.responseBody!.size).toBe(res.body.length);
    expect(x.durationMs).toBeGreaterThanOrEqual(0);
    expect(rec.tlsFailures).toEqual([]);
  });
});
