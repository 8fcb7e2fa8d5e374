/**
 * Watches one phone (and optionally one app on it) and turns what it shows into typed events:
 * - a logcat stream of its own (main, system, events, crash; threadtime with year and UTC, VERBOSE kept
 *   for the grant-result line), every raw line appended to the raw log file before anything else; whole lines
 *   read as bytes where they allow it (log-chunk.ts), as text otherwise — in whatever format the phone
 *   actually prints (a phone may ignore `-v year`/`-v UTC` or print `-v long`: log-formats/format-reader.ts);
 * - a poller that takes app ops, runtime permissions, the resumed activity, power state and the device
 *   clock in ONE shell command per tick, diffs them, and adapts its interval to the phone (≥ 1 s);
 * - on disconnect an event, a pause, and on reconnect a resume with `logcat -T <last time>` that skips
 *   lines already seen, so the raw log has every line exactly once.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Duplex } from 'node:stream';
import type { MonitorEvent, MonitorEventBody } from '../../../src-preload/monitor-events.js';
import type { DeviceBridge } from '../adb/device-bridge.js';
import { shellCommand } from '../adb/shell-quote.js';
import { readDeviceClock } from '../adb/device-clock.js';
import { stripTerminalControls } from '../adb/terminal-text.js';
import { AppFocus } from './app-focus.js';
import { LineSplitter, MAX_LINE_CHARS } from './line-splitter.js';
import { DEFAULT_RAW_LOG_LIMITS, RawLog, type RawLogLimits } from './raw-log.js';
import { parseLogLine, type LogLine } from './log-line.js';
import { FormatReader } from './log-formats/format-reader.js';
import { CaptureClock } from './log-formats/capture-clock.js';
import { parseAppOps, parseResumedActivity, parseRuntimePermissions, parseScreenOn } from './dump-parsers.js';
import { hasControlBytes } from './control-bytes.js';
import { EVENT_MARKS, EVENT_TAGS, eventParts, type Extracted } from './extractors.js';
import { LogChunk, NeedleScan, tagHashOf } from './log-chunk.js';

/** Tags a line must have to hold an event (or to be remembered as a recent intent by the focus). */
const EVENT_TAG_HASHES = new Set([...EVENT_TAGS].map(tagHashOf));
/** Phrases that make a line of any other tag worth reading (an app's own refused read or start). */
const EVENT_NEEDLES = EVENT_MARKS.map((m) => Buffer.from(m, 'latin1'));

/**
 * A parsed line with `app` set (it belongs to the focused app: its pids, or it names it). The UI's view of it
 * (LogLineView) is made only for the lines actually sent to a page, not for every line of a flood.
 */
export type MonitoredLine = LogLine;

/** What a page is sent of a line (no raw text, no tid). */
export function lineView(l: MonitoredLine): import('../../../src-preload/api.js').LogLineView {
  return { time: l.time, pid: l.pid, priority: l.priority, tag: l.tag, message: l.message, app: l.app };
}

export interface DeviceMonitorOptions {
  bridge: DeviceBridge;
  serial: string;
  packageName: string | null;
  rawLogPath: string;
  onEvent: (e: MonitorEvent) => void;
  onLines: (lines: MonitoredLine[]) => void;
  /**
   * How many of the next lines the consumer keeps (the UI's throttle: its window's room); the monitor makes
   * only those, the newest, and reports the others to `onLinesSkipped`. Default: every line.
   */
  linesWanted?: () => number;
  onLinesSkipped?: (count: number) => void;
  /** Poll interval floor; the poller slows down when the phone answers slowly. */
  minIntervalMs?: number;
  /** Rotation, total and free-space limits of the raw log (defaults: 256 MiB files, 2 GiB, 512 MiB free). */
  rawLogLimits?: RawLogLimits;
  /** The monitor stopped on its own (a raw-log limit was hit): why. What was written stays. */
  onStopped?: (reason: string) => void;
}

const SEP = '---APPRIGHTS-MONITOR---';
const LOGCAT = 'logcat -v threadtime -v year -v UTC -b main,system,events,crash';
const RECENT_MS = 10_000;
/** Every package with its uid (`package:com.x uid:10123`): the phone's answer to "whose uid is this". */
const PACKAGE_LIST = 'pm list packages -U 2>/dev/null';
/** The package list is read again at most this often (a package change or an unknown app uid asks for it). */
const PACKAGE_LIST_INTERVAL_MS = 2000;

