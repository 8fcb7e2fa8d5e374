/**
 * Motion-compensated prediction of one 16x16 macroblock from the reference picture, done as the decoder does
 * it (spec 8.4.2.2): luma at whole-pixel vectors (the encoder only makes whole-pixel vectors, and medians of
 * them are whole too), chroma at eighth-pixel positions with the bilinear filter (an odd pixel shift is a half
 * chroma sample), and every sample outside the picture taken from the nearest edge. A block is coded as moved
 * only when this prediction equals the source in every visible sample, so no residual is ever needed.
 */
import type { YuvPicture } from './yuv420.js';

/** The predicted macroblock: 256 luma, then 64 Cb, then 64 Cr samples, row by row. */
export type MacroblockSamples = Uint8Array;

export function newMacroblock(): MacroblockSamples {
  return new Uint8Array(384);
}

/**
 * Predicts macroblock (mbx, mby) of `ref` moved by (mvx, mvy) quarter pixels (multiples of 4) into `out`, and
 * says whether it equals `src` within the visible vw x vh luma samples. It stops at the first luma row that
 * differs, so `out` is complete only when it returns true.
 */
export function predictMatches(
  ref: YuvPicture, src: YuvPicture, mbx: number, mby: number, mvx: number, mvy: number,
  vw: number, vh: number, out: MacroblockSamples,
): boolean {
  const W = ref.codedWidth, H = ref.codedHeight, sY = ref.strideY;
  const x0 = mbx * 16, y0 = mby * 16;
  const dx = mvx >> 2, dy = mvy >> 2;
  const rx = x0 + dx, ry = y0 + dy;
  const refY = ref.y, srcY = src.y;
  const inside = rx >= 0 && ry >= 0 && rx + 16 <= W && ry + 16 <= H;
  for (let j = 0; j < 16; j++) {
    const o = j * 16;
    const sRow = (y0 + j) * sY + x0;
    if (inside) {
      const rRow = (ry + j) * sY + rx;
      for (let i = 0; i < 16; i++) out[o + i] = refY[rRow + i]!;
    } else {
      const yy = clamp(ry + j, H - 1) * sY;
      for (let i = 0; i < 16; i++) out[o + i] = refY[yy + clamp(rx + i, W - 1)]!;
    }
    if (j < vh) {
      for (let i = 0; i < vw; i++) if (out[o + i] !== srcY[sRow + i]) return false;
    }
  }
  return chromaMatches(ref.cb, src.cb, ref, mbx, mby, mvx, mvy, vw >> 1, vh >> 1, out, 256)
    && chromaMatches(ref.cr, src.cr, ref, mbx, mby, mvx, mvy, vw >> 1, vh >> 1, out, 320);
}

function chromaMatches(
  refC: Uint8Array, srcC: Uint8Array, ref: YuvPicture, mbx: number, mby: number, mvx: number, mvy: number,
  cw: number, ch: number, out: MacroblockSamples, base: number,
): boolean {
  const W = ref.codedWidth >> 1, H = ref.codedHeight >> 1, s = ref.strideC;
  const x0 = mbx * 8, y0 = mby * 8;
  // 8.4.2.2.2 with 4:2:0: the chroma vector is the luma vector in eighths of a chroma sample.
  const xInt = x0 + (mvx >> 3), yInt = y0 + (mvy >> 3);
  const xF = mvx & 7, yF = mvy & 7;
  const inside = xInt >= 0 && yInt >= 0 && xInt + 9 <= W && yInt + 9 <= H;
  for (let j = 0; j < 8; j++) {
    const o = base + j * 8;
    const sRow = (y0 + j) * s + x0;
    if (xF === 0 && yF === 0) {
      if (inside) {
        const r = (yInt + j) * s + xInt;
        for (let i = 0; i < 8; i++) out[o + i] = refC[r + i]!;
      } else {
        const r = clamp(yInt + j, H - 1) * s;
        for (let i = 0; i < 8; i++) out[o + i] = refC[r + clamp(xInt + i, W - 1)]!;
      }
    } else {
      const r0 = clamp(yInt + j, H - 1) * s;
      const r1 = clamp(yInt + j + 1, H - 1) * s;
      const wA = (8 - xF) * (8 - yF), wB = xF * (8 - yF), wC = (8 - xF) * yF, wD = xF * yF;
      for (let i = 0; i < 8; i++) {
        const xa = clamp(xInt + i, W - 1), xb = clamp(xInt + i + 1, W - 1);
        out[o + i] = (wA * refC[r0 + xa]! + wB * refC[r0 + xb]! + wC * refC[r1 + xa]! + wD * refC[r1 + xb]! + 32) >> 6;
      }
    }
    if (j < ch) {
      for (let i = 0; i < cw; i++) if (out[o + i] !== srcC[sRow + i]) return false;
    }
  }
  return true;
}

function clamp(v: number, max: number): number {
  return v < 0 ? 0 : v > max ? max : v;
}

/**
 * Says whether macroblock (mbx, mby) of `src` equals the same macroblock of `ref` in its visible vw x vh luma
 * samples (and the chroma under them): the unmoved prediction, compared without building it.
 */
export function sameAsReference(src: YuvPicture, ref: YuvPicture, mbx: number, mby: number, vw: number, vh: number): boolean {
  const sY = src.strideY, sC = src.strideC;
  const a = src.y, b = ref.y;
  for (let j = 0, p = mby * 16 * sY + mbx * 16; j < vh; j++, p += sY) {
    for (let i = 0; i < vw; i++) if (a[p + i] !== b[p + i]) return false;
  }
  const cw = vw >> 1, ch = vh >> 1;
  const u = src.cb, v = src.cr, ru = ref.cb, rv = ref.cr;
  for (let j = 0, c = mby * 8 * sC + mbx * 8; j < ch; j++, c += sC) {
    for (let i = 0; i < cw; i++) if (u[c + i] !== ru[c + i] || v[c + i] !== rv[c + i]) return false;
  }
  return true;
}

/** Writes a predicted macroblock into picture `dst` (the decoder's reconstruction: no residual). */
export function storeMacroblock(mb: MacroblockSamples, dst: YuvPicture, mbx: number, mby: number): void {
  const sY = dst.strideY, sC = dst.strideC, y = dst.y, u = dst.cb, v = dst.cr;
  for (let j = 0, p = mby * 16 * sY + mbx * 16, o = 0; j < 16; j++, p += sY) {
    for (let i = 0; i < 16; i++) y[p + i] = mb[o++]!;
  }
  for (let j = 0, c = mby * 8 * sC + mbx * 8, o = 0; j < 8; j++, c += sC) {
    for (let i = 0; i < 8; i++, o++) { u[c + i] = mb[256 + o]!; v[c + i] = mb[320 + o]!; }
  }
}

/** Copies macroblock (mbx, mby) from `src` to `dst` (an I_PCM block decodes to its samples). */
export function copyMacroblock(src: YuvPicture, dst: YuvPicture, mbx: number, mby: number): void {
  const sY = src.strideY, sC = src.strideC;
  const a = src.y, b = dst.y, u = src.cb, v = src.cr, du = dst.cb, dv = dst.cr;
  for (let j = 0, p = mby * 16 * sY + mbx * 16; j < 16; j++, p += sY) {
    for (let i = 0; i < 16; i++) b[p + i] = a[p + i]!;
  }
  for (let j = 0, c = mby * 8 * sC + mbx * 8; j < 8; j++, c += sC) {
    for (let i = 0; i < 8; i++) { du[c + i] = u[c + i]!; dv[c + i] = v[c + i]!; }
  }
}
