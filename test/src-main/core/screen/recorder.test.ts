/**
 * The session's screen recorder against the reference tools: H.264 made by ffmpeg (720×1600, 30 fps, a key frame
 * every 10 s as a phone's screenrecord sends it) fed as access units with host times; the segments are read by
 * ffprobe and decoded by ffmpeg — whole, and cut at arbitrary points — and each is named in the timeline by its hash.
 */
import { copyFileSync, mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../../src-preload/monitor-events.js';
import type { ScreenEventBody } from '../../../../src-preload/screen.js';
import type { StreamFormat } from '../../../../src-main/core/screen/contracts.js';
import { Recorder } from '../../../../src-main/core/screen/recorder.js';
import { screenSink } from '../../../../src-main/core/screen/screen-sink.js';
import { wholeFragments } from '../../../../src-main/core/screen/segment-recovery.js';
import { Session } from '../../../../src-main/core/session/session.js';
import { scanTimeline } from '../../../../src-main/core/session/timeline-chain.js';
import { decode, probe, testH264 } from '../../../support/ffmpeg-h264.js';
import type { TestUnit } from '../../../support/annexb-units.js';

const FPS = 30;
const T0 = 1_765_000_000_000;
let units: TestUnit[];
let codec: string;

beforeAll(() => {
  // Encoding 130 s of 720×1600 takes ~35 s of CPU (once: cached by its command line in the temp folder).
  ({ units, codec } = testH264({ size: '720x1600', rate: FPS, seconds: 130, gop: 300 }));
}, 300_000);

export function newSession(): Session {
  const dir = mkdtempSync(join(tmpdir(), 'rec-'));
  return Session.create(join(dir, 's'), {
    id: 's', app: { packageName: 'com.example', versionName: null, versionCode: null, apkSha256: null },
    device: { serial: 'emulator-5554', model: null, manufacturer: null, fingerprint: null, androidVersion: null, sdk: null, clockOffsetMs: 0 },
    tester: 't', caseRef: '', startedAt: T0, tool: { name: 'apprights', version: '0' },
  });
}

/** The screen events of the session's timeline, read from disk (after what is queued is written). */
export async function screenEvents(s: Session): Promise<Array<ScreenEventBody & { hostTime: number }>> {
  await s.writer.flush();
  const out: Array<ScreenEventBody & { hostTime: number }> = [];
  scanTimeline(join(s.dir, 'timeline.jsonl'), (line) => {
    const e = (JSON.parse(line.toString('utf8')) as { event: TimelineEvent }).event;
    if (e.source === 'screen') out.push(e as ScreenEventBody & TimelineEvent);
  });
  return out;
}

function format(stream: number): StreamFormat {
  const sps = Buffer.alloc(4);
  return { stream, width: 720, height: 1600, codec, sps, pps: sps };
}

/**
 * Feeds units [from, to) with 30 fps host times (unit i arrived at T0 + i/30 s), a second's worth at a time as a
 * phone sends them (`paced`), or all at once (a disk slower than the phone).
 */
async function feed(r: Recorder, stream: number, from: number, to: number, paced = true): Promise<void> {
  for (let i = from; i < to; i++) {
    r.unit({ stream, seq: i, key: units[i]!.key, hostTime: T0 + (i * 1000) / FPS, data: units[i]!.data });
    if (paced && i % FPS === FPS - 1) await r.idle();
  }
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('the screen recorder', () => {
  it('writes 130 s as segments of 60 s that ffprobe reads at 720×1600 with the input duration, each named by its hash', async () => {
    const s = newSession();
    const r = new Recorder(screenSink(s), { now: () => T0 + 130_000 });
    r.format(format(1));
    const t = performance.now();
    await feed(r, 1, 0, units.length);
    const written = await r.stop('done');
    const ms = performance.now() - t;
    await s.release();
    const segments = (await screenEvents(s)).filter((e) => e.type === 'screen.segment');
    expect(segments.map((e) => e.type === 'screen.segment' && [e.file, e.ended, e.partial, e.frames])).toEqual([
      ['video/seg-000001.mp4', 'rollover', false, 1800], ['video/seg-000002.mp4', 'rollover', false, 1800], ['video/seg-000003.mp4', 'session-stop', false, 300],
    ]);
    expect(written).toHaveLength(3);
    let total = 0;
    for (const e of segments) {
      if (e.type !== 'screen.segment') continue;
      const path = join(s.dir, e.file);
      const p = probe(path);
      expect([p.width, p.height, p.frames, p.status]).toEqual([720, 1600, e.frames, 0]);
      expect(sha(path)).toBe(e.sha256);
      expect(statSync(path).size).toBe(e.size);
      // Video time t ↔ host time firstFrameHostTime + t·1000.
      expect(e.lastFrameHostTime - e.firstFrameHostTime).toBeCloseTo(((e.frames - 1) * 1000) / FPS, 0);
      total += p.duration;
    }
    expect(Math.abs(total - 130) / 130).toBeLessThan(0.02);
    const bytes = segments.reduce((n, e) => n + (e.type === 'screen.segment' ? e.size : 0), 0);
    console.log(`muxed ${(bytes / 1048576).toFixed(1)} MiB (${units.length} frames) in ${ms.toFixed(0)} ms: ${(bytes / 1048576 / (ms / 1000)).toFixed(1)} MiB/s`);
    // The journals of closed segments are gone; the timeline's chain holds.
    expect(scanTimeline(join(s.dir, 'timeline.jsonl')).broken).toBeNull();
  }, 120_000);

  it('starts a new segment at a new stream generation (restart) and at a new size', async () => {
    const s = newSession();
    const r = new Recorder(screenSink(s), { now: () => T0 });
    r.format(format(1));
    await feed(r, 1, 0, 450);
    r.gap({ from: T0 + 15_000, to: T0 + 15_100, reason: 'restart', detail: 'screenrecord reached its time limit' });
    r.format(format(2));
    // The new generation's first key frame (unit 600) at its own host time; units of the old generation are ignored.
    await feed(r, 1, 450, 460);
    for (let i = 600; i < 700; i++) r.unit({ stream: 2, seq: i - 600, key: units[i]!.key, hostTime: T0 + (i * 1000) / FPS, data: units[i]!.data });
    await r.idle();
    r.format({ ...format(3), width: 1600, height: 720 });
    await r.stop(null);
    const ev = (await screenEvents(s));
    const segs = ev.filter((e) => e.type === 'screen.segment');
    expect(segs.map((e) => e.type === 'screen.segment' && [e.index, e.ended, e.frames])).toEqual([[1, 'restart', 450], [2, 'resolution', 100]]);
    expect(ev.filter((e) => e.type === 'screen.gap').map((e) => e.type === 'screen.gap' && e.reason)).toEqual(['restart']);
    expect(probe(join(s.dir, 'video/seg-000002.mp4')).frames).toBe(100);
  }, 60_000);

  it('a segment cut at arbitrary points still decodes every frame of its whole fragments', async () => {
    const s = newSession();
    const r = new Recorder(screenSink(s), { now: () => T0 + 60_000 });
    r.format(format(1));
    await feed(r, 1, 0, 1800);
    await r.stop(null);
    const whole = join(s.dir, 'video/seg-000001.mp4');
    const size = statSync(whole).size;
    for (const cut of [Math.floor(size * 0.37), Math.floor(size * 0.71), size - 1]) {
      const part = join(s.dir, `cut-${cut}.mp4`);
      copyFileSync(whole, part);
      truncateSync(part, cut);
      const fragments = wholeFragments(part);
      expect(fragments).toBeGreaterThan(0);
      const d = decode(part);
      // Fragments start at key frames, 10 s (300 frames) apart: all frames of the whole ones decode.
      expect(d.frames).toBeGreaterThanOrEqual(fragments * 300);
      expect(d.status).toBe(0);
    }
  }, 120_000);

  it('a tampered segment no longer matches the hash its timeline event names', async () => {
    const s = newSession();
    const r = new Recorder(screenSink(s), { now: () => T0 + 10_000});
    r.format(format(1));
    await feed(r, 1, 0, 300);
    await r.stop(null);
    const seg = (await screenEvents(s)).find((e) => e.type === 'screen.segment');
    if (seg?.type !== 'screen.segment') throw new Error('no segment');
    const path = join(s.dir, seg.file);
    expect(sha(path)).toBe(seg.sha256);
    const bytes = readFileSync(path);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    writeFileSync(path, bytes);
    expect(sha(path)).not.toBe(seg.sha256);
  });

  it('keeps memory bounded: beyond the queue limit frames are dropped until a key frame, with a write-failed gap', async () => {
    const s = newSession();
    const r = new Recorder(screenSink(s), { now: () => T0, maxQueueBytes: 512 * 1024 });
    r.format(format(1));
    // All at once, faster than any disk: the queue fills within the first group of pictures.
    await feed(r, 1, 0, 900, false);
    await r.stop(null);
    const ev = (await screenEvents(s));
    const gaps = ev.filter((e) => e.type === 'screen.gap');
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps[0]!.type === 'screen.gap' && [gaps[0]!.reason, gaps[0]!.to]).toEqual(['write-failed', null]);
    expect(gaps[0]!.type === 'screen.gap' && gaps[0]!.detail).toMatch(/fell behind/);
    const segs = ev.filter((e) => e.type === 'screen.segment');
    const frames = segs.reduce((n, e) => n + (e.type === 'screen.segment' ? e.frames : 0), 0);
    expect(frames).toBeLessThan(900);
    // What was kept plays.
    for (const e of segs) if (e.type === 'screen.segment') expect(probe(join(s.dir, e.file)).frames).toBe(e.frames);
  }, 60_000);
});

describe('a stream without key frames', () => {
  it('ends the segment when its open group of pictures outgrows the bound, with a stream-error gap until the next key frame', async () => {
    const s = newSession();
    // The bound set below one group of pictures (10 s, ~330 KB here) to see it act.
    const r = new Recorder(screenSink(s), { now: () => T0 + 20_000, maxGopBytes: 200 * 1024 });
    r.format(format(1));
    await feed(r, 1, 0, 600);
    await r.stop(null);
    const ev = await screenEvents(s);
    const segs = ev.filter((e) => e.type === 'screen.segment');
    const gaps = ev.filter((e) => e.type === 'screen.gap');
    expect(segs.length).toBe(2);
    expect(segs.every((e) => e.type === 'screen.segment' && e.ended === 'stream-error' && e.frames < 300)).toBe(true);
    // Each hole is written when it opens (to: null) and again when a key frame ends it; the last one lasted to the stop.
    expect(gaps.map((e) => e.type === 'screen.gap' && [e.reason, e.to])).toEqual([['stream-error', null], ['stream-error', T0 + 10_000], ['stream-error', null]]);
    for (const e of segs) if (e.type === 'screen.segment') expect(probe(join(s.dir, e.file)).frames).toBe(e.frames);
  }, 60_000);
});