export class DeviceMonitor {
  private raw: RawLog;
  private stream: Duplex | null = null;
  private stopped = false;
  private seq = 0;
  private splitter = new LineSplitter();
  private lastTime = 0;
  /**
   * How many lines carried `lastTime`: after a reconnect, `logcat -T` replays them first, in the same order, so
   * that many are skipped. A count, not the lines: a flood puts thousands in one millisecond, and holding them
   * kept every line alive into the old generation.
   */
  private linesAtLastTime = 0;
  /** After a reconnect: the repeats of the last millisecond still to skip. */
  private resume: { time: number; skip: number } | null = null;
  private focus: AppFocus;
  /** The package name as bytes, searched for in each chunk (made once, not per chunk). */
  private packageBytes: Buffer | null;
  private clockOffset: number | null = null;
  /** The last clock reading was refused (said once in the timeline until the clock reads true again). */
  private clockRefused = false;
  private appOps = new Map<string, string>();
  private permissions = new Map<string, string>();
  private foreground: string | null | undefined;
  private screenOn: boolean | null | undefined;
  private pollTimer: NodeJS.Timeout | null = null;
  private nextPollAt = 0;
  private lastPollAt = 0;
  private nudgedDuringPoll = false;
  /** Callers of caughtUp() waiting for a poll that starts after their call. */
  private pollWaiters: Array<() => void> = [];
  private connected = false;
  private disconnectedAt = 0;
  readonly stats = { lines: 0, events: 0, reconnects: 0, polls: 0, lastPollMs: 0, cutLines: 0 };
  /**
   * The text path's reader: lines in any format, a `-v long` record across chunks. Times without a year are in
   * this year, and in UTC (what the monitor asked for; a phone that ignores `-v UTC` is read as if it had not).
   */
  private reader = new FormatReader(new CaptureClock({ year: new Date().getUTCFullYear(), yearGiven: true, offsetMinutes: 0, offsetGiven: true }));

  constructor(private o: DeviceMonitorOptions) {
    mkdirSync(dirname(o.rawLogPath), { recursive: true });
    this.raw = new RawLog(o.rawLogPath, o.rawLogLimits ?? DEFAULT_RAW_LOG_LIMITS, (reason) => {
      void this.stop().then(() => o.onStopped?.(reason));
    });
    this.focus = new AppFocus(o.packageName);
    this.focus.onPackageChange = () => this.refreshPackages(true);
    this.focus.onUnknownUid = () => this.refreshPackages(false);
    this.packageBytes = o.packageName ? Buffer.from(o.packageName, 'utf8') : null;
  }

  async start(): Promise<void> {
    await this.connect(null);
  }

  /**
   * Resolves once a poll that began after this call has read the phone's dumps (at once when the monitor is
   * stopped or away): a checklist run calls it before the next stage clears the app's data, which on a phone
   * also clears what the app's ops recorded since the last poll.
   */
  caughtUp(): Promise<void> {
    if (this.stopped || !this.connected) return Promise.resolve();
    return new Promise((res) => {
      this.pollWaiters.push(res);
      // Idle between polls: poll now. A poll in flight may have dumped before the call: another follows it.
      if (this.pollTimer) this.schedulePoll(0);
      else this.nudgedDuringPoll = true;
    });
  }

  private releasePollWaiters(waiters = this.pollWaiters.splice(0)): void {
    for (const res of waiters) res();
  }

