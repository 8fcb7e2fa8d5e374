// The virtual phone's H.264 encoder against ffmpeg as the reference decoder: key frames, unchanged, scrolled,
// partly and fully changed P frames at the sizes the phone streams, decoded without errors to exactly the
// YUV the encoder converted (so every skip, moved block and motion-vector prediction landed where the
// encoder put it) and to RGB within the 4:2:0 conversion's loss.
import { describe, expect, it } from 'vitest';
import { noise, paste, solid, textPage, windowOf } from '../../../../support/h264-reference.js';
import { rng } from '../../../../support/seeded-random.js';
import { checkWithFfmpeg, encodeToFile, type Step } from './sequence.js';

// Bounds on the mean absolute difference per RGB byte, decoded vs source. Screen-like content (flat colours,
// grey text) loses little to 4:2:0 (measured 1.3 to 2.5 at 200 px and up, 3.1 at 34x18 where glyph edges are
// most of the picture); random colour noise loses most of its chroma (measured 44 per byte), so a frame's
// bound grows with the share of its area that is noise.
const SCREEN = 4;
const NOISE = 50;
// At 34x18 glyph edges are most of the picture: measured 6.3 to 10 per frame.
const TINY = 12;
const bound = (noiseArea: number, area: number): number => (area < 64 * 64 ? TINY : SCREEN) + (NOISE * noiseArea) / area;

interface ScreenStep { at: [number, number]; clock?: boolean; toast?: boolean }

/**
 * A scrolling app screen: a fixed status bar, a page seen through a window whose top-left is at `at` on the
 * page, a fixed navigation bar; `clock` steps change a small patch of the status bar, `toast` steps paint a
 * changed band over the middle. Each step's motion hint is what the page did since the previous step.
 */
function scrollingScreen(width: number, height: number, plan: ScreenStep[], seed: number): Step[] {
  const pageW = width + 64, pageH = height * 3;
  const page = textPage(pageW, pageH, seed);
  const bars = textPage(width, height, seed + 1);
  const statusH = Math.min(48, Math.floor(height / 8)), navH = Math.min(96, Math.floor(height / 6));
  const steps: Step[] = [];
  let prev: [number, number] | null = null;
  plan.forEach(({ at: [left, top], clock, toast }, i) => {
    const rgb = windowOf(page, pageW, left, top, width, height);
    paste(rgb, bars, width, 0, 0, width, statusH);
    paste(rgb, bars, width, 0, height - navH, width, navH);
    let noisy = 0;
    if (clock) {
      const cw = Math.min(40, Math.floor(width / 4));
      paste(rgb, noise(width, height, seed + i), width, Math.floor(width / 5), 0, cw, statusH);
      noisy += cw * statusH;
    }
    if (toast) {
      const th = Math.min(50, Math.floor(height / 5));
      paste(rgb, noise(width, height, seed + 100 + i), width, 2, Math.floor(height / 2), width - 4, th);
      noisy += (width - 4) * th;
    }
    const motion = prev ? { dx: -(left - prev[0]), dy: -(top - prev[1]) } : null;
    steps.push({ rgb, opts: { motion }, maxRgbDiff: bound(noisy, width * height) });
    prev = [left, top];
  });
  return steps;
}

