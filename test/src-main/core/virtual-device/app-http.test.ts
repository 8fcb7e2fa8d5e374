// The virtual phone's app HTTP client over the phone's network: direct to the virtual internet, through a
// proxy on the phone's loopback (what `adb reverse` gives), HTTPS through CONNECT with SNI, user CAs trusted only
// when the app would, failures as the Java exception lines an app logs, and bounded time on hostile servers.
// The virtual internet's certificates are checked by stock openssl.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as netConnect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sendAppRequest, type AppHttpRequest } from '../../../../src-main/core/virtual-device/android/app-http.js';
import { PhoneNetwork } from '../../../../src-main/core/virtual-device/android/phone-network.js';
import { SettingsStore } from '../../../../src-main/core/virtual-device/android/settings-store.js';
import { VirtualInternet } from '../../../../src-main/core/virtual-device/internet/virtual-internet.js';
import { createPublicCa } from '../../../../src-main/core/virtual-device/internet/public-ca.js';
import { startTestProxy, type TestProxy } from '../../../support/connect-proxy.js';

const HOSTS = ['ulogs.umeng.com', 'alogs.umeng.com', 'api.demo-shop.example'];
const APP_UID = 10231;
let internet: VirtualInternet;
/** An intercepting server: the same hostnames, certified by another CA (the one a tester installs as a user CA). */
let mitm: VirtualInternet;
let work: string;
const cleanup: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  internet = new VirtualInternet({ hosts: HOSTS });
  mitm = new VirtualInternet({ hosts: HOSTS });
  await Promise.all([internet.start(), mitm.start()]);
  work = mkdtempSync(join(tmpdir(), 'app-http-'));
});

afterAll(async () => {
  await Promise.all([internet.stop(), mitm.stop()]);
  rmSync(work, { recursive: true, force: true });
});

afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function phone(): PhoneNetwork {
  const settings = new SettingsStore();
  return new PhoneNetwork(settings, { upstream: internet.connector, resolve: (h) => (internet.resolves(h) ? '203.0.113.7' : null) });
}

/** What `adb reverse tcp:P tcp:Q` gives the phone: a loopback listener whose connections reach the host's port Q. */
function reverse(net: PhoneNetwork, phonePort: number, hostPort: number): void {
  const close = net.listen(phonePort, (socket) => {
    const host = netConnect(hostPort, '127.0.0.1');
    host.on('error', () => socket.destroy());
    socket.on('error', () => host.destroy());
    socket.pipe(host).pipe(socket);
  });
  cleanup.push(close);
}

async function proxyOn(net: PhoneNetwork, upstream = internet.connector): Promise<TestProxy> {
  const proxy = await startTestProxy(upstream);
  cleanup.push(() => proxy.stop());
  reverse(net, 8888, proxy.port);
  net.settings.put('global', 'http_proxy', '127.0.0.1:8888');
  return proxy;
}

const post = (url: string, body: string): AppHttpRequest => ({ method: 'POST', url, headers: [['Content-Type', 'application/json']], body: Buffer.from(body) });
const systemCas = (): string[] => [internet.caPem];

/** Runs a command with stdin closed, without blocking this process (which serves what it talks to). */
function run(cmd: string, args: string[]): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.resume();
    const timer = setTimeout(() => child.kill(), 10_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, code });
    });
    child.stdin.end();
  });
}

function served(vi: VirtualInternet, body: string) {
  return vi.requests.find((r) => r.body.toString() === body);
}

