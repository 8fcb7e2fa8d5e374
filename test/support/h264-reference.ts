/**
 * ffmpeg / ffprobe (Debian's, at /usr/bin; CI installs them) as the reference H.264 decoder for the virtual
 * phone's encoder tests, and the synthetic screens those tests encode. Only tests use ffmpeg; the workbench
 * never runs it. Every call passes an argument array (no shell) and a bounded output buffer.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { rng } from './seeded-random.js';

const run = promisify(execFile);
const MAX_OUTPUT = 1 << 30;

export interface Probe { codec: string; profile: string; width: number; height: number; frames: number; pixFmt: string; colorSpace: string; colorRange: string }

export async function probe(file: string): Promise<Probe> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0',
    '-show_entries', 'stream=codec_name,profile,width,height,nb_read_frames,pix_fmt,color_space,color_range', '-of', 'json', file], { maxBuffer: 1 << 20 });
  const s = (JSON.parse(stdout) as { streams: Array<Record<string, string | number>> }).streams[0]!;
  return {
    codec: String(s.codec_name), profile: String(s.profile), width: Number(s.width), height: Number(s.height),
    frames: Number(s.nb_read_frames), pixFmt: String(s.pix_fmt), colorSpace: String(s.color_space), colorRange: String(s.color_range),
  };
}

/** What ffmpeg says at -v error while decoding the whole file (empty when it decoded cleanly). */
export async function decodeErrors(file: string): Promise<string> {
  const { stdout, stderr } = await run('ffmpeg', ['-nostdin', '-v', 'error', '-i', file, '-f', 'null', '-'], { maxBuffer: 1 << 20 });
  return stdout + stderr;
}

/** The decoded frames as raw bytes in pixFmt (rgb24 or yuv420p), one Buffer per frame. */
export async function decodeFrames(file: string, pixFmt: 'rgb24' | 'yuv420p', width: number, height: number): Promise<Buffer[]> {
  const { stdout } = await run('ffmpeg', ['-nostdin', '-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', pixFmt, '-'],
    { encoding: 'buffer', maxBuffer: MAX_OUTPUT });
  const frameBytes = pixFmt === 'rgb24' ? width * height * 3 : width * height * 3 / 2;
  if (stdout.length % frameBytes !== 0) throw new Error(`ffmpeg gave ${stdout.length} bytes, not whole ${frameBytes}-byte frames`);
  const frames: Buffer[] = [];
  for (let o = 0; o < stdout.length; o += frameBytes) frames.push(stdout.subarray(o, o + frameBytes));
  return frames;
}

export function solid(width: number, height: number, r: number, g: number, b: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let i = 0; i < out.length; i += 3) { out[i] = r; out[i + 1] = g; out[i + 2] = b; }
  return out;
}

/**
 * A screen-like page: a pale background, coloured bands and rows of dark "glyphs" (small rectangles of
 * varying width with pixel noise inside), like lines of text in an app.
 */
export function textPage(width: number, height: number, seed: number): Uint8Array {
  const rand = rng(seed);
  const out = solid(width, height, 250, 250, 246);
  const fill = (x0: number, y0: number, w: number, h: number, r: number, g: number, b: number, noise = 0): void => {
    for (let y = Math.max(0, y0); y < Math.min(height, y0 + h); y++) {
      for (let x = Math.max(0, x0); x < Math.min(width, x0 + w); x++) {
        const n = noise ? Math.floor(rand() * noise) : 0;
        const p = (y * width + x) * 3;
        out[p] = Math.max(0, r - n); out[p + 1] = Math.max(0, g - n); out[p + 2] = Math.max(0, b - n);
      }
    }
  };
  for (let y = 0; y < height; y += 80 + Math.floor(rand() * 160)) {
    fill(0, y, width, 24 + Math.floor(rand() * 30), 60 + Math.floor(rand() * 190), 60 + Math.floor(rand() * 190), 60 + Math.floor(rand() * 190));
  }
  for (let line = 12; line + 20 < height; line += 22 + Math.floor(rand() * 20)) {
    let x = 8 + Math.floor(rand() * 20);
    const dark = Math.floor(rand() * 80);
    while (x < width - 12) {
      const w = 4 + Math.floor(rand() * 10);
      fill(x, line, w, 14, dark, dark, dark + 30, 60);
      x += w + 2 + Math.floor(rand() * 6);
      if (rand() < 0.08) x += 20;
    }
  }
  return out;
}

/** Every pixel random: nothing predicts anything. */
export function noise(width: number, height: number, seed: number): Uint8Array {
  const rand = rng(seed);
  const out = new Uint8Array(width * height * 3);
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

/** The width x height window of `page` (pageWidth wide) whose top-left corner is at (left, top). */
export function windowOf(page: Uint8Array, pageWidth: number, left: number, top: number, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * pageWidth + left) * 3;
    out.set(page.subarray(from, from + width * 3), y * width * 3);
  }
  return out;
}

/** Paints (copies) a rectangle of `from` over `into` (both width wide): a status bar, a toast, a nav bar. */
export function paste(into: Uint8Array, from: Uint8Array, width: number, x0: number, y0: number, w: number, h: number): void {
  for (let y = y0; y < y0 + h; y++) {
    const p = (y * width + x0) * 3;
    into.set(from.subarray(p, p + w * 3), p);
  }
}

/** Mean absolute difference per byte of two equal-length images. */
export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}
