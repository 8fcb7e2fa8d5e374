// The live screen's decoder (src-renderer/src/device/h264-screen.ts) in Debian's Chromium with its real
// WebCodecs, fed a real H.264 stream (ffmpeg's libx264, cut into access units as the core sends them): pictures
// match ffmpeg's own decode, every VideoFrame is closed exactly once, repeats are skipped, a new generation waits
// for its key frame, an overloaded decoder resets, and a codec or bytes it cannot decode fall back to screenshots.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import { test as base, expect, type Page } from '@playwright/test';
import { h264Sample, type SampleUnit } from '../support/annexb-sample';

const root = join(__dirname, '..', '..');

const test = base.extend<{ lab: Page }, { labUrl: string }>({
  labUrl: [async ({}, use) => {
    // The module as the renderer ships it, bundled alone and served from 127.0.0.1 (a secure context: WebCodecs).
    const bundle = await build({ entryPoints: [join(root, 'src-renderer/src/device/h264-screen.ts')], bundle: true, write: false, format: 'iife', globalName: 'H264Lab' });
    const script = bundle.outputFiles[0]!.text;
    const server: Server = createServer((req, res) => {
      if (req.url === '/h264-screen.js') res.setHeader('content-type', 'text/javascript').end(script);
      else res.setHeader('content-type', 'text/html').end('<!doctype html><body><script src="/h264-screen.js"></script></body>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await use(`http://127.0.0.1:${port}/`);
    server.close();
  }, { scope: 'worker' }],
  lab: async ({ page, labUrl }, use) => {
    await page.goto(labUrl);
    // Count every VideoFrame.close() the page makes, and every screen's fallbacks and key frame requests.
    await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      const counts = { closes: 0, fallbacks: [] as string[], needKey: 0 };
      w.counts = counts;
      const close = VideoFrame.prototype.close;
      VideoFrame.prototype.close = function patched(this: VideoFrame) {
        counts.closes++;
        close.call(this);
      };
      const canvas = document.createElement('canvas');
      document.body.append(canvas);
      const Lab = w.H264Lab as { H264Screen: new (c: HTMLCanvasElement, h: object) => unknown };
      w.screen = new Lab.H264Screen(canvas, { onFallback: (r: string) => counts.fallbacks.push(r), onNeedKeyFrame: () => counts.needKey++ });
      w.canvas = canvas;
    });
    await use(page);
  },
});

interface Stats { submitted: number; decoded: number; painted: number; dropped: number; skipped: number; overloads: number; width: number | null; height: number | null }

/** Units as the page receives them: `gapMs` apart (a phone at 30 fps: 33), or 0: all in one task. */
async function push(page: Page, units: SampleUnit[], stream: number, gapMs = 10): Promise<void> {
  await page.evaluate(async ({ units, stream, gapMs }) => {
    const s = (window as unknown as { screen: { push(f: object): void } }).screen;
    for (const u of units) {
      s.push({ ...u, serial: 'lab', stream, hostTime: performance.now() });
      if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
    }
  }, { units, stream, gapMs });
}

const stats = (page: Page): Promise<Stats> => page.evaluate(() => (window as unknown as { screen: { stats(): Stats } }).screen.stats());
const counts = (page: Page): Promise<{ closes: number; fallbacks: string[]; needKey: number }> => page.evaluate(() => (window as unknown as { counts: { closes: number; fallbacks: string[]; needKey: number } }).counts);

/** Until the decoder has been quiet for 300 ms and its last picture was painted (or closed). */
async function settled(page: Page): Promise<Stats> {
  let last = '';
  await expect.poll(async () => {
    const s = await stats(page);
    const now = JSON.stringify({ ...s, fps: 0 });
    const quiet = now === last && s.painted + s.dropped === s.decoded;
    last = now;
    return quiet;
  }, { timeout: 10_000, intervals: [300] }).toBe(true);
  return stats(page);
}

/** ffmpeg's decode of picture `index` (counted from the group's key frame before it), RGBA. */
function reference(units: SampleUnit[], index: number): Buffer {
  const from = units.slice(0, index + 1).map((u) => u.key).lastIndexOf(true);
  const input = Buffer.concat(units.slice(from, index + 1).map((u) => Buffer.from(u.data, 'base64')));
  return execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'h264', '-i', 'pipe:0', '-vf', `select=eq(n\\,${index - from})`, '-frames:v', '1',
    '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'], { input, maxBuffer: 1 << 26 });
}

/** The canvas's pixels, RGBA (through a PNG, read back by ffmpeg: quicker than a pixel array over the protocol). */
async function canvasPixels(page: Page): Promise<Buffer> {
  const url = await page.evaluate(() => (window as unknown as { canvas: HTMLCanvasElement }).canvas.toDataURL('image/png'));
  const png = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
  return execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'png_pipe', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'], { input: png, maxBuffer: 1 << 26 });
}

