/**
 * Benchmark (not a test gate) of a package with a screen recording: a session with 200 MB of video segments
 * (four 48 MiB files named by screen.segment events; random bytes — the export hashes and stores bytes, it never
 * decodes them) exported with the real code, against `zip -0` of the same files in the same run (rounds
 * interleaved), the export's peak RSS beside the video's size (the segments stream: memory must not grow with
 * them), verify of the package, and `evidence.estimate`'s time on the same session.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimatePackage } from '../../src-main/core/evidence/estimate.js';
import { exportPackage, IdentityStore, verifyPackage } from '../../src-main/core/evidence/index.js';
import { Session } from '../../src-main/core/session/index.js';
import type { TimelineEvent } from '../../src-preload/monitor-events.js';

const PASS = 'correct horse battery';
const TOOL = { name: 'AppRights Workbench', version: 'bench' };
const SEGMENTS = 4;
const SEGMENT_BYTES = 48 * 1024 * 1024;
const root = mkdtempSync(join(tmpdir(), 'bench-evidence-video-'));

async function session(): Promise<{ dir: string; files: string[] }> {
  const dir = join(root, 'session');
  const s = Session.create(dir, {
    id: 'session', app: { packageName: 'com.demo.shop', versionName: '1.0', versionCode: 1, apkSha256: null },
    device: { serial: 'bench', model: 'Pixel 7', manufacturer: 'Google', fingerprint: null, androidVersion: '13', sdk: 33, clockOffsetMs: 0 },
    tester: '张三', caseRef: 'BENCH-1', startedAt: Date.now() - 300_000, tool: TOOL,
  });
  s.append({ type: 'session.started', reason: null });
  mkdirSync(join(dir, 'video'));
  const files: string[] = [];
  const chunk = randomBytes(4 << 20);
  for (let i = 0; i < SEGMENTS; i++) {
    const file = `video/seg-${String(i + 1).padStart(6, '0')}.mp4`;
    const fd = openSync(join(dir, file), 'w');
    const hash = createHash('sha256');
    for (let written = 0; written < SEGMENT_BYTES; written += chunk.length) {
      chunk.writeUInt32LE(i * 1000 + written / chunk.length, 0);
      writeSync(fd, chunk);
      hash.update(chunk);
    }
    closeSync(fd);
    const first = Date.now() - 300_000 + i * 61_000;
    s.appendObserved({ seq: 0, serial: 'bench', packageName: null, hostTime: first + 60_000, deviceTime: null, source: 'screen', raw: [], type: 'screen.segment', index: i + 1, file, sha256: hash.digest('hex'), size: SEGMENT_BYTES, firstFrameHostTime: first, lastFrameHostTime: first + 59_966, frames: 1800, width: 576, height: 1280, codec: 'avc1.42c01f', ended: 'rollover', partial: false } as TimelineEvent);
    files.push(file);
  }
  await s.setState('closed', null);
  await s.release();
  return { dir, files };
}

async function main(): Promise<void> {
  const { dir, files } = await session();
  const store = new IdentityStore(join(root, 'data'));
  const info = await store.createSelfSigned('张三', PASS);
  const identity = await store.unlock(info.id, PASS);

  const e0 = performance.now();
  const estimate = estimatePackage(dir);
  const estimateMs = performance.now() - e0;
  console.log(`estimate: ${estimateMs.toFixed(1)} ms — ${estimate.videoSegments} segments, ${(estimate.videoBytes / 1e6).toFixed(0)} MB of video, ${estimate.bytes} bytes besides, ${estimate.videoSeconds} s`);

  const exportMs: number[] = [];
  const zipMs: number[] = [];
  let peakRss = 0;
  const rss0 = process.memoryUsage().rss;
  for (let round = 0; round < 3; round++) {
    const out = join(root, `pkg-${round}.zip`);
    const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 20);
    const t = performance.now();
    await exportPackage({ sessionDir: dir, out, identity, national: false, compress: false, tsaUrl: null, tool: TOOL });
    exportMs.push(performance.now() - t);
    clearInterval(sampler);
    if (round === 0) {
      const v = performance.now();
      const report = await verifyPackage(out);
      console.log(`verify: ${report.ok ? 'ok' : 'FAILED'} in ${(performance.now() - v).toFixed(0)} ms, package ${(statSync(out).size / 1e6).toFixed(1)} MB`);
    }
    rmSync(out);
    const z = performance.now();
    const r = spawnSync('zip', ['-0', '-q', join(root, 'ref.zip'), 'session.json', 'timeline.jsonl', ...files], { cwd: dir });
    zipMs.push(performance.now() - z);
    if (r.status !== 0) throw new Error(`zip failed: ${r.stderr}`);
    rmSync(join(root, 'ref.zip'));
  }
  const median = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1]!;
  const mb = (SEGMENTS * SEGMENT_BYTES) / 1e6;
  console.log(`export with ${mb.toFixed(0)} MB of video: median ${median(exportMs).toFixed(0)} ms (${exportMs.map((m) => m.toFixed(0)).join(', ')}) = ${(mb / (median(exportMs) / 1000)).toFixed(0)} MB/s`);
  console.log(`zip -0 of the same files: median ${median(zipMs).toFixed(0)} ms (${zipMs.map((m) => m.toFixed(0)).join(', ')}); export / zip -0 = ${(median(exportMs) / median(zipMs)).toFixed(2)}`);
  console.log(`peak RSS during export: ${((peakRss - rss0) / 1e6).toFixed(0)} MB above the ${(rss0 / 1e6).toFixed(0)} MB at start (video ${mb.toFixed(0)} MB)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
}).finally(() => rmSync(root, { recursive: true, force: true }));
