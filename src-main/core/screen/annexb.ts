/**
 * An incremental H.264 Annex B parser: bytes from screenrecord in chunks of any size → access units (frames),
 * each as Annex B with 4-byte start codes, SPS/PPS in front of every key frame (a phone's encoder sends them once).
 * It owns the bounds on what a phone may send: a NAL unit beyond `maxNalBytes`, no start code within
 * `maxPreambleBytes`, a forbidden_zero_bit, a run of NAL types H.264 does not define — the stream is broken
 * (WorkbenchError `screen.stream-broken`) and the caller restarts it; nothing is buffered without bound.
 *
 * Access units per H.264 7.4.1.2.3: a new one begins at an AUD/SPS/PPS/SEI (or types 14-18) after a VCL NAL,
 * or at a slice whose first_mb_in_slice is 0. An access unit is only known complete when the next begins, so
 * a frame followed by a still screen would wait for ever: `flushIdle()` (the caller's idle timer) hands over
 * the pending frame; if the phone's bytes then turn out to continue it, the stream is declared broken.
 */
import { WorkbenchError } from '../errors.js';

export interface ParsedUnit {
  key: boolean;
  /** Annex B bytes (4-byte start codes). */
  data: Buffer;
  /** The SPS and PPS this unit decodes with (the latest seen). */
  sps: Buffer | null;
  pps: Buffer | null;
  /** When its last byte arrived (the `at` of the push that carried it). */
  arrivedAt: number;
  /** Handed over by flushIdle(): whole only if the phone's next bytes begin a new NAL unit. */
  guessed: boolean;
}

export interface AnnexBLimits {
  /** A NAL unit (or access unit) larger than this breaks the stream. */
  maxNalBytes: number;
  /** Bytes before the first start code (a phone's error text) beyond this: not H.264. */
  maxPreambleBytes: number;
  /** NAL units of undefined types in a row (without a slice between) beyond this: not H.264. */
  maxUnknownRun: number;
}

export const ANNEXB_LIMITS: AnnexBLimits = { maxNalBytes: 8 * 1024 * 1024, maxPreambleBytes: 4096, maxUnknownRun: 16 };

const START = Buffer.from([0, 0, 0, 1]);
const START3 = Buffer.from([0, 0, 1]);
const NAL = { slice: 1, idr: 5, sei: 6, sps: 7, pps: 8, aud: 9, filler: 12 } as const;

function isVcl(type: number): boolean {
  return type >= 1 && type <= 5;
}

/** Types H.264 defines (others are reserved or unspecified: dropped, and a run of them means garbage). */
function isKnown(type: number): boolean {
  return (type >= 1 && type <= 16) || type === 19 || type === 20;
}

/** Non-VCL types that open a new access unit when they follow a VCL NAL (7.4.1.2.3). */
function opensUnit(type: number): boolean {
  return type === NAL.sei || type === NAL.sps || type === NAL.pps || type === NAL.aud || (type >= 14 && type <= 18);
}

export function streamBroken(reason: string): WorkbenchError {
  return new WorkbenchError('screen.stream-broken', `The screen stream broke: ${reason}`, { reason });
}

export class AnnexBParser {
  /** Bytes before the first start code, kept (bounded) as the phone's words if no H.264 follows. */
  private preamble: Buffer[] = [];
  private preambleBytes = 0;
  private started = false;
  /** After flushIdle(): the next bytes must begin a new NAL unit. */
  private flushed = false;
  /** The stream broke because a frame's bytes came after flushIdle() handed it over. */
  lateAfterFlush = false;
  private nal: Buffer[] = [];
  private nalBytes = 0;
  /** Arrival of the current NAL unit's latest bytes, and of the access unit's. */
  private nalAt = 0;
  private unitAt = 0;
  private at = 0;
  /** The last two bytes seen inside the current NAL unit (a start code may straddle chunks). */
  private tail = -1;
  private tail2 = -1;
  private unit: Buffer[] = [];
  private unitBytes = 0;
  private unitHasVcl = false;
  private unitKey = false;
  private unitHasSps = false;
  private unknownRun = 0;
  private sps: Buffer | null = null;
  private pps: Buffer | null = null;