describe('H.264 encoder decoded by ffmpeg', () => {
  it('720x1600: solid colours, a text page, unchanged, scrolled (±, odd, beyond 16), a lying hint, noise, a requested key frame', async () => {
    const [w, h] = [720, 1600];
    const scroll = scrollingScreen(w, h, [
      { at: [32, 0] }, { at: [32, 48] }, { at: [32, 55], clock: true }, { at: [32, 68] }, { at: [32, 40], toast: true },
      { at: [32, 41] }, { at: [29, 41], clock: true }, { at: [35, 80] }, { at: [35, 80] }, { at: [3, 300] }, { at: [40, 290], toast: true },
    ], 7);
    const steps: Step[] = [
      { rgb: solid(w, h, 0, 0, 0), maxRgbDiff: SCREEN },
      { rgb: solid(w, h, 255, 255, 255), maxRgbDiff: SCREEN },
      { rgb: solid(w, h, 30, 144, 255), maxRgbDiff: SCREEN },
      ...scroll,
      // The same screen again, hinting a move that did not happen: blocks must still decode exactly.
      { rgb: scroll[scroll.length - 1]!.rgb, opts: { motion: { dx: 0, dy: -30 } }, maxRgbDiff: SCREEN },
      { rgb: noise(w, h, 3), maxRgbDiff: bound(1, 1) },
      { rgb: scroll[2]!.rgb, opts: { key: true }, maxRgbDiff: SCREEN },
      { rgb: scroll[3]!.rgb, opts: { motion: { dx: 0, dy: -13 } }, maxRgbDiff: SCREEN },
    ];
    const enc = encodeToFile(w, h, steps);
    const mbs = 45 * 100;
    expect(enc.keys).toEqual(steps.map((_, i) => i === 0 || i === 3 + scroll.length + 2));
    // Unchanged (the repeated window [35, 80]) is all P_Skip; whole-pixel scrolls move most blocks.
    expect(enc.stats[3 + 8]).toEqual({ pcm: 0, skip: mbs, moved: 0 });
    expect(enc.stats[3 + 1]!.pcm).toBeLessThan(mbs * 0.2); // dy -48
    expect(enc.stats[3 + 4]!.pcm).toBeLessThan(mbs * 0.2); // dy +28
    expect(enc.stats[3 + 3]!.moved).toBeGreaterThan(0); // dy -13: a half chroma sample, moved only where chroma matches
    await checkWithFfmpeg(w, h, steps, enc);
  });

  for (const [w, h] of [[540, 1200], [200, 100], [1080, 2400], [34, 18]] as const) {
    it(`${w}x${h}: scrolled by several dx/dy, with changed regions, decodes exactly`, async () => {
      const steps = scrollingScreen(w, h, [
        { at: [10, 0] }, { at: [10, 16] }, { at: [10, 9], clock: true }, { at: [12, 2] }, { at: [0, 60] },
        { at: [0, 60] }, { at: [64, 33], clock: true, toast: true }, { at: [63, 20] },
      ], w + h);
      if (w >= 200) steps.push({ rgb: noise(w, h, 9), maxRgbDiff: bound(1, 1) });
      const enc = encodeToFile(w, h, steps);
      expect(enc.stats[5]!.pcm).toBe(0); // unchanged frame
      await checkWithFfmpeg(w, h, steps, enc);
    }, 120_000);
  }

  it('a full-screen pan (the top row and the edges move too) with intra blocks scattered between moved ones, 24 P frames', async () => {
    // Every neighbour case of motion-vector prediction (8.4.1.3) and skip inference (8.4.1.1) occurs here:
    // the top row (no B, C), the right column (C replaced by D), intra and moved and unmoved neighbours.
    const [w, h] = [320, 240];
    const pageW = w + 200;
    const page = textPage(pageW, h * 4, 11);
    const rand = rng(5);
    // 24 frames after the key frame: frame_num (4 bits) wraps past 15 within one group of pictures.
    const pan: Array<[number, number]> = [[100, 32], [84, 32], [84, 60], [116, 50], [116, 50], [100, 10], [90, 200], [90, 198]];
    const plan: Array<[number, number]> = [[100, 0], ...pan, ...pan.map(([x, y]): [number, number] => [x + 2, y + 4]), ...pan.reverse()];
    const steps: Step[] = plan.map(([left, top], i) => {
      const rgb = windowOf(page, pageW, left, top, w, h);
      let noisy = 0;
      for (let k = 0; k < 12 && i > 0; k++) {
        const x = 16 * Math.floor(rand() * (w / 16)), y = 16 * Math.floor(rand() * (h / 16));
        paste(rgb, noise(w, h, i * 100 + k), w, x, y, 16, 16);
        noisy += 256;
      }
      const prev = plan[i - 1];
      return { rgb, opts: { motion: prev ? { dx: prev[0] - left, dy: prev[1] - top } : null }, maxRgbDiff: bound(noisy, w * h) };
    });
    const enc = encodeToFile(w, h, steps);
    const mbs = 20 * 15;
    expect(enc.keys.filter(Boolean)).toHaveLength(1);
    for (const i of [1, 2, 3, 4, 6]) expect(enc.stats[i]!.moved + enc.stats[i]!.skip, `frame ${i}`).toBeGreaterThan(mbs * 0.6);
    await checkWithFfmpeg(w, h, steps, enc);
  });

  it('moves blocks whose vector points past the picture edge (the decoder repeats the edge samples)', async () => {
    // A grey ramp, flat for 24 px at both ends: moved by 16 px, the edge blocks match only through the
    // decoder's edge extension (8.4.2.2), so no block should need I_PCM.
    const [w, h] = [96, 96];
    const ramp = (shiftX: number, shiftY: number, vertical: boolean): Uint8Array => {
      const out = new Uint8Array(w * h * 3);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const t = vertical ? y + shiftY : x + shiftX;
          out.fill(20 + 2 * Math.min(48, Math.max(0, t - 24)), (y * w + x) * 3, (y * w + x) * 3 + 3);
        }
      }
      return out;
    };
    const steps: Step[] = [
      { rgb: ramp(0, 0, true), maxRgbDiff: SCREEN },
      { rgb: ramp(0, 16, true), opts: { motion: { dx: 0, dy: -16 } }, maxRgbDiff: SCREEN },
      { rgb: ramp(0, 0, true), opts: { motion: { dx: 0, dy: 16 } }, maxRgbDiff: SCREEN },
      { rgb: ramp(0, 0, false), opts: { key: true }, maxRgbDiff: SCREEN },
      { rgb: ramp(17, 0, false), opts: { motion: { dx: -17, dy: 0 } }, maxRgbDiff: SCREEN },
      { rgb: ramp(0, 0, false), opts: { motion: { dx: 17, dy: 0 } }, maxRgbDiff: SCREEN },
    ];
    const enc = encodeToFile(w, h, steps);
    for (const i of [1, 2, 4, 5]) expect(enc.stats[i]!.pcm, `frame ${i}`).toBe(0);
    await checkWithFfmpeg(w, h, steps, enc);
  });
});
