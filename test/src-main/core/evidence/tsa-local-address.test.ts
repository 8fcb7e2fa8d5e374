/**
 * The TSA request follows the same address rule as policy pages (net/guarded-request.ts): a TSA on a local or
 * private address is refused before any connection unless the host allows local addresses, and whatever
 * happens at a local address — refused by the rule, a closed port, a port that accepts and hangs up, a port
 * that never answers — the message is the same, so the TSA URL cannot be used to learn which local ports are
 * open. The local test TSA (openssl ts) still timestamps a package when allowed.
 */
import { mkdtempSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTimestamp, requestTimestamp } from '../../../../src-main/core/evidence/timestamp.js';
import { exportSession, makeSession, startTsa } from '../../../support/evidence-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'tsa-local-'));
const DATA = Buffer.from('manifest.json.p7s stand-in');
let tsa: Awaited<ReturnType<typeof startTsa>>;
const servers: TcpServer[] = [];
const sockets = new Set<Socket>();

/** A port that accepts and then does `behave` with each connection. */
async function tcpPort(behave: (s: Socket) => void): Promise<number> {
  const server = createTcpServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    behave(s);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

async function failure(url: string, o: { allowLocal?: boolean; timeoutMs?: number } = {}): Promise<string> {
  try {
    await requestTimestamp(url, DATA, o);
  } catch (err) {
    expect(err).toMatchObject({ code: 'evidence.tsa-failed' });
    return (err as Error).message;
  }
  throw new Error(`${url} gave a timestamp`);
}

beforeAll(async () => {
  tsa = await startTsa(join(root, 'tsa'));
});

afterAll(async () => {
  await tsa.close();
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe('a TSA at a local address', () => {
  it('is refused before any connection unless local addresses are allowed, then it timestamps', async () => {
    const refused = await failure(tsa.url);
    expect(refused).toMatch(/^the TSA is unreachable or not allowed: it is at a local or private address, which is used only when the workbench's host allows local addresses .*时间戳服务不可达或不被允许/);
    expect(await failure(tsa.url.replace('127.0.0.1', 'localhost'))).toBe(refused);
    expect(await failure(tsa.url.replace('127.0.0.1', '[::ffff:127.0.0.1]'))).toBe(refused);
    expect(tsa.requests).toBe(0);

    const token = await requestTimestamp(tsa.url, DATA, { allowLocal: true });
    expect(tsa.requests).toBe(1);
    expect(await checkTimestamp(token, DATA, null)).toMatchObject({ ok: true, tsaSubject: 'CN=Test TSA' });
  });

  it('says the same whether the port is open, closed, hangs up or never answers', async () => {
    const open = tsa.url;
    const closed = `http://127.0.0.1:${await closedPort()}/tsa`;
    const hangsUp = `http://127.0.0.1:${await tcpPort((s) => s.destroy())}/tsa`;
    const silent = `http://127.0.0.1:${await tcpPort(() => undefined)}/tsa`;
    const banner = `http://127.0.0.1:${await tcpPort((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n'))}/tsa`;
    const before = tsa.requests;
    const offMessages = await Promise.all([open, closed, hangsUp, silent, banner].map((u) => failure(u)));
    expect(new Set(offMessages).size).toBe(1);
    expect(tsa.requests).toBe(before);
    // Allowed, a port that is closed, hangs up, speaks something else or stays silent is still not told apart.
    const onMessages = await Promise.all([closed, hangsUp, silent, banner].map((u) => failure(u, { allowLocal: true, timeoutMs: 1500 })));
    expect(onMessages).toEqual(offMessages.slice(1));
  });

  it('the package is timestamped by the local test TSA only when allowed, and says why not otherwise', async () => {
    await makeSession(join(root, 's'));
    const off = await exportSession(join(root, 's'), join(root, 'off.zip'), join(root, 'data'), { tsaUrl: tsa.url });
    expect(off.timestamped).toBe(false);
    expect(off.warnings[0]).toMatch(/No trusted time: the TSA .* failed \(the TSA is unreachable or not allowed/);
    const on = await exportSession(join(root, 's'), join(root, 'on.zip'), join(root, 'data'), { tsaUrl: tsa.url, allowLocalTsa: true });
    expect(on.timestamped).toBe(true);
    expect(on.warnings).toEqual([]);
  });
});
