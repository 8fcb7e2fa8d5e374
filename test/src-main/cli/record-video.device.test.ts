/**
 * `apprights record` records the phone's screen as video (the built CLI, the real adb server, the virtual phone's
 * screenrecord): ~20 s give MP4 segments ffprobe reads at the stream's size and about the session's length, named
 * in the timeline by hash and said at the end; --no-video records none; kill -9 mid-session leaves segments that
 * recovery (the export) names and that play, and a timeline whose chain holds and whose package verifies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../src-preload/monitor-events.js';
import { scanTimeline } from '../../../src-main/core/session/timeline-chain.js';
import type { VirtualDevice } from '../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../support/adb-server.js';
import { CLI, runCli } from '../../support/cli.js';
import { probe } from '../../support/ffmpeg-h264.js';
import { startPhoneFrom } from '../../support/virtual-phone.js';

const root = join(__dirname, '..', '..', '..');
const SCENARIO = join(root, 'test', 'fixtures', 'scenarios', 'screen-video.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'rec-video-'));
writeFileSync(join(tmp, 'pass'), 'correct horse battery\n');
let adb: TestAdbServer;
let phone: VirtualDevice;

beforeAll(async () => {
  if (!existsSync(join(root, 'out', 'main', 'cli.js'))) throw new Error('the CLI is not built: run `npm run build` (npm test does) before these tests');
  adb = await startAdbServer();
  phone = await startPhoneFrom(adb, SCENARIO);
}, 60_000);
afterAll(async () => {
  await phone?.stop();
  await adb?.kill();
});

type Segment = Extract<TimelineEvent, { type: 'screen.segment' }>;
function timeline(dir: string): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  scanTimeline(join(dir, 'timeline.jsonl'), (line) => out.push((JSON.parse(line.toString('utf8')) as { event: TimelineEvent }).event));
  return out;
}
const segmentsOf = (dir: string): Segment[] => timeline(dir).filter((e): e is Segment => e.type === 'screen.segment');
const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('apprights record and the screen video', () => {
  it('records ~20 s into segments that ffprobe reads at the stream size and the session length, and says them', async () => {
    const dir = join(tmp, `s-${Date.now()}`);
    const r = await runCli(['record', '--serial', phone.serial, '--package', 'com.demo.video', '--session-dir', dir, '--duration', '20', '--launch', '--data-dir', join(tmp, 'data'), '--lang', 'en'], adb.env, 90_000);
    expect(r.code, r.stderr).toBe(0);
    const segs = segmentsOf(dir);
    expect(segs.length).toBeGreaterThan(0);
    const events = timeline(dir);
    const started = events.find((e) => e.type === 'session.started')!.hostTime;
    const closed = events.find((e) => e.type === 'session.closed')!.hostTime;
    const gaps = events.filter((e): e is Extract<TimelineEvent, { type: 'screen.gap' }> => e.type === 'screen.gap');
    let seconds = 0;
    let end = segs[0]!.firstFrameHostTime;
    for (const s of segs) {
      const p = probe(join(dir, s.file));
      expect([p.width, p.height, p.status, s.partial]).toEqual([s.width, s.height, 0, false]);
      expect(Math.max(s.width, s.height)).toBeLessThanOrEqual(1280);
      expect(p.frames).toBe(s.frames);
      expect(sha(join(dir, s.file))).toBe(s.sha256);
      expect(r.stderr).toContain(`video ${s.file}:`);
      seconds += p.duration;
      // Video time t of a segment is host time firstFrameHostTime + t·1000: a hole between segments is a recorded gap.
      if (s.firstFrameHostTime - end > 300) expect(gaps.some((g) => g.from < s.firstFrameHostTime && (g.to ?? Infinity) > end), `hole before ${s.file}`).toBe(true);
      end = s.firstFrameHostTime + p.duration * 1000;
    }
    // The video starts with screenrecord's first frame (within seconds of the start) and ends at the stop.
    expect(segs[0]!.firstFrameHostTime - started).toBeLessThan(5000);
    expect(Math.abs(end - closed)).toBeLessThan(300);
    expect(seconds).toBeLessThanOrEqual((closed - started) / 1000);
    expect(segs.at(-1)!.ended).toBe('session-stop');
    expect(scanTimeline(join(dir, 'timeline.jsonl')).broken).toBeNull();
  }, 120_000);

  it('--no-video records no video and says so', async () => {
    const dir = join(tmp, `n-${Date.now()}`);
    const r = await runCli(['record', '--serial', phone.serial, '--package', 'com.demo.video', '--session-dir', dir, '--duration', '3', '--no-video', '--data-dir', join(tmp, 'data'), '--lang', 'en'], adb.env, 60_000);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'video'))).toBe(false);
    expect(segmentsOf(dir)).toEqual([]);
    expect(r.stderr).toContain('No screen video (--no-video).');
    expect(JSON.parse(readFileSync(join(dir, 'session.json'), 'utf8')).video).toBe(false);
  }, 60_000);

  it('killed with SIGKILL mid-session: the written segments play once recovered and the package verifies', async () => {
    const dir = join(tmp, `k-${Date.now()}`);
    const rec: ChildProcess = spawn(process.execPath, [CLI, 'record', '--serial', phone.serial, '--package', 'com.demo.video', '--session-dir', dir, '--launch', '--data-dir', join(tmp, 'data'), '--lang', 'en'], { env: adb.env, stdio: ['ignore', 'pipe', 'pipe'] });
    // Recording until the first group of pictures has become a fragment (the virtual phone keys every 10 s), and a bit.
    await waitFor('a fragment on disk', async () => existsSync(join(dir, 'video', 'seg-000001.mp4')) && readFileSync(join(dir, 'video', 'seg-000001.mp4')).includes('moof'), 40_000);
    await new Promise((r) => setTimeout(r, 2500));
    await new Promise<void>((resolve) => {
      rec.once('exit', () => resolve());
      rec.kill('SIGKILL');
    });
    const out = join(tmp, `k-${Date.now()}.zip`);
    const exp = await runCli(['export', dir, '--out', out, '--passphrase-file', join(tmp, 'pass'), '--data-dir', join(tmp, 'identity'), '--lang', 'en'], adb.env, 60_000);
    expect(exp.code, exp.stderr).toBe(0);
    const segs = segmentsOf(dir);
    expect(segs.length).toBeGreaterThan(0);
    // Every segment file is named: the one open at the kill by the recovery (partial), any the stream closed before
    // (a screenrecord restart under load) when it closed.
    expect(segs.map((s) => s.file).sort()).toEqual(readdirSync(join(dir, 'video')).map((f) => `video/${f}`).sort());
    expect(segs.some((s) => s.ended === 'recovered')).toBe(true);
    expect(segs.every((s) => (s.ended === 'recovered') === s.partial)).toBe(true);
    for (const s of segs) {
      const p = probe(join(dir, s.file));
      expect([p.width, p.height, p.status]).toEqual([s.width, s.height, 0]);
      expect(p.frames).toBeGreaterThanOrEqual(s.frames);
      expect(sha(join(dir, s.file))).toBe(s.sha256);
    }
    expect(scanTimeline(join(dir, 'timeline.jsonl')).broken).toBeNull();
    const v = await runCli(['verify', out, '--lang', 'en'], adb.env, 60_000);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  }, 120_000);
});