  constructor(private onUnit: (u: ParsedUnit) => void, private limits: AnnexBLimits = ANNEXB_LIMITS) {}

  /** What the phone printed before any H.264 (its error message), as text. */
  preambleText(): string {
    return Buffer.concat(this.preamble).toString('utf8');
  }

  get sawStartCode(): boolean {
    return this.started;
  }

  /** After flushIdle(), until the next bytes begin a new NAL unit (which shows the flushed frame was whole). */
  get awaitingNext(): boolean {
    return this.flushed;
  }

  /** Bytes held (the pending NAL unit and access unit): bounded by the limits. */
  get bufferedBytes(): number {
    return this.nalBytes + this.unitBytes + this.preambleBytes;
  }

  /** `at`: when the chunk arrived (host ms), stamped on the units whose last bytes it carries. */
  push(chunk: Buffer, arrived = Date.now()): void {
    this.at = arrived;
    let from = 0;
    if (!this.started || this.flushed) {
      from = this.findFirstStart(chunk);
      if (from < 0) return;
    }
    // A start code straddling the previous chunk and this one (00 00 | 01, 00 | 00 01).
    if (this.tail2 === 0 && this.tail === 0 && chunk[from] === 1) {
      this.endNal();
      from += 1;
    } else if (this.tail === 0 && chunk[from] === 0 && chunk[from + 1] === 1) {
      this.endNal();
      from += 2;
    }
    let at = from;
    for (;;) {
      const i = chunk.indexOf(START3, at);
      if (i < 0) break;
      this.appendNal(chunk.subarray(at, i));
      this.endNal();
      at = i + 3;
    }
    this.appendNal(chunk.subarray(at));
  }

  /** The stream ended where it should (screenrecord's time limit): the last NAL and access unit are whole. */
  end(): void {
    if (this.nalBytes) this.endNal();
    this.emitUnit();
  }

  /**
   * No bytes came for a while: if what is pending is a slice, it is taken as the frame's end and handed over.
   * Returns whether a unit went out.
   */
  flushIdle(): boolean {
    if (!this.started || this.flushed || !this.nalBytes) return false;
    const type = (this.nal[0]?.[0] ?? 0) & 0x1f;
    if (!isVcl(type)) return false;
    this.endNal();
    this.emitUnit(true);
    this.flushed = true;
    this.tail = this.tail2 = -1;
    return true;
  }

  /** Skips to the first start code (before the stream began, or after an idle flush); -1: none in this chunk. */
  private findFirstStart(chunk: Buffer): number {
    // A start code split across chunks (00 00 | 01, 00 | 00 01): the last two bytes before this chunk count.
    let next = -1;
    if (this.tail2 === 0 && this.tail === 0 && chunk[0] === 1) next = 1;
    else if (this.tail === 0 && chunk[0] === 0 && chunk[1] === 1) next = 2;
    else {
      const i = chunk.indexOf(START3);
      if (i >= 0) next = i + 3;
    }
    const before = next < 0 ? chunk : chunk.subarray(0, Math.max(0, next - 3));
    if (this.flushed) {
      // After an idle flush only zero bytes (a 4-byte start code's first, trailing zeros) may precede the next NAL unit.
      if (before.some((b) => b !== 0)) {
        this.lateAfterFlush = true;
        throw streamBroken('a frame continued after a pause (its bytes came late)');
      }
      this.preambleBytes += before.length;
      if (this.preambleBytes > this.limits.maxPreambleBytes) throw streamBroken('zero bytes without a start code');
    } else this.keepPreamble(before);
    if (next < 0) {
      this.tail2 = chunk.length >= 2 ? chunk[chunk.length - 2]! : this.tail;
      this.tail = chunk.length ? chunk[chunk.length - 1]! : this.tail;
      return -1;
    }
    this.tail = this.tail2 = -1;
    if (this.flushed) this.preambleBytes = 0;
    this.flushed = false;
    this.started = true;
    return next;
  }

