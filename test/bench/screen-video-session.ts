/**
 * Trial (not a test gate; about 6½ minutes): a long `apprights record` session with video, as issue #28 asks to be
 * shown. The built CLI records the virtual phone through the real adb server for SECONDS (default 370, so that two
 * screenrecord runs reach their 180 s limit and are restarted) while a tester's taps, swipes and backs come every
 * 10 s, each followed by a screencap once the screen is still. Then it prints, per segment, what ffprobe reads
 * (size, duration, frames); the video's total against the session's length and the recorded gaps; frames taken by
 * ffmpeg at each screencap's moment against that screencap (mean absolute difference of the app's window below the
 * status bar, 0–255; threshold 10, and against a black picture as the control); and `apprights verify` on the
 * exported package, then on a copy with one byte of one segment changed.
 *
 *   npm run build && npx tsx test/bench/screen-video-session.ts [SECONDS]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { TimelineEvent } from '../../src-preload/monitor-events.js';
import { scanTimeline } from '../../src-main/core/session/timeline-chain.js';
import { startAdbServer, waitFor } from '../support/adb-server.js';
import { runCli } from '../support/cli.js';
import { probe } from '../support/ffmpeg-h264.js';
import { startPhoneFrom } from '../support/virtual-phone.js';

const SECONDS = Number(process.argv[2] ?? 370);
const SCENARIO = join(__dirname, '../fixtures/scenarios/screen-video.yaml');
const THRESHOLD = 10;
const W = 720;
const H = 1600;
/** The status bar (its clock may turn a minute between a frame and a screencap) is left out of the comparison. */
const BELOW = 100 * W * 3;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type Segment = Extract<TimelineEvent, { type: 'screen.segment' }>;
type Gap = Extract<TimelineEvent, { type: 'screen.gap' }>;

