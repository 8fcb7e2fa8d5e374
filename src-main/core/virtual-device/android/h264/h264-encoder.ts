/**
 * The virtual phone's H.264 encoder: RGB screens in, Annex B access units out (Constrained Baseline, CAVLC),
 * decodable by ffmpeg, WebCodecs and MP4 players. It is lossless apart from the RGB → YUV 4:2:0 conversion:
 * - a key frame (IDR, SPS + PPS in front) codes every macroblock as I_PCM;
 * - a P frame codes a macroblock as P_Skip when the decoder's inferred skip vector (8.4.1.1) reproduces it,
 *   as P_L0_16x16 without residual when the reference unmoved or moved by the caller's scroll hint reproduces
 *   it, and as I_PCM otherwise.
 * The reference is the picture a decoder reconstructs (predictions copied, not the source), so P frames
 * never drift. The CALLER decides key frames: the first frame is always one; ask for one at least every 10 s
 * (a decoder that joins late, or lost a frame, waits for the next) and whenever a new viewer starts.
 */
import { WorkbenchError } from '../../../errors.js';
import { nalUnit, NAL_IDR, NAL_PPS, NAL_SLICE, NAL_SPS } from './nal-unit.js';
import { codecString, FRAME_NUM_BITS, MV_RANGE, writePps, writeSps, type PictureGeometry } from './parameter-sets.js';
import { copyMacroblock, newMacroblock, predictMatches, sameAsReference, storeMacroblock } from './inter-prediction.js';
import { MotionField } from './motion-field.js';
import { SliceWriter } from './slice-writer.js';
import { rgbToYuv420, YuvPicture } from './yuv420.js';

/** Largest side accepted, in pixels (Android screens are far below; level 6 would allow 8192). */
export const MAX_SIDE = 4096;

export interface EncodeOptions {
  /** Code this frame as an IDR key frame. */
  key?: boolean;
  /**
   * How the screen's content moved since the previous frame, in whole pixels: what was at (x, y) is now at
   * (x + dx, y + dy). Scrolling a list down by 30 px moves its content up: { dx: 0, dy: -30 }. A hint only:
   * blocks that do not match are coded otherwise; a vertical move beyond 511 px is not used.
   */
  motion?: { dx: number; dy: number } | null;
}

export interface EncodedFrame {
  /** One access unit in Annex B (start codes), SPS and PPS before every IDR. */
  data: Buffer;
  key: boolean;
}

/** How the last frame's macroblocks were coded (for tests and the benchmark). */
export interface FrameStats {
  pcm: number;
  skip: number;
  moved: number;
}

export class H264Encoder {
  readonly width: number;
  readonly height: number;
  /** RFC 6381 codec string for WebCodecs and MP4 (avc1.42C0LL). */
  readonly codec: string;
  readonly lastStats: FrameStats = { pcm: 0, skip: 0, moved: 0 };

  private readonly geometry: PictureGeometry;
  private readonly sps: Buffer;
  private readonly pps: Buffer;
  private readonly src: YuvPicture;
  private ref: YuvPicture;
  private recon: YuvPicture;
  private readonly field: MotionField;
  private readonly slice: SliceWriter;
  private readonly mb = newMacroblock();
  /** The previous frame's RGB, to recognise a still screen without converting it. */
  private readonly previous: Buffer;
  private frames = 0;
  private frameNum = 0;
  private idrPicId = 0;

  constructor(opts: { width: number; height: number }) {
    const { width, height } = opts;
    for (const [name, v] of [['width', width], ['height', height]] as const) {
      if (!Number.isInteger(v) || v < 2 || v > MAX_SIDE || v % 2 !== 0) {
        throw refused(`${name} ${String(v)} is not an even whole number of pixels from 2 to ${MAX_SIDE}`, { [name]: String(v) });
      }
    }
    this.width = width;
    this.height = height;
    const widthMbs = Math.ceil(width / 16), heightMbs = Math.ceil(height / 16);
    this.geometry = { width, height, widthMbs, heightMbs };
    this.codec = codecString(this.geometry);
    this.sps = nalUnit(NAL_SPS, 3, writeSps(this.geometry));
    this.pps = nalUnit(NAL_PPS, 3, writePps());
    this.src = new YuvPicture(widthMbs * 16, heightMbs * 16);
    this.ref = new YuvPicture(widthMbs * 16, heightMbs * 16);
    this.recon = new YuvPicture(widthMbs * 16, heightMbs * 16);
    this.field = new MotionField(widthMbs, heightMbs);
    this.previous = Buffer.alloc(width * height * 3);
    // An I_PCM macroblock is ≤ 5 header bytes + 384 samples; the slice grows beyond this if it must.
    this.slice = new SliceWriter(widthMbs * heightMbs * 390 + 64);
  }

