/**
 * Events from logs captured elsewhere: a field inspector's logcat file in any format the format reader knows
 * (log-formats/), and, optionally, dumps taken on the same phone (`dumpsys appops`, `dumpsys package`). The same
 * extractors and app focus as the live monitor; app ops become events at the times the dump printed. Each event
 * names the line(s) of the file it was read from; the result names the formats read, the lines nothing could
 * read, and where the year and zone came from. A file from which no log entry can be read is an error, never
 * an empty success.
 */
import type { MonitorEvent } from '../../../src-preload/monitor-events.js';
import { WorkbenchError } from '../errors.js';
import { AppFocus } from './app-focus.js';
import { parseAppOps, parseRuntimePermissions } from './dump-parsers.js';
import { CaptureClock, type ClockFacts } from './log-formats/capture-clock.js';
import { eventParts, type Extracted } from './extractors.js';
import { FormatReader, type BugreportFacts, type ClockJump, type LineFormat, type ReadResult } from './log-formats/format-reader.js';
import type { LogLine } from './log-line.js';
import { RecentLines } from './recent-lines.js';

export interface ReplayOptions {
  packageName: string | null;
  /** Year for lines without one (when the capture does not say). */
  year: number;
  /** The phone's UTC offset in minutes, for lines and dumps printed in its local time (when the capture does not say). */
  offsetMinutes: number;
  /** Whether the tester gave the year / offset (--year, --utc-offset); otherwise they are assumed. Default: given. */
  yearGiven?: boolean;
  offsetGiven?: boolean;
  dumps?: string[];
  serial?: string;
}

export interface ReplayResult {
  events: MonitorEvent[];
  /** Lines of the file (blank ones included). */
  lines: number;
  /** Log entries read. */
  entries: number;
  /** Lines no format could read (outside a bugreport's other sections). */
  unparsed: number;
  /** The first of them (line number and text), to show what they look like. */
  firstUnparsed: Array<{ line: number; text: string }>;
  /** Entries read per format; more than one key: a file mixing formats. */
  formats: Partial<Record<LineFormat, number>>;
  bugreport: BugreportFacts | null;
  clock: ClockFacts & { jumps: ClockJump[]; jumpCount: number };
  /** Lines indented (a paste), lines that ended with a carriage return (CRLF), lines continuing the entry before. */
  indented: number;
  carriageReturns: number;
  continued: number;
}

const MAX_LINE = 64 * 1024;
const EMPTY = Buffer.alloc(0);
/** Lines remembered to name the file lines of an event read over several entries (a crash: FATAL EXCEPTION, Process:). */
const RECENT_LINES = 4096;

/** Replays a log fed line by line (a 2 GiB file never becomes one string), then the dumps, in time order. */
export class Replayer {
  private focus: AppFocus;
  private events: MonitorEvent[] = [];
  /** Per event: the clock segment of its line (a clock jump starts a new one; order across them is file order). */
  private segments: number[] = [];
  private base: { serial: string; packageName: string | null };
  private captureClock: CaptureClock;
  private reader: FormatReader;
  private offsetSeen: number;
  /** The file lines of each recent entry's text (a two-line record: its header's too), so an event names every line it was read from. */
  private recent = new RecentLines(RECENT_LINES);
  /** The last line skimmed: its bytes (a view of the chunk), line number and place among the recent lines. */
  private lastSkim: { bytes: Buffer; start: number; end: number; lineNo: number; at: number } = { bytes: EMPTY, start: 0, end: 0, lineNo: 0, at: 0 };
  lines = 0;
  /** Lines the byte path gave by their time alone (skim). */
  skimmed = 0;

  constructor(private o: ReplayOptions) {
    this.focus = new AppFocus(o.packageName);
    this.base = { serial: o.serial ?? 'replay', packageName: o.packageName };
    this.captureClock = new CaptureClock({ year: o.year, yearGiven: o.yearGiven ?? true, offsetMinutes: o.offsetMinutes, offsetGiven: o.offsetGiven ?? true });
    this.reader = new FormatReader(this.captureClock);
    this.offsetSeen = o.offsetMinutes;
    for (const dump of o.dumps ?? []) {
      const { uid } = parseRuntimePermissions(dump);
      if (uid !== null) this.focus.uid = uid;
    }
  }

