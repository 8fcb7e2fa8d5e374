/**
 * A hostile policy cannot hold the workbench: `apprights serve` (its own process, the real WebSocket host and
 * dispatcher) reads the red team's 2.85 MB page of one unpunctuated sentence dense with dictionary terms — in a
 * policy check, loaded into a session and judged, and judged again after a restart — while app.info is called
 * every 100 ms; no call waits a second. A policy that outlasts the reading deadline is refused, bilingually,
 * and its reading process ends.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../../../src-preload/api.js';
import type { PolicyComparison } from '../../../../src-preload/policy.js';
import { analysisWorkers } from '../../../../src-main/core/apk/analysis-pool.js';
import { readPolicyOffThread } from '../../../../src-main/core/policy/read-off-thread.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { densePage, denseSentence } from '../../../support/hostile-policy.js';
import { startServe, type ServedWorkbench } from '../../../support/serve.js';
import { startPhone } from '../../../support/virtual-phone.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';

let adb: TestAdbServer;
let phone: VirtualDevice;
const dataDir = mkdtempSync(join(tmpdir(), 'policy-responsive-'));
const PAGE = densePage(2_850_000, 999_000);

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhone(adb, 'compliant-app');
});

afterAll(async () => {
  await phone?.stop();
  await adb?.kill();
});

/** Runs `work` while app.info is called every 100 ms; each call's wait, from sending to its answer. */
async function whileTicking<T>(wb: ServedWorkbench, work: () => Promise<T>): Promise<{ value: T; waits: number[]; ms: number }> {
  const waits: number[] = [];
  const calls: Array<Promise<void>> = [];
  const tick = setInterval(() => {
    const t0 = performance.now();
    calls.push(wb.api.call('app.info').then(() => void waits.push(performance.now() - t0)));
  }, 100);
  const t0 = performance.now();
  try {
    const value = await work();
    return { value, waits, ms: performance.now() - t0 };
  } finally {
    clearInterval(tick);
    await Promise.all(calls);
  }
}

describe('a 2.85 MB policy of one dense sentence', () => {
  it('is checked, loaded into a session and judged, and judged after a restart, while no app.info call waits 1 s', async () => {
    let wb = await startServe(['--data-dir', dataDir], adb.env);
    try {
      const fileId = await wb.upload('dense.html', PAGE);
      const check = await whileTicking(wb, () => wb.api.call<{ comparison: PolicyComparison }>('policy.check', { policyFileId: fileId, url: null, apkFileId: null, typeNo: null }));
      expect(check.value.comparison.policy).toMatchObject({ source: 'file', origin: 'dense.html', chars: 999_000 });
      // The calls kept coming all along (at least every 200 ms on a busy machine), and none waited.
      expect(check.waits.length).toBeGreaterThanOrEqual(Math.floor(check.ms / 200));
      expect(Math.max(...check.waits), `policy.check took ${Math.round(check.ms)} ms`).toBeLessThan(1000);

      await waitFor('the phone online', async () => (await wb.api.call<Array<{ serial: string; state: string }>>('devices.list')).some((d) => d.serial === phone.serial && d.state === 'device'), 15_000);
      const session = await wb.api.call<SessionInfo>('session.start', { serial: phone.serial, packageName: 'com.demo.compliant', tester: '张三', caseRef: 'dense' });
      const loaded = await whileTicking(wb, async () => {
        await wb.api.call('policy.loadFile', { sessionId: session.id, fileId: await wb.upload('dense.html', PAGE) });
        await wb.api.call('checklist.session', { sessionId: session.id });
        return wb.api.call<{ comparison: PolicyComparison }>('policy.view', { sessionId: session.id });
      });
      expect(loaded.value.comparison.policy).toMatchObject({ source: 'file', chars: 999_000 });
      expect(Math.max(...loaded.waits), `loading and judging took ${Math.round(loaded.ms)} ms`).toBeLessThan(1000);
      await wb.api.call('session.pause', { id: session.id });
      await wb.stop();

      // A restarted workbench has no reading of it: judging the session reads it again, off the main thread.
      wb = await startServe(['--data-dir', dataDir], adb.env);
      const again = await whileTicking(wb, () => wb.api.call<{ comparison: PolicyComparison }>('policy.view', { sessionId: session.id }));
      expect(again.value.comparison.policy).toMatchObject({ source: 'file', chars: 999_000 });
      expect(Math.max(...again.waits), `judging after the restart took ${Math.round(again.ms)} ms`).toBeLessThan(1000);
    } finally {
      await wb.stop();
    }
  }, 180_000);

  it('past the reading deadline is refused in both languages, and its reading process ends', async () => {
    const t0 = performance.now();
    const refused = readPolicyOffThread({ text: denseSentence(999_000), what: 'dense.txt' }, { timeoutMs: 100 });
    await expect(refused).rejects.toMatchObject({ code: 'policy.refused', message: expect.stringMatching(/^reading dense\.txt took longer than 0\.1 s and was stopped; .*读取“dense\.txt”超过 0\.1 秒，已停止/) });
    expect(performance.now() - t0).toBeLessThan(5000);
    // The child is killed at the deadline (its exit is counted when the OS reports it).
    await waitFor('the reading process gone', async () => analysisWorkers.live === 0, 5000);
  });
});
