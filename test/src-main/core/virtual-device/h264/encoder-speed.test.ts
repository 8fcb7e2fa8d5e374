// Encode time at 720x1600 (the workbench's stream size for a 1080x2400 phone is ≤ 1280 px high; 720x1600 is
// the size the ffmpeg tests use): medians of 5 frames per kind, bounded with a wide margin for a busy 2-core
// machine (measured here, idle: IDR ~50 ms, still P ~1 ms, scrolled P ~50 ms, fully changed P ~45 ms).
import { describe, expect, it } from 'vitest';
import { H264Encoder, type EncodeOptions } from '../../../../../src-main/core/virtual-device/android/h264/h264-encoder.js';
import { noise, textPage, windowOf } from '../../../../support/h264-reference.js';

const [W, H] = [720, 1600];

function median(times: number[]): number {
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

describe('H264Encoder speed at 720x1600', () => {
  it('encodes key frames, still, scrolled and fully changed P frames within bounds', () => {
    const pageW = W + 64;
    const page = textPage(pageW, H * 2, 3);
    const top = windowOf(page, pageW, 32, 0, W, H), down = windowOf(page, pageW, 32, 48, W, H);
    const n1 = noise(W, H, 1), n2 = noise(W, H, 2);
    const enc = new H264Encoder({ width: W, height: H });
    enc.encode(top);
    const time = (frames: Array<[Uint8Array, EncodeOptions]>, check: () => void): number => median(frames.map(([rgb, opts]) => {
      const t = performance.now();
      enc.encode(rgb, opts);
      const ms = performance.now() - t;
      check();
      return ms;
    }));
    const five = <T>(f: (i: number) => T): T[] => Array.from({ length: 5 }, (_, i) => f(i));
    const idr = time(five(() => [top, { key: true }]), () => expect(enc.lastStats.pcm).toBe(4500));
    const still = time(five(() => [top, {}]), () => expect(enc.lastStats.skip).toBe(4500));
    const scrolled = time(five((i) => (i % 2 === 0 ? [down, { motion: { dx: 0, dy: -48 } }] : [top, { motion: { dx: 0, dy: 48 } }])),
      () => expect(enc.lastStats.pcm).toBeLessThan(4500 * 0.05));
    const changed = time(five((i) => [i % 2 === 0 ? n1 : n2, {}]), () => expect(enc.lastStats.pcm).toBe(4500));
    expect(idr).toBeLessThan(400);
    expect(still).toBeLessThan(30);
    expect(scrolled).toBeLessThan(400);
    expect(changed).toBeLessThan(400);
  });
});