describe('the virtual internet', () => {
  it('certifies each hostname with its public CA, as stock openssl verifies (chain, name, TLS handshake)', async () => {
    const ca = await createPublicCa();
    const leaf = await ca.issue('ulogs.umeng.com');
    writeFileSync(join(work, 'ca.pem'), ca.certPem);
    writeFileSync(join(work, 'leaf.pem'), leaf.certPem);
    const verify = spawnSync('openssl', ['verify', '-CAfile', join(work, 'ca.pem'), '-verify_hostname', 'ulogs.umeng.com', '-purpose', 'sslserver', join(work, 'leaf.pem')], { encoding: 'utf8' });
    expect(verify.stdout + verify.stderr).toContain(': OK');
    const wrongName = spawnSync('openssl', ['verify', '-CAfile', join(work, 'ca.pem'), '-verify_hostname', 'alogs.umeng.com', join(work, 'leaf.pem')], { encoding: 'utf8' });
    expect(wrongName.status).not.toBe(0);
    // A TLS handshake with the running server, SNI chosen by openssl, verified against the CA.
    writeFileSync(join(work, 'vi-ca.pem'), internet.caPem);
    // (Asynchronously: the server answers from this process.)
    const sClient = await run('openssl', ['s_client', '-connect', `127.0.0.1:${internet.port}`, '-servername', 'alogs.umeng.com', '-CAfile', join(work, 'vi-ca.pem'), '-verify_hostname', 'alogs.umeng.com', '-verify_return_error']);
    expect(sClient.stdout).toMatch(/Verify return code: 0 \(ok\)/);
    expect(sClient.stdout).toMatch(/subject=.*CN ?= ?alogs\.umeng\.com/);
  });

  it('answers a client that half-closes after its request (HTTP/1.0 style, or a proxy passing a FIN on), TLS or not', async () => {
    const tlsStatus = await new Promise<string>((resolve, reject) => {
      const socket = tlsConnect({ socket: internet.connector('alogs.umeng.com', 443), servername: 'alogs.umeng.com', ca: internet.caPem }, () => socket.end('GET /half HTTP/1.1\r\nHost: alogs.umeng.com\r\n\r\n'));
      socket.once('data', (d: Buffer) => resolve(d.toString('latin1').split('\r\n')[0]!));
      socket.once('error', reject);
      socket.once('close', () => resolve('closed without an answer'));
    });
    const plainStatus = await new Promise<string>((resolve, reject) => {
      const socket = internet.connector('api.demo-shop.example', 80);
      socket.once('connect', () => socket.end('GET /half HTTP/1.1\r\nHost: api.demo-shop.example\r\n\r\n'));
      socket.once('data', (d: Buffer) => resolve(d.toString('latin1').split('\r\n')[0]!));
      socket.once('error', reject);
      socket.once('close', () => resolve('closed without an answer'));
    });
    expect([tlsStatus, plainStatus]).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
  });

  it('keeps at most 1 MiB of a body and 32 MiB of bodies in all, the newest first: a long demo stays bounded', async () => {
    const own = new VirtualInternet({ hosts: ['upload.demo.example'] });
    await own.start();
    try {
      const body = Buffer.alloc(1536 * 1024, 0x61);
      const t0 = Date.now();
      for (let i = 0; i < 40; i++) {
        await new Promise<void>((resolve, reject) => {
          const socket = own.connector('upload.demo.example', 80);
          socket.once('connect', () => socket.write(Buffer.concat([Buffer.from(`POST /u${i} HTTP/1.1\r\nHost: upload.demo.example\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body])));
          socket.on('data', () => undefined);
          socket.once('close', () => resolve());
          socket.once('error', reject);
        });
      }
      expect(Date.now() - t0).toBeLessThan(20_000);
      const kept = own.requests.reduce((n, r) => n + r.body.length, 0);
      expect(kept).toBeLessThanOrEqual(32 * 1024 * 1024);
      expect(own.requests.length).toBe(32);
      expect(own.requests.at(-1)).toMatchObject({ target: '/u39', truncated: true });
      expect(own.requests.at(-1)!.body.length).toBe(1024 * 1024);
    } finally {
      await own.stop();
    }
  });

  it('resolves only the hostnames it serves: any other is an unknown host', async () => {
    const socket = internet.connector('unknown.example.org', 443);
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => socket.once('error', resolve));
    expect(err.code).toBe('ENOTFOUND');
  });
});

describe('app HTTP client', () => {
  it('goes direct when no proxy is set: HTTPS with SNI, the body as sent, OkHttp\'s headers', async () => {
    const net = phone();
    const body = `{"id":"${Math.random()}"}`;
    const res = await sendAppRequest(net, APP_UID, post('https://ulogs.umeng.com/unify_logs?v=1', body), { systemCas: systemCas(), userCas: false });
    expect(res).toMatchObject({ ok: true, status: 200, via: 'direct' });
    const got = served(internet, body)!;
    expect(got).toMatchObject({ tls: true, sni: 'ulogs.umeng.com', host: 'ulogs.umeng.com', method: 'POST', target: '/unify_logs?v=1' });
    expect(got.headers.map(([n]) => n)).toEqual(['Content-Type', 'Content-Length', 'Host', 'Connection', 'Accept-Encoding', 'User-Agent']);
    expect(got.headers.find(([n]) => n === 'User-Agent')![1]).toBe('okhttp/4.12.0');
  });

  it('through the proxy: HTTPS as CONNECT host:443 then TLS with the host as SNI; HTTP in absolute form', async () => {
    const net = phone();
    const proxy = await proxyOn(net);
    const body = `{"tunnelled":"${Math.random()}"}`;
    const res = await sendAppRequest(net, APP_UID, post('https://alogs.umeng.com/app_logs', body), { systemCas: systemCas(), userCas: false });
    expect(res).toMatchObject({ ok: true, status: 200, via: 'proxy' });
    expect(proxy.connects).toHaveLength(1);
    expect(proxy.connects[0]).toMatchObject({ target: 'alogs.umeng.com:443', sni: 'alogs.umeng.com' });
    expect(proxy.connects[0]!.headers).toEqual([['Host', 'alogs.umeng.com:443'], ['Proxy-Connection', 'Keep-Alive'], ['User-Agent', 'okhttp/4.12.0']]);
    expect(served(internet, body)).toMatchObject({ tls: true, sni: 'alogs.umeng.com', target: '/app_logs' });

    const plain = await sendAppRequest(net, APP_UID, { method: 'GET', url: 'http://api.demo-shop.example/config?x=1', headers: [], body: null }, { systemCas: systemCas(), userCas: false });
    expect(plain).toMatchObject({ ok: true, status: 200, via: 'proxy' });
    expect(proxy.requests.map((r) => r.target)).toEqual(['http://api.demo-shop.example/config?x=1']);
    expect(proxy.connects).toHaveLength(1);
  });

  it('a proxy set but not listening on the phone fails the call as a refused connection, not the phone', async () => {
    const net = phone();
    net.settings.put('global', 'http_proxy', '127.0.0.1:8899');
    const res = await sendAppRequest(net, APP_UID, post('https://ulogs.umeng.com/x', '{}'), { systemCas: systemCas(), userCas: false });
    expect(res).toEqual({ ok: false, via: 'proxy', exception: 'java.net.ConnectException: Failed to connect to /127.0.0.1:8899' });
  });

  it('an unknown host is UnknownHostException; no route out is ConnectException', async () => {
    const net = phone();
    const res = await sendAppRequest(net, APP_UID, post('https://nowhere.example.org/x', '{}'), { systemCas: systemCas(), userCas: false });
    expect(res).toMatchObject({ ok: false, exception: 'java.net.UnknownHostException: Unable to resolve host "nowhere.example.org": No address associated with hostname' });
    const offline = new PhoneNetwork(new SettingsStore());
    const res2 = await sendAppRequest(offline, APP_UID, post('https://ulogs.umeng.com/x', '{}'), { systemCas: systemCas(), userCas: false });
    expect(res2).toMatchObject({ ok: false, exception: expect.stringMatching(/^java\.net\.ConnectException: /) });
  });

  describe('an intercepting proxy whose CA the user installed', () => {
    async function intercepted(userCas: boolean): Promise<{ res: Awaited<ReturnType<typeof sendAppRequest>>; body: string; proxy: TestProxy }> {
      const net = phone();
      const proxy = await proxyOn(net, mitm.connector);
      net.addUserCa(mitm.caPem);
      const body = `{"secret":"${Math.random()}"}`;
      const res = await sendAppRequest(net, APP_UID, post('https://ulogs.umeng.com/unify_logs', body), { systemCas: systemCas(), userCas });
      return { res, body, proxy };
    }

    it('is refused by an app that does not trust user CAs: SSLHandshakeException, nothing sent', async () => {
      const { res, body, proxy } = await intercepted(false);
      expect(res).toEqual({ ok: false, via: 'proxy', exception: 'javax.net.ssl.SSLHandshakeException: java.security.cert.CertPathValidatorException: Trust anchor for certification path not found.' });
      expect(proxy.connects[0]).toMatchObject({ target: 'ulogs.umeng.com:443', sni: 'ulogs.umeng.com' });
      expect(served(mitm, body)).toBeUndefined();
    });

    it('is trusted by an app that trusts user CAs: the body is read by the interceptor', async () => {
      const { res, body } = await intercepted(true);
      expect(res).toMatchObject({ ok: true, status: 200 });
      expect(served(mitm, body)).toMatchObject({ sni: 'ulogs.umeng.com' });
      expect(served(internet, body)).toBeUndefined();
    });
  });

  describe('bounded on hostile servers and proxies', () => {
    async function hostServer(onSocket: (s: import('node:net').Socket) => void): Promise<number> {
      const server: Server = createServer(onSocket);
      const sockets = new Set<import('node:net').Socket>();
      server.on('connection', (s) => { sockets.add(s); s.on('error', () => undefined); });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      cleanup.push(() => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }));
      return (server.address() as { port: number }).port;
    }
    const limits = { connectTimeoutMs: 400, readTimeoutMs: 400, maxResponseBytes: 64 * 1024 };

    it('a proxy that never answers CONNECT: SocketTimeoutException within the connect timeout', async () => {
      const net = phone();
      reverse(net, 8890, await hostServer(() => undefined));
      net.settings.put('global', 'http_proxy', '127.0.0.1:8890');
      const t0 = Date.now();
      const res = await sendAppRequest(net, APP_UID, post('https://ulogs.umeng.com/x', '{}'), { systemCas: systemCas(), userCas: false }, limits);
      expect(res).toMatchObject({ ok: false, exception: 'java.net.SocketTimeoutException: timeout' });
      expect(Date.now() - t0).toBeLessThan(3000);
    });

    it('a proxy answering CONNECT with endless header bytes or a 502: IOException, bounded', async () => {
      const net = phone();
      reverse(net, 8891, await hostServer((s) => {
        s.write('HTTP/1.1 200 OK\r\n');
        const timer = setInterval(() => s.write('X-Junk: ' + 'a'.repeat(1000) + '\r\n'), 1);
        s.on('close', () => clearInterval(timer));
      }));
      reverse(net, 8892, await hostServer((s) => s.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n')));
      net.settings.put('global', 'http_proxy', '127.0.0.1:8891');
      const t0 = Date.now();
      const res = await sendAppRequest(net, APP_UID, post('https://ulogs.umeng.com/x', '{}'), { systemCas: systemCas(), userCas: false }, limits);
      expect(res).toMatchObject({ ok: false, exception: 'java.io.IOException: The proxy\'s answer to CONNECT is too long' });
      expect(Date.now() - t0).toBeLessThan(3000);
      net.settings.put('global', 'http_proxy', '127.0.0.1:8892');
      const res2 = await sendAppRequest(net, APP_UID, post('https://ulogs.umeng.com/x', '{}'), { systemCas: systemCas(), userCas: false }, limits);
      expect(res2).toMatchObject({ ok: false, exception: 'java.io.IOException: Unexpected response code for CONNECT: 502' });
    });

    it('a plain HTTP answer without end: the read stops at the response cap; a silent one at the read timeout', async () => {
      const net = phone();
      reverse(net, 8893, await hostServer((s) => {
        s.once('data', () => {
          s.write('HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n');
          const timer = setInterval(() => s.write(Buffer.alloc(16 * 1024, 0x61)), 1);
          s.on('close', () => clearInterval(timer));
        });
      }));
      reverse(net, 8894, await hostServer(() => undefined));
      net.settings.put('global', 'http_proxy', '127.0.0.1:8893');
      const t0 = Date.now();
      const res = await sendAppRequest(net, APP_UID, { method: 'GET', url: 'http://api.demo-shop.example/big', headers: [], body: null }, { systemCas: systemCas(), userCas: false }, limits);
      expect(res).toMatchObject({ ok: false, exception: 'java.io.IOException: response body over 65536 bytes' });
      expect(Date.now() - t0).toBeLessThan(3000);
      net.settings.put('global', 'http_proxy', '127.0.0.1:8894');
      const t1 = Date.now();
      const res2 = await sendAppRequest(net, APP_UID, { method: 'GET', url: 'http://api.demo-shop.example/slow', headers: [], body: null }, { systemCas: systemCas(), userCas: false }, limits);
      expect(res2).toMatchObject({ ok: false, exception: 'java.net.SocketTimeoutException: timeout' });
      expect(Date.now() - t1).toBeLessThan(3000);
    });

    it('garbage instead of a TLS server hello: SSLHandshakeException, bounded', async () => {
      const net = phone();
      reverse(net, 8895, await hostServer((s) => {
        s.once('data', () => {
          s.write('HTTP/1.1 200 Connection established\r\n\r\n');
          s.once('data', () => s.write(Buffer.from('this is not TLS at all\r\n'.repeat(10))));
        });
      }));
      net.settings.put('global', 'http_proxy', '127.0.0.1:8895');
      const t0 = Date.now();
      const res = await sendAppRequest(net, APP_UID, post('https://ulogs.umeng.com/x', '{}'), { systemCas: systemCas(), userCas: false }, limits);
      expect(res).toMatchObject({ ok: false, exception: expect.stringMatching(/^javax\.net\.ssl\.SSLHandshakeException: /) });
      expect(Date.now() - t0).toBeLessThan(3000);
    });
  });
});
