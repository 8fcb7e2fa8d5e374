/**
 * Frames RBSPs as Annex B NAL units (spec 7.3.1 and B.1): a 4-byte start code, the NAL header byte and the
 * payload with emulation-prevention bytes, so no 0x000000..0x000003 run inside the payload can be read as a
 * start code. I_PCM samples are arbitrary bytes, so this is where a raw pixel run of zeros is escaped.
 */
export const NAL_SLICE = 1;
export const NAL_IDR = 5;
export const NAL_SPS = 7;
export const NAL_PPS = 8;

/** One NAL unit with its start code, ready to be concatenated into an access unit. */
export function nalUnit(type: number, refIdc: number, rbsp: Uint8Array): Buffer {
  // Worst case one 0x03 per two payload bytes; counted first so the output is allocated once.
  let zeros = 0;
  let extra = 0;
  for (let i = 0; i < rbsp.length; i++) {
    const b = rbsp[i]!;
    if (zeros >= 2 && b <= 3) {
      extra++;
      zeros = 0;
    }
    zeros = b === 0 ? zeros + 1 : 0;
  }
  const out = Buffer.allocUnsafe(5 + rbsp.length + extra);
  out[0] = 0; out[1] = 0; out[2] = 0; out[3] = 1;
  out[4] = ((refIdc & 3) << 5) | (type & 31);
  if (extra === 0) {
    out.set(rbsp, 5);
    return out;
  }
  let o = 5;
  zeros = 0;
  for (let i = 0; i < rbsp.length; i++) {
    const b = rbsp[i]!;
    if (zeros >= 2 && b <= 3) {
      out[o++] = 3;
      zeros = 0;
    }
    out[o++] = b;
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return out;
}
