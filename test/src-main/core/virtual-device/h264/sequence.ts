// Encodes a sequence of frames to a .h264 file and checks it with ffmpeg as the reference decoder: codec,
// size and frame count, no decode errors, decoded YUV equal byte for byte to the encoder's own conversion of
// each source frame, decoded RGB close to the source (mean absolute difference per byte under a bound).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import { H264Encoder, type EncodeOptions, type FrameStats } from '../../../../../src-main/core/virtual-device/android/h264/h264-encoder.js';
import { rgbToYuv420, YuvPicture } from '../../../../../src-main/core/virtual-device/android/h264/yuv420.js';
import { decodeErrors, decodeFrames, meanAbsDiff, probe } from '../../../../support/h264-reference.js';

export interface Step { rgb: Uint8Array; opts?: EncodeOptions; /** bound on mean |decoded RGB - source| per byte */ maxRgbDiff: number }

export interface Encoded { stats: FrameStats[]; sizes: number[]; keys: boolean[]; file: string; dir: string }

/** The visible planes of the encoder's own conversion, in yuv420p (I420) order as ffmpeg writes them. */
export function ownYuv(rgb: Uint8Array, width: number, height: number): Buffer {
  const pic = new YuvPicture(Math.ceil(width / 16) * 16, Math.ceil(height / 16) * 16);
  rgbToYuv420(rgb, width, height, pic);
  const out = Buffer.alloc(width * height * 3 / 2);
  let o = 0;
  for (let y = 0; y < height; y++, o += width) out.set(pic.y.subarray(y * pic.strideY, y * pic.strideY + width), o);
  for (const plane of [pic.cb, pic.cr]) {
    for (let y = 0; y < height / 2; y++, o += width / 2) out.set(plane.subarray(y * pic.strideC, y * pic.strideC + width / 2), o);
  }
  return out;
}

export function encodeToFile(width: number, height: number, steps: Step[]): Encoded {
  const enc = new H264Encoder({ width, height });
  const parts: Buffer[] = [];
  const stats: FrameStats[] = [], sizes: number[] = [], keys: boolean[] = [];
  for (const s of steps) {
    const { data, key } = enc.encode(s.rgb, s.opts);
    parts.push(data);
    stats.push({ ...enc.lastStats });
    sizes.push(data.length);
    keys.push(key);
  }
  const dir = mkdtempSync(join(tmpdir(), 'h264-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true })); // also when an assertion fails first
  const file = join(dir, `seq-${width}x${height}.h264`);
  writeFileSync(file, Buffer.concat(parts));
  return { stats, sizes, keys, file, dir };
}

/** Runs every ffmpeg check on an encoded sequence; returns the per-frame RGB differences. */
export async function checkWithFfmpeg(width: number, height: number, steps: Step[], encoded: Encoded): Promise<number[]> {
  const p = await probe(encoded.file);
  expect(p).toMatchObject({ codec: 'h264', profile: 'Constrained Baseline', width, height, frames: steps.length, pixFmt: 'yuv420p', colorSpace: 'smpte170m', colorRange: 'tv' });
  expect(await decodeErrors(encoded.file)).toBe('');
  const yuv = await decodeFrames(encoded.file, 'yuv420p', width, height);
  expect(yuv).toHaveLength(steps.length);
  steps.forEach((s, i) => {
    const mine = ownYuv(s.rgb, width, height);
    if (!mine.equals(yuv[i]!)) {
      const at = mine.findIndex((b, k) => b !== yuv[i]![k]);
      throw new Error(`frame ${i} (${encoded.keys[i] ? 'IDR' : 'P'}, ${JSON.stringify(encoded.stats[i])}): decoded YUV differs from the encoder's conversion first at byte ${at} of ${mine.length}`);
    }
  });
  const rgb = await decodeFrames(encoded.file, 'rgb24', width, height);
  const diffs = steps.map((s, i) => meanAbsDiff(s.rgb, rgb[i]!));
  diffs.forEach((d, i) => expect(d, `frame ${i} RGB difference`).toBeLessThan(steps[i]!.maxRgbDiff));
  return diffs;
}
