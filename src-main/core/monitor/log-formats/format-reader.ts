/**
 * Reads a capture line by line in whatever logcat format each line has, found from the line itself: the format
 * that read the previous line is tried first (so a file in one format costs one parser per line), then the
 * formats its first character allows. A file may mix formats; each line is read with its own, and the counts
 * say so. Also here, because they span lines: `-v long`/MatLog records (header, message lines, blank line),
 * Android Studio's indented continuation lines, events-buffer entries whose message a terminal wrapped onto the
 * next line, a bugreport's frame (only its logcat sections are log), whole-file indentation (a paste indented
 * by tabs or spaces), carriage returns, and the clock: the year and zone the capture states, and where its
 * time jumps back (a reboot, another capture appended).
 */
import { stripTerminalControls } from '../../adb/terminal-text.js';
import { NEEDS_CLEANING, parseThreadtime, type LogLine, type ParseContext } from '../log-line.js';
import { bugreportLine, type BugreportLine } from './bugreport.js';
import { CaptureClock, ianaOffset, zoneMinutes } from './capture-clock.js';
import { parseLongHeader } from './long.js';
import { parseStudio, parseStudioLegacy, parseStudioMarker } from './studio.js';
import { parseBrief, parseTimeNoPid, parseProcess, parseTag, parseTime } from './time-brief.js';

export const LINE_FORMATS = ['threadtime', 'time', 'brief', 'process', 'tag', 'long', 'matlog', 'studio', 'studio-legacy'] as const;
export type LineFormat = (typeof LINE_FORMATS)[number];

/** What a line was: an entry of the log, part of the capture's frame (blank, banner, header…), or unreadable. */
export type ReadResult = LogLine | 'frame' | null;

/** The minutes, seconds and milliseconds left of a `-v time` stamp whose start was cut off. */
const CUT_TIME = /^\d\d:\d\d\.\d{3}\s+(?=[VDIWEFS]\/)/;

export interface BugreportFacts {
  dumpstate: string | null;
  fingerprint: string | null;
  /** The logcat sections read (SYSTEM LOG, EVENT LOG…). */
  logSections: string[];
  /** Lines of the other sections (dumpsys, getprop…), not log. */
  otherLines: number;
}

export interface ClockJump {
  line: number;
  /** How far back, in ms. */
  backMs: number;
}

/** The time a clock must go back by to count as a jump: logcat's merged buffers step back by less. */
const JUMP_MS = 10_000;
const MAX_JUMPS_KEPT = 100;
const MAX_UNREAD_KEPT = 3;

const DATE_LINE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d\d?) (\d\d):(\d\d):(\d\d) (?:(\S+) )?(\d{4})$/;
const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

export class FormatReader {
  readonly clock: ParseContext;
  /** 1-based number of the line last read. */
  lineNo = 0;
  /** Lines that came quoted (`> `) or commented (`// `) in a paste. */
  quoted = 0;
  /** The `--------- beginning of …` banner the last read() met, if it was one (a repeated one is a restart). */
  banner: string | null = null;
  /** The first line of the file the entry just returned was read from (its header, for a two-line record). */
  entryFirstLine = 0;
  /** That first line's text when it is not the line just read (a record's header, the entry a line continues). */
  entryLead: string | null = null;
  readonly counts: Record<LineFormat, number> = { threadtime: 0, time: 0, brief: 0, process: 0, tag: 0, long: 0, matlog: 0, studio: 0, 'studio-legacy': 0 };
  entries = 0;
  unread = 0;
  /** The first lines no format read (line number and text, cut), for the message that names what the file is. */
  readonly firstUnread: Array<{ line: number; text: string }> = [];
  /** Entries whose line was indented (a paste: every line indented by a tab or spaces). */
  indented = 0;
  carriageReturns = 0;
  /** Lines that continue the entry before them (Studio's indented lines, a wrapped events entry). */
  continued = 0;
  bugreport: BugreportFacts | null = null;
  readonly clockJumps: ClockJump[] = [];
  clockJumpCount = 0;
  /** Increases at each clock jump: entries keep file order across segments. */
  segment = 0;

