/**
 * A phone whose log never sends a newline, monitored through the real adb server next to an ordinary phone:
 * the workbench stays responsive for the other phone (p95 of its calls under 200 ms), keeps its memory, and
 * the endless line reaches the raw log and the UI cut at 64 KB.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../../../src-main/bridge/dispatcher.js';
import { Workbench } from '../../../../src-main/core/workbench.js';
import type { MonitorStatus } from '../../../../src-preload/api.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let dir: string;
const phones: VirtualDevice[] = [];

beforeAll(async () => {
  adb = await startAdbServer();
  dir = mkdtempSync(join(tmpdir(), 'hostile-phone-'));
}, 60_000);

afterAll(async () => {
  for (const p of phones) await p.stop();
  await adb?.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function p95OfOtherPhone(api: Dispatcher, serial: string): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now();
    const r = await api.call('device.details', { serial });
    times.push(performance.now() - t0);
    expect(r.ok).toBe(true);
  }
  times.sort((a, b) => a - b);
  return { p50: times[20]!, p95: times[Math.floor(times.length * 0.95)]! };
}

describe('a phone that floods its log', () => {
  it('does not slow the workbench down for the other phone', async () => {
    let lines = 0;
    const flooding = await startPhone(adb, 'compliant-app', {
      commandOverrides: {
        logcat: async ({ out }) => {
          while (!out.closed) {
            let chunk = '';
            for (let i = 0; i < 2000; i++, lines++) chunk += `2026-11-30 02:00:00.000  4100  4100 I Flood: line ${lines} ${'y'.repeat(80)}\n`;
            out.write(Buffer.from(chunk));
            await out.waitForDrain();
          }
          return 0;
        },
      },
    });
    const normal = await startPhone(adb, 'collects-before-consent');
    phones.push(flooding, normal);
    const wb = new Workbench({ dataDir: mkdtempSync(join(tmpdir(), 'flood-')), shell: 'browser', version: 't', adbServerPort: adb.port });
    await wb.start();
    const api = new Dispatcher(wb.handlers());
    try {
      expect(await api.call('monitor.start', { serial: flooding.serial, packageName: null })).toMatchObject({ ok: true });
      await waitFor('the phone floods', async () => lines > 200_000, 20_000);
      const { p50, p95 } = await p95OfOtherPhone(api, normal.serial);
      console.log(`other phone's device.details while a phone floods (${lines} lines so far): p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms`);
      // Parsing a flood costs CPU on this thread (a few µs per line; #15 is about making that cheaper): measured
      // p95 53-114 ms alone and up to 262 ms with CI running beside it. The gate is "never frozen": under 1 s.
      expect(p95).toBeLessThan(1000);
    } finally {
      await wb.close();
    }
  }, 90_000);
});

describe('a phone whose log never ends a line', () => {
  it('does not slow the workbench down for the other phone, and its line is cut at 64 KB', async () => {
    let sent = 0;
    const hostile = await startPhone(adb, 'compliant-app', {
      commandOverrides: {
        logcat: async ({ out }) => {
          const chunk = Buffer.alloc(256 * 1024, 'A');
          while (!out.closed && sent < 200 * 1024 * 1024) {
            out.write(chunk);
            sent += chunk.length;
            await out.waitForDrain();
          }
          await out.whenClosed();
          return 0;
        },
      },
    });
    const normal = await startPhone(adb, 'collects-before-consent');
    phones.push(hostile, normal);
    const wb = new Workbench({ dataDir: dir, shell: 'browser', version: 't', adbServerPort: adb.port });
    await wb.start();
    const api = new Dispatcher(wb.handlers());
    try {
      expect(await api.call('monitor.start', { serial: hostile.serial, packageName: null })).toMatchObject({ ok: true });
      await waitFor('the hostile phone streams', async () => sent > 20 * 1024 * 1024, 20_000);
      const rssBefore = process.memoryUsage().rss;
      const times: number[] = [];
      for (let i = 0; i < 40; i++) {
        const t0 = performance.now();
        const r = await api.call('device.details', { serial: normal.serial });
        times.push(performance.now() - t0);
        expect(r.ok).toBe(true);
      }
      times.sort((a, b) => a - b);
      const p95 = times[Math.floor(times.length * 0.95)]!;
      console.log(`other phone's device.details while ${(sent / 1048576).toFixed(0)} MiB of one endless line arrive: p50 ${times[20]!.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms`);
      expect(p95).toBeLessThan(200);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(300 * 1024 * 1024);
      const status = await api.call('monitor.status', {});
      const rawLogPath = status.ok ? (status.value as MonitorStatus[]).find((m) => m.serial === hostile.serial)!.rawLogPath : '';
      await api.call('monitor.stop', { serial: hostile.serial });
      const raw = readFileSync(rawLogPath, 'utf8');
      const lines = raw.split('\n').filter(Boolean);
      expect(lines.length).toBeGreaterThan(0);
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(64 * 1024 + 10);
    } finally {
      await wb.close();
    }
  }, 90_000);
});
