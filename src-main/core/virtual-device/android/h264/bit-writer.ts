/**
 * Writes an H.264 RBSP (raw byte sequence payload) bit by bit: fixed-width fields, Exp-Golomb codes
 * (ue/se, spec 9.1), byte alignment and the stop bit. It owns no NAL framing: nal-unit.ts adds the start
 * code and the emulation-prevention bytes. The buffer grows on demand, so one writer serves an SPS of a
 * few bytes and an I_PCM slice of megabytes; whole bytes (PCM samples) are copied, not shifted in.
 */
export class BitWriter {
  private buf: Uint8Array;
  private pos = 0; // whole bytes written
  private acc = 0; // pending bits, most significant first
  private accBits = 0; // 0..7 pending bits in acc

  constructor(capacity = 64) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }

  /** Starts a new RBSP in the same buffer (views from finish() become invalid). */
  reset(): void {
    this.pos = 0;
    this.acc = 0;
    this.accBits = 0;
  }

  /** Bits written so far. */
  get bitLength(): number {
    return this.pos * 8 + this.accBits;
  }

  get byteAligned(): boolean {
    return this.accBits === 0;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** u(n): the n low bits of value, n ≤ 32. */
  u(n: number, value: number): void {
    if (n > 24) {
      this.u(n - 16, Math.floor(value / 65536));
      this.u(16, value & 0xffff);
      return;
    }
    this.ensure(4);
    this.acc = (this.acc << n) | (value & ((1 << n) - 1));
    this.accBits += n;
    while (this.accBits >= 8) {
      this.accBits -= 8;
      this.buf[this.pos++] = (this.acc >>> this.accBits) & 0xff;
    }
    this.acc &= (1 << this.accBits) - 1;
  }

  flag(b: boolean): void {
    this.u(1, b ? 1 : 0);
  }

  /** ue(v): unsigned Exp-Golomb, value in 0..2^32-2. */
  ue(value: number): void {
    if (!Number.isInteger(value) || value < 0 || value > 0xfffffffe) throw new RangeError(`ue(v) out of range: ${value}`);
    const v = value + 1;
    const len = 31 - Math.clz32(v); // leading zeros
    if (len > 0) this.u(len, 0);
    this.u(len + 1, v);
  }

  /** se(v): signed Exp-Golomb (k > 0 → 2k-1, k ≤ 0 → -2k). */
  se(value: number): void {
    this.ue(value > 0 ? 2 * value - 1 : -2 * value);
  }

  /** Zero bits up to the next byte boundary (pcm_alignment_zero_bit, cabac_alignment_one_bit aside). */
  alignZero(): void {
    if (this.accBits) this.u(8 - this.accBits, 0);
  }

  /** Whole bytes at a byte boundary (I_PCM samples): copied straight into the buffer. */
  bytes(src: Uint8Array): void {
    if (this.accBits) throw new Error('BitWriter.bytes needs byte alignment');
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  /** Reserves n bytes at a byte boundary and returns them to be filled in place (no intermediate copy). */
  reserve(n: number): Uint8Array {
    if (this.accBits) throw new Error('BitWriter.reserve needs byte alignment');
    this.ensure(n);
    const view = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return view;
  }

  /** rbsp_trailing_bits(): the stop bit, then zeros to the byte boundary. */
  trailingBits(): void {
    this.u(1, 1);
    this.alignZero();
  }

  /** The RBSP written so far (a view: copy it before writing more). */
  finish(): Uint8Array {
    if (this.accBits) throw new Error('RBSP not byte aligned: write trailing bits first');
    return this.buf.subarray(0, this.pos);
  }
}
