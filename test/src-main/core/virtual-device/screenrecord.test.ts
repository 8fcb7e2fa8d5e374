// screenrecord on the virtual phone through the real adb server (Debian's adb), read back by the reference
// decoder (ffprobe/ffmpeg 5.1): H.264 to stdout over exec:, an MP4 pulled from the phone, a frame against
// screencap of the same still screen, a swipe's scroll as many frames, a stream closed early, a phone without
// an AVC encoder, and a FLAG_SECURE window.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualDevice, loadScenarioFile } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { SCREEN_VIDEO_SCENARIO, startScreenVideoPhone } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let phone: VirtualDevice;
let dir: string;
const sh = async (...args: string[]): Promise<string> => (await adb.adb(['-s', phone.serial, 'shell', ...args])).stdout;
/** What a command printed on its stream (stdout and stderr are one stream over shell:, as on adbd without shell v2). */
const shAll = async (p: VirtualDevice, ...args: string[]): Promise<string> => {
  const r = await adb.adb(['-s', p.serial, 'shell', ...args]).catch((e: { stdout?: string; stderr?: string }) => ({ stdout: String(e.stdout ?? ''), stderr: String(e.stderr ?? '') }));
  return r.stdout + r.stderr;
};

function probe(file: string): { width: number; height: number; frames: number; duration: number } {
  const out = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,nb_read_frames:format=duration', '-of', 'json', file]).toString();
  const j = JSON.parse(out) as { streams: Array<{ width: number; height: number; nb_read_frames: string }>; format: { duration?: string } };
  return { width: j.streams[0]!.width, height: j.streams[0]!.height, frames: Number(j.streams[0]!.nb_read_frames), duration: Number(j.format.duration ?? NaN) };
}

/** ffmpeg -v error prints nothing for a clean stream. */
function decodeErrors(file: string): string {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
  return `${r.status === 0 ? '' : `exit ${r.status}\n`}${r.stdout}${r.stderr}`;
}

/** Distinct decoded pictures (md5 per frame). */
function distinctFrames(file: string): number {
  const out = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'framemd5', '-']).toString();
  return new Set(out.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').pop()!.trim())).size;
}

/** The last decoded frame as RGB. */
function lastFrame(file: string, width: number, height: number): Buffer {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1024 * 1024 * 1024 });
  const size = width * height * 3;
  return raw.subarray(raw.length - size);
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array, from = 0, to = a.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / (to - from);
}

function pngRgb(png: Buffer): { rgb: Buffer; width: number; height: number } {
  const img = PNG.sync.read(png);
  const rgb = Buffer.alloc(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++) img.data.copy(rgb, i * 3, i * 4, i * 4 + 3);
  return { rgb, width: img.width, height: img.height };
}

async function record(args: string[], timeoutMs = 30_000): Promise<Buffer> {
  return adb.adbBuffer(['-s', phone.serial, 'exec-out', 'screenrecord', ...args], timeoutMs);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'screenrecord-'));
  adb = await startAdbServer();
  phone = await startScreenVideoPhone(adb);
}, 60_000);
afterAll(async () => {
  await adb?.kill();
  await phone?.stop();
});

