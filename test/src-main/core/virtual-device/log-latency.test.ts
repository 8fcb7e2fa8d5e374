/**
 * One line at a time: a line the phone logs reaches an `adb logcat` follower through the real adb server
 * quickly (sparse, distinct probe lines, 100 ms apart — the case where write coalescing and delayed
 * acknowledgements used to hold a lone line back).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let phone: VirtualDevice;

beforeAll(async () => {
  adb = await startAdbServer();
  const p = await startPhone(adb, 'compliant-app');
  phone = p;
}, 60_000);

afterAll(async () => {
  await phone?.stop();
  await adb?.kill();
});

describe('a lone log line', () => {
  it('reaches an adb logcat follower in a few milliseconds', async () => {
    const f = spawn('adb', ['-s', phone.serial, 'logcat', '-v', 'brief', 'Probe:I', '*:S'], { env: adb.env, stdio: ['ignore', 'pipe', 'ignore'] });
    let text = '';
    const seen = new Map<number, number>();
    f.stdout!.on('data', (d: Buffer) => {
      const at = performance.now();
      text += d.toString();
      for (const m of text.matchAll(/probe (\d+)/g)) if (!seen.has(Number(m[1]))) seen.set(Number(m[1]), at);
    });
    await new Promise((r) => setTimeout(r, 1500));
    const sent = new Map<number, number>();
    for (let i = 0; i < 60; i++) {
      sent.set(i, performance.now());
      phone.system.appLog('com.demo.compliant', 4, 'Probe', `probe ${i}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500));
    f.kill();
    const latencies = [...sent].map(([i, t]) => (seen.get(i) ?? Infinity) - t).sort((a, b) => a - b);
    const p50 = latencies[30]!, p95 = latencies[57]!;
    console.log(`lone line to an adb logcat follower: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${latencies[59]!.toFixed(1)} ms`);
    // Measured p50 0.6 / p95 1.1 ms on an idle machine, p95 10 ms with CI and two test loops sharing its 2
    // cores. The median is what a stall moves (it was 20 ms when lone lines waited for acknowledgements); the
    // tail is reported, not gated, because scheduling noise owns it on a busy machine.
    expect(p50).toBeLessThan(5);
    expect(latencies.filter((l) => l === Infinity)).toHaveLength(0);
  }, 60_000);
});