  /** The number of lines that no format read so far. */
  get unparsed(): number {
    return this.reader.unread;
  }

  /** The capture's clock (the byte path reads times through it too). */
  get clock(): CaptureClock {
    return this.captureClock;
  }

  /** `clean`: the caller knows the line holds no control or bidi character. */
  line(raw: string, clean = false): void {
    this.lines++;
    const reader = this.reader;
    this.took(raw.length > MAX_LINE ? reader.unreadable(raw) : reader.read(raw, clean));
  }

  /**
   * A threadtime entry the byte path read (log-formats/threadtime-bytes.ts vouched that the text path would
   * read this line so, and the reader would try threadtime first: `skimmable`).
   */
  entry(line: LogLine): void {
    this.lines++;
    this.took(this.reader.readThreadtime(line));
  }

  private took(line: ReadResult): void {
    const reader = this.reader;
    if (this.captureClock.offsetMinutes !== this.offsetSeen) this.zoneLearned();
    // A buffer's banner seen again says logcat restarted: a hole in the evidence (app-focus decides).
    if (reader.banner !== null) this.focus.banner(reader.banner);
    if (line === null || line === 'frame') return;
    const lead = reader.entryLead;
    const first = reader.entryFirstLine;
    const at = reader.lineNo;
    this.recent.remember(line.raw, first !== at ? [first, at] : [at]);
    if (lead !== null) this.recent.remember(lead, [first]);
    for (const e of this.focus.observe(line)) this.push(e, line, lead);
  }

  /**
   * Whether the next line, if the byte path vouches for it as threadtime, is certain to be read as threadtime
   * (only then may the byte path read its time through the clock: the clock notes what it was asked).
   */
  get skimmable(): boolean {
    return this.reader.threadtimeNext;
  }

  /**
   * A threadtime line the byte path vouched for (a tag no event comes from, no mark in its message): taken by
   * its time alone when neither the reader nor the focus would do anything with it but note that time — then
   * true; false (nothing done) when it must be read as text.
   */
  skim(time: number, bytes: Buffer, start: number, end: number): boolean {
    if (this.reader.jumpsBack(time) || !this.focus.quietAt(time)) return false;
    this.lines++;
    this.skimmed++;
    this.reader.skimmed(time);
    const k = this.lastSkim;
    k.bytes = bytes;
    k.start = start;
    k.end = end;
    k.lineNo = this.reader.lineNo;
    k.at = this.recent.pass();
    this.focus.continuity.skipped(time, this.skimmedRaw);
    return true;
  }

  /** The last skimmed line's text, made when a gap quotes it, and remembered where it was counted. */
  private skimmedRaw = (): string => {
    const k = this.lastSkim;
    const text = k.bytes.toString('utf8', k.start, k.end);
    this.recent.putBack(k.at, text, [k.lineNo]);
    return text;
  };

  private push(e: Extracted, line: LogLine | null, lead: string | null = null): void {
    const parts = eventParts(e, line);
    const raw = lead !== null && line && parts.raw.length === 1 && parts.raw[0] === line.raw ? [lead, line.raw] : parts.raw;
    const at = this.reader.lineNo;
    // (Each remembered entry's lines are sorted and distinct: one raw line needs no set and no sort.)
    const sourceLines = raw.length === 1 ? (this.recent.recall(raw[0]!) ?? [at]).slice() : [...new Set(raw.flatMap((r) => this.recent.recall(r) ?? [at]))].sort((a, b) => a - b);
    const time = parts.time;
    // Object.assign, not a spread: with a dozen body shapes V8's spread takes its slow path (tens of µs an event).
    // The strings are the lines' own (replay-bytes.ts makes each line from its bytes): no chunk is kept alive.
    this.events.push(Object.assign({
      serial: this.base.serial, packageName: this.base.packageName, seq: 0, hostTime: time ?? 0,
      deviceTime: line?.timeKnown === false ? null : time, source: 'logcat' as const, raw: raw.slice(), sourceLines: sourceLines.length ? sourceLines : [at],
    }, parts.body) as MonitorEvent);
    this.segments.push(this.reader.segment);
  }

