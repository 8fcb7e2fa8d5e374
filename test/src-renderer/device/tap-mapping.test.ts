// Mapping a click on the shown screenshot to device coordinates for `input tap`, scaled and rotated.
import { describe, expect, it } from 'vitest';
import { mapToDevice } from '../../../src-renderer/src/device/tap-mapping.js';

describe('tap mapping', () => {
  const image = { width: 1080, height: 2400 };
  it('scales from the shown size to device pixels and clamps to the image', () => {
    expect(mapToDevice({ x: 180, y: 400 }, { width: 360, height: 800 }, image)).toEqual({ x: 540, y: 1200 });
    expect(mapToDevice({ x: -5, y: 900 }, { width: 360, height: 800 }, image)).toEqual({ x: 0, y: 2400 });
  });
  it('undoes a rotated screenshot', () => {
    // A landscape screenshot (2400x1080) of a display whose input space is portrait 1080x2400.
    const land = { width: 2400, height: 1080 };
    const shown = { width: 800, height: 360 };
    expect(mapToDevice({ x: 0, y: 0 }, shown, land, 1)).toEqual({ x: 0, y: 2400 });
    expect(mapToDevice({ x: 800, y: 0 }, shown, land, 1)).toEqual({ x: 0, y: 0 });
    expect(mapToDevice({ x: 0, y: 0 }, shown, land, 3)).toEqual({ x: 1080, y: 0 });
    expect(mapToDevice({ x: 90, y: 200 }, { width: 360, height: 800 }, image, 2)).toEqual({ x: 810, y: 1800 });
  });
});