  private last: LineFormat | null = null;
  /** The open `-v long`/MatLog record: its header as a line, and the header's line number. */
  private record: { head: LogLine; line: number } | null = null;
  /** The entry before (for continuations), and its line. */
  private prev: LogLine | null = null;
  private prevLine = 0;
  /** The line the entry before started on (what a continuation line is evidence with). */
  private prevHead = 0;
  private lastTime = 0;
  private lastKnownTime = NaN;
  /** Inside a bugreport: whether the current section is a logcat one. */
  private inLogSection = false;
  private dumpstateMs: number | null = null;

  constructor(clock: ParseContext) {
    this.clock = clock;
  }

  /** Reads one line (without its newline). `clean`: the caller knows it holds no control or bidi character. */
  read(rawLine: string, clean = false): ReadResult {
    this.lineNo++;
    this.banner = null;
    let line = rawLine;
    if (line.charCodeAt(line.length - 1) === 13) {
      line = line.slice(0, -1);
      this.carriageReturns++;
    }
    if (!clean && NEEDS_CLEANING.test(line)) line = stripTerminalControls(line);
    let c = line.charCodeAt(0);
    let indent = 0;
    if (c === 32 || c === 9) {
      const t = line.trimStart();
      indent = line.length - t.length;
      line = t;
      c = line.charCodeAt(0);
    }
    // A log quoted in a mail or a Markdown reply (`> `), or pasted into source code as comments (`// `): no log
    // line starts with either, so the marks are the paste's, not the phone's.
    if ((c === 47 && line.charCodeAt(1) === 47) || c === 62) {
      const t = line.replace(/^(?:\/\/|>)(?:[ \t]*(?:\/\/|>))*[ \t]*/, '');
      if (t !== line) {
        this.quoted++;
        line = t;
        c = line.charCodeAt(0);
      }
    }
    if (!line) {
      this.record = null;
      return 'frame';
    }
    if (c === 61 || c === 45 || c === 66 || (c === 91 && line.charCodeAt(1) === 112)) {
      const b = bugreportLine(line);
      if (b && this.frame(b)) return 'frame';
    }
    if (this.bugreport && !this.inLogSection) {
      this.bugreport.otherLines++;
      return 'frame';
    }
    if (c === 45 && line.startsWith('--------- ')) {
      this.banner = line;
      return 'frame';
    }
    // A record's message may itself start with `[` (an events entry): only a header starts a new record.
    if (this.record && (c !== 91 || this.parse('long', line) === null)) return this.recordLine(line);
    if (this.record && this.record.line === this.lineNo) return 'frame';
    // Studio indents a long message's further lines to its message column.
    if (indent >= 20 && this.last === 'studio' && this.prev) return this.continuation(line);
    let e = this.last ? this.parse(this.last, line) : null;
    if (e === null) {
      for (const f of candidates(c, line)) {
        if (f === this.last) continue;
        e = this.parse(f, line);
        if (e !== null) {
          this.last = f;
          break;
        }
      }
    }
    if (e === 'frame') return e;
    if (e) {
      if (indent) this.indented++;
      return this.entry(e, this.lineNo);
    }
    // A terminal wrapped an events entry whose message is empty onto the next line.
    // So does a vendor that logs an empty message and puts the text on its own line (MIUI's AutoStartManagerService).
    if (this.prev && this.prev.message.trim() === '' && this.prevLine === this.lineNo - 1) return this.continuation(line);
    // threadtime's columns without pid and tid (a log viewer's copy): read, pid unknown.
    const noPid = parseTimeNoPid(line, this.clock);
    if (noPid) {
      this.last = 'time';
      return this.entry(noPid, this.lineNo);
    }
    // A `-v time` paste whose lines lost their date and hour (`44:40.638 I/Tag(1393): …`): read as brief, time unknown.
    const cut = CUT_TIME.exec(line);
    if (cut) {
      const b = parseBrief(line.slice(cut[0].length), this.lastTime);
      if (b) {
        this.last = 'brief';
        return this.entry({ ...b, raw: line }, this.lineNo);
      }
    }
    if (c === 60 && /^<<< log_count = \d+ >>>$/.test(line)) return 'frame';
    if (this.dateLine(line)) return 'frame';
    this.unread++;
    if (this.firstUnread.length < MAX_UNREAD_KEPT) this.firstUnread.push({ line: this.lineNo, text: line.slice(0, 120) });
    return null;
  }