describe('screenrecord on the virtual phone', () => {
  it('streams H.264 to stdout that ffprobe reads at the requested size, about 10 frames a second on a still screen', async () => {
    const t0 = Date.now();
    const stream = await record(['--output-format=h264', '--size', '360x800', '--time-limit', '3', '-']);
    const elapsed = Date.now() - t0;
    writeFileSync(join(dir, 'still.h264'), stream);
    const p = probe(join(dir, 'still.h264'));
    expect({ width: p.width, height: p.height }).toEqual({ width: 360, height: 800 });
    // A still screen: the first frame, then a repeat every 100 ms (30 in 3 s; a busy machine drops some).
    expect(p.frames).toBeGreaterThanOrEqual(15);
    expect(p.frames).toBeLessThanOrEqual(3 * 60 + 1);
    expect(decodeErrors(join(dir, 'still.h264'))).toBe('');
    expect(elapsed).toBeGreaterThanOrEqual(2900);
    expect(elapsed).toBeLessThan(8000);
    expect(phone.system.screenRecorders).toBe(0);
  }, 30_000);

  it('writes an MP4 on the phone that adb pull fetches; its duration is the time limit within 5%', async () => {
    const out = await sh('screenrecord', '--size', '360x800', '--time-limit', '3', '/sdcard/x.mp4');
    expect(out).toBe('');
    await adb.adb(['-s', phone.serial, 'pull', '/sdcard/x.mp4', join(dir, 'x.mp4')]);
    const p = probe(join(dir, 'x.mp4'));
    expect({ width: p.width, height: p.height }).toEqual({ width: 360, height: 800 });
    expect(Math.abs(p.duration - 3) / 3).toBeLessThan(0.05);
    expect(decodeErrors(join(dir, 'x.mp4'))).toBe('');
  }, 30_000);

  it('shows in its frame what screencap shows of the same still screen (mean abs difference < 6 of 255)', async () => {
    const stream = await record(['--output-format=h264', '--time-limit', '1', '-']);
    writeFileSync(join(dir, 'full.h264'), stream);
    const shot = pngRgb(await adb.adbBuffer(['-s', phone.serial, 'exec-out', 'screencap', '-p']));
    expect({ width: shot.width, height: shot.height }).toEqual({ width: 720, height: 1600 });
    const frame = lastFrame(join(dir, 'full.h264'), 720, 1600);
    // The status bar's clock may turn a minute between the two: compare the app's window below it.
    const below = 100 * 720 * 3;
    const diff = meanAbsDiff(frame, shot.rgb, below);
    expect(diff).toBeLessThan(6);
    // And the check can fail: against a black picture the difference is large.
    expect(meanAbsDiff(frame, Buffer.alloc(frame.length), below)).toBeGreaterThan(100);
  }, 30_000);

  it('records a swipe over the policy as a scroll of many distinct frames', async () => {
    await sh('input', 'tap', '200', '600');
    await waitFor('the policy', async () => (await sh('uiautomator', 'dump', '/dev/tty')).includes('policyText'));
    const recording = record(['--output-format=h264', '--size', '360x800', '--time-limit', '4', '-']);
    await new Promise((r) => setTimeout(r, 800));
    await sh('input', 'swipe', '360', '1300', '360', '400', '2000');
    writeFileSync(join(dir, 'swipe.h264'), await recording);
    const distinct = distinctFrames(join(dir, 'swipe.h264'));
    // A 2 s scroll: many pictures between the two resting pages (a cut gives 2). The frame rate is what the CPU
    // allows (each scroll frame is composed and encoded in ~15-60 ms here; a loaded 2-core machine gave 7 in 1 s).
    expect(distinct).toBeGreaterThanOrEqual(8);
    expect(decodeErrors(join(dir, 'swipe.h264'))).toBe('');
    await sh('input', 'tap', '360', '1540');
  }, 30_000);

  it('stops when the host closes the stream early: no frame clock left on the phone', async () => {
    const child = spawn('adb', ['-s', phone.serial, 'exec-out', 'screenrecord', '--output-format=h264', '--size', '360x800', '-'], { env: adb.env, stdio: ['ignore', 'pipe', 'ignore'] });
    let bytes = 0;
    child.stdout.on('data', (d: Buffer) => (bytes += d.length));
    await waitFor('the first frames', async () => bytes > 1000 && phone.system.screenRecorders === 1, 10_000);
    const t0 = Date.now();
    child.kill('SIGTERM');
    await waitFor('screenrecord to stop', async () => phone.system.screenRecorders === 0, 5000, 20);
    expect(Date.now() - t0).toBeLessThan(3000);
  }, 30_000);

  it('keeps the display\'s aspect in a video of another shape: black bars either side, as its display projection does', async () => {
    const stream = await record(['--output-format=h264', '--size', '800x800', '--time-limit', '1', '-']);
    writeFileSync(join(dir, 'square.h264'), stream);
    expect(probe(join(dir, 'square.h264'))).toMatchObject({ width: 800, height: 800 });
    const frame = lastFrame(join(dir, 'square.h264'), 800, 800);
    // 720x1600 into 800x800: a 360x800 picture at x=220; columns 0..219 and 580..799 black.
    const column = (x: number): number => {
      let sum = 0;
      for (let y = 0; y < 800; y++) for (let k = 0; k < 3; k++) sum += frame[(y * 800 + x) * 3 + k]!;
      return sum / 2400;
    };
    expect(Math.max(column(10), column(200), column(600), column(790))).toBeLessThan(20);
    expect(column(400)).toBeGreaterThan(100);
  }, 30_000);

  it('stamps each frame with the device time under --bugreport, so a still screen still gives changing frames', async () => {
    // A still screen first: the earlier tests' swipes animate the page, and on a loaded machine the last frames of
    // one may still come (CI once saw 2 pictures); a second recording of the same screen must then be one picture.
    for (let attempt = 0; attempt < 2; attempt++) {
      writeFileSync(join(dir, 'plain.h264'), await record(['--output-format=h264', '--size', '360x800', '--time-limit', '2', '-']));
      if (distinctFrames(join(dir, 'plain.h264')) === 1) break;
    }
    const stamped = await record(['--output-format=h264', '--size', '360x800', '--time-limit', '2', '--bugreport', '-']);
    writeFileSync(join(dir, 'stamped.h264'), stamped);
    expect(distinctFrames(join(dir, 'plain.h264'))).toBe(1);
    expect(distinctFrames(join(dir, 'stamped.h264'))).toBeGreaterThanOrEqual(5);
    expect(decodeErrors(join(dir, 'stamped.h264'))).toBe('');
  }, 30_000);

  it('stops when the phone goes away mid-stream (the cable pulled): the bytes that came are a stream, no frame clock is left', async () => {
    const child = spawn('adb', ['-s', phone.serial, 'exec-out', 'screenrecord', '--output-format=h264', '--size', '360x800', '-'], { env: adb.env, stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    const exited = new Promise((r) => child.once('exit', r));
    await waitFor('the first frames', async () => chunks.reduce((n, c) => n + c.length, 0) > 1000 && phone.system.screenRecorders === 1, 10_000);
    const t0 = Date.now();
    await phone.unplug(300);
    await waitFor('screenrecord to stop', async () => phone.system.screenRecorders === 0, 5000, 20);
    expect(Date.now() - t0).toBeLessThan(3000);
    await exited;
    writeFileSync(join(dir, 'cut.h264'), Buffer.concat(chunks));
    expect(probe(join(dir, 'cut.h264'))).toMatchObject({ width: 360, height: 800 });
    // The adb server would retry the dropped transport on its own back-off: connect again now.
    await adb.adb(['disconnect', phone.serial]);
    await waitFor(`${phone.serial} back`, async () => {
      await adb.adb(['connect', phone.serial]);
      return (await adb.adb(['devices'])).stdout.includes(`${phone.serial}\tdevice`);
    }, 10_000, 200);
  }, 30_000);

  it('ends an MP4 recording as a full disk ends it, within the storage left', async () => {
    const free = phone.system.fs.freeBytes;
    const block = Buffer.alloc(64 * 1024 * 1024);
    const fill: string[] = [];
    for (let left = free - 3 * 1024 * 1024; left > 0; left -= block.length) {
      const path = `/data/local/tmp/fill-${fill.length}`;
      phone.system.fs.writeFile(path, left >= block.length ? block : block.subarray(0, left));
      fill.push(path);
    }
    try {
      await sh('input', 'tap', '200', '600');
      const t0 = Date.now();
      const recording = shAll(phone, 'screenrecord', '--time-limit', '20', '/sdcard/full.mp4');
      for (let i = 0; i < 10 && Date.now() - t0 < 12_000; i++) {
        await sh('input', 'swipe', '360', '1300', '360', '400', '300');
        await new Promise((r) => setTimeout(r, 400));
        if (phone.system.screenRecorders === 0) break;
      }
      expect(await recording).toBe('Failed writing data to muxer (err=-28)\nEncoder failed (err=-28)\n');
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(await shAll(phone, 'ls', '/sdcard/full.mp4')).toMatch(/No such file/);
    } finally {
      for (const path of fill) phone.system.fs.remove(path);
      await sh('input', 'tap', '360', '1540');
    }
  }, 40_000);

  it('answers bad options with screenrecord\'s own messages', async () => {
    expect(await shAll(phone, 'screenrecord', '--time-limit', '181', '/sdcard/y.mp4')).toBe('Time limit 181s outside acceptable range [1,180]\n');
    expect(await shAll(phone, 'screenrecord', '--output-format=frames', '-')).toBe("Unknown format 'frames'\n");
    expect(await shAll(phone, 'screenrecord', '--bit-rate', '5', '/sdcard/y.mp4')).toBe('Bit rate 5bps outside acceptable range [100000,200000000]\n');
    expect(await shAll(phone, 'screenrecord', '--size', '720', '/sdcard/y.mp4')).toBe("Invalid size '720', must be width x height\n");
    expect(await shAll(phone, 'screenrecord')).toBe('Must specify output file (see --help).\n');
    expect(await shAll(phone, 'screenrecord', '--help')).toMatch(/^Usage: screenrecord \[options\] <filename>\n\nAndroid screenrecord v1\.3\./);
    expect(await shAll(phone, 'screenrecord', '--size', '5000x5000', '--time-limit', '1', '/sdcard/y.mp4')).toBe('ERROR: unable to configure video/avc codec at 5000x5000 (err=-2147483648)\n');
    expect(await shAll(phone, 'screenrecord', '--verbose', '--output-format=h264', '--size', '360x800', '-')).toMatch(/ERROR: verbose output and '-' not compatible$/);
  }, 30_000);

  it('records a FLAG_SECURE window black, as screencap shows it, and dumpsys window names SECURE in fl=', async () => {
    expect(await sh('dumpsys', 'window')).not.toMatch(/^\s+fl=.*\bSECURE\b/m);
    await sh('input', 'tap', '360', '860');
    await waitFor('the payment page', async () => /^\s+fl=.*\bSECURE\b/m.test(await sh('dumpsys', 'window')));
    expect(await sh('dumpsys', 'window')).toMatch(/mCurrentFocus=Window\{\w+ u0 com\.demo\.video\/\.PayActivity\}/);
    const stream = await record(['--output-format=h264', '--time-limit', '1', '-']);
    writeFileSync(join(dir, 'secure.h264'), stream);
    const frame = lastFrame(join(dir, 'secure.h264'), 720, 1600);
    const shot = pngRgb(await adb.adbBuffer(['-s', phone.serial, 'exec-out', 'screencap', '-p']));
    const below = 100 * 720 * 3;
    // Black is (16,16,16)-ish after a limited-range round trip.
    expect(meanAbsDiff(frame, Buffer.alloc(frame.length), below)).toBeLessThan(3);
    expect(meanAbsDiff(shot.rgb, Buffer.alloc(shot.rgb.length), below)).toBe(0);
    await sh('input', 'tap', '360', '1540');
  }, 30_000);
});

describe('a phone whose screenrecord has no AVC encoder', () => {
  it('prints the real error and sends no video (a 720-wide phone gets no 720p retry, as in screenrecord.cpp)', async () => {
    const scenario = loadScenarioFile(SCREEN_VIDEO_SCENARIO);
    scenario.device.screenrecord = 'no-codec';
    scenario.device.serial = 'VPHONENOCODEC';
    const broken = new VirtualDevice({ scenario });
    await broken.start();
    try {
      await adb.adb(['connect', broken.serial]);
      await waitFor('online', async () => (await adb.adb(['devices'])).stdout.includes(`${broken.serial}\tdevice`));
      const t0 = Date.now();
      const out = await adb.adbBuffer(['-s', broken.serial, 'exec-out', 'screenrecord', '--output-format=h264', '-']);
      expect(out.toString()).toBe('ERROR: unable to create video/avc codec instance\n');
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(await shAll(broken, 'screenrecord', '--size', '360x800', '/sdcard/z.mp4')).toBe('ERROR: unable to create video/avc codec instance\n');
      expect(await shAll(broken, 'ls', '/sdcard/z.mp4')).toMatch(/No such file/);
      // A wedged encoder: it starts, sends nothing, and stops when the host gives up on it.
      broken.system.device.screenrecord = 'silent';
      const child = spawn('adb', ['-s', broken.serial, 'exec-out', 'screenrecord', '--output-format=h264', '-'], { env: adb.env, stdio: ['ignore', 'pipe', 'ignore'] });
      let bytes = 0;
      child.stdout.on('data', (d: Buffer) => (bytes += d.length));
      await waitFor('screenrecord to start', async () => broken.system.screenRecorders === 1, 5000, 20);
      await new Promise((r) => setTimeout(r, 1000));
      expect(bytes).toBe(0);
      child.kill('SIGTERM');
      await waitFor('screenrecord to stop', async () => broken.system.screenRecorders === 0, 5000, 20);
    } finally {
      await adb.adb(['disconnect', broken.serial]).catch(() => undefined);
      await broken.stop();
    }
  }, 30_000);
});