  /** Encodes one RGB24 frame (width * height * 3 bytes, rows top to bottom). */
  encode(rgb: Uint8Array, opts: EncodeOptions = {}): EncodedFrame {
    if (!(rgb instanceof Uint8Array) || rgb.length !== this.width * this.height * 3) {
      const got = rgb instanceof Uint8Array ? `${rgb.length} bytes` : typeof rgb;
      throw refused(`a ${this.width}x${this.height} RGB frame has ${this.width * this.height * 3} bytes, got ${got}`, { got });
    }
    const motion = opts.motion ?? null;
    if (motion && (!Number.isInteger(motion.dx) || !Number.isInteger(motion.dy))) {
      throw refused(`the motion hint must be whole pixels, got (${String(motion.dx)}, ${String(motion.dy)})`, {});
    }
    const key = this.frames === 0 || opts.key === true;
    this.frames++;
    // A still screen (the common case) is known from its RGB alone: every block skipped, nothing converted.
    const still = !key && this.previous.equals(rgb);
    this.previous.set(rgb);
    if (still) return { data: this.encodeStill(), key };
    rgbToYuv420(rgb, this.width, this.height, this.src);
    const data = key ? this.encodeIdr() : this.encodeP(motion);
    return { data, key };
  }

  /** A P frame equal to the reference: one mb_skip_run over the picture (every skip vector is then 0). */
  private encodeStill(): Buffer {
    const { widthMbs, heightMbs } = this.geometry;
    this.frameNum = (this.frameNum + 1) % (1 << FRAME_NUM_BITS);
    this.slice.begin('p', this.frameNum, 0);
    for (let i = widthMbs * heightMbs; i > 0; i--) this.slice.skip();
    Object.assign(this.lastStats, { pcm: 0, skip: widthMbs * heightMbs, moved: 0 });
    return nalUnit(NAL_SLICE, 2, this.slice.end());
  }

  private encodeIdr(): Buffer {
    const { widthMbs, heightMbs } = this.geometry;
    this.frameNum = 0;
    this.idrPicId = (this.idrPicId + 1) & 0xffff; // consecutive IDRs differ (7.4.3)
    this.slice.begin('idr', 0, this.idrPicId);
    for (let mby = 0; mby < heightMbs; mby++) {
      for (let mbx = 0; mbx < widthMbs; mbx++) this.slice.pcm(this.src, mbx, mby);
    }
    const nal = nalUnit(NAL_IDR, 3, this.slice.end());
    this.ref.copyFrom(this.src);
    Object.assign(this.lastStats, { pcm: widthMbs * heightMbs, skip: 0, moved: 0 });
    return Buffer.concat([this.sps, this.pps, nal]);
  }

  private encodeP(motion: { dx: number; dy: number } | null): Buffer {
    const { width, height, widthMbs, heightMbs } = this.geometry;
    const { field, slice, mb, src, ref, recon } = this;
    this.frameNum = (this.frameNum + 1) % (1 << FRAME_NUM_BITS);
    slice.begin('p', this.frameNum, 0);
    // The hint as a vector into the reference (quarter pixels), if the level's range allows it.
    let hx = 0, hy = 0, hint = false;
    if (motion && (motion.dx !== 0 || motion.dy !== 0)) {
      const vx = -motion.dx, vy = -motion.dy;
      if (vx >= MV_RANGE.minX && vx <= MV_RANGE.maxX && vy >= MV_RANGE.minY && vy <= MV_RANGE.maxY) {
        hx = vx * 4; hy = vy * 4; hint = true;
      }
    }
    // The reconstruction starts as the reference: unmoved blocks then need no copy.
    recon.copyFrom(ref);
    let pcm = 0, skip = 0, moved = 0;
    for (let mby = 0; mby < heightMbs; mby++) {
      const vh = Math.min(16, height - mby * 16);
      for (let mbx = 0; mbx < widthMbs; mbx++) {
        const vw = Math.min(16, width - mbx * 16);
        const addr = mby * widthMbs + mbx;
        field.skipVector(mbx, mby);
        const sx = field.x, sy = field.y;
        const unmoved = sx === 0 && sy === 0;
        if (unmoved ? sameAsReference(src, ref, mbx, mby, vw, vh) : predictMatches(ref, src, mbx, mby, sx, sy, vw, vh, mb)) {
          slice.skip();
          field.setInter(addr, sx, sy);
          if (!unmoved) storeMacroblock(mb, recon, mbx, mby);
          skip++;
          continue;
        }
        let vx = 0, vy = 0, found = false;
        if (!unmoved && sameAsReference(src, ref, mbx, mby, vw, vh)) {
          found = true; // recon already holds the unmoved block
        } else if (hint && (sx !== hx || sy !== hy) && predictMatches(ref, src, mbx, mby, hx, hy, vw, vh, mb)) {
          vx = hx; vy = hy; found = true;
          storeMacroblock(mb, recon, mbx, mby);
        }
        if (found) {
          field.predict(mbx, mby);
          slice.inter(vx - field.x, vy - field.y);
          field.setInter(addr, vx, vy);
          moved++;
        } else {
          slice.pcm(src, mbx, mby);
          field.setIntra(addr);
          copyMacroblock(src, recon, mbx, mby);
          pcm++;
        }
      }
    }
    const nal = nalUnit(NAL_SLICE, 2, slice.end());
    this.recon = ref;
    this.ref = recon;
    Object.assign(this.lastStats, { pcm, skip, moved });
    return nal;
  }
}

function refused(message: string, details: Record<string, string>): WorkbenchError {
  return new WorkbenchError('virtual-device.encoder-refused', message, details);
}
