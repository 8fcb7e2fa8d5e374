/**
 * A batch's results file: JSON Lines, one line per APK written the moment it finishes (one write call, so a
 * crash loses at most the line being written). Resuming reads it back to learn which APKs (by SHA-256) are
 * done, and cuts off a last line a crash left half-written. An existing file is never overwritten unasked.
 */
import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { WorkbenchError } from '../../errors.js';

export interface ResultsFile {
  /** SHA-256 of every APK with a line in the file (analysed or refused). */
  done: Set<string>;
  /** Lines kept from an earlier run, and lines that could not be read (left in place, not trusted). */
  previous: { lines: number; unreadable: number; cutTail: boolean };
  append(line: object): void;
  close(): void;
}

const CHUNK = 1 << 20;
/** One analysis is far below this; a longer "line" is not one of ours. */
const MAX_LINE = 64 * 1024 * 1024;

/** A line of ours: an analysis (`file.sha256`) or a refusal (`sha256`, `error`). */
export type ResultLine = { path?: string; file?: { sha256?: unknown }; sha256?: unknown; error?: unknown } & Record<string, unknown>;

function parse(line: string): { sha: string; line: ResultLine } | null {
  try {
    const o = JSON.parse(line) as ResultLine;
    const sha = o.file?.sha256 ?? o.sha256;
    return typeof sha === 'string' && /^[0-9a-f]{64}$/.test(sha) ? { sha, line: o } : null;
  } catch {
    return null;
  }
}

/** Reads the complete lines of an open file; returns where the last complete line ends. */
function readDone(fd: number, done: Set<string>, previous: ResultsFile['previous'], onLine: (line: ResultLine) => void): number {
  const size = fstatSync(fd).size;
  const buf = Buffer.alloc(CHUNK);
  let carry: Buffer[] = [];
  let carried = 0;
  let pos = 0;
  let complete = 0;
  while (pos < size) {
    const n = readSync(fd, buf, 0, Math.min(CHUNK, size - pos), pos);
    if (n <= 0) break;
    let start = 0;
    for (let nl = buf.indexOf(0x0a, 0); nl !== -1 && nl < n; nl = buf.indexOf(0x0a, start)) {
      const line = Buffer.concat([...carry, buf.subarray(start, nl)]).toString('utf8');
      carry = [];
      carried = 0;
      complete = pos + nl + 1;
      start = nl + 1;
      if (!line.trim()) continue;
      previous.lines++;
      const parsed = parse(line);
      if (!parsed) previous.unreadable++;
      else if (!done.has(parsed.sha)) {
        done.add(parsed.sha);
        onLine(parsed.line);
      }
    }
    if (start < n) {
      carried += n - start;
      if (carried > MAX_LINE) throw new WorkbenchError('bridge.invalid-arguments', 'the results file has a line longer than 64 MiB: it is not a results file of this tool', {});
      carry.push(Buffer.from(buf.subarray(start, n)));
    }
    pos += n;
  }
  return complete;
}

/** `onPrevious` sees each line of an earlier run once (per SHA-256) while resuming. */
export function openResults(path: string, resume: boolean, onPrevious: (line: ResultLine) => void = () => {}): ResultsFile {
  const done = new Set<string>();
  const previous = { lines: 0, unreadable: 0, cutTail: false };
  if (existsSync(path) && !resume && fstatSyncSize(path) > 0) {
    throw new WorkbenchError('bridge.invalid-arguments', `${path} already holds results: add --resume to continue that batch, or choose another --out`, {});
  }
  const fd = openSync(path, resume ? 'a+' : 'w', 0o600);
  if (resume) {
    const complete = readDone(fd, done, previous, onPrevious);
    if (complete < fstatSync(fd).size) {
      // The line a crash cut short: its APK is analysed again.
      ftruncateSync(fd, complete);
      previous.cutTail = true;
    }
  }
  return {
    done,
    previous,
    append: (line) => void writeSync(fd, JSON.stringify(line) + '\n'),
    close: () => closeSync(fd),
  };
}

function fstatSyncSize(path: string): number {
  const fd = openSync(path, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}
