/**
 * The recorder when things go wrong, with the real thing each time: a recording process killed with SIGKILL
 * mid-segment (its segments recovered, the open group of pictures from its journal, losing at most about a
 * second), and a disk that fills (a 1 MiB tmpfs mounted on the session's video folder: the kernel's ENOSPC).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../../src-preload/monitor-events.js';
import type { ScreenEventBody } from '../../../../src-preload/screen.js';
import { Recorder } from '../../../../src-main/core/screen/recorder.js';
import { screenSink } from '../../../../src-main/core/screen/screen-sink.js';
import { recoverSession } from '../../../../src-main/core/session/session-manager.js';
import { Session } from '../../../../src-main/core/session/session.js';
import { readSessionMeta } from '../../../../src-main/core/session/session-meta.js';
import { scanTimeline } from '../../../../src-main/core/session/timeline-chain.js';
import { probe, testH264 } from '../../../support/ffmpeg-h264.js';
import type { TestUnit } from '../../../support/annexb-units.js';

const root = join(__dirname, '..', '..', '..', '..');
const T0 = 1_765_000_000_000;
let h264: { units: TestUnit[]; codec: string; file: string };

beforeAll(() => {
  // Encoding 130 s of 720×1600 takes ~35 s of CPU (once: cached by its command line in the temp folder).
  h264 = testH264({ size: '720x1600', rate: 30, seconds: 130, gop: 300 });
}, 300_000);

function events(dir: string): Array<ScreenEventBody & TimelineEvent> {
  const out: Array<ScreenEventBody & TimelineEvent> = [];
  scanTimeline(join(dir, 'timeline.jsonl'), (line) => {
    const e = (JSON.parse(line.toString('utf8')) as { event: TimelineEvent }).event;
    if (e.source === 'screen') out.push(e as ScreenEventBody & TimelineEvent);
  });
  return out;
}

describe('a recording killed with SIGKILL', () => {
  it('leaves segments that recovery names (partial, recovered) and that play, losing at most about a second', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rec-kill-')), 's');
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'test', 'support', 'screen-recorder-child.ts'), dir, h264.file, '1000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    // Fed ten times faster than real time: 700 units = 23 s of video, past two key frames (fragments) into the third group.
    let fed = 0;
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        const m = /fed (\d+)\n(?![\s\S]*fed)/.exec(d.toString());
        if (m) fed = Number(m[1]);
        if (fed >= 700) resolve();
      });
      child.once('exit', () => reject(new Error(`the child stopped at ${fed}`)));
    });
    // A moment for the journal's once-a-second fsync, then the kill (what came in the last second may be lost).
    await new Promise((r) => setTimeout(r, 1200));
    const atKill = fed;
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(readdirSync(join(dir, 'video')).sort()).toEqual(['seg-000001.gop', 'seg-000001.mp4']);
    expect(events(dir).filter((e) => e.type === 'screen.segment')).toEqual([]);

    const r = await recoverSession(dir);
    expect(r.recovered).toBe(true);
    const segs = events(dir).filter((e) => e.type === 'screen.segment');
    expect(segs.map((e) => e.type === 'screen.segment' && [e.file, e.ended, e.partial])).toEqual([['video/seg-000001.mp4', 'recovered', true], ['video/seg-000002.mp4', 'recovered', true]]);
    let frames = 0;
    for (const e of segs) {
      if (e.type !== 'screen.segment') continue;
      const p = probe(join(dir, e.file));
      expect([p.width, p.height, p.status]).toEqual([720, 1600, 0]);
      expect(p.frames).toBe(e.frames);
      frames += e.frames;
    }
    // The file holds whole groups of pictures (fragments of 300 frames); the journal the rest up to its last fsync.
    const first = segs[0]!;
    const inFile = first.type === 'screen.segment' ? first.frames : -1;
    expect(inFile % 300).toBe(0);
    expect(inFile).toBeGreaterThanOrEqual(600);
    const second = segs[1]!;
    expect(second.type === 'screen.segment' && second.firstFrameHostTime).toBe(T0 + (inFile * 1000) / 30);
    // Fed at 300 units a second of wall time: a second of wall time is at most 300 units (10 s of video at 10× speed);
    // what the phone sends in real time is 30 units a second.
    expect(atKill - frames).toBeLessThanOrEqual(300 + 30);
    expect(frames).toBeGreaterThan(600);
    // The chain holds, the session is paused and a second recovery names nothing twice.
    expect(scanTimeline(join(dir, 'timeline.jsonl')).broken).toBeNull();
    expect(readSessionMeta(dir).state).toBe('paused');
    expect(readdirSync(join(dir, 'video')).sort()).toEqual(['seg-000001.mp4', 'seg-000002.mp4']);
  }, 120_000);
});

/** A tmpfs of `size` on `dir` (root only: the test says so plainly when it cannot mount). */
function mountTmpfs(dir: string, size: string): boolean {
  mkdirSync(dir, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status === 0;
}
const mounted: string[] = [];
afterAll(() => {
  for (const m of mounted) spawnSync('umount', [m]);
});
const canMount = (() => {
  const probeDir = mkdtempSync(join(tmpdir(), 'mount-probe-'));
  const ok = mountTmpfs(probeDir, '64k');
  if (ok) spawnSync('umount', [probeDir]);
  else console.warn('recording-faults: cannot mount a tmpfs here (not root?): the disk-full test is skipped');
  return ok;
})();

describe('a disk that fills while recording', () => {
  it.skipIf(!canMount)('abandons the segment with a write-failed gap, keeps the session recording, and writes again at a key frame once there is room', async () => {
    const base = mkdtempSync(join(tmpdir(), 'rec-full-'));
    const s = Session.create(join(base, 's'), {
      id: 's', app: { packageName: 'com.example', versionName: null, versionCode: null, apkSha256: null },
      device: { serial: 'emulator-5554', model: null, manufacturer: null, fingerprint: null, androidVersion: null, sdk: null, clockOffsetMs: 0 },
      tester: 't', caseRef: '', startedAt: T0, tool: { name: 'apprights', version: '0' },
    });
    const video = join(s.dir, 'video');
    expect(mountTmpfs(video, '512k')).toBe(true);
    mounted.push(video);
    const r = new Recorder(screenSink(s), { now: () => T0 + 60_000 });
    r.format({ stream: 1, width: 720, height: 1600, codec: h264.codec, sps: Buffer.alloc(0), pps: Buffer.alloc(0) });
    const feed = async (from: number, to: number): Promise<void> => {
      for (let i = from; i < to; i++) {
        r.unit({ stream: 1, seq: i, key: h264.units[i]!.key, hostTime: T0 + (i * 1000) / 30, data: h264.units[i]!.data });
        if (i % 30 === 29) await r.idle();
      }
    };
    // 40 s of video (~1.3 MiB) on a 512 KiB disk: the writes fail within the first groups of pictures.
    await feed(0, 1200);
    // The session keeps recording everything else.
    const note = s.append({ type: 'tester.note', text: 'still recording' });
    expect(note).toBeGreaterThan(0);
    // Room again (the tester freed space): writing resumes at the next key frame (unit 1200; the one at 900 found the disk still full).
    expect(spawnSync('mount', ['-o', 'remount,size=16m', video]).status).toBe(0);
    await feed(1200, 1800);
    await r.stop(null);
    await s.release();
    const ev = events(s.dir);
    const segs = ev.filter((e) => e.type === 'screen.segment');
    const gaps = ev.filter((e) => e.type === 'screen.gap');
    expect(segs.map((e) => e.type === 'screen.segment' && [e.index, e.ended, e.partial])).toEqual([[1, 'write-failed', true], [2, 'session-stop', false]]);
    expect(gaps.map((e) => e.type === 'screen.gap' && [e.reason, e.to === null])).toEqual([['write-failed', true], ['write-failed', false]]);
    const closing = gaps[1]!;
    expect(closing.type === 'screen.gap' && [closing.to, /ENOSPC/.test(closing.detail ?? '')]).toEqual([T0 + (1200 * 1000) / 30, true]);
    // The abandoned file plays its whole fragments (ffmpeg also decodes what it can of the torn one after them).
    for (const e of segs) if (e.type === 'screen.segment') expect(probe(join(s.dir, e.file)).frames).toBeGreaterThanOrEqual(e.frames);
    expect(segs[0]!.type === 'screen.segment' && segs[0]!.frames).toBeGreaterThan(0);
    expect(segs[1]!.type === 'screen.segment' && segs[1]!.frames).toBe(600);
    expect(scanTimeline(join(s.dir, 'timeline.jsonl')).broken).toBeNull();
  }, 120_000);
});
