/**
 * A log-flooding phone through the real adb server: the raw log rotates, stops at its total limit or when the
 * disk runs short (or refuses a write), says why, and keeps everything written before — in order, from the
 * first line.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdbkitBridge } from '../../../../src-main/core/adb/device-bridge.js';
import { DeviceMonitor } from '../../../../src-main/core/monitor/device-monitor.js';
import { RawLog } from '../../../../src-main/core/monitor/raw-log.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let dir: string;
let phone: VirtualDevice;

beforeAll(async () => {
  adb = await startAdbServer();
  dir = mkdtempSync(join(tmpdir(), 'raw-log-'));
  // Numbered threadtime lines as fast as the transport takes them.
  phone = await startPhone(adb, 'compliant-app', {
    commandOverrides: {
      logcat: async ({ out }) => {
        let n = 0;
        while (!out.closed && n < 2_000_000) {
          let chunk = '';
          for (let i = 0; i < 1000; i++, n++) chunk += `2026-11-30 02:00:00.000  1234  1250 I Flood: line ${String(n).padStart(9, '0')} ${'x'.repeat(60)}\n`;
          out.write(Buffer.from(chunk));
          await out.waitForDrain();
        }
        await out.whenClosed();
        return 0;
      },
    },
  });
}, 60_000);

afterAll(async () => {
  await phone?.stop();
  await adb?.kill();
  rmSync(dir, { recursive: true, force: true });
});

function monitor(path: string, limits: { rotateBytes: number; maxBytes: number; minFreeBytes: number }): Promise<string> {
  return new Promise((resolve) => {
    const m = new DeviceMonitor({ bridge: new AdbkitBridge('adb', adb.port), serial: phone.serial, packageName: null, rawLogPath: path, rawLogLimits: limits, onEvent: () => {}, onLines: () => {}, onStopped: resolve });
    void m.start();
  });
}

describe('the raw log of a flooding phone', () => {
  it('rotates, stops at its total limit with the reason, and keeps every line before it in order', async () => {
    const path = join(dir, 'logcat.log');
    const reason = await monitor(path, { rotateBytes: 1024 * 1024, maxBytes: 5 * 1024 * 1024, minFreeBytes: 0 });
    expect(reason).toMatch(/reached its limit of 5 MiB/);
    const files = RawLog.files(path);
    const names = files.map((f) => f.slice(dir.length + 1));
    expect(names.length).toBeGreaterThanOrEqual(5);
    expect(names).toEqual([...names.slice(0, -1).map((_, i) => `logcat.log.${i + 1}`), 'logcat.log']);
    for (const f of files.slice(0, -1)) expect(statSync(f).size).toBeLessThanOrEqual(1024 * 1024);
    const total = files.reduce((n, f) => n + statSync(f).size, 0);
    expect(total).toBeLessThanOrEqual(5 * 1024 * 1024);
    expect(total).toBeGreaterThan(4.5 * 1024 * 1024);
    const lines = files.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean)).filter((l) => l.includes('Flood:'));
    const numbers = lines.map((l) => Number(/line (\d+)/.exec(l)![1]));
    expect(numbers[0]).toBe(0);
    expect(numbers.every((v, i) => i === 0 || v === numbers[i - 1]! + 1)).toBe(true);
  }, 60_000);

  it('stops when the disk would keep less free space than its limit', async () => {
    const reason = await monitor(join(dir, 'free.log'), { rotateBytes: 1024 ** 3, maxBytes: 1024 ** 3, minFreeBytes: Number.MAX_SAFE_INTEGER });
    expect(reason).toMatch(/the disk has less than \d+ MiB free/);
    await waitFor('file closed', async () => statSync(join(dir, 'free.log')).size > 0, 5000);
  }, 60_000);

  it('stops with the reason when the disk refuses a write, and the process goes on', async () => {
    // /dev/full refuses every write with ENOSPC, as a full disk or a removed drive would mid-session.
    const reason = await new Promise<string>((resolve) => {
      const log = new RawLog('/dev/full', { rotateBytes: 1024 ** 3, maxBytes: 1024 ** 3, minFreeBytes: 0 }, resolve);
      log.write(Buffer.from('2026-11-30 02:00:00.000  1234  1250 I Flood: one line\n'));
    });
    expect(reason).toMatch(/the raw log could not be written \(ENOSPC/);
  });
});
