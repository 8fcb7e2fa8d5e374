/**
 * Writes the one slice of a picture (spec 7.3.3 slice header, 7.3.4 slice data, 7.3.5 macroblock layer, CAVLC)
 * for the three kinds of macroblock this encoder makes: I_PCM (raw samples), P_L0_16x16 with a motion-vector
 * difference and coded_block_pattern 0 (moved, no residual), and P_Skip (counted into mb_skip_run). Deblocking
 * is switched off in every slice: exact blocks must stay exact. Macroblocks are given in raster order.
 */
import { BitWriter } from './bit-writer.js';
import { FRAME_NUM_BITS } from './parameter-sets.js';
import type { YuvPicture } from './yuv420.js';

const I_PCM_IN_I_SLICE = 25; // table 7-11
const I_PCM_IN_P_SLICE = 30; // table 7-13: intra types follow the 5 P types
const P_L0_16X16 = 0;

export class SliceWriter {
  private readonly w: BitWriter;
  private skipRun = 0;
  private intraOnly = true;

  constructor(capacityBytes: number) {
    this.w = new BitWriter(capacityBytes);
  }

  /** The slice header of an IDR picture (all I_PCM) or of a P picture predicted from the previous one. */
  begin(kind: 'idr' | 'p', frameNum: number, idrPicId: number): void {
    const w = this.w;
    w.reset();
    this.intraOnly = kind === 'idr';
    this.skipRun = 0;
    w.ue(0); // first_mb_in_slice
    w.ue(kind === 'idr' ? 7 : 5); // slice_type: I or P, the same for every slice of the picture
    w.ue(0); // pic_parameter_set_id
    w.u(FRAME_NUM_BITS, frameNum);
    if (kind === 'idr') w.ue(idrPicId);
    // pic_order_cnt_type 2: no POC fields. No redundant_pic_cnt, no weighted prediction.
    if (kind === 'p') {
      w.flag(false); // num_ref_idx_active_override_flag: the PPS's one reference
      w.flag(false); // ref_pic_list_modification_flag_l0
    }
    // dec_ref_pic_marking(): every picture is a reference
    if (kind === 'idr') {
      w.flag(false); // no_output_of_prior_pics_flag
      w.flag(false); // long_term_reference_flag
    } else {
      w.flag(false); // adaptive_ref_pic_marking_mode_flag: sliding window
    }
    w.se(0); // slice_qp_delta (no residual is ever coded)
    w.ue(1); // disable_deblocking_filter_idc: off
  }

  skip(): void {
    if (this.intraOnly) throw new Error('P_Skip in an I slice');
    this.skipRun++;
  }

  private startMacroblock(): void {
    if (!this.intraOnly) {
      this.w.ue(this.skipRun);
      this.skipRun = 0;
    }
  }

  /** I_PCM: the macroblock's samples of `pic` as they are (7.3.5, pcm_sample_luma / pcm_sample_chroma). */
  pcm(pic: YuvPicture, mbx: number, mby: number): void {
    this.startMacroblock();
    const w = this.w;
    w.ue(this.intraOnly ? I_PCM_IN_I_SLICE : I_PCM_IN_P_SLICE);
    w.alignZero(); // pcm_alignment_zero_bit
    const out = w.reserve(384);
    const sY = pic.strideY, sC = pic.strideC, y = pic.y, u = pic.cb, v = pic.cr;
    for (let j = 0, p = mby * 16 * sY + mbx * 16, o = 0; j < 16; j++, p += sY) {
      for (let i = 0; i < 16; i++) out[o++] = y[p + i]!;
    }
    for (let j = 0, c = mby * 8 * sC + mbx * 8, o = 256; j < 8; j++, c += sC, o += 8) {
      for (let i = 0; i < 8; i++) { out[o + i] = u[c + i]!; out[o + 64 + i] = v[c + i]!; }
    }
  }

  /** P_L0_16x16 moved by a vector whose difference from the predictor is (mvdx, mvdy) quarter pixels. */
  inter(mvdx: number, mvdy: number): void {
    if (this.intraOnly) throw new Error('P_L0_16x16 in an I slice');
    this.startMacroblock();
    const w = this.w;
    w.ue(P_L0_16X16);
    // mb_pred: no ref_idx_l0 (one active reference)
    w.se(mvdx);
    w.se(mvdy);
    w.ue(0); // coded_block_pattern me(v): codeNum 0 is cbp 0 for inter (table 9-4); no qp delta, no residual
  }

  /** Ends the slice: the trailing skip run, the stop bit. Returns the RBSP (a view, valid until reuse). */
  end(): Uint8Array {
    if (!this.intraOnly && this.skipRun > 0) this.w.ue(this.skipRun);
    this.skipRun = 0;
    this.w.trailingBits();
    return this.w.finish();
  }
}