  private keepPreamble(bytes: Buffer): void {
    if (!bytes.length) return;
    this.preambleBytes += bytes.length;
    if (this.preambleBytes > this.limits.maxPreambleBytes) {
      throw streamBroken(`no H.264 start code in the first ${this.limits.maxPreambleBytes} bytes`);
    }
    this.preamble.push(Buffer.from(bytes));
  }

  private appendNal(bytes: Buffer): void {
    if (!bytes.length) return;
    if (this.nalBytes + bytes.length + this.unitBytes > this.limits.maxNalBytes) {
      throw streamBroken(`a frame larger than ${this.limits.maxNalBytes} bytes`);
    }
    // Copied: the chunk's memory belongs to the socket's pool.
    this.nal.push(Buffer.from(bytes));
    this.nalBytes += bytes.length;
    // Zeros at the end may be the next start code's: they do not make the unit arrive later.
    for (let i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] === 0) continue;
      this.nalAt = this.at;
      break;
    }
    this.tail2 = bytes.length >= 2 ? bytes[bytes.length - 2]! : this.tail;
    this.tail = bytes[bytes.length - 1]!;
  }

  private endNal(): void {
    this.tail = this.tail2 = -1;
    if (!this.nalBytes) return;
    let nal = this.nal.length === 1 ? this.nal[0]! : Buffer.concat(this.nal, this.nalBytes);
    this.nal = [];
    this.nalBytes = 0;
    // A NAL unit never ends in a zero byte: zeros here belong to the next start code (or are trailing_zero_8bits).
    let end = nal.length;
    while (end > 0 && nal[end - 1] === 0) end--;
    if (!end) return;
    nal = nal.subarray(0, end);
    this.takeNal(nal);
  }

  private takeNal(nal: Buffer): void {
    const header = nal[0]!;
    if (header & 0x80) throw streamBroken('a NAL unit with its forbidden bit set (not H.264)');
    const type = header & 0x1f;
    if (!isKnown(type)) {
      if (++this.unknownRun > this.limits.maxUnknownRun) throw streamBroken(`${this.unknownRun} NAL units of undefined types in a row (not H.264)`);
      return;
    }
    if (type === NAL.filler) return;
    if (isVcl(type)) {
      this.unknownRun = 0;
      // first_mb_in_slice is ue(v): its first bit 1 means 0, the first slice of a new picture.
      if (this.unitHasVcl && nal.length > 1 && nal[1]! & 0x80) this.emitUnit();
      if (type === NAL.idr) this.unitKey = true;
      this.unitHasVcl = true;
    } else if (opensUnit(type) && this.unitHasVcl) this.emitUnit();
    if (type === NAL.sps) {
      this.sps = nal;
      this.unitHasSps = true;
    } else if (type === NAL.pps) this.pps = nal;
    this.unit.push(START, nal);
    this.unitAt = Math.max(this.unitAt, this.nalAt);
    this.unitBytes += START.length + nal.length;
    if (this.unitBytes > this.limits.maxNalBytes) throw streamBroken(`a frame larger than ${this.limits.maxNalBytes} bytes`);
  }

  private emitUnit(guessed = false): void {
    const parts = this.unit;
    const hadVcl = this.unitHasVcl;
    const key = this.unitKey;
    // A key frame without its own SPS/PPS gets the latest in front: a decoder may start at any key frame.
    if (hadVcl && key && !this.unitHasSps && this.sps && this.pps) parts.unshift(START, this.sps, START, this.pps);
    this.unit = [];
    this.unitBytes = 0;
    this.unitHasVcl = false;
    this.unitKey = false;
    this.unitHasSps = false;
    // Parameter sets or SEI with no picture after them (the stream's end): nothing to decode.
    if (!hadVcl) {
      this.unitAt = 0;
      return;
    }
    const arrivedAt = this.unitAt;
    this.unitAt = 0;
    this.onUnit({ key, data: Buffer.concat(parts), sps: this.sps, pps: this.pps, arrivedAt, guessed });
  }
}
