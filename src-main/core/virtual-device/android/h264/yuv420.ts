/**
 * Pictures in YUV 4:2:0 at the coded (macroblock-padded) size, and the RGB → YUV conversion of the
 * virtual phone's screens: BT.601 limited range in the integer form of ITU-R BT.601 / SMPTE 170M
 * (the matrix the SPS's VUI names, so a decoder converts back with the same one). Chroma is the mean of
 * each 2x2 block, converted from the summed RGB. The padding outside the visible picture stays black.
 */
export class YuvPicture {
  readonly y: Uint8Array;
  readonly cb: Uint8Array;
  readonly cr: Uint8Array;
  /** Row strides of the coded planes: the padded width (luma) and half of it (chroma). */
  readonly strideY: number;
  readonly strideC: number;

  constructor(readonly codedWidth: number, readonly codedHeight: number) {
    this.strideY = codedWidth;
    this.strideC = codedWidth >> 1;
    this.y = new Uint8Array(codedWidth * codedHeight).fill(16);
    this.cb = new Uint8Array((codedWidth >> 1) * (codedHeight >> 1)).fill(128);
    this.cr = new Uint8Array((codedWidth >> 1) * (codedHeight >> 1)).fill(128);
  }

  copyFrom(other: YuvPicture): void {
    this.y.set(other.y);
    this.cb.set(other.cb);
    this.cr.set(other.cr);
  }
}

/** Converts a width x height RGB24 image (even sizes) into the visible part of `out`. */
export function rgbToYuv420(rgb: Uint8Array, width: number, height: number, out: YuvPicture): void {
  const { y: Y, cb: U, cr: V, strideY, strideC } = out;
  const rowBytes = width * 3;
  for (let row = 0; row < height; row += 2) {
    let p0 = row * rowBytes; // top pixel of the pair
    let p1 = p0 + rowBytes; // bottom pixel
    let y0 = row * strideY;
    let y1 = y0 + strideY;
    let c = (row >> 1) * strideC;
    for (let col = 0; col < width; col += 2) {
      const r00 = rgb[p0]!, g00 = rgb[p0 + 1]!, b00 = rgb[p0 + 2]!;
      const r01 = rgb[p0 + 3]!, g01 = rgb[p0 + 4]!, b01 = rgb[p0 + 5]!;
      const r10 = rgb[p1]!, g10 = rgb[p1 + 1]!, b10 = rgb[p1 + 2]!;
      const r11 = rgb[p1 + 3]!, g11 = rgb[p1 + 4]!, b11 = rgb[p1 + 5]!;
      Y[y0] = ((66 * r00 + 129 * g00 + 25 * b00 + 128) >> 8) + 16;
      Y[y0 + 1] = ((66 * r01 + 129 * g01 + 25 * b01 + 128) >> 8) + 16;
      Y[y1] = ((66 * r10 + 129 * g10 + 25 * b10 + 128) >> 8) + 16;
      Y[y1 + 1] = ((66 * r11 + 129 * g11 + 25 * b11 + 128) >> 8) + 16;
      const r = r00 + r01 + r10 + r11, g = g00 + g01 + g10 + g11, b = b00 + b01 + b10 + b11;
      U[c] = ((-38 * r - 74 * g + 112 * b + 512) >> 10) + 128;
      V[c] = ((112 * r - 94 * g - 18 * b + 512) >> 10) + 128;
      p0 += 6; p1 += 6; y0 += 2; y1 += 2; c++;
    }
  }
}
