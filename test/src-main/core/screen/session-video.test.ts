/**
 * The screen recording follows the session: the session manager tells every follower (network and video) in turn,
 * a failing one is recorded without keeping the others from being told; a session started with video records its
 * phone's stream into segments, paused and resumed it goes on numbering them, started with `video: false` it never
 * attaches (and a resume after a restart, read from session.json, does as the start chose). The stream here is
 * ffmpeg-made H.264 played by a test source (the adb path is tested with the virtual phone elsewhere).
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../../src-preload/monitor-events.js';
import type { ScreenConsumer, ScreenStreams } from '../../../../src-main/core/screen/contracts.js';
import { SessionVideo } from '../../../../src-main/core/screen/session-video.js';
import { SessionManager, type RecordingFollower } from '../../../../src-main/core/session/session-manager.js';
import { readSessionMeta } from '../../../../src-main/core/session/session-meta.js';
import { probe, testH264 } from '../../../support/ffmpeg-h264.js';
import type { TestUnit } from '../../../support/annexb-units.js';

let h264: { units: TestUnit[]; codec: string };
beforeAll(() => {
  // 20 s at 360×800 with a key frame every 2 s: small enough to encode in a few seconds.
  h264 = testH264({ size: '360x800', rate: 30, seconds: 20, gop: 60 });
}, 120_000);

/** A phone's stream from a file: attach() starts playing units (host times now + i/30 s) to the consumer. */
class FileStreams implements ScreenStreams {
  attached: Array<{ serial: string; purpose: string; consumer: ScreenConsumer; detached: boolean }> = [];
  private generation = 0;
  attach(serial: string, consumer: ScreenConsumer, purpose: 'live' | 'record'): () => void {
    const entry = { serial, purpose, consumer, detached: false };
    this.attached.push(entry);
    consumer.format({ stream: ++this.generation, width: 360, height: 800, codec: h264.codec, sps: Buffer.alloc(0), pps: Buffer.alloc(0) });
    return () => {
      entry.detached = true;
    };
  }
  /** Plays units [from, to) to every attached consumer, a second's worth at a time. */
  async play(from: number, to: number): Promise<void> {
    const t0 = Date.now();
    for (let i = from; i < to; i++) {
      for (const a of this.attached) if (!a.detached) a.consumer.unit({ stream: this.generation, seq: i, key: h264.units[i]!.key, hostTime: t0 + ((i - from) * 1000) / 30, data: h264.units[i]!.data });
      if (i % 30 === 29) await new Promise((r) => setTimeout(r, 5));
    }
  }
  async stopAll(): Promise<void> {}
}

function manager(root: string, recording: RecordingFollower[]): SessionManager {
  return new SessionManager({
    root, tool: { name: 'apprights', version: 'test' }, monitors: { start: async () => undefined, stop: async () => undefined },
    describe: async (serial) => ({ device: { serial, model: null, manufacturer: null, fingerprint: null, androidVersion: null, sdk: null, clockOffsetMs: 0 }, app: {} }),
    recording,
  });
}

async function screenEvents(m: SessionManager, id: string): Promise<TimelineEvent[]> {
  return (await m.timeline(id, 0, 2000)).entries.map((e) => e.event).filter((e) => e.source === 'screen' || e.type === 'session.problem');
}

describe('the session video follower', () => {
  it('records the session into segments, tells every follower even when one fails, and goes on numbering after a pause', async () => {
    const streams = new FileStreams();
    const video = new SessionVideo(() => streams);
    const told: string[] = [];
    const failing: RecordingFollower = {
      afterStart: async () => { told.push('network start'); throw new Error('the proxy would not start'); },
      beforeStop: async () => void told.push('network stop'), afterResume: async () => void told.push('network resume'),
    };
    const m = manager(mkdtempSync(join(tmpdir(), 'sv-')), [failing, video]);
    const s = await m.start({ serial: 'emulator-5554', packageName: 'com.example', tester: 't', caseRef: '' });
    expect(streams.attached.map((a) => [a.serial, a.purpose])).toEqual([['emulator-5554', 'record']]);
    await streams.play(0, 150);
    await m.pause(s.id);
    expect(streams.attached[0]!.detached).toBe(true);
    await m.resume(s.id);
    await streams.play(300, 390);
    await m.close(s.id);
    expect(told).toEqual(['network start', 'network stop', 'network resume', 'network stop']);
    const ev = await screenEvents(m, s.id);
    expect(ev.filter((e) => e.type === 'session.problem').map((e) => e.type === 'session.problem' && e.code)).toEqual(['network-failed']);
    const segs = ev.filter((e) => e.type === 'screen.segment');
    expect(segs.map((e) => e.type === 'screen.segment' && [e.file, e.ended, e.frames])).toEqual([['video/seg-000001.mp4', 'session-stop', 150], ['video/seg-000002.mp4', 'session-stop', 90]]);
    for (const e of segs) if (e.type === 'screen.segment') expect(probe(join(s.dir, e.file))).toMatchObject({ width: 360, height: 800, frames: e.frames });
    expect(ev.filter((e) => e.type === 'screen.recording').map((e) => e.type === 'screen.recording' && e.state)).toEqual(['h264', 'off', 'h264', 'off']);
    expect(video.written(s.id).map((f) => f.index)).toEqual([1, 2]);
  }, 60_000);

  it('a session started with video: false never attaches, and keeps that choice in session.json for a later resume', async () => {
    const streams = new FileStreams();
    const root = mkdtempSync(join(tmpdir(), 'sv-off-'));
    const m = manager(root, [new SessionVideo(() => streams)]);
    const s = await m.start({ serial: 'emulator-5554', packageName: 'com.example', tester: 't', caseRef: '', video: false });
    await m.pause(s.id);
    expect(readSessionMeta(s.dir).video).toBe(false);
    await m.closeAll();
    // Another process (a restarted workbench) resumes it: still no video.
    const again = manager(root, [new SessionVideo(() => streams)]);
    await again.resume(s.id);
    await again.close(s.id);
    expect(streams.attached).toEqual([]);
    expect(readdirSync(s.dir)).not.toContain('video');
  });
});
