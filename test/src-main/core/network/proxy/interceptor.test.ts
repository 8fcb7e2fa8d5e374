/**
 * The interceptor on real sockets: a client that trusts the session CA talks HTTPS (HTTP/1.1, HTTP/2, WebSocket)
 * to a name the test resolver maps to a local HTTPS server with its own openssl-made CA; the interceptor is handed
 * each connection as the proxy front hands it a tunnel. What the client and the destination see, and what the
 * interceptor reports, are checked against each other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import http2 from 'node:http2';
import tls from 'node:tls';
import WebSocket from 'ws';
import { createInterceptor } from '../../../../../src-main/core/network/proxy/interceptor.js';
import { createSessionCa } from '../../../../../src-main/core/network/proxy/session-ca.js';
import type { HttpExchange, Interceptor, ProxyLimits, SessionCa } from '../../../../../src-main/core/network/contracts.js';
import { listeningAddresses } from '../../../../support/socket-count.js';
import { bigBody, makeDestinationCa, resolverFor, startDestination, startFrontStandIn, type Destination, type DestinationCa, type FrontStandIn } from '../../../../support/tls-destination.js';

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
  const failureKnownAtSettle = new Map<string, string | null>();

  beforeAll(async () => {
    sessionCa = await createSessionCa();
    destCa = makeDestinationCa();
    dest = await startDestination(destCa, HOST);
    resolver = resolverFor({ [HOST]: dest.port });
    rec = recorder();
    interceptor = await createInterceptor({ ca: sessionCa, upstream: resolver, upstreamTrustedCas: [destCa.certPem], limits: LIMITS, exchange: rec.exchange, tlsFailed: rec.tlsFailed });
    // What the proxy front reads when handle() settles: the TLS failure must already be known then.
    front = await startFrontStandIn(() => interceptor, { host: HOST, port: 443 }, (flowId) => {
      failureKnownAtSettle.set(flowId, rec.tlsFailures.find((f) => f.flowId === flowId)?.cause ?? null);
    });
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

  it('HTTP/2 (ALPN h2): the exchange says httpVersion 2 and carries the :authority request', async () => {
    const session = http2.connect(`https://${HOST}`, { createConnection: () => tlsTo(front, { ca: sessionCa.certPem, alpn: ['h2'] }) });
    try {
      const { status, body } = await new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
        const req = session.request({ ':method': 'POST', ':path': '/h2/upload', 'content-type': 'text/plain' });
        const chunks: Buffer[] = [];
        let status = 0;
        req.on('response', (h) => (status = Number(h[':status'])));
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => resolve({ status, body: Buffer.concat(chunks) }));
        req.on('error', reject);
        req.end('imei=864512031234567');
      });
      expect(status).toBe(201);
      expect(JSON.parse(body.toString('utf8'))).toMatchObject({ host: HOST, path: '/h2/upload', body: 'imei=864512031234567' });
    } finally {
      session.close();
    }
    await rec.waitFor(() => rec.exchanges.some((x) => x.url.endsWith('/h2/upload')), 'the h2 exchange');
    const x = rec.exchanges.find((e) => e.url.endsWith('/h2/upload'))!;
    expect(x).toMatchObject({ flowId: front.flows.at(-1), method: 'POST', url: `https://${HOST}/h2/upload`, httpVersion: '2.0', status: 201 });
    expect(x.requestHeaders.find(([k]) => k === ':authority')?.[1]).toMatch(new RegExp(`^${HOST.replace(/\./g, '\\.')}(:443)?$`));
    expect(x.requestBody!.bytes.toString('utf8')).toBe('imei=864512031234567');
  });

  it('WebSocket inside the tunnel: messages pass both ways and the exchange carries them as bodies', async () => {
    const ws = new WebSocket(`wss://${HOST}/ws`, { createConnection: () => tlsTo(front, { ca: sessionCa.certPem }) });
    const replies: string[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => {
        ws.send('hello');
        ws.send('oaid=4f7e-aa');
      });
      ws.on('message', (d) => {
        replies.push(String(d));
        if (replies.length === 2) ws.close(1000, 'done');
      });
      ws.on('close', () => resolve());
      ws.on('error', reject);
    });
    expect(replies).toEqual(['echo:hello', 'echo:oaid=4f7e-aa']);
    await rec.waitFor(() => rec.exchanges.some((x) => x.url.endsWith('/ws')), 'the websocket exchange');
    const x = rec.exchanges.find((e) => e.url.endsWith('/ws'))!;
    expect(x).toMatchObject({ flowId: front.flows.at(-1), method: 'GET', url: `wss://${HOST}/ws`, status: 101 });
    expect(x.requestBody!.bytes.toString('utf8')).toBe('hellooaid=4f7e-aa');
    expect(x.responseBody!.bytes.toString('utf8')).toBe('echo:helloecho:oaid=4f7e-aa');
  });

  it('a Node client that does not trust the session CA (it drops the connection without an alert): tlsFailed, nothing reported, the next client served', async () => {
    const before = rec.exchanges.length;
    const err = await new Promise<Error>((resolve) => {
      const s = tlsTo(front, {});
      s.on('secureConnect', () => resolve(new Error('connected without trusting the CA')));
      s.on('error', resolve);
    });
    expect((err as NodeJS.ErrnoException).code).toMatch(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    const flowId = front.flows.at(-1)!;
    await rec.waitFor(() => rec.tlsFailures.some((f) => f.flowId === flowId), 'tlsFailed');
    expect(rec.tlsFailures.find((f) => f.flowId === flowId)!.cause).toMatch(/^(reset|closed)$/);
    // The phone closed first; handle() settled only after the cause was reported.
    await rec.waitFor(() => front.settled.includes(flowId), 'handle() to settle');
    expect(failureKnownAtSettle.get(flowId)).toMatch(/^(reset|closed)$/);
    expect(rec.exchanges.length).toBe(before);
    const res = await h1(front, sessionCa.certPem, 'GET', '/after-refusal');
    expect(res.status).toBe(201);
  });

  it('OpenSSL trusting only the session CA accepts the certificate the interceptor shows for the host (chain and name)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-ca-'));
    try {
      writeFileSync(join(dir, 'session-ca.pem'), sessionCa.certPem);
      const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const p = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${front.port}`, '-servername', HOST, '-verify_return_error', '-verify_hostname', HOST, '-CAfile', join(dir, 'session-ca.pem'), '-ign_eof'], { stdio: ['pipe', 'pipe', 'ignore'] });
        let stdout = '';
        p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        p.on('close', (code) => resolve({ code, stdout }));
        p.stdin.end('GET /seen-by-openssl HTTP/1.1\r\nHost: ' + HOST + '\r\nConnection: close\r\n\r\n');
      });
      expect(out.stdout).toMatch(/Verify return code: 0 \(ok\)/);
      expect(out.stdout).toMatch(new RegExp(`\nsubject=.*CN = ${HOST.replace(/\./g, '\\.')}\n`));
      expect(out.stdout).toMatch(/\nissuer=CN = AppRights Workbench session CA /);
      expect(out.stdout).toMatch(/HTTP\/1\.1 201 /);
      expect(out.code).toBe(0);
      await rec.waitFor(() => rec.exchanges.some((x) => x.url === `https://${HOST}/seen-by-openssl`), 'the exchange');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an OpenSSL client that does not trust the session CA (it sends an "unknown CA" alert, as BoringSSL on Android does): tlsFailed cert-rejected', async () => {
    const flowsBefore = front.flows.length;
    const out = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${front.port}`, '-servername', HOST, '-verify_return_error', '-CAfile', destCa.caFile], { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      p.on('close', (code) => resolve({ code, stderr }));
      p.stdin.end();
    });
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/self[- ]signed certificate in certificate chain|unable to get local issuer certificate/);
    await rec.waitFor(() => front.flows.length > flowsBefore, 'the connection');
    const flowId = front.flows.at(-1)!;
    await rec.waitFor(() => rec.tlsFailures.some((f) => f.flowId === flowId), 'tlsFailed');
    expect(rec.tlsFailures.find((f) => f.flowId === flowId)!.cause).toBe('cert-rejected');
    await rec.waitFor(() => front.settled.includes(flowId), 'handle() to settle');
    expect(failureKnownAtSettle.get(flowId)).toBe('cert-rejected');
  });

  it('a 200 MB response: streamed to the phone, memory bounded, size and SHA-256 of the whole, bytes cut at the cap', async () => {
    const size = 200 * 1024 * 1024;
    const expected = bigBody(size);
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakBuffers = base.arrayBuffers;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
    }, 20);
    const t0 = performance.now();
    const got = await new Promise<{ status: number; size: number; sha256: string }>((resolve, reject) => {
      const req = http.request({ method: 'GET', path: `/big/${size}`, headers: { host: HOST }, createConnection: () => tlsTo(front, { ca: sessionCa.certPem }) }, (res) => {
        const hash = createHash('sha256');
        let n = 0;
        res.on('data', (c: Buffer) => {
          n += c.length;
          hash.update(c);
        });
        res.on('end', () => resolve({ status: res.statusCode!, size: n, sha256: hash.digest('hex') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    const elapsed = performance.now() - t0;
    await rec.waitFor(() => rec.exchanges.some((x) => x.url.endsWith(`/big/${size}`)), 'the big exchange');
    clearInterval(sampler);
    expect(got).toEqual({ status: 200, size, sha256: expected.sha256 });
    const x = rec.exchanges.find((e) => e.url.endsWith(`/big/${size}`))!;
    expect(x.status).toBe(200);
    expect(x.responseBody!.size).toBe(size);
    expect(x.responseBody!.sha256).toBe(expected.sha256);
    expect(x.responseBody!.truncated).toBe(true);
    expect(x.responseBody!.bytes.length).toBe(LIMITS.keepBodyBytes);
    expect(x.responseBody!.bytes.equals(firstBytes(expected.block, LIMITS.keepBodyBytes))).toBe(true);
    const mb = (n: number): number => Math.round(n / 1024 / 1024);
    console.log(`200 MB through the interceptor in ${Math.round(elapsed)} ms; peak growth: rss ${mb(peakRss - base.rss)} MiB, Buffers ${mb(peakBuffers - base.arrayBuffers)} MiB`);
    // Client, interceptor and destination share this process: all three sides' buffers count here.
    expect(peakBuffers - base.arrayBuffers).toBeLessThan(64 * 1024 * 1024);
    expect(peakRss - base.rss).toBeLessThan(160 * 1024 * 1024);
  }, 120_000);

  it('a 100 MB upload: reaches the destination whole, the request body reported as size, SHA-256 and the first bytes only', async () => {
    const size = 100 * 1024 * 1024;
    const body = bigBody(size);
    const base = process.memoryUsage().arrayBuffers;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 20);
    const answer = await new Promise<{ size: number; sha256: string }>((resolve, reject) => {
      const req = http.request({ method: 'PUT', path: '/sink', headers: { host: HOST, 'content-type': 'application/octet-stream' }, createConnection: () => tlsTo(front, { ca: sessionCa.certPem }) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { size: number; sha256: string }));
      });
      req.on('error', reject);
      void (async () => {
        for await (const part of body.stream()) if (!req.write(part)) await new Promise((r) => req.once('drain', r));
        req.end();
      })();
    });
    await rec.waitFor(() => rec.exchanges.some((x) => x.method === 'PUT' && x.url.endsWith('/sink')), 'the upload exchange');
    clearInterval(sampler);
    expect(answer).toEqual({ size, sha256: body.sha256 });
    const x = rec.exchanges.find((e) => e.method === 'PUT' && e.url.endsWith('/sink'))!;
    expect(x.status).toBe(200);
    expect(x.requestBody).toMatchObject({ size, sha256: body.sha256, truncated: true });
    expect(x.requestBody!.bytes.equals(firstBytes(body.block, LIMITS.keepBodyBytes))).toBe(true);
    console.log(`100 MB upload: peak Buffer growth ${Math.round((peak - base) / 1024 / 1024)} MiB`);
    expect(peak - base).toBeLessThan(64 * 1024 * 1024);
  }, 120_000);
});

describe('interceptor: the way out, and its own footprint', () => {
  let sessionCa: SessionCa;
  let destCa: DestinationCa;
  let dest: Destination;

  beforeAll(async () => {
    sessionCa = await createSessionCa();
    destCa = makeDestinationCa();
    dest = await startDestination(destCa, HOST);
  });

  afterAll(async () => {
    await dest?.close();
    destCa?.dispose();
  });

  async function withInterceptor<T>(o: { trusted: string[]; names: Record<string, number> }, work: (front: FrontStandIn, rec: ReturnType<typeof recorder>) => Promise<T>): Promise<T> {
    const rec = recorder();
    const interceptor = await createInterceptor({ ca: sessionCa, upstream: resolverFor(o.names), upstreamTrustedCas: o.trusted, limits: LIMITS, exchange: rec.exchange, tlsFailed: rec.tlsFailed });
    const front = await startFrontStandIn(() => interceptor, { host: HOST, port: 443 });
    try {
      return await work(front, rec);
    } finally {
      await front.close();
      await interceptor.stop();
    }
  }

  it('a destination whose certificate the workbench does not trust: the phone\'s connection fails, the destination gets nothing, the attempt is reported with its body and no status', async () => {
    const seenBefore = dest.seen.length;
    await withInterceptor({ trusted: [], names: { [HOST]: dest.port } }, async (front, rec) => {
      await expect(h1(front, sessionCa.certPem, 'POST', '/untrusted-destination', Buffer.from('mac=02:00:00:44:55:66'))).rejects.toThrow(/socket hang up|ECONNRESET/);
      await rec.waitFor(() => rec.exchanges.length === 1, 'the failed exchange');
      expect(rec.exchanges[0]).toMatchObject({ flowId: front.flows[0], method: 'POST', url: `https://${HOST}/untrusted-destination`, status: null, responseBody: null });
      expect(rec.exchanges[0]!.requestBody!.bytes.toString('utf8')).toBe('mac=02:00:00:44:55:66');
    });
    expect(dest.seen.length).toBe(seenBefore);
  });

  it('a name the resolver does not know: the phone\'s connection fails, reported with no status', async () => {
    await withInterceptor({ trusted: [destCa.certPem], names: {} }, async (front, rec) => {
      await expect(h1(front, sessionCa.certPem, 'GET', '/nowhere')).rejects.toThrow(/socket hang up|ECONNRESET/);
      await rec.waitFor(() => rec.exchanges.length === 1, 'the failed exchange');
      expect(rec.exchanges[0]).toMatchObject({ flowId: front.flows[0], url: `https://${HOST}/nowhere`, status: null });
    });
  });

  it('listens on 127.0.0.1 only (mockttp alone would listen on every interface), and stop() closes its listeners and open tunnels', async () => {
    const before = new Set(listeningAddresses());
    const rec = recorder();
    const interceptor = await createInterceptor({ ca: sessionCa, upstream: resolverFor({ [HOST]: dest.port }), upstreamTrustedCas: [destCa.certPem], limits: LIMITS, exchange: rec.exchange, tlsFailed: rec.tlsFailed });
    const front = await startFrontStandIn(() => interceptor, { host: HOST, port: 443 });
    try {
      const added = listeningAddresses().filter((a) => !before.has(a) && a !== `127.0.0.1 ${front.port}`);
      expect(added.length).toBeGreaterThanOrEqual(2); // mockttp and the upstream relay
      expect(added.filter((a) => !a.startsWith('127.0.0.1 '))).toEqual([]);

      // An HTTP/2 session stays open after its request; stop() must end it.
      const session = http2.connect(`https://${HOST}`, { createConnection: () => tlsTo(front, { ca: sessionCa.certPem, alpn: ['h2'] }) });
      const closed = new Promise<void>((r) => session.once('close', () => r()));
      session.on('error', () => undefined);
      await new Promise<void>((resolve, reject) => {
        const req = session.request({ ':path': '/kept-open' });
        req.on('data', () => undefined);
        req.on('end', () => resolve());
        req.on('error', reject);
        req.end();
      });
      // A WebSocket still open at stop is reported with what passed so far.
      const ws = new WebSocket(`wss://${HOST}/ws`, { createConnection: () => tlsTo(front, { ca: sessionCa.certPem }) });
      const wsClosed = new Promise<void>((r) => ws.once('close', () => r()));
      ws.on('error', () => undefined);
      await new Promise<void>((resolve) => {
        ws.once('open', () => ws.send('ssid=lab-wifi'));
        ws.once('message', () => resolve());
      });
      const t0 = performance.now();
      await interceptor.stop();
      await closed;
      await wsClosed;
      expect(performance.now() - t0).toBeLessThan(5000);
      expect(listeningAddresses().filter((a) => !before.has(a) && a !== `127.0.0.1 ${front.port}`)).toEqual([]);
      const reported = rec.exchanges.length;
      expect(reported).toBe(2);
      const open = rec.exchanges.find((x) => x.url.endsWith('/ws'))!;
      expect(open).toMatchObject({ status: 101, durationMs: null });
      expect(open.requestBody!.bytes.toString('utf8')).toBe('ssid=lab-wifi');
      // A tunnel handed over after stop is refused at once, as a failed handshake, not a crash.
      await expect(h1(front, sessionCa.certPem, 'GET', '/after-stop')).rejects.toThrow();
      expect(rec.tlsFailures.at(-1)).toEqual({ flowId: front.flows.at(-1), cause: 'interceptor-stopped' });
      expect(rec.exchanges.length).toBe(reported);
    } finally {
      await front.close();
      await interceptor.stop();
    }
  });
});

function firstBytes(block: Buffer, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let p = 0; p < n; p += block.length) block.copy(out, p, 0, Math.min(block.length, n - p));
  return out;
}
