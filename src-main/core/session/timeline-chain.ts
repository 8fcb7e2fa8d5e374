/**
 * The timeline's hash chain: one JSON object per line, `{"seq":N,"prev":H,"event":{...}}`, where H is the
 * SHA-256 (hex) of the previous line's bytes without its newline, and the first line's prev is 64 zeros.
 * Scanning reads a timeline of any size line by line in bounded memory and says where the chain holds,
 * where it breaks, and whether the last line is torn (cut by a crash before its newline).
 */
import { createHash } from 'node:crypto';
import { closeSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { WorkbenchError } from '../errors.js';
import { NotFollowed, openNoFollow } from '../no-follow.js';

export const ZERO_HASH = '0'.repeat(64);
/** A line longer than this is not something the workbench wrote. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

export function lineHash(line: string | Buffer): string {
  return createHash('sha256').update(line).digest('hex');
}

/** The bytes of one timeline line (without newline) for an event at `seq` after `prev`. */
export function encodeLine(seq: number, prev: string, event: unknown): string {
  return JSON.stringify({ seq, prev, event });
}

export interface ChainBreak {
  /** 1-based line number. */
  line: number;
  reason: 'not-json' | 'bad-seq' | 'bad-prev' | 'too-long';
  detail: string;
}

export interface TimelineScan {
  /** Lines that chain correctly from the start. */
  count: number;
  /** Hash of the last good line (ZERO_HASH when empty). */
  head: string;
  /** Byte length of the good lines, newlines included. */
  goodBytes: number;
  /** Bytes after the last newline (a torn last line) when the file does not end with one. */
  tornBytes: number;
  /** The first line that does not chain, if any (lines after it are not checked). */
  broken: ChainBreak | null;
}

/** Scans `path` (or its first `limitBytes`), calling `onLine` for each good line in order. */
export function scanTimeline(path: string, onLine?: (line: Buffer, seq: number) => void, limitBytes = Infinity): TimelineScan {
  const fd = openTimeline(path, 'read');
  const chunk = Buffer.allocUnsafe(1 << 20);
  let carry: Buffer = Buffer.alloc(0);
  let offset = 0;
  const scan: TimelineScan = { count: 0, head: ZERO_HASH, goodBytes: 0, tornBytes: 0, broken: null };
  let last: Buffer | null = null;
  const track = (line: Buffer, seq: number): void => {
    last = line;
    onLine?.(line, seq);
  };
  try {
    for (;;) {
      const want = Math.min(chunk.length, limitBytes - offset);
      const n = want > 0 ? readSync(fd, chunk, 0, want, offset) : 0;
      if (n === 0) break;
      offset += n;
      let data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        if (!checkLine(scan, data.subarray(start, nl), track)) return scan;
        scan.goodBytes += nl - start + 1;
        start = nl + 1;
      }
      data = data.subarray(start);
      if (data.length > MAX_LINE_BYTES) {
        scan.broken = { line: scan.count + 1, reason: 'too-long', detail: `a line longer than ${MAX_LINE_BYTES} bytes` };
        return scan;
      }
      carry = Buffer.from(data);
    }
    scan.tornBytes = carry.length;
    // No later line vouches for the last one: it must be whole JSON.
    if (last !== null && !isJson(last)) scan.broken = { line: scan.count, reason: 'not-json', detail: 'the last line is not JSON' };
    return scan;
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens a timeline without following a link: a session folder from elsewhere must not make the workbench read
 * or append to a file outside it. A link or a non-file is a corrupt session, said with what to do.
 */
export function openTimeline(path: string, mode: 'read' | 'append'): number {
  try {
    return openNoFollow(path, mode).fd;
  } catch (err) {
    if (!(err instanceof NotFollowed)) throw err;
    const what = err.reason === 'link' ? 'is a symbolic link' : 'is not a regular file';
    throw new WorkbenchError('session.corrupt', `${basename(path)} in the session folder ${what}; nothing is read or written through it. Put the timeline file itself in the folder.`, { reason: err.reason });
  }
}

function isJson(line: Buffer): boolean {
  try {
    JSON.parse(line.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/** The start every line the workbench writes has: seq and prev, read without parsing the whole line. */
const PREFIX = /^\{"seq":(\d{1,15}),"prev":"([0-9a-f]{64})","event":\{/;

function checkLine(scan: TimelineScan, line: Buffer, onLine?: (line: Buffer, seq: number) => void): boolean {
  const lineNo = scan.count + 1;
  if (line.length > MAX_LINE_BYTES) {
    scan.broken = { line: lineNo, reason: 'too-long', detail: `a line longer than ${MAX_LINE_BYTES} bytes` };
    return false;
  }
  // Any edit to a line changes its hash and breaks the next line's prev, so the prefix is all the chain needs;
  // the body is parsed only where it is used (and the last line, which no later line vouches for, by scanTimeline's caller).
  const m = PREFIX.exec(line.toString('latin1', 0, Math.min(line.length, 120)));
  if (!m || line[line.length - 1] !== 0x7d) {
    scan.broken = { line: lineNo, reason: 'not-json', detail: 'not a timeline line ({"seq":N,"prev":H,"event":{…}})' };
    return false;
  }
  if (Number(m[1]) !== lineNo) {
    scan.broken = { line: lineNo, reason: 'bad-seq', detail: `seq is ${m[1]}, expected ${lineNo}` };
    return false;
  }
  if (m[2] !== scan.head) {
    scan.broken = { line: lineNo, reason: 'bad-prev', detail: `prev does not equal the SHA-256 of line ${lineNo - 1}` };
    return false;
  }
  scan.head = lineHash(line);
  scan.count = lineNo;
  onLine?.(line, lineNo);
  return true;
}
