/**
 * Benchmark (not a test gate): full analysis of appium-uiautomator2-server (18 MB, 16 dex) in a worker against
 * `aapt dump badging` + `dexdump` on the same file in the same run, with the worker's peak memory; then batch
 * throughput over 100 analyses with the worker pool on all cores.
 */
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import { promisify } from 'node:util';
import { analyzeFiles } from '../../src-main/core/apk/index.js';
import { TEST_APKS } from '../support/virtual-phone.js';

const run = promisify(execFile);

async function main(): Promise<void> {
  const apk = TEST_APKS.uiautomator2;
  await analyzeFiles([apk], { concurrency: 1 });
  const ours = [];
  for (let i = 0; i < 3; i++) ours.push((await analyzeFiles([apk], { concurrency: 1 }))[0]!);
  const ref: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await run('aapt', ['dump', 'badging', apk], { maxBuffer: 1 << 28 });
    await run('dexdump', [apk], { maxBuffer: 1 << 30 });
    ref.push(performance.now() - t);
  }
  const best = Math.min(...ours.map((o) => o.ms));
  const bestRef = Math.min(...ref);
  const peak = Math.max(...ours.map((o) => o.peakBytes ?? 0));
  console.log(`full analysis of ${apk.split('/').pop()} (${(statSync(apk).size / 1e6).toFixed(1)} MB, 16 dex): best ${best} ms in a worker vs aapt dump badging + dexdump ${bestRef.toFixed(0)} ms (ratio ${(best / bestRef).toFixed(2)}, goal < 1); worker peak ${(peak / 1048576).toFixed(0)} MiB (goal < 300)`);
  const batch = Array.from({ length: 100 }, (_, i) => Object.values(TEST_APKS)[i % 3]!);
  const t = performance.now();
  const outcomes = await analyzeFiles(batch);
  const secs = (performance.now() - t) / 1000;
  console.log(`batch: ${outcomes.filter((o) => o.ok).length}/100 analyses of the three test APKs in ${secs.toFixed(1)} s = ${(100 / secs).toFixed(1)} APKs/s on ${availableParallelism()} cores`);
}

void main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