  /**
   * Whether the next line, if it is a threadtime entry, is read as one: the last line was read as threadtime (so
   * this one is tried that way first), no `-v long` record is open, and it is not in a bugreport's other sections.
   */
  get threadtimeNext(): boolean {
    return this.last === 'threadtime' && this.record === null && (this.bugreport === null || this.inLogSection);
  }

  /** Whether an entry at `time` would be a jump of the clock. */
  jumpsBack(time: number): boolean {
    return time < this.lastKnownTime - JUMP_MS;
  }

  /**
   * A threadtime entry replay's byte path read without a string: counted and timed as read() would. Its message
   * is not blank (the byte path vouched), so no line after it can be its continuation: no `prev` is kept.
   */
  skimmed(time: number): void {
    this.lineNo++;
    this.banner = null;
    this.counts.threadtime++;
    this.entries++;
    this.entryFirstLine = this.lineNo;
    this.entryLead = null;
    this.prev = null;
    this.prevLine = this.lineNo;
    this.prevHead = this.lineNo;
    this.lastKnownTime = time;
    this.lastTime = time;
  }

  /** A threadtime entry read elsewhere (replay's byte path) while `threadtimeNext`: counted as read() would. */
  readThreadtime(e: LogLine): LogLine {
    this.lineNo++;
    this.banner = null;
    return this.entry(e, this.lineNo);
  }

  /** A line too long to be a log entry (the caller's cap): counted as unreadable. */
  unreadable(text: string): null {
    this.lineNo++;
    this.unread++;
    if (this.firstUnread.length < MAX_UNREAD_KEPT) this.firstUnread.push({ line: this.lineNo, text: stripTerminalControls(text.slice(0, 120)) });
    return null;
  }

  /** The formats that read at least one entry, with their counts. */
  formats(): Partial<Record<LineFormat, number>> {
    const out: Partial<Record<LineFormat, number>> = {};
    for (const f of LINE_FORMATS) if (this.counts[f]) out[f] = this.counts[f];
    return out;
  }

  private parse(f: LineFormat, line: string): LogLine | 'frame' | null {
    switch (f) {
      case 'threadtime': return parseThreadtime(line, this.clock);
      case 'time': return parseTime(line, this.clock);
      case 'brief': return parseBrief(line, this.lastTime);
      case 'process': return parseProcess(line, this.lastTime);
      case 'tag': return parseTag(line, this.lastTime);
      case 'studio': return parseStudio(line, this.clock) ?? parseStudioMarker(line, this.lastTime);
      case 'studio-legacy': return parseStudioLegacy(line, this.clock);
      case 'long':
      case 'matlog': {
        const h = parseLongHeader(line, this.clock);
        if (!h) return null;
        this.counts[h.style]++;
        this.last = h.style;
        this.record = { head: h.line, line: this.lineNo };
        this.noteTime(h.line);
        return 'frame';
      }
    }
  }

  /** A message line of the open two-line record: an entry with the header's fields. */
  private recordLine(message: string): LogLine {
    const { head, line } = this.record!;
    this.entries++;
    this.entryFirstLine = line;
    this.entryLead = head.raw;
    const e: LogLine = { ...head, message, raw: message };
    this.prev = e;
    this.prevLine = this.lineNo;
    this.prevHead = line;
    return e;
  }

  private continuation(message: string): LogLine {
    const p = this.prev!;
    this.continued++;
    this.entries++;
    this.entryFirstLine = this.prevHead;
    this.entryLead = p.raw;
    const e: LogLine = { ...p, message, raw: message };
    this.prevLine = this.lineNo;
    return e;
  }

  private entry(e: LogLine, line: number): LogLine {
    this.counts[this.last!]++;
    this.entries++;
    this.entryFirstLine = line;
    this.entryLead = null;
    this.prev = e;
    this.prevLine = line;
    this.prevHead = line;
    this.noteTime(e);
    return e;
  }

