/**
 * Benchmark (not a test gate) of the live monitor, in one process with the virtual phone and a real adb server:
 * 1. ingestion — the whole pipeline (parse, extract, raw log file, event fan-out) against the raw adbkit stream
 *    of the same logcat command and the same lines, in the same run;
 * 2. memory — heap after a forced GC while 1,000,000 lines go through the monitor;
 * 3. latency — a line written on the phone to the same line arriving at a browser-mode WebSocket client,
 *    p50/p95 at 2,000 lines/s (rendering in the page adds one animation frame, ≤ 16 ms).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Adb from '@devicefarmer/adbkit';
import WebSocket from 'ws';
import { AdbkitBridge } from '../../src-main/core/adb/index.js';
import { DeviceMonitor } from '../../src-main/core/monitor/index.js';
import { Dispatcher } from '../../src-main/bridge/dispatcher.js';
import { Workbench } from '../../src-main/core/workbench.js';
import { WebHost } from '../../src-main/host/web-host.js';
import { startAdbServer } from '../support/adb-server.js';
import { startPhone } from '../support/virtual-phone.js';

const gc = (globalThis as { gc?: () => void }).gc;
const MSG = 'x'.repeat(70);

async function main(): Promise<void> {
  const adb = await startAdbServer();
  const phone = await startPhone(adb, 'compliant-app');
  const log = phone.system.log;
  const produce = async (count: number, tag: string, onProgress?: (i: number) => void): Promise<void> => {
    for (let i = 0; i < count; i++) {
      log.append({ pid: 4242, priority: 4, tag, message: `${i} ${MSG}` });
      if (i % 1000 === 999) {
        await log.waitForReaders(20_000);
        onProgress?.(i + 1);
      }
    }
  };

  // 1a. raw adbkit stream of the monitor's logcat command.
  const N = 300_000;
  const client = Adb.createClient({ host: '127.0.0.1', port: adb.port });
  const raw = await client.getDevice(phone.serial).shell(`logcat -v threadtime -v year -v UTC -b main,system,events,crash -T ${(phone.clock.now() / 1000).toFixed(3)}`);
  let rawLines = 0;
  const rawDone = new Promise<void>((resolve) => raw.on('data', (c: Buffer) => {
    for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) if (++rawLines >= N) resolve();
  }));
  let t = performance.now();
  await Promise.all([produce(N, 'RawBench'), rawDone]);
  const rawMs = performance.now() - t;
  raw.destroy();

  // 1b + 2. the monitor pipeline over the same number of lines, then on to 1,000,000 for memory.
  const dir = mkdtempSync(join(tmpdir(), 'bench-mon-'));
  let events = 0;
  let lines = 0;
  const monitor = new DeviceMonitor({ bridge: new AdbkitBridge('adb', adb.port), serial: phone.serial, packageName: 'com.demo.compliant', rawLogPath: join(dir, 'raw.log'), onEvent: () => events++, onLines: (l) => (lines += l.length) });
  await monitor.start();
  const heap: number[] = [];
  const seen = (target: number) => new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (monitor.stats.lines >= target) {
        clearInterval(check);
        resolve();
      }
    }, 5);
  });
  const base = monitor.stats.lines;
  t = performance.now();
  await Promise.all([produce(N, 'MonBench'), seen(base + N)]);
  const monMs = performance.now() - t;
  console.log(`ingestion: raw adbkit stream ${Math.round(N / (rawMs / 1000)).toLocaleString('en-US')} lines/s; monitor pipeline ${Math.round(N / (monMs / 1000)).toLocaleString('en-US')} lines/s; ratio ${(rawMs / monMs).toFixed(2)} (goal ≥ 0.5)`);

  const TOTAL = 1_000_000;
  await Promise.all([produce(TOTAL - N, 'MonBench', (i) => {
    if (i % 100_000 === 0) {
      gc?.();
      heap.push(process.memoryUsage().heapUsed);
    }
  }), seen(base + TOTAL)]);
  gc?.();
  heap.push(process.memoryUsage().heapUsed);
  const mb = (b: number): string => (b / 1048576).toFixed(0);
  console.log(`memory over ${TOTAL.toLocaleString('en-US')} lines${gc ? ' (after GC)' : ' (no --expose-gc: noisy)'}: heap ${heap.map(mb).join(' → ')} MiB; raw log ${mb(statSync(join(dir, 'raw.log')).size)} MiB holds ${monitor.stats.lines.toLocaleString('en-US')} lines`);
  await monitor.stop();
  rmSync(dir, { recursive: true, force: true });

  // 3. latency to a browser-mode WebSocket client at 2,000 lines/s.
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-wb-'));
  const workbench = new Workbench({ dataDir, shell: 'browser', version: 'bench', adbServerPort: adb.port });
  await workbench.start();
  const renderer = mkdtempSync(join(tmpdir(), 'bench-r-'));
  const host = new WebHost({ rendererDir: renderer, dispatcher: new Dispatcher(workbench.handlers()), hub: workbench.hub });
  await host.start();
  const ws = new WebSocket(`${host.url.replace('http', 'ws').replace('/?token=', '/api?token=')}`);
  await new Promise((r) => ws.once('open', r));
  const latencies: number[] = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { kind: string; batch?: Array<{ event: string; items: Array<{ lines: Array<{ tag: string; message: string }> }> }> };
    const now = Date.now();
    for (const b of msg.batch ?? []) if (b.event === 'logLines') for (const item of b.items) for (const l of item.lines) if (l.tag === 'Latency') latencies.push(now - Number(l.message.split(' ')[0]));
  });
  ws.send(JSON.stringify({ id: 1, method: 'monitor.start', args: { serial: phone.serial, packageName: null } }));
  await new Promise((r) => setTimeout(r, 1500));
  const started = Date.now();
  let written = 0;
  while (Date.now() - started < 10_000) {
    for (let i = 0; i < 20; i++) log.append({ pid: 4242, priority: 4, tag: 'Latency', message: `${Date.now()} ${written++}` });
    await new Promise((r) => setTimeout(r, 10));
  }
  await new Promise((r) => setTimeout(r, 1000));
  latencies.sort((a, b) => a - b);
  const q = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  console.log(`latency phone → browser-mode WebSocket client at ${Math.round(written / ((Date.now() - started - 1000) / 1000))} lines/s: ${latencies.length}/${written} lines, p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${latencies.at(-1)} ms (goal p95 < 150 ms)`);
  ws.close();
  await host.stop();
  await workbench.close();
  await adb.kill();
  await phone.stop();
}

void main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
