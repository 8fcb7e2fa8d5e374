/**
 * The screen recording in the evidence package: a session with real fMP4 segments (ffmpeg) and their
 * screen.segment events is exported with the real code; the segments travel stored under video/, listed in the
 * manifest and SHA256SUMS, and every VERIFY.txt bash step passes as printed (real openssl, sha256sum, python3).
 * A segment changed inside the package fails our verifier (naming it) and `sha256sum -c` as VERIFY.txt prints it;
 * a segment changed in the session stops the export; `video: false` leaves them out and still verifies; the
 * estimate says the files' sizes.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportProgress } from '../../../../src-preload/api.js';
import { WorkbenchError } from '../../../../src-main/core/errors.js';
import { estimatePackage } from '../../../../src-main/core/evidence/estimate.js';
import { exportPackage, IdentityStore, verifyPackage } from '../../../../src-main/core/evidence/index.js';
import { PackageReader } from '../../../../src-main/core/evidence/package-reader.js';
import { BASH_SECTION } from '../../../../src-main/core/evidence/verify-instructions.js';
import { VideoIndex } from '../../../../src-main/core/evidence/video-segments.js';
import type { TimelineEvent } from '../../../../src-preload/monitor-events.js';
import { PASSPHRASE, readEntries, TOOL, writeEntries } from '../../../support/evidence-fixtures.js';
import { bash, stepsOf } from '../../../support/verify-txt-steps.js';
import { videoSession, type VideoSessionLayout } from '../../../support/video-session.js';

/** Runs VERIFY.txt's steps (as printed in the package) on a copy of `pkg`; returns each step's result. */
function runVerifyTxt(pkg: string, work: string): Map<number, { status: number | null; out: string }> {
  const dir = mkdtempSync(join(work, 'run-'));
  const text = spawnSync('unzip', ['-p', pkg, 'VERIFY.txt'], { encoding: 'utf8' }).stdout;
  // A tampered copy keeps the VERIFY.txt of the package it was made from: it is unpacked under that name.
  const named = /^unzip -q '?\.\/([\w.-]+)'? -d evidence/m.exec(text)?.[1];
  expect(named).toBeTruthy();
  copyFileSync(pkg, join(dir, named!));
  const results = new Map<number, { status: number | null; out: string }>();
  for (const [n, step] of stepsOf(text, BASH_SECTION)) results.set(n, bash(step, n === 0 ? dir : join(dir, 'evidence')));
  return results;
}

function failedChecks(report: Awaited<ReturnType<typeof verifyPackage>>): string[] {
  return report.checks.filter((c) => !c.ok && !c.neutral).map((c) => `${c.id}: ${c.en}`);
}

let root: string;
let layout: VideoSessionLayout;
let store: IdentityStore;

