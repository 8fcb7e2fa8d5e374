/**
 * The sequence and picture parameter sets (spec 7.3.2.1 and 7.3.2.2) of the virtual phone's stream:
 * Constrained Baseline (profile 66, constraint_set0+1), one reference frame, CAVLC, frame_num in 4 bits,
 * picture order from frame_num (type 2: no B frames), the picture padded to whole macroblocks and cropped
 * back, and a VUI saying BT.601 limited range (so players convert to RGB with the matrix we converted with)
 * and no frame reordering (decoders output each frame at once, which the live screen needs).
 * Deblocking is controlled per slice (the slices switch it off: I_PCM and copied blocks are exact).
 */
import { BitWriter } from './bit-writer.js';

/** Bits of frame_num: log2_max_frame_num_minus4 = 0. */
export const FRAME_NUM_BITS = 4;

export interface PictureGeometry {
  /** Visible size in pixels (even). */
  width: number;
  height: number;
  /** Coded size in macroblocks. */
  widthMbs: number;
  heightMbs: number;
}

// Annex A, table A-1: level_idc → MaxFS (macroblocks per frame). 3.1 is the floor: from 3.1 on the vertical
// motion-vector range is [-512, 511.75] for every level, so a scroll hint is checked against one range.
const LEVELS: ReadonlyArray<readonly [number, number]> = [
  [31, 3600], [32, 5120], [40, 8192], [42, 8704], [50, 22080], [51, 36864], [60, 139264],
];

/** Vertical MV range of levels ≥ 3.1 (table A-1), in whole pixels; horizontal is [-2048, 2047]. */
export const MV_RANGE = { minX: -2048, maxX: 2047, minY: -512, maxY: 511 } as const;

export function levelFor(g: PictureGeometry): number {
  const frameMbs = g.widthMbs * g.heightMbs;
  for (const [level, maxFs] of LEVELS) {
    const side = Math.sqrt(maxFs * 8); // A.3.1 f/g: neither side beyond sqrt(MaxFS * 8) macroblocks
    if (frameMbs <= maxFs && g.widthMbs <= side && g.heightMbs <= side) return level;
  }
  throw new RangeError(`no H.264 level holds ${g.widthMbs}x${g.heightMbs} macroblocks`);
}

/** The WebCodecs / MP4 codec string (RFC 6381 avc1.PPCCLL) of the stream. */
export function codecString(g: PictureGeometry): string {
  return `avc1.42C0${levelFor(g).toString(16).toUpperCase().padStart(2, '0')}`;
}

export function writeSps(g: PictureGeometry): Uint8Array {
  const w = new BitWriter(64);
  w.u(8, 66); // profile_idc: Baseline
  w.u(8, 0xc0); // constraint_set0_flag + constraint_set1_flag = Constrained Baseline; reserved zeros
  w.u(8, levelFor(g));
  w.ue(0); // seq_parameter_set_id
  w.ue(FRAME_NUM_BITS - 4); // log2_max_frame_num_minus4
  w.ue(2); // pic_order_cnt_type
  w.ue(1); // max_num_ref_frames
  w.flag(false); // gaps_in_frame_num_value_allowed_flag
  w.ue(g.widthMbs - 1);
  w.ue(g.heightMbs - 1); // pic_height_in_map_units_minus1 (frames only)
  w.flag(true); // frame_mbs_only_flag
  w.flag(true); // direct_8x8_inference_flag
  const cropRight = (g.widthMbs * 16 - g.width) / 2; // CropUnitX = CropUnitY = 2 for 4:2:0 frames
  const cropBottom = (g.heightMbs * 16 - g.height) / 2;
  const crop = cropRight > 0 || cropBottom > 0;
  w.flag(crop);
  if (crop) {
    w.ue(0);
    w.ue(cropRight);
    w.ue(0);
    w.ue(cropBottom);
  }
  w.flag(true); // vui_parameters_present_flag
  writeVui(w);
  w.trailingBits();
  return w.finish().slice();
}

function writeVui(w: BitWriter): void {
  w.flag(true); // aspect_ratio_info_present_flag
  w.u(8, 1); // aspect_ratio_idc: 1:1 square pixels
  w.flag(false); // overscan_info_present_flag
  w.flag(true); // video_signal_type_present_flag
  w.u(3, 5); // video_format: unspecified
  w.flag(false); // video_full_range_flag: limited (16-235 luma, 16-240 chroma)
  w.flag(true); // colour_description_present_flag
  w.u(8, 6); // colour_primaries: SMPTE 170M (BT.601 525)
  w.u(8, 6); // transfer_characteristics: SMPTE 170M
  w.u(8, 6); // matrix_coefficients: SMPTE 170M = the BT.601 matrix of yuv420.ts
  w.flag(false); // chroma_loc_info_present_flag
  w.flag(false); // timing_info_present_flag: frames come when the screen changes, timed by the container
  w.flag(false); // nal_hrd_parameters_present_flag
  w.flag(false); // vcl_hrd_parameters_present_flag
  w.flag(false); // pic_struct_present_flag
  w.flag(true); // bitstream_restriction_flag
  w.flag(true); // motion_vectors_over_pic_boundaries_flag
  w.ue(0); // max_bytes_per_pic_denom: no limit (I_PCM pictures are big)
  w.ue(0); // max_bits_per_mb_denom: no limit
  w.ue(13); // log2_max_mv_length_horizontal: ±2048 px in quarter pels
  w.ue(11); // log2_max_mv_length_vertical: ±512 px
  w.ue(0); // max_num_reorder_frames: output order = decoding order
  w.ue(1); // max_dec_frame_buffering: the one reference
}

export function writePps(): Uint8Array {
  const w = new BitWriter(16);
  w.ue(0); // pic_parameter_set_id
  w.ue(0); // seq_parameter_set_id
  w.flag(false); // entropy_coding_mode_flag: CAVLC
  w.flag(false); // bottom_field_pic_order_in_frame_present_flag
  w.ue(0); // num_slice_groups_minus1
  w.ue(0); // num_ref_idx_l0_default_active_minus1
  w.ue(0); // num_ref_idx_l1_default_active_minus1
  w.flag(false); // weighted_pred_flag
  w.u(2, 0); // weighted_bipred_idc
  w.se(0); // pic_init_qp_minus26
  w.se(0); // pic_init_qs_minus26
  w.se(0); // chroma_qp_index_offset
  w.flag(true); // deblocking_filter_control_present_flag: slices say disable_deblocking_filter_idc
  w.flag(false); // constrained_intra_pred_flag
  w.flag(false); // redundant_pic_cnt_present_flag
  w.trailingBits();
  return w.finish().slice();
}
