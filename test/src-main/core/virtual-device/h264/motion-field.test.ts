// Motion-vector prediction (H.264 8.4.1.3) and P_Skip's inferred vector (8.4.1.1) for 16x16 partitions with
// one reference, checked on hand-worked neighbourhoods. (The ffmpeg tests check the same through decoding.)
import { describe, expect, it } from 'vitest';
import { MotionField } from '../../../../../src-main/core/virtual-device/android/h264/motion-field.js';

/** A 4x3-macroblock field; `inter` maps "x,y" to a vector, every other macroblock is intra. */
function field(inter: Record<string, [number, number]>): MotionField {
  const f = new MotionField(4, 3);
  for (const [k, [x, y]] of Object.entries(inter)) {
    const [mbx, mby] = k.split(',').map(Number) as [number, number];
    f.setInter(mby * 4 + mbx, x, y);
  }
  return f;
}
const predict = (f: MotionField, x: number, y: number): [number, number] => { f.predict(x, y); return [f.x, f.y]; };
const skip = (f: MotionField, x: number, y: number): [number, number] => { f.skipVector(x, y); return [f.x, f.y]; };

describe('motion-vector prediction (8.4.1.3)', () => {
  it('takes the median of left, above and above-right', () => {
    expect(predict(field({ '0,1': [4, -8], '1,0': [12, 0], '2,0': [8, 40] }), 1, 1)).toEqual([8, 0]);
  });

  it('uses the one neighbour with the same reference when only one has it (intra neighbours have none)', () => {
    expect(predict(field({ '2,0': [8, 40] }), 1, 1)).toEqual([8, 40]); // A, B intra
    expect(predict(field({ '0,1': [-4, 4] }), 1, 1)).toEqual([-4, 4]); // only A
  });

  it('takes the above-left macroblock for C in the right column', () => {
    // (3,1): C would be (4,0), outside; D = (2,0) stands in.
    expect(predict(field({ '2,1': [4, 4], '3,0': [8, 8], '2,0': [12, 12] }), 3, 1)).toEqual([8, 8]);
    expect(predict(field({ '2,0': [12, 12] }), 3, 1)).toEqual([12, 12]);
  });

  it('gives the left vector in the top row and zero at the first macroblock', () => {
    expect(predict(field({ '0,0': [20, -4] }), 1, 0)).toEqual([20, -4]);
    expect(predict(field({}), 0, 0)).toEqual([0, 0]);
    expect(predict(field({}), 2, 0)).toEqual([0, 0]); // left is intra
  });

  it('gives zero when two or three neighbours are intra-free but the median of vectors is zero', () => {
    // A and B with the reference, C intra (vector 0): median(16, 16, 0) = 16; median(16, -16, 0) = 0.
    expect(predict(field({ '0,1': [16, 0], '1,0': [16, 0] }), 1, 1)).toEqual([16, 0]);
    expect(predict(field({ '0,1': [16, 0], '1,0': [-16, 0] }), 1, 1)).toEqual([0, 0]);
  });
});

describe('P_Skip vector (8.4.1.1)', () => {
  it('is zero on the top row and the left column (A or B unavailable)', () => {
    const f = field({ '0,0': [8, 8], '1,0': [8, 8], '0,1': [8, 8] });
    expect(skip(f, 2, 0)).toEqual([0, 0]);
    expect(skip(f, 0, 2)).toEqual([0, 0]);
  });

  it('is zero when A or B is unmoved with the reference', () => {
    expect(skip(field({ '0,1': [0, 0], '1,0': [8, 8], '2,0': [8, 8] }), 1, 1)).toEqual([0, 0]);
    expect(skip(field({ '0,1': [8, 8], '1,0': [0, 0], '2,0': [8, 8] }), 1, 1)).toEqual([0, 0]);
  });

  it('is the prediction otherwise, also when a neighbour is intra', () => {
    expect(skip(field({ '0,1': [8, 8], '1,0': [8, 8], '2,0': [4, 0] }), 1, 1)).toEqual([8, 8]);
    expect(skip(field({ '0,1': [8, -8], '2,0': [4, 0] }), 1, 1)).toEqual([4, 0]); // B intra: median(8, 0, 4), median(-8, 0, 0)
    expect(skip(field({}), 1, 1)).toEqual([0, 0]); // all intra: median of zeros
  });
});
