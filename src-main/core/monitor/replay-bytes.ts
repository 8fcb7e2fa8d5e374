/**
 * Replay's byte path: a capture's UTF-8 bytes cut into whole lines, and each threadtime line that cannot hold
 * an event passed over as bytes — its time, and nothing else, given to the replayer, no string made — as the
 * live monitor reads its own stream (log-chunk.ts). A line is passed over only when the text path is certain to
 * read it as a threadtime entry that shows nothing and changes nothing but the clock: its tag is none an event
 * comes from, its message holds none of the phrases that make any line worth reading, and nothing the focus
 * holds open (a crash, an events-buffer line, a restart, a location check) is waiting for the next line
 * (Replayer.skim decides). Every other line is read as text, exactly as before: a line with a control or bidi
 * character or a carriage return is cleaned there, and a line longer than the splitter's cap goes through the
 * line splitter (it cuts it). The result is the text path's, line for line (replay-bytes.test.ts).
 */
import { lineEndsAndControls } from './control-bytes.js';
import { EVENT_MARKS, EVENT_TAGS } from './extractors.js';
import { LineSplitter, MAX_LINE_CHARS } from './line-splitter.js';
import { NeedleScan, tagHashOf } from './log-chunk.js';
import { ThreadtimeBytes } from './log-formats/threadtime-bytes.js';
import type { Replayer } from './replay.js';

const EVENT_TAG_HASHES = new Set([...EVENT_TAGS].map(tagHashOf));
const EVENT_NEEDLES = EVENT_MARKS.map((m) => Buffer.from(m, 'latin1'));
/** U+2028 and U+2029: the MM-DD form's regular expression does not read a line that holds one (`.` stops there). */
const LINE_SEPARATORS = [Buffer.from('\u2028', 'utf8'), Buffer.from('\u2029', 'utf8')];
/**
 * Bytes held without a newline beyond this are more than MAX_LINE_CHARS characters whatever they spell (three
 * bytes at most per UTF-16 unit): the splitter takes the line and cuts it.
 */
const LONG_LINE_BYTES = MAX_LINE_CHARS * 4;
const EMPTY = Buffer.alloc(0);

function anyWithin(scans: NeedleScan[], start: number, end: number): boolean {
  for (let i = 0; i < scans.length; i++) if (scans[i]!.within(start, end)) return true;
  return false;
}

export class ReplayBytes {
  private splitter = new LineSplitter();
  /** The bytes of the line not yet ended. */
  private pending: Buffer = EMPTY;
  /** A line too long was given to the splitter: its bytes go there until its newline. */
  private inLongLine = false;
  private ends = new Int32Array(1 << 16);
  /** Per line of a run: 1 when it holds a control or bidi character (it is read as text, and cleaned there). */
  private dirty = new Uint8Array(1 << 16);
  private tt: ThreadtimeBytes;

  constructor(private replayer: Replayer) {
    this.tt = new ThreadtimeBytes(replayer.clock);
  }

  push(chunk: Buffer): void {
    let c = chunk;
    if (this.inLongLine) {
      const nl = c.indexOf(10);
      if (nl < 0) return this.text(c);
      this.text(c.subarray(0, nl + 1));
      this.inLongLine = false;
      c = c.subarray(nl + 1);
    }
    const lastNl = c.lastIndexOf(10);
    if (lastNl < 0) {
      this.pending = Buffer.concat([this.pending, c]);
      if (this.pending.length > LONG_LINE_BYTES) {
        this.text(this.pending);
        this.pending = EMPTY;
        this.inLongLine = true;
      }
      return;
    }
    let from = 0;
    if (this.pending.length) {
      // Only the line the chunk boundary split is copied together; the rest is read where it lies.
      from = c.indexOf(10) + 1;
      this.lines(Buffer.concat([this.pending, c.subarray(0, from)]));
    }
    if (from <= lastNl) this.lines(c.subarray(from, lastNl + 1));
    // A copy: a view would keep the whole chunk alive for a line's tail.
    this.pending = lastNl + 1 < c.length ? Buffer.from(c.subarray(lastNl + 1)) : EMPTY;
  }

  /** The end of the capture: a last line without its newline. */
  end(): void {
    if (this.pending.length) this.text(this.pending);
    this.pending = EMPTY;
    for (const l of this.splitter.flush()) this.replayer.line(l);
  }

  /** Bytes for the splitter (not known to be free of control characters): its lines read as text. */
  private text(b: Buffer): void {
    for (const l of this.splitter.push(b)) this.replayer.line(l);
    this.tt.forget();
  }

  /** Whole lines (`b` ends with a newline). */
  private lines(b: Buffer): void {
    if (this.ends.length < b.length + 1) {
      this.ends = new Int32Array(b.length + 1);
      this.dirty = new Uint8Array(b.length + 1);
    }
    const count = lineEndsAndControls(b, this.ends, this.dirty);
    const { ends, dirty, tt, replayer } = this;
    const marks = EVENT_NEEDLES.map((n) => new NeedleScan(b, n));
    const separators = LINE_SEPARATORS.map((n) => new NeedleScan(b, n));
    for (let k = 0, s = 0; k < count; k++) {
      const e = ends[k]!;
      if (e - s > MAX_LINE_CHARS) this.text(b.subarray(s, e + 1));
      else if (dirty[k]) {
        replayer.line(b.toString('utf8', s, e));
        tt.forget();
      }
      // (An MM-DD line with U+2028/2029 is not read by the text path's threadtime expression: it must not be
      // read here, nor its time asked of the clock.)
      else if (replayer.skimmable && (b[s + 4] === 45 || !anyWithin(separators, s, e)) && tt.read(b, s, e)) {
        // Read as threadtime: passed over, or made into a line here without the text path's regular expression.
        const skimmed = !EVENT_TAG_HASHES.has(tt.tag) && !anyWithin(marks, tt.msgStart, e) && replayer.skim(tt.time, b, s, e);
        if (!skimmed) {
          const raw = b.toString('utf8', s, e);
          // The line is ASCII up to its message: byte offsets are character offsets there.
          replayer.entry({ time: tt.time, pid: tt.pid, tid: tt.tid, priority: tt.priority, tag: raw.slice(tt.tagStart - s, tt.tagEnd - s), message: raw.slice(tt.msgStart - s), raw, app: false });
        }
      } else {
        // The lines were checked for control and bidi characters above.
        replayer.line(b.toString('utf8', s, e), true);
        tt.forget();
      }
      s = e + 1;
    }
  }
}
