/**
 * Benchmark (not a test gate) for the virtual phone's screenrecord at 720x1600 (its own size): per frame, the
 * composition (render + scale) and the encoder's ms, measured in process on the frame clock; and through the
 * real adb server (`adb exec-out screenrecord --output-format=h264 -`), bytes per second on a still screen and
 * while a policy scrolls (a 1 s swipe every 1.2 s), with the frames per second ffprobe counts in each.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualDevice, loadScenarioFile } from '../../src-main/core/virtual-device/index.js';
import { FrameClock } from '../../src-main/core/virtual-device/android/frame-clock.js';
import { H264Encoder } from '../../src-main/core/virtual-device/android/video-encoder.js';
import { startAdbServer } from '../support/adb-server.js';
import { startPhoneFrom } from '../support/virtual-phone.js';

const SCENARIO = join(__dirname, '../fixtures/scenarios/screen-video.yaml');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? NaN;

async function inProcess(): Promise<void> {
  const phone = new VirtualDevice({ scenario: loadScenarioFile(SCENARIO) });
  const sys = phone.system;
  sys.launch('com.demo.video', 'am');
  await sleep(100);
  sys.tap(200, 600);
  const encoder = new H264Encoder({ width: 720, height: 1600 });
  const compose: number[] = [], encode: number[] = [];
  let last = performance.now();
  const clock = new FrameClock(sys, { width: 720, height: 1600 }, { bugreport: false }, (f) => {
    const t = performance.now();
    if (!f.repeat) compose.push(t - last);
    encoder.encode(f.rgb, { key: f.key, motion: f.motion });
    if (!f.repeat) encode.push(performance.now() - t);
  });
  clock.start();
  compose.length = encode.length = 0; // the first frame loads the font
  for (let i = 0; i < 4; i++) {
    await sleep(300);
    last = performance.now();
    sys.swipe(360, 1300, 360, 400, 1000);
    const until = Date.now() + 1100;
    while (Date.now() < until) {
      last = performance.now();
      await sleep(1);
    }
  }
  clock.stop();
  console.log(`scroll frames (${compose.length}): compose (render+scale, incl. waiting for the tick) median ${median(compose).toFixed(1)} ms; encode median ${median(encode).toFixed(1)} ms p95 ${p95(encode).toFixed(1)} ms`);
  await phone.stop();
}

async function throughAdb(): Promise<void> {
  const adb = await startAdbServer();
  const phone = await startPhoneFrom(adb, SCENARIO);
  const dir = mkdtempSync(join(tmpdir(), 'bench-sr-'));
  try {
    await adb.adb(['-s', phone.serial, 'shell', 'monkey', '-p', 'com.demo.video', '1']);
    await sleep(300);
    await adb.adb(['-s', phone.serial, 'shell', 'input', 'tap', '200', '600']);
    await adb.adbBuffer(['-s', phone.serial, 'exec-out', 'screencap', '-p']); // font and first picture
    for (const mode of ['still', 'scrolling'] as const) {
      const seconds = 6;
      const chunks: Buffer[] = [];
      const child = spawn('adb', ['-s', phone.serial, 'exec-out', 'screenrecord', '--output-format=h264', '--time-limit', String(seconds), '-'], { env: adb.env, stdio: ['ignore', 'pipe', 'inherit'] });
      child.stdout.on('data', (d: Buffer) => chunks.push(d));
      const ended = new Promise((r) => child.once('exit', r));
      if (mode === 'scrolling') {
        for (let i = 0; i < 4; i++) {
          await sleep(200);
          phone.system.swipe(360, 1300, 360, 400, 1000);
          await sleep(1000);
        }
      }
      await ended;
      const file = join(dir, `${mode}.h264`);
      writeFileSync(file, Buffer.concat(chunks));
      const frames = Number(execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]).toString().trim());
      const bytes = chunks.reduce((n, c) => n + c.length, 0);
      console.log(`${mode} 720x1600 over adb: ${(bytes / seconds / 1024).toFixed(1)} KiB/s, ${(frames / seconds).toFixed(1)} frames/s (${frames} in ${seconds} s)`);
    }
  } finally {
    await adb.kill();
    await phone.stop();
  }
}

void (async () => {
  await inProcess();
  await throughAdb();
})();