  /**
   * The capture named its zone only now (a bugreport's properties come after its logs): the events read so far
   * were placed with the assumed offset and move by the difference.
   */
  private zoneLearned(): void {
    const shift = (this.captureClock.offsetMinutes - this.offsetSeen) * 60_000;
    this.offsetSeen = this.captureClock.offsetMinutes;
    for (const e of this.events) {
      e.hostTime -= shift;
      if (e.deviceTime !== null) e.deviceTime -= shift;
    }
  }

  /** The events found so far, in the order their lines came (finish() sorts them by time). */
  get emitted(): readonly MonitorEvent[] {
    return this.events;
  }

  finish(): ReplayResult {
    const { o, base, events, reader } = this;
    if (reader.entries === 0) throw unreadable(reader, this.lines);
    // What the end of the log closes: a crash still waiting for its next line, a gap still open.
    for (const e of this.focus.flush()) this.push(e, null);
    const lastSegment = reader.segment;
    if (o.packageName) {
      for (const dump of o.dumps ?? []) {
        for (const entry of parseAppOps(dump, o.packageName).entries) {
          const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})$/.exec(entry.printed);
          const at = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!) - this.captureClock.offsetMinutes * 60_000 : null;
          events.push({
            ...base, seq: 0, hostTime: at ?? 0, deviceTime: at, source: 'appops', raw: [`${entry.op} (${entry.mode}): ${entry.kind === 'access' ? 'Access' : 'Reject'}: [${entry.uidState}${entry.flags ? `-${entry.flags}` : ''}] ${entry.printed}`],
            type: entry.kind === 'access' ? 'appop.access' : 'appop.reject', op: entry.op, uidState: entry.uidState, flags: entry.flags, accessTime: at,
          } as MonitorEvent);
          this.segments.push(lastSegment);
        }
      }
    }
    // Time order within a stretch of steady clock; across a jump back (a reboot), file order.
    const order = events.map((e, i) => ({ e, segment: this.segments[i]!, i }));
    order.sort((a, b) => a.segment - b.segment || a.e.hostTime - b.e.hostTime || a.i - b.i);
    const sorted = order.map((x) => x.e);
    sorted.forEach((e, i) => (e.seq = i + 1));
    return {
      events: sorted, lines: this.lines, entries: reader.entries, unparsed: reader.unread, firstUnparsed: [...reader.firstUnread],
      formats: reader.formats(), bugreport: reader.bugreport, clock: { ...this.captureClock.facts, jumps: [...reader.clockJumps], jumpCount: reader.clockJumpCount },
      indented: reader.indented, carriageReturns: reader.carriageReturns, continued: reader.continued,
    };
  }
}

/** Why no entry could be read: what the file looks like instead. */
function unreadable(reader: FormatReader, lines: number): WorkbenchError {
  const br = reader.bugreport;
  if (br && !br.logSections.length) {
    return new WorkbenchError('monitor.unreadable-log', 'This bugreport has no log section (SYSTEM LOG, EVENT LOG…): it holds nothing the monitor reads. Take the bugreport again, or give a logcat capture.', { reason: 'bugreport-without-log' });
  }
  if (br) return new WorkbenchError('monitor.unreadable-log', `The log sections of this bugreport (${br.logSections.join(', ')}) hold no log line.`, { reason: 'bugreport-empty-log' });
  const sample = reader.firstUnread[0];
  if (!sample) return new WorkbenchError('monitor.unreadable-log', `The file holds no log line (${lines} lines, all blank or headers).`, { reason: 'empty' });
  return new WorkbenchError(
    'monitor.unreadable-log',
    `No line of this file is in a logcat format the workbench reads (threadtime, time, brief, process, tag, long, MatLog, Android Studio, bugreport): ${reader.unread} lines, the first (line ${sample.line}) reads "${sample.text}".`,
    { reason: 'no-format', line: sample.line, sample: sample.text },
  );
}

export function replay(logText: string, o: ReplayOptions): ReplayResult {
  const r = new Replayer(o);
  for (const raw of logText.split('\n')) r.line(raw);
  return r.finish();
}
