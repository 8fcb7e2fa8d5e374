/**
 * The front and the interceptor together (after merging net-intercept): a CONNECT whose destination the
 * session chose is handed, after the client hello, to the interceptor with the session CA. A client trusting
 * that CA gets the real server's answer and the exchange is reported on the tunnel's flow with both bodies;
 * a client that does not trust it fails its handshake, the flow's end says so, and the proxy serves on.
 * Destinations not chosen are still tunnelled untouched.
 */
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProxy, SessionCa } from '../../../../../src-main/core/network/contracts.js';
import { startProxy } from '../../../../../src-main/core/network/proxy/index.js';
import { createSessionCa } from '../../../../../src-main/core/network/proxy/session-ca.js';
import { Recorder, dial, readHead } from '../../../../support/proxy-harness.js';
import { makeDestinationCa, resolverFor, startDestination, type Destination, type DestinationCa } from '../../../../support/tls-destination.js';

const CHOSEN = 'collect.sdk.test';
const OTHER = 'cdn.other.test';
let sessionCa: SessionCa;
let destCa: DestinationCa;
let chosen: Destination;
let other: Destination;
let proxy: RunningProxy | null = null;

beforeAll(async () => {
  sessionCa = await createSessionCa();
  destCa = makeDestinationCa();
  chosen = await startDestination(destCa, CHOSEN);
  other = await startDestination(destCa, OTHER);
});
afterAll(async () => {
  await chosen.close();
  await other.close();
  destCa.dispose();
});
afterEach(async () => {
  await proxy?.stop();
  proxy = null;
});

async function start(rec: Recorder): Promise<RunningProxy> {
  proxy = await startProxy({
    mode: 'usb', bindAddress: '127.0.0.1', port: 0, allowedClients: null,
    intercept: (host) => host === CHOSEN, ca: sessionCa,
    upstream: resolverFor({ [CHOSEN]: chosen.port, [OTHER]: other.port }), upstreamTrustedCas: [destCa.certPem],
  }, rec);
  return proxy;
}

/** CONNECT host:443 then TLS with SNI, trusting `ca`; resolves with the TLS socket or the handshake's error. */
async function tlsThrough(p: RunningProxy, host: string, ca: string): Promise<TLSSocket | Error> {
  const raw = await dial(p.port);
  raw.write(`CONNECT ${host}:443 HTTP/1.1\r\nHost: ${host}:443\r\n\r\n`);
  expect(await readHead(raw)).toMatch(/^HTTP\/1\.1 200 /);
  const secure = tlsConnect({ socket: raw, servername: host, ca, ALPNProtocols: ['http/1.1'] });
  return new Promise((resolve) => {
    secure.once('secureConnect', () => resolve(secure));
    secure.once('error', (err) => resolve(err));
  });
}

async function post(secure: TLSSocket, host: string, path: string, body: string): Promise<string> {
  secure.write(`POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  let answer = '';
  secure.on('data', (c: Buffer) => (answer += c.toString()));
  await new Promise((r) => secure.once('close', r));
  return answer;
}

describe('interception through the front', () => {
  it('intercepts a chosen destination for a client trusting the session CA: exchange on the flow with both bodies', async () => {
    const rec = new Recorder();
    const p = await start(rec);
    const secure = await tlsThrough(p, CHOSEN, sessionCa.certPem);
    if (secure instanceof Error) throw secure;
    // The phone sees the session CA's certificate for the host, not the destination's.
    expect(secure.getPeerCertificate().issuer.CN).not.toBe('Virtual Internet Test CA');
    const body = JSON.stringify({ androidId: 'a1b2c3d4e5f60718' });
    const answer = await post(secure, CHOSEN, '/v1/report?ts=1', body);
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    expect(answer).toContain(`"host":"${CHOSEN}"`);

    await rec.until(() => rec.closedList.length === 1 && rec.exchanges.length === 1, 15_000);
    const opened = rec.openedList[0]!;
    expect(opened).toMatchObject({ via: 'connect', host: CHOSEN, port: 443, sni: CHOSEN, tls: true, intercepted: true });
    const x = rec.exchanges[0]!;
    expect(x).toMatchObject({ flowId: opened.flowId, method: 'POST', status: 201 });
    expect(x.url).toBe(`https://${CHOSEN}/v1/report?ts=1`);
    expect(x.requestBody?.bytes.toString()).toBe(body);
    expect(JSON.parse(x.responseBody!.bytes.toString())).toMatchObject({ host: CHOSEN, method: 'POST', body });
    const closed = rec.closedList[0]!;
    expect(closed).toMatchObject({ flowId: opened.flowId, error: null });
    expect(closed.bytesUp).toBeGreaterThan(body.length);
    // The flow's end comes after its exchange (the interceptor reports it after the tunnel closed, at times).
    expect(rec.log).toEqual([`opened:${opened.flowId}`, `exchange:${opened.flowId}`, `closed:${opened.flowId}`]);
    expect(chosen.seen.some((r) => r.path === '/v1/report?ts=1' && r.body.toString() === body)).toBe(true);
  });

  it('a client not trusting the session CA fails its handshake, the flow ends with the TLS failure, the proxy serves on', async () => {
    const rec = new Recorder();
    const p = await start(rec);
    const t = performance.now();
    const refused = await tlsThrough(p, CHOSEN, destCa.certPem); // trusts the real CA only, as a targetSdk ≥ 24 app
    expect(refused).toBeInstanceOf(Error);
    expect((refused as NodeJS.ErrnoException).code).toMatch(/UNABLE_TO_VERIFY|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
    await rec.until(() => rec.closedList.length === 1, 15_000);
    expect(performance.now() - t).toBeLessThan(5000);
    const opened = rec.openedList[0]!;
    expect(opened).toMatchObject({ host: CHOSEN, tls: true, intercepted: true });
    expect(rec.closedList[0]).toMatchObject({ flowId: opened.flowId, error: expect.stringMatching(/^tls: /) });
    expect(rec.exchanges).toHaveLength(0);

    const secure = await tlsThrough(p, CHOSEN, sessionCa.certPem);
    if (secure instanceof Error) throw secure;
    expect(await post(secure, CHOSEN, '/after', '{}')).toMatch(/^HTTP\/1\.1 201 /);
  });

  it('tunnels a destination not chosen untouched even with a CA: the real certificate, intercepted false', async () => {
    const rec = new Recorder();
    const p = await start(rec);
    const secure = await tlsThrough(p, OTHER, destCa.certPem);
    if (secure instanceof Error) throw secure;
    expect(secure.getPeerCertificate().issuer.CN).toBe('Virtual Internet Test CA');
    expect(await post(secure, OTHER, '/plain', 'x')).toMatch(/^HTTP\/1\.1 201 /);
    await rec.until(() => rec.closedList.length === 1);
    expect(rec.openedList[0]).toMatchObject({ host: OTHER, sni: OTHER, tls: true, intercepted: false });
    expect(rec.exchanges).toHaveLength(0);
  });
});
