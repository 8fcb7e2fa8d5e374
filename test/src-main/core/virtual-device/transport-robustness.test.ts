// The transport under stress: a slow reader pulls 100 MB of log with nothing lost and bounded memory; hostile
// host bytes close only their own connection.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import Adb from '@devicefarmer/adbkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { A_CNXN, A_OPEN, A_VERSION, encodePacket } from '../../../../src-main/core/virtual-device/protocol/packet.js';
import { startAdbServer, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let phone: VirtualDevice;

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhone(adb, 'compliant-app');
});
afterAll(async () => {
  await adb?.kill();
  await phone?.stop();
});

function rssOfAdbServer(port: number): number {
  // The adb server started for this test listens on `port`; read its resident memory from /proc.
  const pids = execFileSync('pgrep', ['-f', `adb -L tcp:${port} fork-server`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  const status = readFileSync(`/proc/${pids[0]}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

describe('flow control', () => {
  it('a slow reader pulls 100 MB of log through adb: every line once, in order, memory bounded', async () => {
    const sys = phone.system;
    const client = Adb.createClient({ host: '127.0.0.1', port: adb.port });
    const stream = await client.getDevice(phone.serial).shell('logcat -v raw -s Flood:I');
    const LINE = 'x'.repeat(90);
    const TOTAL = 1_100_000; // ~101 MB of "nnnnnnn xxx…\n"
    let expected = 0;
    let partial = '';
    let bytes = 0;
    let bad = 0;
    let maxQueued = 0;
    let maxAdbRss = 0;
    let maxHeap = 0;
    const done = new Promise<void>((resolve) => {
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        const lines = (partial + chunk.toString('latin1')).split('\n');
        partial = lines.pop()!;
        for (const l of lines) {
          if (l !== `${String(expected).padStart(7, '0')} ${LINE}`) bad++;
          expected++;
        }
        if (expected >= TOTAL) resolve();
        // Read slowly: pause now and then, as a busy UI would.
        if (expected % 50_000 < 200) {
          stream.pause();
          setTimeout(() => stream.resume(), 20);
        }
      });
    });
    const producer = (async () => {
      for (let i = 0; i < TOTAL; i++) {
        sys.log.append({ pid: 4242, priority: 4, tag: 'Flood', message: `${String(i).padStart(7, '0')} ${LINE}` });
        if (i % 2000 === 1999) {
          maxQueued = Math.max(maxQueued, sys.log.headSeq - sys.log.oldestSeq);
          await sys.log.waitForReaders(20_000);
        }
        if (i % 200_000 === 0) {
          maxAdbRss = Math.max(maxAdbRss, rssOfAdbServer(adb.port));
          maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
        }
      }
    })();
    await Promise.all([done, producer]);
    stream.destroy();
    expect(bad).toBe(0);
    expect(expected).toBe(TOTAL);
    expect(bytes).toBeGreaterThanOrEqual(100 * 1024 * 1024);
    // The adb server holds at most a few packets per stream; without flow control it grew past 200 MB.
    expect(maxAdbRss).toBeLessThan(64 * 1024 * 1024);
    // This process holds the phone (log ring capped at 32 MiB) and the reader: no growth with the 100 MB.
    console.log(`flow control: max adb server RSS ${(maxAdbRss / 1048576).toFixed(0)} MiB, max heap here ${(maxHeap / 1048576).toFixed(0)} MiB, max entries in the ring ${maxQueued}`);
    expect(maxHeap).toBeLessThan(256 * 1024 * 1024);
  }, 120_000);
});

describe('hostile host bytes', () => {
  const garbage: Array<[string, Buffer]> = [
    ['bad magic', (() => { const b = encodePacket(A_CNXN, A_VERSION, 4096, Buffer.from('host::')); b.writeUInt32LE(0, 20); return b; })()],
    ['length over maxdata', (() => { const b = encodePacket(A_OPEN, 1, 0, Buffer.from('shell:id\0')); b.writeUInt32LE(50 * 1024 * 1024, 12); return b; })()],
    ['unknown command', Buffer.from('ABCD00000000000000000000000000000000', 'latin1')],
    ['random garbage', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
    ['half a header', encodePacket(A_CNXN, A_VERSION, 4096, Buffer.from('host::')).subarray(0, 11)],
  ];
  for (const [name, bytes] of garbage) {
    it(`${name}: that connection closes, the phone keeps serving adb`, async () => {
      const closed = await new Promise<boolean>((resolve) => {
        const s = connect(phone.port, '127.0.0.1', () => {
          s.write(bytes);
          if (name === 'half a header') setTimeout(() => s.end(), 50);
        });
        s.on('close', () => resolve(true));
        s.on('error', () => resolve(true));
        setTimeout(() => { s.destroy(); resolve(false); }, 3000);
      });
      expect(closed).toBe(true);
      expect((await adb.adb(['-s', phone.serial, 'shell', 'echo', 'alive'])).stdout).toBe('alive\n');
    });
  }
});
