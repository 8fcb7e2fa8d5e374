/**
 * The poller's schedule, made deterministic: the bridge (our own DeviceBridge interface, not adbkit) answers
 * the poll slowly while the app logs a line, the timing that made the collects-before-consent device test
 * wait seconds for an app-op reject on a busy machine. A line logged during a poll must bring the next poll
 * within ~250 ms of the last one, not at the regular interval of twice a slow poll.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { DeviceBridge } from '../../../../src-main/core/adb/device-bridge.js';
import { DeviceMonitor } from '../../../../src-main/core/monitor/device-monitor.js';

const SEP = '---APPRIGHTS-MONITOR---';

function slowBridge(pollMs: number) {
  const log = new PassThrough();
  const polls: number[] = [];
  const bridge = {
    shell: async (_serial: string, command: string) => {
      if (command.includes('dumpsys appops')) {
        polls.push(Date.now());
        await new Promise((r) => setTimeout(r, pollMs));
        return ['', '', '', '', `${Date.now() / 1000}`].join(`${SEP}\n`);
      }
      // The connect probe: uid, pid, clock.
      return [`userId=10123\n`, `4242\n`, `${Date.now() / 1000}\n`].join(`${SEP}\n`);
    },
    shellStream: async () => log,
  } as unknown as DeviceBridge;
  return { bridge, log, polls };
}

describe('the monitor poller', () => {
  it('polls again within ~250 ms when the app logged during a slow poll', async () => {
    const { bridge, log, polls } = slowBridge(600);
    const m = new DeviceMonitor({ bridge, serial: 's', packageName: 'com.demo.shop', rawLogPath: join(mkdtempSync(join(tmpdir(), 'nudge-')), 'raw.log'), onEvent: () => {}, onLines: () => {} });
    await m.start();
    await new Promise((r) => setTimeout(r, 100));
    expect(polls).toHaveLength(1);
    // The app (pid 4242) logs while the first poll is still answering.
    const t = new Date().toISOString().replace('T', ' ').slice(0, 23);
    log.write(`${t}  4242  4242 I TelephonyPermissions: reading IMEI\n`);
    await new Promise((r) => setTimeout(r, 900));
    await m.stop();
    expect(polls.length, 'a second poll followed the first').toBeGreaterThanOrEqual(2);
    // Regular schedule: 2 × 600 ms after the first poll ended (≈ 1,800 ms after it began). Nudged: ≈ 850 ms.
    expect(polls[1]! - polls[0]!).toBeLessThan(1000);
  });

  it('keeps the regular interval when the app is quiet', async () => {
    const { bridge, polls } = slowBridge(300);
    const m = new DeviceMonitor({ bridge, serial: 's', packageName: 'com.demo.shop', rawLogPath: join(mkdtempSync(join(tmpdir(), 'nudge-')), 'raw.log'), onEvent: () => {}, onLines: () => {} });
    await m.start();
    // First poll at 0 (300 ms), the next 1 s after it ended: at about 1,300 ms; none sooner.
    await new Promise((r) => setTimeout(r, 1700));
    await m.stop();
    expect(polls).toHaveLength(2);
    expect(polls[1]! - polls[0]!).toBeGreaterThanOrEqual(1250);
  });
});