  async stop(): Promise<void> {
    // What the focus still holds open (a crash waiting for its next line, an events-buffer line) is reported now.
    if (!this.stopped) for (const e of this.focus.flush()) this.emitExtracted(e, null);
    this.stopped = true;
    this.releasePollWaiters();
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.packagesTimer) clearTimeout(this.packagesTimer);
    this.stream?.destroy();
    await this.raw.end();
  }

  private emit(body: MonitorEventBody & { packageName?: string | null }, source: MonitorEvent['source'], raw: string[], deviceTime: number | null, hostTime = Date.now()): void {
    // A poll that was in flight when the monitor stopped must not report after it (a paused session would
    // otherwise get events from after its pause, or twice after a quick resume).
    if (this.stopped) return;
    // Object.assign, not a spread: with a dozen body shapes V8's spread takes its slow path.
    const event = Object.assign({ seq: ++this.seq, serial: this.o.serial, packageName: this.o.packageName, hostTime, deviceTime, source, raw }, body) as MonitorEvent;
    this.stats.events++;
    this.o.onEvent(event);
  }

  /** An event the focus read from the log, at its line's time (a crash at its first line's). */
  private emitExtracted(e: Extracted, line: LogLine | null): void {
    const { body, raw, time } = eventParts(e, line);
    // A line that prints no time (brief, a Studio marker) gives the event no phone time, as replay says too.
    const deviceTime = line?.timeKnown === false && e.time === undefined ? null : time;
    this.emit(body, 'logcat', raw, deviceTime, deviceTime === null || this.clockOffset === null ? Date.now() : deviceTime - this.clockOffset);
  }

  private deviceNow(): number | null {
    return this.clockOffset === null ? null : Date.now() + this.clockOffset;
  }

  /**
   * The phone's clock from `date +%s.%N` run since `sentAt`: device ms, or null when the phone's answer is
   * refused (see device-clock.ts) — then no offset is kept, host time stands in, and the timeline says so once
   * until the clock reads true again.
   */
  private clockRead(printed: string, sentAt: number): number | null {
    // No answer at all (the round trip was cut short) is no reading: the last offset stands.
    if (!printed.trim()) return this.deviceNow();
    const mid = Math.round((sentAt + Date.now()) / 2);
    const clock = readDeviceClock(printed, mid);
    if (clock.ok) {
      this.clockOffset = clock.deviceMs - mid;
      this.clockRefused = false;
      return clock.deviceMs;
    }
    this.clockOffset = null;
    if (!this.clockRefused) this.emit({ type: 'device.clock-refused', reported: clock.reported }, 'monitor', [stripTerminalControls(printed).trim().slice(0, 200)], null);
    this.clockRefused = true;
    return null;
  }

  /** Reads uid, pids and the clock, then opens logcat from `since` (device epoch ms), or from now. */
  private async connect(since: number | null): Promise<void> {
    const pkg = this.o.packageName;
    const probe = [pkg ? `dumpsys package ${shellCommand([pkg])} | grep userId=` : 'true', `echo ${SEP}`, pkg ? `pidof ${shellCommand([pkg])}` : 'true', `echo ${SEP}`, 'date +%s.%N', `echo ${SEP}`, PACKAGE_LIST].join('; ');
    const before = Date.now();
    const out = await this.o.bridge.shell(this.o.serial, probe, 10_000);
    const [uidPart = '', pidPart = '', datePart = '', packagesPart = ''] = out.split(SEP + '\n');
    const deviceNow = this.clockRead(datePart, before);
    // Which app each uid is (a line that names only a uid then names the app); read again when packages change.
    this.focus.directory.loadPackageList(stripTerminalControls(packagesPart));
    this.packagesReadAt = Date.now();
    const uid = /userId=(\d+)/.exec(uidPart);
    if (uid) this.focus.uid = Number(uid[1]);
    for (const p of pidPart.trim().split(/\s+/).filter(Boolean)) this.focus.pids.add(Number(p));
    const from = since ?? deviceNow;
    if (since !== null) this.resume = { time: this.lastTime, skip: this.linesAtLastTime };
    const cmd = from === null ? `${LOGCAT} -T 1` : `${LOGCAT} -T ${(from / 1000).toFixed(3)}`;
    const stream = await this.o.bridge.shellStream(this.o.serial, cmd);
    this.stream = stream;
    this.connected = true;
    stream.on('data', (chunk: Buffer) => this.onChunk(chunk));
    const lost = (): void => {
      if (this.stream !== stream) return;
      this.stream = null;
      void this.onLost();
    };
    stream.on('end', lost);
    stream.on('close', lost);
    stream.on('error', lost);
    this.schedulePoll(0);
  }

  private packagesRefresh: Promise<void> | null = null;
  private packagesStale = false;
  private packagesReadAt = 0;
  private packagesTimer: NodeJS.Timeout | null = null;

  /**
   * A package was installed, updated or removed (`changed`), or an app uid no one knows appeared (at most every
   * 2 s): the uid list is read again, one read at a time (a burst costs one more). A phone that does not answer
   * keeps the list it had.
   */
  private refreshPackages(changed: boolean): void {
    if (this.stopped || !this.connected) return;
    // A flood of lines naming unknown uids costs one read per interval, not one per line: the read waits for it.
    const wait = this.packagesReadAt + PACKAGE_LIST_INTERVAL_MS - Date.now();
    if (!changed && !this.packagesRefresh && wait > 0) {
      this.packagesTimer ??= setTimeout(() => {
        this.packagesTimer = null;
        this.refreshPackages(true);
      }, wait);
      return;
    }
    this.packagesReadAt = Date.now();
    if (this.packagesRefresh) {
      this.packagesStale = true;
      return;
    }
    this.packagesRefresh = (async () => {
      do {
        this.packagesStale = false;
        try {
          const out = await this.o.bridge.shell(this.o.serial, PACKAGE_LIST, 10_000);
          if (!this.stopped) this.focus.directory.loadPackageList(stripTerminalControls(out));
        } catch {
          // Not answering now (disconnected): the next connect reads the list anyway.
          return;
        }
      } while (this.packagesStale && !this.stopped);
    })().finally(() => {
      this.packagesRefresh = null;
    });
  }

  /** The uid list read again after a package change, when one is under way (tests wait for it). */
  packageListRead(): Promise<void> {
    return this.packagesRefresh ?? Promise.resolve();
  }

  /** Which app each uid, pid and process is, as far as the phone's list and its log said. */
  get appDirectory(): import('./app-directory.js').AppDirectory {
    return this.focus.directory;
  }

  private async onLost(): Promise<void> {
    if (this.stopped || !this.connected) return;
    this.connected = false;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.flushPartial();
    this.releasePollWaiters();
    this.disconnectedAt = Date.now();
    this.emit({ type: 'device.disconnected', gapMs: null }, 'monitor', [], this.deviceNow());
    while (!this.stopped) {
      await new Promise((r) => setTimeout(r, 1000));
      try {
        const list = await this.o.bridge.listDevices();
        if (!list.some((d) => d.serial === this.o.serial && d.type === 'device')) continue;
        await this.connect(this.lastTime || null);
        this.stats.reconnects++;
        this.emit({ type: 'device.reconnected', gapMs: Date.now() - this.disconnectedAt }, 'monitor', [], this.deviceNow());
        return;
      } catch {
        // Not back yet (or the adb server is restarting): try again in a second.
      }
    }
  }

  /** The bytes of the line not yet ended, so complete lines can go to the raw log as the phone sent them. */
  private pendingBytes: Buffer = Buffer.alloc(0);

  private onChunk(chunk: Buffer): void {
    // While the splitter holds nothing, whole lines are read as bytes (readChunk); a line the splitter is
    // cutting or decoding keeps the stream on the text path until that line has ended.
    if (this.splitter.idle) {
      const lastNl = chunk.lastIndexOf(10);
      if (lastNl < 0) {
        this.pendingBytes = Buffer.concat([this.pendingBytes, chunk]);
        // No newline for longer than a line may be: the text path cuts it (and keeps the stream until it ends).
        if (this.pendingBytes.length > MAX_LINE_CHARS) this.toTextPath();
        return;
      }
      let from = 0;
      if (this.pendingBytes.length) {
        // Only the line the chunk boundary split is copied together; the rest is read where it lies.
        from = chunk.indexOf(10) + 1;
        this.wholeLines(Buffer.concat([this.pendingBytes, chunk.subarray(0, from)]));
      }
      if (from <= lastNl) this.wholeLines(chunk.subarray(from, lastNl + 1));
      // A view, not a copy: it keeps this one chunk alive until the next arrives.
      this.pendingBytes = chunk.subarray(lastNl + 1);
      return;
    }
    const lastNl = chunk.lastIndexOf(10);
    let complete: Buffer | null = null;
    if (lastNl < 0) this.pendingBytes = this.pendingBytes.length < 1 << 20 ? Buffer.concat([this.pendingBytes, chunk]) : this.pendingBytes;
    else {
      complete = this.pendingBytes.length ? Buffer.concat([this.pendingBytes, chunk.subarray(0, lastNl + 1)]) : chunk.subarray(0, lastNl + 1);
      this.pendingBytes = Buffer.from(chunk.subarray(lastNl + 1));
    }
    this.byText(chunk, complete);
  }

  /** Complete lines (ending with a newline): as bytes when they allow it, else as text. */
  private wholeLines(bytes: Buffer): void {
    if (!this.readChunk(bytes)) this.byText(bytes, bytes);
  }

  /** A line longer than any may be: the splitter takes its bytes and cuts it; the text path follows until it ends. */
  private toTextPath(): void {
    this.byText(this.pendingBytes, null);
  }

  /**
   * Bytes through the splitter, their lines through `ingest`. `raw`: the complete lines' bytes as the phone sent
   * them, for the raw log — unless the splitter cut a line (then it is no longer the phone's bytes, and the raw
   * log gets the lines one by one).
   */
  private byText(bytes: Buffer, raw: Buffer | null): void {
    const cutBefore = this.splitter.cut.lines;
    const lines = this.splitter.push(bytes);
    this.ingest(lines, this.splitter.cut.lines === cutBefore ? raw : null);
    this.stats.cutLines = this.splitter.cut.lines;
  }

  private flushPartial(): void {
    if (this.splitter.idle && this.pendingBytes.length) this.splitter.push(this.pendingBytes);
    this.pendingBytes = Buffer.alloc(0);
    this.ingest(this.splitter.flush(), null);
  }

  private chunk = new LogChunk();

  /**
   * Whole lines as bytes, the common case (see log-chunk.ts): the same outcome as `ingest` without a string
   * per line. Strings are made for a line whose tag can hold an event or whose text names an identifier
   * access, and for the lines the consumer keeps. False, having done nothing, when the chunk needs the text
   * path: anything unusual in it, or lines at or before the last time seen (the repeats after a reconnect).
   */
  private readChunk(bytes: Buffer): boolean {
    if (this.resume || !this.chunk.read(bytes)) return false;
    const { count, start, end, msgStart, pid, tag, time } = this.chunk;
    for (let i = 0, last = this.lastTime; i < count; i++) {
      if (time[i]! < last) return false;
      last = time[i]!;
    }
    const wanted = Math.min(count, Math.max(0, Math.floor(this.o.linesWanted?.() ?? count)));
    const firstKept = count - wanted;
    const ctx = { year: 0, offsetMinutes: 0 };
    const out: MonitoredLine[] = [];
    const focus = this.focus;
    const pkg = this.o.packageName;
    const marks = EVENT_NEEDLES.map((n) => new NeedleScan(bytes, n));
    const names = this.packageBytes ? new NeedleScan(bytes, this.packageBytes) : null;
    let uidOf: number | null = null;
    let uidMark: NeedleScan | null = null;
    let appLine = false;
    for (let i = 0; i < count; i++) {
      const t = time[i]!;
      if (t !== this.lastTime) {
        this.lastTime = t;
        this.linesAtLastTime = 0;
      }
      this.linesAtLastTime++;
      let line: LogLine | null = null;
      let marked = EVENT_TAG_HASHES.has(tag[i]!);
      for (let k = 0; !marked && k < marks.length; k++) marked = marks[k]!.within(msgStart[i]!, end[i]!);
      if (marked) {
        line = parseLogLine(bytes.toString('utf8', start[i]!, end[i]!), ctx, true);
        if (line) for (const e of focus.observe(line)) this.emitExtracted(e, line);
      }
      const kept = i >= firstKept;
      if (!kept && !pkg) continue;
      let app = true;
      if (pkg && !focus.pids.has(pid[i]!) && !names!.within(msgStart[i]!, end[i]!)) {
        if (focus.uid === null) app = false;
        else {
          if (uidOf !== focus.uid) {
            uidOf = focus.uid;
            uidMark = new NeedleScan(bytes, Buffer.from(`uid ${uidOf}`, 'latin1'));
          }
          app = uidMark!.within(msgStart[i]!, end[i]!);
        }
      }
      if (app && pkg) appLine = true;
      if (!kept) continue;
      line ??= parseLogLine(bytes.toString('utf8', start[i]!, end[i]!), ctx, true);
      if (!line) continue;
      line.app = app;
      out.push(line);
    }
    // The log's continuity saw only the lines that could hold an event: it learns where the run ended.
    if (count) focus.continuity.seen(time[count - 1]!, bytes.toString('utf8', start[count - 1]!, end[count - 1]!));
    this.stats.lines += count;
    if (appLine) this.nudgePoll();
    this.raw.write(bytes);
    if (firstKept) this.o.onLinesSkipped?.(firstKept);
    if (out.length) this.o.onLines(out);
    return true;
  }

  /**
   * Every line of a chunk: the raw log gets them in ONE write (per-line writes were a third of the cost),
   * then each is parsed by position, offered to the extractors only if its tag or text can hold an event,
   * and handed to the UI.
   */
  private ingest(rawLines: string[], bytes: Buffer | null): void {
    if (!rawLines.length) return;
    const out: MonitoredLine[] = [];
    // One test over the chunk's bytes instead of one per line; when no line is left out (a \r, a buffer banner
    // or a repeat after a reconnect switches to line by line) the raw log gets those bytes as they came.
    const clean = bytes !== null && !hasControlBytes(bytes);
    let kept: string[] | null = clean ? null : [];
    for (let i = 0; i < rawLines.length; i++) {
      const rawLine = rawLines[i]!;
      if (!rawLine || rawLine.startsWith('--------- beginning of')) {
        // Left out of the raw log and the count as before; the reader still sees a blank line (it ends a `-v long` record).
        if (!rawLine) this.reader.read(rawLine, true);
        kept ??= rawLines.slice(0, i);
        continue;
      }
      const read = this.reader.read(rawLine, clean);
      const line = typeof read === 'object' ? read : null;
      // A line without a time (brief, tag) cannot be a repeat of one seen: it is taken as it comes.
      if (line && line.timeKnown !== false) {
        // Resume after a reconnect: logcat -T repeats lines at and after the last time; skip those seen. (Only
        // then: a clock that goes back otherwise — a phone printing in another zone than asked, a reboot's
        // clock — is the phone's log all the same, and was lost.)
        if (this.resume && (line.time < this.resume.time || (line.time === this.resume.time && this.resume.skip > 0))) {
          if (this.resume && line.time === this.resume.time) this.resume.skip--;
          kept ??= rawLines.slice(0, i);
          continue;
        }
        if (this.resume && line.time > this.resume.time) this.resume = null;
        if (line.time !== this.lastTime) {
          this.lastTime = line.time;
          this.linesAtLastTime = 0;
        }
        this.linesAtLastTime++;
      }
      kept?.push(rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine);
      this.stats.lines++;
      if (!line) continue;
      for (const e of this.focus.observe(line)) this.emitExtracted(e, line);
      const app = this.focus.belongs(line);
      line.app = app;
      out.push(line);
      if (app && this.o.packageName) this.nudgePoll();
    }
    if (!kept) this.raw.write(bytes!);
    else if (kept.length) this.raw.write(kept.join('\n') + '\n');
    if (out.length) this.o.onLines(out);
  }

  private schedulePoll(delay: number): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.nextPollAt = Date.now() + delay;
    this.pollTimer = setTimeout(() => void this.poll(), delay);
  }

  /**
   * The app just logged something: what it touched shows in the next dump, so take it soon rather than at
   * the next regular tick — but never more often than every 250 ms.
   */
  private nudgePoll(): void {
    if (!this.connected || this.stopped) return;
    // A poll in flight may have dumped before the app touched anything: the next one must come soon, not at
    // the regular interval (which grows to twice a slow poll). Missing this was a timing-dependent delay of
    // seconds on a busy machine.
    if (!this.pollTimer) {
      this.nudgedDuringPoll = true;
      return;
    }
    const soon = Math.max(Date.now() + 150, this.lastPollAt + 250);
    if (this.nextPollAt > soon + 50) this.schedulePoll(soon - Date.now());
  }

  /** One shell round trip per tick; the next tick waits at least twice as long as this one took. */
  private async poll(): Promise<void> {
    this.pollTimer = null;
    if (this.stopped || !this.connected) return this.releasePollWaiters();
    // Those who asked before this poll began are answered when it is done, whatever its outcome.
    const waiters = this.pollWaiters.splice(0);
    try {
      await this.pollOnce();
    } finally {
      this.releasePollWaiters(waiters);
    }
  }

  private async pollOnce(): Promise<void> {
    this.lastPollAt = Date.now();
    const pkg = this.o.packageName;
    const parts = [
      pkg ? `dumpsys appops --package ${shellCommand([pkg])}` : 'true', `echo ${SEP}`,
      pkg ? `dumpsys package ${shellCommand([pkg])} | grep -E 'userId=|runtime permissions:|granted='` : 'true', `echo ${SEP}`,
      "dumpsys activity activities | grep -E 'ResumedActivity'", `echo ${SEP}`,
      "dumpsys power | grep -E 'mWakefulness=|Display Power'", `echo ${SEP}`,
      'date +%s.%N',
    ];
    const started = Date.now();
    let out: string;
    try {
      out = await this.o.bridge.shell(this.o.serial, parts.join('; '), 15_000);
    } catch {
      if (!this.stopped && this.connected) this.schedulePoll(2000);
      return;
    }
    const took = Date.now() - started;
    this.stats.polls++;
    this.stats.lastPollMs = took;
    // Everything the dumps say reaches the UI, the CLI and the timeline: no control sequences in any of it.
    const [ops = '', perms = '', activity = '', power = '', date = ''] = stripTerminalControls(out).split(SEP + '\n');
    const now = this.clockRead(date, started);
    const first = this.foreground === undefined;
    if (pkg) {
      this.diffAppOps(ops, pkg, now, first);
      this.diffPermissions(perms, first);
    }
    const resumed = parseResumedActivity(activity);
    if (resumed !== this.foreground) {
      this.foreground = resumed;
      if (resumed) this.emit({ type: 'app.foreground', component: resumed, packageName: resumed.split('/')[0]! }, 'activity', [activity.trim()], now);
    }
    const on = parseScreenOn(power);
    if (on !== null && on !== this.screenOn) {
      this.screenOn = on;
      this.emit({ type: 'screen.state', on }, 'power', [power.trim()], now);
    }
    if (!this.stopped && this.connected) {
      const nudged = this.nudgedDuringPoll;
      this.nudgedDuringPoll = false;
      this.schedulePoll(nudged ? Math.max(0, this.lastPollAt + 250 - Date.now()) : Math.max(this.o.minIntervalMs ?? 1000, took * 2));
    }
  }

  private diffAppOps(dump: string, pkg: string, deviceNow: number | null, first: boolean): void {
    const { entries } = parseAppOps(dump, pkg);
    for (const e of entries) {
      const key = `${e.op}|${e.kind}|${e.uidState}|${e.flags}`;
      if (this.appOps.get(key) === e.printed) continue;
      this.appOps.set(key, e.printed);
      const accessTime = deviceNow !== null && e.relativeMs !== null ? deviceNow + e.relativeMs : null;
      // The first dump also holds history: only accesses of the last seconds are news.
      if (first && (e.relativeMs === null || e.relativeMs < -RECENT_MS)) continue;
      const raw = dump.split('\n').filter((l) => l.includes(`${e.op} (`) || (e.printed && l.includes(e.printed)));
      this.emit({ type: e.kind === 'access' ? 'appop.access' : 'appop.reject', op: e.op, uidState: e.uidState, flags: e.flags, accessTime, packageName: pkg }, 'appops', raw, accessTime ?? deviceNow);
    }
  }

  private diffPermissions(dump: string, first: boolean): void {
    const { uid, permissions } = parseRuntimePermissions(dump);
    if (uid !== null) this.focus.uid = uid;
    for (const p of permissions) {
      const state = `${p.granted}|${p.flags.join('|')}`;
      const before = this.permissions.get(p.permission);
      this.permissions.set(p.permission, state);
      if (first || before === undefined || before === state) continue;
      const wasGranted = before.startsWith('true');
      const change = p.granted && !wasGranted ? 'granted' : !p.granted && wasGranted ? 'revoked' : 'flags';
      this.emit({ type: 'permission.state', permission: p.permission, granted: p.granted, flags: p.flags, change, packageName: this.o.packageName }, 'package', [dump.split('\n').find((l) => l.includes(`${p.permission}:`))?.trim() ?? ''], this.deviceNow());
    }
  }
}
