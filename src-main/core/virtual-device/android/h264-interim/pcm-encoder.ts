/**
 * INTERIM, until branch vid-encoder's real encoder is merged: the smallest valid H.264 (constrained baseline)
 * with the same API — key frames of I_PCM macroblocks (raw samples, no compression) and, for a frame equal to
 * the last one, a P frame of skipped macroblocks. Decodable by any H.264 decoder, so screenrecord's whole path can
 * be checked with ffprobe; far from the bit rate a phone's encoder keeps. Delete when android/h264/ lands.
 */
export interface EncodeOptions {
  key: boolean;
  /** How the picture moved since the last frame (a hint; this encoder ignores it). */
  motion: { dx: number; dy: number } | null;
}

class Bits {
  private buf = new Uint8Array(1024);
  private len = 0;
  private acc = 0;
  private n = 0;
  private room(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + extra));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  u(bits: number, value: number): void {
    for (let i = bits - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >>> i) & 1);
      if (++this.n === 8) {
        this.room(1);
        this.buf[this.len++] = this.acc;
        this.acc = 0;
        this.n = 0;
      }
    }
  }
  ue(v: number): void {
    const x = v + 1;
    const len = 32 - Math.clz32(x);
    this.u(len - 1, 0);
    this.u(len, x);
  }
  se(v: number): void {
    this.ue(v <= 0 ? -2 * v : 2 * v - 1);
  }
  align(): void {
    while (this.n !== 0) this.u(1, 0);
  }
  raw(data: Uint8Array): void {
    this.room(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
  }
  trailing(): Uint8Array {
    this.u(1, 1);
    this.align();
    return this.buf.subarray(0, this.len);
  }
}

/** NAL unit with its start code, emulation-prevention bytes inserted. */
function nal(header: number, rbsp: Uint8Array): Buffer {
  const out = Buffer.alloc(5 + rbsp.length + Math.ceil(rbsp.length / 2) + 1);
  let o = 0;
  out[o++] = 0; out[o++] = 0; out[o++] = 0; out[o++] = 1; out[o++] = header;
  let zeros = 0;
  for (let i = 0; i < rbsp.length; i++) {
    const b = rbsp[i]!;
    if (zeros >= 2 && b <= 3) {
      out[o++] = 3;
      zeros = 0;
    }
    out[o++] = b;
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, o);
}

export class H264Encoder {
  readonly width: number;
  readonly height: number;
  private mbw: number;
  private mbh: number;
  private frameNum = 0;
  private idrId = 0;
  private last: Uint8Array | null = null;

  constructor(opts: { width: number; height: number }) {
    if (opts.width % 2 || opts.height % 2 || opts.width < 16 || opts.height < 16) throw new Error(`unsupported size ${opts.width}x${opts.height}`);
    this.width = opts.width;
    this.height = opts.height;
    this.mbw = Math.ceil(opts.width / 16);
    this.mbh = Math.ceil(opts.height / 16);
  }

  private sps(): Buffer {
    const b = new Bits();
    b.u(8, 66); b.u(8, 0xc0); b.u(8, this.mbw * this.mbh > 8192 ? 51 : 40);
    b.ue(0); b.ue(0); b.ue(2); b.ue(1); b.u(1, 0);
    b.ue(this.mbw - 1); b.ue(this.mbh - 1);
    b.u(1, 1); b.u(1, 1);
    const cropR = (this.mbw * 16 - this.width) / 2, cropB = (this.mbh * 16 - this.height) / 2;
    if (cropR || cropB) {
      b.u(1, 1); b.ue(0); b.ue(cropR); b.ue(0); b.ue(cropB);
    } else b.u(1, 0);
    b.u(1, 0);
    return nal(0x67, b.trailing());
  }

  private pps(): Buffer {
    const b = new Bits();
    b.ue(0); b.ue(0); b.u(1, 0); b.u(1, 0); b.ue(0); b.ue(0); b.ue(0); b.u(1, 0); b.u(2, 0);
    b.se(0); b.se(0); b.se(0); b.u(1, 1); b.u(1, 0); b.u(1, 0);
    return nal(0x68, b.trailing());
  }

  encode(rgb: Uint8Array, opts: EncodeOptions): { data: Buffer; key: boolean } {
    const same = this.last !== null && Buffer.compare(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.length), Buffer.from(this.last.buffer, this.last.byteOffset, this.last.length)) === 0;
    if (!opts.key && same) return { data: this.skipFrame(), key: false };
    this.last = Uint8Array.from(rgb);
    return { data: Buffer.concat([this.sps(), this.pps(), this.pcmFrame(rgb)]), key: true };
  }

  private skipFrame(): Buffer {
    this.frameNum = (this.frameNum + 1) % 16;
    const b = new Bits();
    b.ue(0); b.ue(5); b.ue(0); b.u(4, this.frameNum);
    b.u(1, 0); b.u(1, 0); b.u(1, 0); b.se(0); b.ue(1);
    b.ue(this.mbw * this.mbh);
    return nal(0x41, b.trailing());
  }

  private pcmFrame(rgb: Uint8Array): Buffer {
    this.frameNum = 0;
    const b = new Bits();
    b.ue(0); b.ue(7); b.ue(0); b.u(4, 0); b.ue(this.idrId++ % 65536);
    b.u(1, 0); b.u(1, 0); b.se(0); b.ue(1);
    const w = this.width, h = this.height;
    const mb = new Uint8Array(384);
    const cb = new Float32Array(256), cr = new Float32Array(256);
    for (let my = 0; my < this.mbh; my++) {
      for (let mx = 0; mx < this.mbw; mx++) {
        b.ue(25);
        b.align();
        
        for (let y = 0; y < 16; y++) {
          const py = Math.min(h - 1, my * 16 + y);
          for (let x = 0; x < 16; x++) {
            const px = Math.min(w - 1, mx * 16 + x);
            const o = (py * w + px) * 3;
            const r = rgb[o]!, g = rgb[o + 1]!, bl = rgb[o + 2]!;
            mb[y * 16 + x] = Math.max(1, (16 + (65.738 * r + 129.057 * g + 25.064 * bl) / 256 + 0.5) | 0);
            cb[y * 16 + x] = 128 + (-37.945 * r - 74.494 * g + 112.439 * bl) / 256;
            cr[y * 16 + x] = 128 + (112.439 * r - 94.154 * g - 18.285 * bl) / 256;
          }
        }
        for (let y = 0; y < 8; y++) {
          for (let x = 0; x < 8; x++) {
            const i = y * 32 + x * 2;
            mb[256 + y * 8 + x] = Math.max(1, ((cb[i]! + cb[i + 1]! + cb[i + 16]! + cb[i + 17]!) / 4 + 0.5) | 0);
            mb[320 + y * 8 + x] = Math.max(1, ((cr[i]! + cr[i + 1]! + cr[i + 16]! + cr[i + 17]!) / 4 + 0.5) | 0);
          }
        }
        b.raw(mb);
      }
    }
    return nal(0x65, b.trailing());
  }
}