function pngRgb(png: Buffer): Buffer {
  const img = PNG.sync.read(png);
  const rgb = Buffer.alloc(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++) img.data.copy(rgb, i * 3, i * 4, i * 4 + 3);
  return rgb;
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array, from: number): number {
  let sum = 0;
  for (let i = from; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / (a.length - from);
}

/** The frame shown `offset` seconds into a segment, scaled by ffmpeg to the phone's size. */
function frameAt(file: string, offset: number): Buffer {
  return execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-ss', offset.toFixed(3), '-frames:v', '1', '-vf', `scale=${W}:${H}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 * 1024 * 1024 });
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'video-trial-'));
  writeFileSync(join(tmp, 'pass'), 'correct horse battery\n');
  const adb = await startAdbServer();
  const phone = await startPhoneFrom(adb, SCENARIO);
  const dir = join(tmp, 'session');
  const sh = (...args: string[]): Promise<unknown> => adb.adb(['-s', phone.serial, 'shell', ...args]);
  try {
    console.log(`recording ${SECONDS} s on ${phone.serial} into ${dir}`);
    const t0 = Date.now();
    const recording = runCli(['record', '--serial', phone.serial, '--package', 'com.demo.video', '--session-dir', dir, '--duration', String(SECONDS), '--launch', '--data-dir', join(tmp, 'data'), '--lang', 'en'], adb.env, (SECONDS + 120) * 1000);
    await waitFor('the app in front', async () => String((await adb.adb(['-s', phone.serial, 'shell', 'uiautomator', 'dump', '/dev/tty'])).stdout).includes('policy_link'), 30_000, 250);
    // A tester's actions in turn: open the policy, scroll it three times, go back with its 返回 button.
    const actions: Array<[string, string[]]> = [
      ['tap 《隐私政策》', ['input', 'tap', '200', '600']],
      ['swipe up', ['input', 'swipe', '360', '1300', '360', '500', '600']],
      ['swipe up', ['input', 'swipe', '360', '1300', '360', '500', '600']],
      ['swipe down', ['input', 'swipe', '360', '500', '360', '1300', '600']],
      ['返回', ['input', 'tap', '360', '1540']],
    ];
    const shots: Array<{ at: number; rgb: Buffer; action: string }> = [];
    for (let i = 0; Date.now() - t0 < (SECONDS - 8) * 1000; i++) {
      const due = t0 + 5000 + i * 10_000;
      if (due > Date.now()) await sleep(due - Date.now());
      const [label, argv] = actions[i % actions.length]!;
      await sh(...argv);
      await sleep(2500); // the swipe's animation and the next frame are over
      const before = Date.now();
      const png = (await adb.adbBuffer(['-s', phone.serial, 'exec-out', 'screencap', '-p'])) as Buffer;
      const after = Date.now();
      shots.push({ at: (before + after) / 2, rgb: pngRgb(png), action: label });
    }
    const r = await recording;
    if (r.code !== 0) throw new Error(`record exited ${r.code}: ${r.stderr}`);
    console.log(`record finished after ${((Date.now() - t0) / 1000).toFixed(1)} s; its last lines:\n${r.stderr.trim().split('\n').slice(-8).join('\n')}`);

    const events: TimelineEvent[] = [];
    scanTimeline(join(dir, 'timeline.jsonl'), (line) => events.push((JSON.parse(line.toString('utf8')) as { event: TimelineEvent }).event));
    const started = events.find((e) => e.type === 'session.started')!.hostTime;
    const closed = events.find((e) => e.type === 'session.closed')!.hostTime;
    const segs = events.filter((e): e is Segment => e.type === 'screen.segment');
    const gaps = events.filter((e): e is Gap => e.type === 'screen.gap');
    const session = (closed - started) / 1000;
    let video = 0;
    console.log('\nsegments (ffprobe):');
    for (const s of segs) {
      const p = probe(join(dir, s.file));
      video += p.duration;
      console.log(`  ${s.file}: ${p.width}x${p.height} ${p.duration.toFixed(2)} s, ${p.frames} frames (timeline: ${s.frames}, ended ${s.ended}), ffprobe status ${p.status}${p.errors ? ` ${p.errors.trim()}` : ''}`);
    }
    let holes = 0;
    console.log('gaps (timeline):');
    for (const g of gaps) {
      const ms = (g.to ?? closed) - g.from;
      holes += ms / 1000;
      console.log(`  ${g.reason}: ${ms} ms at +${((g.from - started) / 1000).toFixed(1)} s${g.detail ? ` (${g.detail})` : ''}`);
    }
    const lead = (segs[0]!.firstFrameHostTime - started) / 1000;
    const restarts = gaps.filter((g) => g.reason === 'restart').length;
    console.log(`session ${session.toFixed(2)} s; video ${video.toFixed(2)} s (${((video / session) * 100).toFixed(2)} % of the session); before the first frame ${lead.toFixed(2)} s; gaps ${holes.toFixed(3)} s; video + first-frame wait + gaps = ${(((video + lead + holes) / session) * 100).toFixed(2)} % of the session; screenrecord restarts ${restarts}`);

    console.log(`\nframes at the screencaps' moments (mean abs difference below the status bar, threshold ${THRESHOLD}):`);
    let worst = 0;
    let compared = 0;
    let other = Infinity;
    for (const [i, shot] of shots.entries()) {
      const s = segs.find((x) => x.firstFrameHostTime <= shot.at && shot.at <= x.lastFrameHostTime + 200);
      if (!s) {
        console.log(`  +${((shot.at - started) / 1000).toFixed(1)} s ${shot.action}: no segment covers it`);
        continue;
      }
      const frame = frameAt(join(dir, s.file), (shot.at - s.firstFrameHostTime) / 1000);
      const d = meanAbsDiff(frame, shot.rgb, BELOW);
      // The controls: the same frame against a black picture and against the screencap before this action.
      const black = meanAbsDiff(frame, Buffer.alloc(frame.length), BELOW);
      const previous = i > 0 ? meanAbsDiff(frame, shots[i - 1]!.rgb, BELOW) : NaN;
      if (previous > 0) other = Math.min(other, previous);
      worst = Math.max(worst, d);
      compared++;
      console.log(`  +${((shot.at - started) / 1000).toFixed(1)} s after ${shot.action}: ${d.toFixed(2)} (vs the screencap before it ${previous.toFixed(2)}, vs black ${black.toFixed(1)}) in ${s.file}`);
    }
    console.log(`compared ${compared} of ${shots.length}; worst ${worst.toFixed(2)} — ${worst < THRESHOLD ? 'below' : 'ABOVE'} the threshold; the nearest other moment's screencap ${other.toFixed(2)}`);

    const pkg = join(tmp, 'p.zip');
    const exp = await runCli(['export', dir, '--out', pkg, '--passphrase-file', join(tmp, 'pass'), '--data-dir', join(tmp, 'identity'), '--lang', 'en'], adb.env, 120_000);
    if (exp.code !== 0) throw new Error(`export exited ${exp.code}: ${exp.stderr}`);
    const ok = await runCli(['verify', pkg, '--lang', 'en'], adb.env, 120_000);
    console.log(`\nverify the package: exit ${ok.code} — ${ok.stdout.trim().split('\n').at(-1)}`);
    // One byte of the middle segment changed inside a copy of the package (python's zipfile rewrites the entry).
    const victim = segs[Math.floor(segs.length / 2)]!.file;
    const forged = join(tmp, 'forged.zip');
    const py = spawnSync('python3', ['-c', `import zipfile,sys
src,dst,name=sys.argv[1:4]
with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst,'w') as b:
  for i in a.infolist():
    d=a.read(i.filename)
    if i.filename.endswith(name):
      d=bytearray(d); d[len(d)//2]^=1; d=bytes(d)
    b.writestr(i,d)`, pkg, forged, victim], { encoding: 'utf8' });
    if (py.status !== 0) throw new Error(py.stderr);
    const bad = await runCli(['verify', forged, '--lang', 'en'], adb.env, 120_000);
    console.log(`verify with one byte of ${victim} changed: exit ${bad.code} — ${(bad.stdout + bad.stderr).trim().split('\n').filter((l) => /video|FAIL|✗|changed|mismatch/i.test(l)).slice(0, 3).join(' | ')}`);
    console.log(`\n(${readFileSync(join(dir, 'timeline.jsonl')).length} bytes of timeline; files in ${tmp})`);
  } finally {
    await phone.stop();
    await adb.kill();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
