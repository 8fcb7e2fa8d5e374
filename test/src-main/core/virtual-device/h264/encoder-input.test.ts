// What the encoder refuses (odd, zero, fractional or too large sizes, a buffer of the wrong length, a
// fractional motion hint) — each with the workbench's error and a message that says what it needs — and what
// it declares: the codec string a WebCodecs decoder is configured with.
import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../../../src-main/core/errors.js';
import { H264Encoder } from '../../../../../src-main/core/virtual-device/android/h264/h264-encoder.js';
import { solid } from '../../../../support/h264-reference.js';

function refusal(fn: () => unknown): WorkbenchError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WorkbenchError);
    expect((err as WorkbenchError).code).toBe('virtual-device.encoder-refused');
    return err as WorkbenchError;
  }
  throw new Error('not refused');
}

describe('H264Encoder input', () => {
  it('refuses odd, zero, fractional and oversized sizes, saying the range', () => {
    for (const [width, height] of [[721, 1600], [720, 1599], [0, 16], [16.5, 16], [4098, 2], [2, 8192], [Number.NaN, 16]]) {
      expect(refusal(() => new H264Encoder({ width: width!, height: height! })).message).toMatch(/even whole number of pixels from 2 to 4096/);
    }
  });

  it('takes the largest and smallest sizes', () => {
    expect(new H264Encoder({ width: 4096, height: 4096 }).codec).toBe('avc1.42C03C');
    expect(new H264Encoder({ width: 2, height: 2 }).encode(solid(2, 2, 1, 2, 3)).key).toBe(true);
  });

  it('refuses a frame of the wrong length and says the length it needs', () => {
    const enc = new H264Encoder({ width: 200, height: 100 });
    expect(refusal(() => enc.encode(new Uint8Array(200 * 100 * 4))).message).toBe('a 200x100 RGB frame has 60000 bytes, got 80000 bytes');
    expect(refusal(() => enc.encode(new Uint8Array(0))).message).toMatch(/got 0 bytes/);
    expect(refusal(() => enc.encode('pixels' as unknown as Uint8Array)).message).toMatch(/got string/);
    // A refused frame leaves the stream intact: the next frame is still the first, a key frame.
    expect(enc.encode(solid(200, 100, 0, 0, 0)).key).toBe(true);
  });

  it('refuses a motion hint in fractions of a pixel', () => {
    const enc = new H264Encoder({ width: 32, height: 32 });
    enc.encode(solid(32, 32, 0, 0, 0));
    expect(refusal(() => enc.encode(solid(32, 32, 0, 0, 0), { motion: { dx: 0.5, dy: 0 } })).message).toMatch(/whole pixels/);
  });

  it('names the level the size needs in its codec string (Constrained Baseline, level 3.1 at least)', () => {
    expect(new H264Encoder({ width: 200, height: 100 }).codec).toBe('avc1.42C01F');
    expect(new H264Encoder({ width: 720, height: 1600 }).codec).toBe('avc1.42C020'); // 4500 MBs: 3.2
    expect(new H264Encoder({ width: 576, height: 1280 }).codec).toBe('avc1.42C01F'); // 2880 MBs
    expect(new H264Encoder({ width: 16, height: 4096 }).codec).toBe('avc1.42C028'); // 256 MBs, but 256 high: 4.0 (A.3.1: side ≤ √(8·MaxFS))
    expect(new H264Encoder({ width: 1080, height: 2400 }).codec).toBe('avc1.42C032'); // 10200 MBs: 5.0
  });

  it('puts SPS and PPS before every IDR and one slice in every access unit', () => {
    const nalTypes = (au: Buffer): number[] => {
      const types: number[] = [];
      for (let i = 0; i + 4 < au.length; i++) {
        if (au[i] === 0 && au[i + 1] === 0 && au[i + 2] === 0 && au[i + 3] === 1) types.push(au[i + 4]! & 31);
      }
      return types;
    };
    const enc = new H264Encoder({ width: 64, height: 48 });
    const frames = [enc.encode(solid(64, 48, 9, 9, 9)), enc.encode(solid(64, 48, 9, 9, 9)), enc.encode(solid(64, 48, 200, 9, 9)),
      enc.encode(solid(64, 48, 200, 9, 9), { key: true }), enc.encode(solid(64, 48, 0, 0, 0))];
    expect(frames.map((f) => f.key)).toEqual([true, false, false, true, false]);
    expect(frames.map((f) => nalTypes(f.data))).toEqual([[7, 8, 5], [1], [1], [7, 8, 5], [1]]);
    expect(frames.every((f) => f.data.subarray(0, 4).equals(Buffer.from([0, 0, 0, 1])))).toBe(true);
  });
});