async function exportWith(out: string, o: { video?: boolean; compress?: boolean; national?: boolean; dir?: string; progress?: ExportProgress[] } = {}) {
  const id = store.list()[0]?.id ?? (await store.createSelfSigned('张三', PASSPHRASE)).id;
  return exportPackage({
    sessionDir: o.dir ?? layout.dir, out: join(root, out), identity: await store.unlock(id, PASSPHRASE), national: o.national ?? false, compress: o.compress ?? false, tsaUrl: null, tool: TOOL, video: o.video,
    onProgress: (p) => o.progress?.push({ sessionId: 's', ...p }),
  });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'video-package-'));
  layout = await videoSession(join(root, 'session'));
  store = new IdentityStore(join(root, 'data'));
}, 60_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('the screen recording in the package', () => {
  it('travels stored under video/, in the manifest and SHA256SUMS; every VERIFY.txt step passes as printed; our verifier agrees', async () => {
    const progress: ExportProgress[] = [];
    // Compression asked for: the video is still stored (H.264 does not deflate; a stored entry streams as it is).
    const out = await exportWith('video.zip', { compress: true, national: true, progress });
    const reader = new PackageReader(out.path);
    try {
      for (const s of layout.segments) {
        const entry = reader.entries.get(s.file);
        expect(entry, s.file).toBeDefined();
        expect(entry!.method).toBe(0);
        expect(entry!.size).toBe(s.size);
      }
    } finally {
      reader.close();
    }
    const entries = new Map(await readEntries(out.path));
    for (const s of layout.segments) expect(entries.get(s.file)!.equals(readFileSync(join(layout.dir, s.file)))).toBe(true);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as { files: Array<{ path: string; size: number; sha256: string; sm3: string | null; category: string; format: string }> };
    const listed = manifest.files.filter((f) => f.path.startsWith('video/'));
    expect(listed.map((f) => [f.path, f.size, f.sha256, f.category])).toEqual(layout.segments.map((s) => [s.file, s.size, s.sha256, 'video']));
    expect(listed.every((f) => /^[0-9a-f]{64}$/.test(f.sm3 ?? ''))).toBe(true);
    const sums = entries.get('SHA256SUMS')!.toString('utf8');
    for (const s of layout.segments) expect(sums).toContain(`${s.sha256}  ${s.file}\n`);
    // Progress counts the video's bytes: the last "hashing" total holds them.
    const videoBytes = layout.segments.reduce((n, s) => n + s.size, 0);
    const total = progress.at(-1)!.total;
    expect(total).toBeGreaterThanOrEqual(videoBytes);
    expect(total).toBe(estimatePackage(layout.dir).bytes + videoBytes);

    const steps = runVerifyTxt(out.path, root);
    expect(steps.size).toBeGreaterThanOrEqual(4);
    for (const [n, r] of steps) expect(r.status, `step ${n}: ${r.out}`).toBe(0);
    expect(steps.get(2)!.out).toContain(`${layout.segments[1]!.file}: OK`);
    const report = await verifyPackage(out.path);
    expect(failedChecks(report)).toEqual([]);
    expect(report.ok).toBe(true);
  }, 60_000);

  it('a segment changed inside the package: our verifier names it, and VERIFY.txt (sha256sum -c) fails on it', async () => {
    const good = (await exportWith('tamper-src.zip')).path;
    const target = layout.segments[1]!;
    // 1. One byte flipped in the zip as it is (CRC left as it was): the unpack step fails, our verifier names the segment.
    const bytes = readFileSync(good);
    const original = readFileSync(join(layout.dir, target.file));
    const at = bytes.indexOf(original.subarray(20_000, 20_064));
    expect(at).toBeGreaterThan(0);
    bytes.writeUInt8(bytes.readUInt8(at + 10) ^ 0x01, at + 10);
    writeFileSync(join(root, 'flipped.zip'), bytes);
    const flipped = await verifyPackage(join(root, 'flipped.zip'));
    expect(flipped.ok).toBe(false);
    expect(failedChecks(flipped).join('\n')).toContain(target.file);
    const unpack = runVerifyTxt(join(root, 'flipped.zip'), root).get(0)!;
    expect(unpack.status).not.toBe(0);
    expect(unpack.out).toMatch(/bad CRC|CRC error/i);

    // 2. Re-zipped with the changed segment (a sound zip): sha256sum -c as printed fails on that file alone.
    const entries = await readEntries(good);
    const changed = entries.map(([name, data]): [string, Buffer] => {
      if (name !== target.file) return [name, data];
      const copy = Buffer.from(data);
      copy.writeUInt8(copy.readUInt8(copy.length >> 1) ^ 0x80, copy.length >> 1);
      return [name, copy];
    });
    await writeEntries(join(root, 'rezipped.zip'), changed);
    const rezipped = await verifyPackage(join(root, 'rezipped.zip'));
    expect(rezipped.ok).toBe(false);
    const failed = failedChecks(rezipped);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/^files\.hashes: /);
    expect(failed[0]).toContain(target.file);
    expect(failed[0]).not.toContain(layout.segments[0]!.file);
    const steps = runVerifyTxt(join(root, 'rezipped.zip'), root);
    expect(steps.get(0)!.status).toBe(0);
    expect(steps.get(1)!.status, steps.get(1)!.out).toBe(0);
    expect(steps.get(2)!.status).not.toBe(0);
    expect(steps.get(2)!.out).toContain(`${target.file}: FAILED`);
    expect(steps.get(2)!.out).toContain(`${layout.segments[0]!.file}: OK`);
  }, 60_000);

  it('a segment changed in the session after it was recorded stops the export, naming it; nothing is left behind', async () => {
    const copy = join(root, 'changed-session');
    cpSync(layout.dir, copy, { recursive: true });
    const file = join(copy, layout.segments[0]!.file);
    const data = readFileSync(file);
    data.writeUInt8(data.readUInt8(1000) ^ 0xff, 1000);
    writeFileSync(file, data);
    const err = await exportWith('changed.zip', { dir: copy }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkbenchError);
    expect((err as WorkbenchError).code).toBe('evidence.video-changed');
    expect((err as WorkbenchError).message).toContain(layout.segments[0]!.file);
    expect((err as WorkbenchError).message).toContain(`line ${layout.segments[0]!.seq}`);
    expect((err as WorkbenchError).details.file).toBe(layout.segments[0]!.file);
    expect(existsSync(join(root, 'changed.zip'))).toBe(false);
    expect(readdirSync(root).filter((n) => n.includes('.partial'))).toEqual([]);
    // A cut segment (a crash, a copy that stopped) is caught by its size before a byte is read.
    truncateSync(file, 1000);
    const cut = await exportWith('cut.zip', { dir: copy }).catch((e: unknown) => e);
    expect((cut as WorkbenchError).code).toBe('evidence.video-changed');
    expect((cut as WorkbenchError).message).toContain('holds 1000 bytes');
    // Found before the package file was even opened: the file opened afterwards is removed too.
    await new Promise((r) => setTimeout(r, 300));
    expect(readdirSync(root).filter((n) => n.startsWith('cut.zip'))).toEqual([]);
    // Without video the same session exports: the changed file is not read.
    const without = await exportWith('changed-no-video.zip', { dir: copy, video: false });
    expect((await verifyPackage(without.path)).ok).toBe(true);
  }, 60_000);

  it('video: false leaves the segments out, verifies, and the report and the timeline still name them by hash', async () => {
    const out = await exportWith('no-video.zip', { video: false });
    const entries = new Map(await readEntries(out.path));
    expect([...entries.keys()].filter((n) => n.startsWith('video/'))).toEqual([]);
    const report = await verifyPackage(out.path);
    expect(failedChecks(report)).toEqual([]);
    const html = entries.get('report.html')!.toString('utf8');
    expect(html).toContain('本包不含录屏');
    expect(html).toContain('This package carries no screen recording');
    expect(html).not.toContain('<video');
    expect(html).not.toContain('<script');
    const timeline = entries.get('timeline.jsonl')!.toString('utf8');
    for (const s of layout.segments) {
      expect(html).toContain(s.sha256);
      expect(timeline).toContain(s.sha256);
    }
    const withVideo = await exportWith('with-video.zip');
    const videoBytes = layout.segments.reduce((n, s) => n + s.size, 0);
    expect(withVideo.size - out.size).toBeGreaterThanOrEqual(videoBytes);
  }, 60_000);

  it('a segment file missing from the session is named as left out; events naming other files are never read', async () => {
    const copy = join(root, 'missing-session');
    cpSync(layout.dir, copy, { recursive: true });
    rmSync(join(copy, layout.segments[0]!.file));
    const out = await exportWith('missing.zip', { dir: copy });
    expect(out.refused).toEqual([{ path: layout.segments[0]!.file, reason: 'missing' }]);
    const entries = new Map(await readEntries(out.path));
    expect(entries.has(layout.segments[0]!.file)).toBe(false);
    expect(entries.has(layout.segments[1]!.file)).toBe(true);
    expect((await verifyPackage(out.path)).ok).toBe(true);

    const index = new VideoIndex();
    const base = { seq: 1, serial: 's', packageName: null, hostTime: 1, deviceTime: null, source: 'screen' as const, raw: [] };
    const segment = (file: string, extra: Record<string, unknown> = {}) => ({ ...base, type: 'screen.segment', index: 1, file, sha256: 'a'.repeat(64), size: 10, firstFrameHostTime: 0, lastFrameHostTime: 1000, frames: 30, width: 360, height: 800, codec: 'avc1', ended: 'rollover', partial: false, ...extra }) as TimelineEvent;
    for (const file of ['../session.json', 'video/../session.json', '/etc/passwd', 'video/seg-1.mp4', 'blobs/x.mp4', 'video/seg-000001.mp4\n']) index.add(1, segment(file));
    index.add(2, segment('video/seg-000002.mp4', { size: -1 }));
    index.add(3, segment('video/seg-000003.mp4', { lastFrameHostTime: -5 }));
    expect(index.segments).toEqual([]);
    expect(index.ignored).toBe(8);
    index.add(4, segment('video/seg-000004.mp4'));
    index.add(5, segment('video/seg-000004.mp4'));
    expect(index.segments.map((s) => s.seq)).toEqual([4]);
  }, 60_000);

  it('the estimate says the files\' sizes, with the video apart, in bounded time', async () => {
    const t0 = performance.now();
    const e = estimatePackage(layout.dir);
    const ms = performance.now() - t0;
    const sizeOf = (p: string): number => statSync(join(layout.dir, p)).size;
    const blobs = readdirSync(join(layout.dir, 'blobs')).map((n) => sizeOf(`blobs/${n}`));
    expect(e.bytes).toBe(sizeOf('session.json') + sizeOf('timeline.jsonl') + sizeOf('logcat.log') + blobs.reduce((a, b) => a + b, 0));
    expect(e.videoBytes).toBe(layout.segments.reduce((n, s) => n + sizeOf(s.file), 0));
    expect(e.videoSegments).toBe(2);
    expect(e.videoSeconds).toBeCloseTo(layout.segments.reduce((n, s) => n + (s.last - s.first) / 1000, 0), 3);
    expect(ms).toBeLessThan(2000);
    // The package (stored, not compressed) is the session's files plus what the export writes (report, manifest, signature).
    const out = await exportWith('estimated.zip');
    expect(out.size).toBeGreaterThan(e.bytes + e.videoBytes);
    expect(out.size).toBeLessThan(e.bytes + e.videoBytes + 512 * 1024);
    console.log(`estimate: ${ms.toFixed(1)} ms; estimated ${e.bytes + e.videoBytes} bytes of files, package ${out.size} bytes`);
  }, 60_000);
});

