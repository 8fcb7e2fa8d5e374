/**
 * Fetching a policy by URL from a server this test runs: local addresses are refused unless allowed, and with
 * them allowed, oversized (declared and streamed), slow, redirect-looping and over-redirecting targets are
 * refused with messages that say what to do; a GBK page is read as GBK.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPolicy } from '../../../../src-main/core/policy/fetch-policy.js';
import { isLocalAddress } from '../../../../src-main/core/net/local-address.js';
import { policyTextFromBytes } from '../../../../src-main/core/policy/policy-text.js';

const FIXTURES = join(__dirname, '../../../fixtures/policies');
let server: Server;
let base: string;
const timers = new Set<NodeJS.Timeout>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    switch (url.pathname) {
      case '/gbk':
        res.writeHead(200, { 'content-type': 'text/html; charset=GBK' });
        res.end(readFileSync(join(FIXTURES, 'shop-complete-gbk.html')));
        return;
      case '/declared-huge':
        res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(50 * 1024 * 1024) });
        res.write('<p>');
        return;
      case '/streamed-huge': {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = Buffer.alloc(1024 * 1024, 0x61);
        let sent = 0;
        const pump = (): void => {
          while (sent < 50 && !res.destroyed) {
            sent++;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
        return;
      }
      case '/slow': {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const t = setInterval(() => res.write('隐'), 200);
        timers.add(t);
        res.on('close', () => clearInterval(t));
        return;
      }
      case '/loop':
        res.writeHead(302, { location: '/loop2' }).end();
        return;
      case '/loop2':
        res.writeHead(302, { location: '/loop' }).end();
        return;
      default: {
        const n = /^\/hop(\d+)$/.exec(url.pathname);
        if (n) {
          res.writeHead(301, { location: `/hop${Number(n[1]) + 1}` }).end();
          return;
        }
        res.writeHead(404).end();
      }
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const t of timers) clearInterval(t);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('fetching a policy by URL', () => {
  it('refuses local and private addresses unless the tester allows them, and other schemes always', async () => {
    await expect(fetchPolicy(`${base}/gbk`)).rejects.toThrow(/127\.0\.0\.1:\d+ is a local or private address; fetching it is off/);
    await expect(fetchPolicy('http://localhost:9/x')).rejects.toThrow(/localhost resolves to the local address .*fetching local or private addresses is off/);
    await expect(fetchPolicy('http://[::1]:9/x')).rejects.toThrow(/local or private address/);
    await expect(fetchPolicy('http://10.1.2.3/x')).rejects.toThrow(/local or private address/);
    await expect(fetchPolicy('http://[::ffff:127.0.0.1]:9/x')).rejects.toThrow(/local or private address/);
    await expect(fetchPolicy('file:///etc/passwd', { allowLocal: true })).rejects.toThrow(/only http and https addresses are fetched, not file:/);
    await expect(fetchPolicy('not a url')).rejects.toThrow(/is not a web address/);
    for (const a of ['127.0.0.1', '10.0.0.1', '172.20.1.1', '192.168.1.1', '169.254.169.254', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '0.0.0.0']) expect(isLocalAddress(a)).toBe(true);
    for (const a of ['1.1.1.1', '114.114.114.114', '2400:3200::1', '::ffff:808:808']) expect(isLocalAddress(a)).toBe(false);
  });

  it('reads a GBK page when allowed', async () => {
    const page = await fetchPolicy(`${base}/gbk`, { allowLocal: true });
    const t = policyTextFromBytes(page.bytes, page.contentType);
    expect(t.charset).toBe('gb18030');
    expect(t.text).toContain('与第三方共享个人信息清单');
  });

  it('refuses oversized pages, declared or streamed, without holding them', async () => {
    await expect(fetchPolicy(`${base}/declared-huge`, { allowLocal: true })).rejects.toThrow(/the page is 50.0 MiB; a privacy policy larger than 8 MiB is refused/);
    const before = process.memoryUsage().rss;
    await expect(fetchPolicy(`${base}/streamed-huge`, { allowLocal: true })).rejects.toThrow(/larger than 8 MiB/);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('gives up on a slow site at the deadline', async () => {
    const t0 = Date.now();
    await expect(fetchPolicy(`${base}/slow`, { allowLocal: true, timeoutMs: 1500 })).rejects.toThrow(/no complete answer within 2 s; the site is too slow/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('stops redirect loops and long redirect chains', async () => {
    await expect(fetchPolicy(`${base}/loop`, { allowLocal: true })).rejects.toThrow(/redirects in a loop/);
    await expect(fetchPolicy(`${base}/hop0`, { allowLocal: true })).rejects.toThrow(/more than 5 redirects/);
    await expect(fetchPolicy(`${base}/missing`, { allowLocal: true })).rejects.toThrow(/answered HTTP 404/);
  });
});
