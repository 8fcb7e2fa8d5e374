/**
 * Reads an H.264 sequence parameter set (ITU-T H.264 7.3.2.1.1): the picture size after cropping and the
 * profile/constraint/level that make the WebCodecs / MP4 codec string `avc1.PPCCLL`. Device bytes: every read is
 * bounded by the NAL's length and an Exp-Golomb code longer than 32 bits is refused, never looped on.
 */
import { WorkbenchError } from '../errors.js';

export interface SpsInfo {
  profile: number;
  constraints: number;
  level: number;
  width: number;
  height: number;
  codec: string;
}

/** NAL payload without emulation-prevention bytes (00 00 03 → 00 00). */
export function unescapeRbsp(nal: Buffer): Buffer {
  const out = Buffer.allocUnsafe(nal.length);
  let n = 0;
  let zeros = 0;
  for (const b of nal) {
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    zeros = b === 0 ? zeros + 1 : 0;
    out[n++] = b;
  }
  return out.subarray(0, n);
}

function broken(reason: string): WorkbenchError {
  return new WorkbenchError('screen.stream-broken', `Unreadable SPS: ${reason}`, { reason: `unreadable SPS: ${reason}` });
}

class BitReader {
  private bit = 0;
  constructor(private data: Buffer) {}

  u(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const byte = this.bit >> 3;
      if (byte >= this.data.length) throw broken('it ends early');
      v = v * 2 + ((this.data[byte]! >> (7 - (this.bit & 7))) & 1);
      this.bit++;
    }
    return v;
  }

  ue(): number {
    let zeros = 0;
    while (this.u(1) === 0) if (++zeros > 31) throw broken('an Exp-Golomb code longer than 32 bits');
    return 2 ** zeros - 1 + this.u(zeros);
  }

  se(): number {
    const k = this.ue();
    return k % 2 ? (k + 1) / 2 : -k / 2;
  }
}

/** Profiles whose SPS carries chroma format, bit depths and scaling matrices (7.3.2.1.1). */
const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

function skipScalingList(r: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) next = (last + r.se() + 256) % 256;
    last = next === 0 ? last : next;
  }
}

/** `nal`: the SPS NAL unit with its one-byte header, without start code. */
export function readSps(nal: Buffer): SpsInfo {
  if (nal.length < 4 || (nal[0]! & 0x1f) !== 7) throw broken('not an SPS NAL unit');
  const r = new BitReader(unescapeRbsp(nal.subarray(1)));
  const profile = r.u(8);
  const constraints = r.u(8);
  const level = r.u(8);
  r.ue(); // seq_parameter_set_id
  let chroma = 1;
  let separateColourPlane = 0;
  if (HIGH_PROFILES.has(profile)) {
    chroma = r.ue();
    if (chroma > 3) throw broken(`chroma_format_idc ${chroma}`);
    if (chroma === 3) separateColourPlane = r.u(1);
    r.ue(); // bit_depth_luma_minus8
    r.ue(); // bit_depth_chroma_minus8
    r.u(1); // qpprime_y_zero_transform_bypass_flag
    if (r.u(1)) for (let i = 0; i < (chroma !== 3 ? 8 : 12); i++) if (r.u(1)) skipScalingList(r, i < 6 ? 16 : 64);
  }
  r.ue(); // log2_max_frame_num_minus4
  const pocType = r.ue();
  if (pocType === 0) r.ue();
  else if (pocType === 1) {
    r.u(1);
    r.se();
    r.se();
    const cycle = r.ue();
    if (cycle > 255) throw broken(`num_ref_frames_in_pic_order_cnt_cycle ${cycle}`);
    for (let i = 0; i < cycle; i++) r.se();
  } else if (pocType !== 2) throw broken(`pic_order_cnt_type ${pocType}`);
  r.ue(); // max_num_ref_frames
  r.u(1); // gaps_in_frame_num_value_allowed_flag
  const widthMbs = r.ue() + 1;
  const heightMapUnits = r.ue() + 1;
  const frameMbsOnly = r.u(1);
  if (!frameMbsOnly) r.u(1); // mb_adaptive_frame_field_flag
  r.u(1); // direct_8x8_inference_flag
  let crop = [0, 0, 0, 0];
  if (r.u(1)) crop = [r.ue(), r.ue(), r.ue(), r.ue()];
  // Crop units (Table 6-1 and 7.4.2.1.1): chroma subsampling, doubled vertically for field coding.
  const monochrome = chroma === 0 || separateColourPlane === 1;
  const cropX = monochrome ? 1 : chroma === 3 ? 1 : 2;
  const cropY = (monochrome ? 1 : chroma === 1 ? 2 : 1) * (2 - frameMbsOnly);
  const width = widthMbs * 16 - cropX * (crop[0]! + crop[1]!);
  const height = (2 - frameMbsOnly) * heightMapUnits * 16 - cropY * (crop[2]! + crop[3]!);
  if (width < 16 || height < 16 || width > 16384 || height > 16384) throw broken(`picture size ${width}x${height}`);
  const hex = (v: number): string => v.toString(16).padStart(2, '0');
  return { profile, constraints, level, width, height, codec: `avc1.${hex(profile)}${hex(constraints)}${hex(level)}` };
}
