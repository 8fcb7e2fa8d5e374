/**
 * One threadtime line read in place, as bytes, for replay's byte path (replay-bytes.ts): its time, where its tag
 * and message are, and a hash of its tag — without making a string. It vouches only for the two plain forms
 * (`-v threadtime` with MM-DD, and with `-v year`), spaces between columns, a tag of printable ASCII and a
 * message with something in it: for such a line the text path (log-line.ts) is certain to read the same time,
 * tag and message. Anything else (`-v usec`, a zone or uid column, tabs, a short line) is left to the text path.
 */
import { tagHash } from '../log-chunk.js';
import type { LogLine, ParseContext } from '../log-line.js';

const PRIORITY: Array<LogLine['priority'] | undefined> = [];
for (const c of 'VDIWEFS') PRIORITY[c.charCodeAt(0)] = c as LogLine['priority'];

/** Offsets of the digits of "MM-DD HH:MM:SS", after the year when there is one. */
const SECOND_DIGITS = [0, 1, 3, 4, 6, 7, 9, 10, 12, 13];

function digits(b: Uint8Array, at: number, len: number): number {
  let v = 0;
  for (let k = 0; k < len; k++) v = v * 10 + b[at + k]! - 48;
  return v;
}

export class ThreadtimeBytes {
  /** Of the line last read: epoch ms, pid, tid, priority, the tag's hash and where it is, where the message starts, whether the line printed its year. */
  time = 0;
  pid = 0;
  tid = 0;
  priority: LogLine['priority'] = 'V';
  tag = 0;
  tagStart = 0;
  tagEnd = 0;
  msgStart = 0;
  year = false;
  /** The second last resolved through the clock: its digits (year included) and epoch ms. */
  private lastKey = -1;
  private lastSecondMs = 0;

  constructor(private clock: ParseContext) {}

  /** The clock may have changed (a line read as text can teach it a year or a zone): seconds are resolved anew. */
  forget(): void {
    this.lastKey = -1;
  }

  /** Reads the line from `s` to its newline at `e`; false when the text path must read it. */
  read(b: Uint8Array, s: number, e: number): boolean {
    const year = b[s + 4] === 45;
    const t = year ? s + 5 : s;
    // "MM-DD HH:MM:SS.mmm " after the year, if any.
    if (b[t + 2] !== 45 || b[t + 5] !== 32 || b[t + 8] !== 58 || b[t + 11] !== 58 || b[t + 14] !== 46 || b[t + 18] !== 32 || e - s < 33) return false;
    let key = 0;
    if (year) {
      for (let d = 0; d < 4; d++) {
        const v = b[s + d]! - 48;
        if (v < 0 || v > 9) return false;
        key = key * 10 + v;
      }
    }
    for (let d = 0; d < 10; d++) {
      const v = b[t + SECOND_DIGITS[d]!]! - 48;
      if (v < 0 || v > 9) return false;
      key = key * 10 + v;
    }
    const m0 = b[t + 15]! - 48, m1 = b[t + 16]! - 48, m2 = b[t + 17]! - 48;
    if (m0 < 0 || m0 > 9 || m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9) return false;
    let i = t + 18;
    while (i < e && b[i] === 32) i++;
    const pidStart = i;
    let pid = 0;
    for (let c = b[i]!; i < e && c >= 48 && c <= 57; c = b[++i]!) pid = pid * 10 + c - 48;
    if (i === pidStart || i - pidStart > 9 || b[i] !== 32) return false;
    while (i < e && b[i] === 32) i++;
    const tidStart = i;
    let tid = 0;
    for (let c = b[i]!; i < e && c >= 48 && c <= 57; c = b[++i]!) tid = tid * 10 + c - 48;
    if (i === tidStart || i - tidStart > 9 || b[i] !== 32) return false;
    const priority = PRIORITY[b[i + 1]!];
    if (priority === undefined || b[i + 2] !== 32) return false;
    const tagStart = i + 3;
    // The tag up to the first colon, printable ASCII only (a non-ASCII space before the colon is trimmed by the
    // text path's \s, and the tag must hash as the text path will spell it).
    i = tagStart;
    for (let c = b[i]!; c !== 58; c = b[++i]!) if (i >= e || c < 32 || c > 126) return false;
    // The text path's year-form reader wants 33 characters; the line up to the colon is ASCII.
    if (year && i + 1 - s < 33) return false;
    let tagEnd = i;
    while (tagEnd > tagStart && b[tagEnd - 1] === 32) tagEnd--;
    const msgStart = b[i + 1] === 32 ? i + 2 : i + 1;
    // A message of nothing but spaces may be continued by the next line (a wrapped events entry): text path.
    let k = msgStart;
    while (k < e && (b[k]! <= 32 || b[k]! >= 127)) k++;
    if (k === e) return false;
    if (key !== this.lastKey) {
      const y = year ? digits(b, s, 4) : NaN;
      const ms = this.clock.at
        ? this.clock.at(y, digits(b, t, 2), digits(b, t + 3, 2), digits(b, t + 6, 2), digits(b, t + 9, 2), digits(b, t + 12, 2), 0, NaN)
        : Date.UTC(year ? y : this.clock.year, digits(b, t, 2) - 1, digits(b, t + 3, 2), digits(b, t + 6, 2), digits(b, t + 9, 2), digits(b, t + 12, 2)) - this.clock.offsetMinutes * 60_000;
      this.lastSecondMs = ms;
      this.lastKey = key;
    }
    this.time = this.lastSecondMs + m0 * 100 + m1 * 10 + m2;
    this.pid = pid;
    this.tid = tid;
    this.priority = priority;
    this.tag = tagHash(b, tagStart, tagEnd);
    this.tagStart = tagStart;
    this.tagEnd = tagEnd;
    this.msgStart = msgStart;
    this.year = year;
    return true;
  }
}