/** Mean absolute difference per colour channel. */
function meanDiff(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  for (let i = 0; i < a.length; i += 4) diff += Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!);
  return diff / ((a.length / 4) * 3);
}

const portrait = h264Sample({ width: 576, height: 1280, frames: 60, gop: 30 });
const landscape = h264Sample({ width: 1280, height: 576, frames: 20, gop: 10 });

test('decodes the stream in order and paints the last picture as ffmpeg decodes it; every frame closed once', async ({ lab }) => {
  expect(portrait.filter((u) => u.key).length).toBe(2);
  await push(lab, portrait, 1);
  const s = await settled(lab);
  expect(s.submitted).toBe(60);
  expect(s.decoded).toBe(60);
  expect(s.painted).toBeGreaterThan(0);
  expect([s.width, s.height]).toEqual([576, 1280]);
  // Painting drops what it cannot show, but nothing stays open: each decoded picture closed exactly once.
  expect((await counts(lab)).closes).toBe(60);
  const shown = await canvasPixels(lab);
  // Grey pictures, so colour matrices do not matter: ~0.4 levels from ffmpeg's last picture here, ~0.7 from the
  // one before it (the test card's moving parts are small), ~4.5 from one half a second earlier.
  const toLast = meanDiff(shown, reference(portrait, 59));
  expect(toLast).toBeLessThan(1.5);
  expect(toLast).toBeLessThan(meanDiff(shown, reference(portrait, 58)));
});

test('a resent group of pictures (same seq numbers) is skipped; a new generation waits for its key frame and resizes', async ({ lab }) => {
  await push(lab, portrait.slice(0, 40), 1);
  // A second watcher joined: the core resends from the last key frame (seq 30..39), then goes on.
  await push(lab, portrait.slice(30), 1);
  let s = await settled(lab);
  expect(s.submitted).toBe(60);
  expect(s.skipped).toBe(10);
  // A new generation whose first units are deltas (its key frame lost): nothing decoded until a key frame.
  const deltasFirst = landscape.slice(1, 10);
  await push(lab, deltasFirst, 2);
  await push(lab, landscape.slice(10), 2);
  s = await settled(lab);
  expect(s.skipped).toBe(10 + 9);
  expect(s.submitted).toBe(70);
  expect([s.width, s.height]).toEqual([1280, 576]);
  // A late unit of the finished generation changes nothing.
  await push(lab, portrait.slice(59), 1);
  expect((await stats(lab)).submitted).toBe(70);
  expect((await counts(lab)).fallbacks).toEqual([]);
  expect((await counts(lab)).closes).toBe(s.decoded);
});

test('a decoder that falls behind by more than 30 units is reset and waits for the next key frame', async ({ lab }) => {
  // Every unit at once, in one task: the decoder gets no chance to work off its queue.
  await push(lab, portrait, 1, 0);
  const s = await settled(lab);
  expect(s.overloads).toBeGreaterThan(0);
  // Reset at unit 31: the key frame at 30 went with the queue, the deltas after it are skipped, nothing is decoded.
  expect(s.submitted).toBe(31);
  expect(s.skipped).toBe(28);
  expect(s.decoded).toBe(0);
  expect((await counts(lab)).needKey).toBeGreaterThan(0);
  expect((await counts(lab)).closes).toBe(s.decoded);
});

test('a codec this browser does not decode, and bytes that are not H.264, fall back to screenshots', async ({ lab }) => {
  await push(lab, portrait.slice(0, 5).map((u) => ({ ...u, codec: 'avc1.ff0033' })), 1);
  await expect.poll(async () => (await counts(lab)).fallbacks).toEqual(['codec-unsupported']);
  expect((await stats(lab)).submitted).toBe(0);

  await lab.evaluate(() => {
    const w = window as unknown as Record<string, unknown> & { counts: { fallbacks: string[] }; H264Lab: { H264Screen: new (c: HTMLCanvasElement, h: object) => unknown } };
    w.screen = new w.H264Lab.H264Screen(w.canvas as HTMLCanvasElement, { onFallback: (r: string) => w.counts.fallbacks.push(r) });
  });
  const garbage = Buffer.alloc(4000, 0x5a);
  garbage.writeUInt32BE(1, 0);
  garbage[4] = 0x65; // an IDR slice header byte, then nonsense
  for (let i = 0; i < 3; i++) {
    await push(lab, [{ ...portrait[0]!, seq: i, key: true, data: garbage.toString('base64') }], 1);
    await lab.waitForTimeout(300);
  }
  await expect.poll(async () => (await counts(lab)).fallbacks, { timeout: 5000 }).toEqual(['codec-unsupported', 'decode-error']);
});
