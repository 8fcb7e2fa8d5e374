/**
 * The live monitor's fast path: a chunk of `logcat -v threadtime -v year -v UTC` lines read as bytes, in one
 * pass and without making a string — per line its time, pid, where its tag and message are, and a hash of the
 * tag, kept in reusable typed arrays. Strings are made later only for the few lines something reads (a line
 * that may hold an event, a line the UI is sent). A chunk with anything unusual (a line in another form, a
 * control or bidi character, a carriage return, a buffer banner, a line the splitter would cut) is refused whole, and the monitor reads it
 * line by line as text instead, so both paths see the same lines the same way.
 */

import { lineEnds } from './control-bytes.js';
import { MAX_LINE_CHARS } from './line-splitter.js';

/** FNV-1a over bytes: tags are compared by hash first; a hit is confirmed on the line's text. */
export function tagHash(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h | 0;
}

/** The same hash of a tag given as text (tags the extractors know are ASCII). */
export function tagHashOf(tag: string): number {
  return tagHash(Buffer.from(tag, 'latin1'), 0, tag.length);
}

/** Priorities logcat prints, by byte. */
const PRIORITY = new Uint8Array(128);
for (const c of 'VDIWEFS') PRIORITY[c.charCodeAt(0)] = 1;

/** The number `len` ASCII digits at `at` spell. */
function digits(b: Uint8Array, at: number, len: number): number {
  let v = 0;
  for (let k = 0; k < len; k++) v = v * 10 + b[at + k]! - 48;
  return v;
}

/** Offsets of the 14 digits of "YYYY-MM-DD HH:MM:SS". */
const SECOND_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

export class LogChunk {
  count = 0;
  start = new Int32Array(1024);
  /** Offset of the line's newline. */
  end = new Int32Array(1024);
  msgStart = new Int32Array(1024);
  pid = new Int32Array(1024);
  tag = new Int32Array(1024);
  time = new Float64Array(1024);
  private lastKey = -1;
  private lastSecondMs = 0;

  /**
   * Reads every line of `b` (which ends with a newline). False when the chunk must be read as text: then
   * nothing here is to be used.
   */
  read(b: Uint8Array): boolean {
    this.count = 0;
    // A fast-path line is at least 33 bytes: a chunk with more newlines than that allows goes the text way.
    if (this.end.length < (b.length >> 5) + 2) this.grow((b.length >> 5) + 2);
    const lines = lineEnds(b, this.end);
    if (lines < 0) return false;
    let s = 0;
    for (let k = 0; k < lines; k++) {
      const e = this.end[k]!;
      if (!this.line(b, s, e, k)) return false;
      s = e + 1;
    }
    this.count = lines;
    return s === b.length;
  }

  /** Line `k`, from `s` to its newline at `e` (the chunk was checked for control characters already). */
  private line(b: Uint8Array, s: number, e: number, k: number): boolean {
    if (e - s < 33 || e - s > MAX_LINE_CHARS || b[s + 4] !== 45 || b[s + 7] !== 45 || b[s + 10] !== 32 || b[s + 13] !== 58 || b[s + 16] !== 58 || b[s + 19] !== 46) return false;
    let key = 0;
    for (let d = 0; d < 14; d++) {
      const v = b[s + SECOND_DIGITS[d]!]! - 48;
      if (v < 0 || v > 9) return false;
      key = key * 10 + v;
    }
    if (key !== this.lastKey) {
      this.lastSecondMs = Date.UTC(digits(b, s, 4), digits(b, s + 5, 2) - 1, digits(b, s + 8, 2), digits(b, s + 11, 2), digits(b, s + 14, 2), digits(b, s + 17, 2));
      this.lastKey = key;
    }
    const m0 = b[s + 20]! - 48, m1 = b[s + 21]! - 48, m2 = b[s + 22]! - 48;
    if (m0 < 0 || m0 > 9 || m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || b[s + 23] !== 32) return false;
    let i = s + 23;
    while (i < e && b[i] === 32) i++;
    let pid = 0;
    const pidStart = i;
    for (let c = b[i]!; i < e && c >= 48 && c <= 57; c = b[++i]!) pid = pid * 10 + c - 48;
    if (i === pidStart || i - pidStart > 9 || b[i] !== 32) return false;
    while (i < e && b[i] === 32) i++;
    const tidStart = i;
    while (i < e && b[i]! >= 48 && b[i]! <= 57) i++;
    if (i === tidStart || b[i] !== 32) return false;
    const p = b[i + 1]!;
    if (p >= 128 || !PRIORITY[p] || b[i + 2] !== 32) return false;
    const tagStart = i + 3;
    i = tagStart;
    while (i < e && b[i] !== 58) i++;
    if (i >= e) return false;
    let tagEnd = i;
    while (tagEnd > tagStart && (b[tagEnd - 1] === 32 || b[tagEnd - 1] === 9)) tagEnd--;
    this.start[k] = s;
    this.msgStart[k] = Math.min(b[i + 1] === 32 ? i + 2 : i + 1, e);
    this.pid[k] = pid;
    this.tag[k] = tagHash(b, tagStart, tagEnd);
    this.time[k] = this.lastSecondMs + m0 * 100 + m1 * 10 + m2;
    return true;
  }

  private grow(size: number): void {
    this.start = new Int32Array(size);
    this.end = new Int32Array(size);
    this.msgStart = new Int32Array(size);
    this.pid = new Int32Array(size);
    this.tag = new Int32Array(size);
    this.time = new Float64Array(size);
  }
}

/**
 * Whether lines of one chunk contain a needle, answered for lines in order at one search per occurrence
 * rather than one per line: the next occurrence is remembered until the lines pass it.
 */
export class NeedleScan {
  private next = -2;

  constructor(private b: Buffer, private needle: Buffer) {}

  /** Whether the needle lies wholly within [start, end). Calls must come with non-decreasing `start`. */
  within(start: number, end: number): boolean {
    if (this.next === -2 || (this.next >= 0 && this.next < start)) this.next = this.b.indexOf(this.needle, start);
    return this.next >= 0 && this.next + this.needle.length <= end;
  }
}
