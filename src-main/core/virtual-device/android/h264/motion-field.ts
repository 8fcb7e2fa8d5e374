/**
 * What a decoder knows of each macroblock's motion while it decodes a P picture, and the two predictions it
 * derives from it (spec 8.4.1.1 and 8.4.1.3 for a 16x16 partition with reference index 0): the motion-vector
 * predictor a P_L0_16x16's mvd is coded against, and the vector a P_Skip macroblock moves by. The encoder
 * must compute both exactly as the decoder does, or a skipped or moved block lands somewhere else.
 * One slice covers the picture, so a neighbour is available iff it lies inside the picture; an I_PCM
 * neighbour is available but has no reference (refIdx -1, vector 0).
 */
export class MotionField {
  /** Per macroblock: 0 = predicted from the reference, -1 = intra (I_PCM). */
  readonly ref: Int8Array;
  /** Per macroblock motion vector in quarter pixels (0 for intra). */
  readonly mvx: Int32Array;
  readonly mvy: Int32Array;
  /** Output of predict() / skipVector(), kept to avoid an allocation per macroblock. */
  x = 0;
  y = 0;

  constructor(readonly widthMbs: number, readonly heightMbs: number) {
    const n = widthMbs * heightMbs;
    this.ref = new Int8Array(n).fill(-1);
    this.mvx = new Int32Array(n);
    this.mvy = new Int32Array(n);
  }

  setIntra(addr: number): void {
    this.ref[addr] = -1;
    this.mvx[addr] = 0;
    this.mvy[addr] = 0;
  }

  setInter(addr: number, mvx: number, mvy: number): void {
    this.ref[addr] = 0;
    this.mvx[addr] = mvx;
    this.mvy[addr] = mvy;
  }

  /** 8.4.1.3: the predictor of macroblock (mbx, mby)'s 16x16 vector, into this.x / this.y. */
  predict(mbx: number, mby: number): void {
    const w = this.widthMbs;
    const addr = mby * w + mbx;
    const aAvail = mbx > 0;
    const bAvail = mby > 0;
    // C is the macroblock above-right; where it is outside the picture, D (above-left) stands in (8.4.1.3.2).
    let cAddr = -1;
    if (mby > 0 && mbx < w - 1) cAddr = addr - w + 1;
    else if (mby > 0 && mbx > 0) cAddr = addr - w - 1;
    const cAvail = cAddr >= 0;

    let refA = -1, ax = 0, ay = 0;
    if (aAvail) { refA = this.ref[addr - 1]!; ax = this.mvx[addr - 1]!; ay = this.mvy[addr - 1]!; }
    let refB = -1, bx = 0, by = 0;
    if (bAvail) { refB = this.ref[addr - w]!; bx = this.mvx[addr - w]!; by = this.mvy[addr - w]!; }
    let refC = -1, cx = 0, cy = 0;
    if (cAvail) { refC = this.ref[cAddr]!; cx = this.mvx[cAddr]!; cy = this.mvy[cAddr]!; }

    // 8.4.1.3: B and C both unavailable (the top row) and A available → B and C take A's motion.
    if (!bAvail && !cAvail && aAvail) {
      refB = refC = refA;
      bx = cx = ax;
      by = cy = ay;
    }
    // 8.4.1.3.1: exactly one neighbour with the same reference index (0) gives its vector; else the median.
    const same = (refA === 0 ? 1 : 0) + (refB === 0 ? 1 : 0) + (refC === 0 ? 1 : 0);
    if (same === 1) {
      if (refA === 0) { this.x = ax; this.y = ay; }
      else if (refB === 0) { this.x = bx; this.y = by; }
      else { this.x = cx; this.y = cy; }
      return;
    }
    this.x = median(ax, bx, cx);
    this.y = median(ay, by, cy);
  }

  /** 8.4.1.1: the vector a P_Skip macroblock at (mbx, mby) moves by, into this.x / this.y. */
  skipVector(mbx: number, mby: number): void {
    const w = this.widthMbs;
    const addr = mby * w + mbx;
    if (mbx === 0 || mby === 0) { this.x = 0; this.y = 0; return; } // A or B not available
    const a = addr - 1, b = addr - w;
    if ((this.ref[a] === 0 && this.mvx[a] === 0 && this.mvy[a] === 0)
      || (this.ref[b] === 0 && this.mvx[b] === 0 && this.mvy[b] === 0)) {
      this.x = 0; this.y = 0; return;
    }
    this.predict(mbx, mby);
  }
}

function median(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}