  private noteTime(e: LogLine): void {
    if (e.timeKnown === false) return;
    if (e.time < this.lastKnownTime - JUMP_MS) {
      this.clockJumpCount++;
      this.segment++;
      if (this.clockJumps.length < MAX_JUMPS_KEPT) this.clockJumps.push({ line: this.lineNo, backMs: this.lastKnownTime - e.time });
    }
    this.lastKnownTime = e.time;
    this.lastTime = e.time;
  }

  /**
   * A line of a bugreport's frame; false when the file is not (yet) a bugreport and the line does not start one
   * (only the dumpstate header or a `------ NAME (command) ------` section does: a rule of `=` in a paste must
   * not turn the rest of a log into skipped dumpsys text).
   */
  private frame(b: BugreportLine): boolean {
    // A rule of `=` is a separator wherever it stands (the line above a bugreport's header, a paste's own).
    if (b.kind === 'rule') return true;
    if (!this.bugreport && b.kind !== 'dumpstate' && !(b.kind === 'section' && b.command)) return false;
    const br = (this.bugreport ??= { dumpstate: null, fingerprint: null, logSections: [], otherLines: 0 });
    switch (b.kind) {
      case 'dumpstate':
        br.dumpstate = `${b.year}-${pad(b.month)}-${pad(b.day)} ${pad(b.h)}:${pad(b.m)}:${pad(b.s)}`;
        this.dumpstateMs = Date.UTC(b.year, b.month - 1, b.day, b.h, b.m, b.s);
        if (this.clock instanceof CaptureClock) this.clock.learnYear(b.year, b.month, b.day, `== dumpstate: ${br.dumpstate}`);
        break;
      case 'fingerprint':
        br.fingerprint ??= b.value;
        break;
      case 'section':
        this.inLogSection = b.log;
        this.record = null;
        // Each logcat section starts its own clock (SYSTEM LOG, then EVENT LOG from the same start).
        this.lastKnownTime = NaN;
        if (b.log) br.logSections.push(b.name);
        break;
      case 'section-end':
        this.inLogSection = false;
        break;
      case 'timezone': {
        const off = ianaOffset(b.zone, this.dumpstateMs ?? (this.lastTime || Date.now()));
        if (off !== null && this.clock instanceof CaptureClock) this.clock.learnZone(off, `persist.sys.timezone ${b.zone}`);
        break;
      }
      default:
        break;
    }
    return true;
  }

  /** `Sat May  4 21:31:02 CST 2024` (what `date` prints): the capture's year, and its zone when numeric. */
  private dateLine(line: string): boolean {
    const c = line.charCodeAt(0);
    if (c < 65 || c > 90) return false;
    const m = DATE_LINE.exec(line);
    if (!m) return false;
    if (this.clock instanceof CaptureClock) {
      const month = MONTHS.indexOf(m[1]!) / 3 + 1;
      this.clock.learnYear(Number(m[7]), month, Number(m[2]), `a date line: ${line}`);
      const zone = m[6] ? zoneMinutes(m[6]) : NaN;
      if (!Number.isNaN(zone)) this.clock.learnZone(zone, `a date line: ${line}`);
    }
    return true;
  }
}

const pad = (n: number): string => String(n).padStart(2, '0');

const YEAR_FIRST: readonly LineFormat[] = ['threadtime', 'studio', 'studio-legacy', 'time'];
const MONTH_FIRST: readonly LineFormat[] = ['threadtime', 'time'];
const LEVEL_FIRST: readonly LineFormat[] = ['brief', 'process', 'tag'];
const BRACKET: readonly LineFormat[] = ['long'];
const MARKER: readonly LineFormat[] = ['studio'];
const NONE: readonly LineFormat[] = [];

/** The formats a line can be in, by its first character. */
function candidates(c: number, line: string): readonly LineFormat[] {
  if (c >= 48 && c <= 57) return line.charCodeAt(4) === 45 ? YEAR_FIRST : MONTH_FIRST;
  if (c === 91) return BRACKET;
  if (c === 45) return MARKER;
  // V D I W E F S, then / or (
  if ((c === 86 || c === 68 || c === 73 || c === 87 || c === 69 || c === 70 || c === 83) && (line.charCodeAt(1) === 47 || line.charCodeAt(1) === 40)) return LEVEL_FIRST;
  return NONE;
}
