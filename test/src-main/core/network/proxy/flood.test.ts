/**
 * 10,000 parallel connections to the proxy from another process (its own file descriptors, as another
 * program would): the proxy holds at most maxConnections, refuses the rest at once (counted, reported as a
 * handful of folded events), its memory stays bounded, and it serves a normal request afterwards.
 */
import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startProxy } from '../../../../../src-main/core/network/proxy/index.js';
import { Recorder, dial, echoServer, eventually, listening, loopbackConnector, rssMb, whenGone } from '../../../../support/proxy-harness.js';

const FLOOD = 10_000;
const MAX = 256;

// The flooding process: opens FLOOD connections at once, each sending one byte (the start of a request head:
// with SYN cookies, a connection that never sends may never reach accept()), holds them until told on
// stdin, then exits (its sockets with it).
const FLOODER = `
const net = require('node:net');
const [port, n] = process.argv.slice(1).map(Number);
for (let i = 0; i < n; i++) {
  const s = net.connect(port, '127.0.0.1');
  s.on('connect', () => s.write('G'));
  s.on('error', () => {});
}
console.log('opened');
process.stdin.once('data', () => process.exit(0));
`;

let upstream: Server;
let upstreamPort: number;
beforeAll(async () => {
  upstream = echoServer();
  upstreamPort = await listening(upstream);
});
afterAll(() => new Promise<void>((r) => upstream.close(() => r())));

it('survives 10,000 parallel connections: refusals counted and folded, memory bounded, still serving', async () => {
  const rec = new Recorder();
  const proxy = await startProxy({ mode: 'usb', bindAddress: '127.0.0.1', port: 0, allowedClients: null, intercept: () => false, ca: null, upstream: loopbackConnector(), limits: { maxConnections: MAX, handshakeTimeoutMs: 120_000 } }, rec);
  try {
    global.gc?.();
    const rssBefore = rssMb();
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb())), 50);
    const t = performance.now();
    const child = spawn(process.execPath, ['-e', FLOODER, String(proxy.port), String(FLOOD)], { stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise((r) => child.stdout.once('data', r));
    // Every connection is accepted or refused; those held stay open until the flooder leaves (the handshake
    // timeout, longer than this test, frees none of them meanwhile).
    let openPeak = 0;
    await eventually(() => {
      openPeak = Math.max(openPeak, proxy.stats().open);
      return proxy.stats().total + proxy.stats().refused === FLOOD;
    }, 60_000, 'every connection to be accepted or refused');
    const floodMs = performance.now() - t;
    expect(openPeak).toBeLessThanOrEqual(MAX);
    expect(proxy.stats().total).toBe(MAX);
    expect(proxy.stats().refused).toBe(FLOOD - MAX);
    clearInterval(sampler);
    child.stdin.write('bye\n');
    await new Promise((r) => child.once('exit', r));

    // One event per second of flood, each saying how many it stands for; every refusal accounted for.
    await eventually(() => proxy.stats().open === 0, 10_000, 'the held connections to close');
    await eventually(() => rec.refusals.reduce((n, r) => n + Number(/^(\d+) more/.exec(r.detail)?.[1] ?? 1), 0) === proxy.stats().refused, 5000, 'the folded refusal reports');
    expect(rec.refusals.length).toBeLessThan(2 + Math.ceil(floodMs / 1000) * 2);
    expect(rec.refusals.every((r) => r.reason === 'too-many-connections')).toBe(true);
    expect(rssPeak - rssBefore).toBeLessThan(100);
    console.log(`flood: ${FLOOD} connections handled in ${floodMs.toFixed(0)} ms, ${proxy.stats().refused} refused in ${rec.refusals.length} events, RSS +${(rssPeak - rssBefore).toFixed(1)} MB`);

    const s = await dial(proxy.port);
    s.write(`GET http://ok.example.test:${upstreamPort}/after-the-flood HTTP/1.1\r\nHost: ok.example.test\r\nConnection: close\r\n\r\n`);
    const { data } = await whenGone(s);
    expect(data).toMatch(/^HTTP\/1\.1 200 /);
  } finally {
    await proxy.stop();
  }
}, 120_000);
