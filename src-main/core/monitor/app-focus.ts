/**
 * Following apps through a log: every extracted event is given the package it concerns (through the app
 * directory: uids, pids and process names the log or the phone's package list named), lines logged twice are
 * reported once (the system and events buffers; the system's identifier report and the app's own exception),
 * crashes read over several lines and the log's own holes (chatty, a restarted logcat, the clock going back)
 * become events, and — with a focus — only what concerns the focused app is kept: its uid and live pids, the
 * processes it started in other packages (associated start). Shared by the live monitor and by replays.
 */
import type { LogLine } from './log-line.js';
import { extractAll, IDENTIFIER_MARK, type Extracted } from './extractors.js';
import { AppDirectory } from './app-directory.js';
import { CrashReader } from './crash-reader.js';
import { LogContinuity } from './log-gaps.js';
import { RecentIntents } from './recent-intents.js';

const PACKAGE = /^[a-zA-Z][\w]*(\.[a-zA-Z_][\w]*)+$/;
/** Tags of the events buffer: the same start, death, kill or crash as a system-buffer line, usually. */
const SECONDARY_TAGS = new Set(['am_proc_start', 'am_proc_died', 'am_kill', 'am_crash', 'am_anr']);
/** Two lines of one start, death, kill or crash are this close in time. */
const SAME_EVENT_MS = 2000;
/** How long an events-buffer line waits for its system-buffer twin (the line the tester reads) before it is reported. */
const SECONDARY_WAIT_MS = 1000;
/** What most lines give, without an array made for it. */
const NONE: Extracted[] = [];
/** The system's identifier report and the app's own exception for one access are this close. */
const IDENTIFIER_PAIR_MS = 1000;
/** LocationAccessPolicy's fine-then-coarse checks of one call are logged this close together. */
const LOCATION_CHECK_MS = 200;

interface IdentifierSeen {
  at: number;
  method: string;
  app: string;
  /** The process that tried, for the app's own lines; null for the system's report. */
  pid: number | null;
  pairable: boolean;
  paired: boolean;
}

export class AppFocus {
  uid: number | null = null;
  readonly pids = new Set<number>();
  readonly directory = new AppDirectory();
  readonly continuity = new LogContinuity();
  /** Told when a package was installed, updated or removed: the live monitor then reads the package list again. */
  onPackageChange: (() => void) | null = null;
  /** Told when a line names an app uid no one knows (an app installed without a log line, as `pm install` may be). */
  onUnknownUid: (() => void) | null = null;
  private crashes = new CrashReader();
  private recentIntents = new RecentIntents();
  private identifiers: IdentifierSeen[] = [];
  /** Lifecycle and crash events reported: key → time, so the second line of one is not reported again. */
  private lastLifecycle = new Map<string, number>();
  /**
   * A cell-info call LocationAccessPolicy let past its FINE check (`Allowing P fine because it doesn't target API
   * 29 yet`) waits for its COARSE check: a denial right after is the call's outcome (one refused read), none is an
   * allowed read (the coarse check logs nothing when it passes).
   */
  private locationCheck: { e: Extracted; line: LogLine } | null = null;
  /** Events-buffer lines waiting for their system-buffer twin. */
  private secondary: Array<{ key: string; at: number; e: Extracted; line: LogLine }> = [];

  constructor(readonly packageName: string | null) {}

  private uidMark: string | null = null;
  private uidMarkOf: number | null = null;

  belongs(line: LogLine): boolean {
    const pkg = this.packageName;
    if (!pkg || this.pids.has(line.pid) || line.message.includes(pkg)) return true;
    if (this.uid === null) return false;
    if (this.uidMarkOf !== this.uid) {
      this.uidMark = `uid ${this.uid}`;
      this.uidMarkOf = this.uid;
    }
    return line.message.includes(this.uidMark!);
  }

  /** A `--------- beginning of BUFFER` banner (the readers drop it before parsing; a repeated one is a restart). */
  banner(raw: string): void {
    this.continuity.banner(raw);
  }

  /**
   * Whether a line at `time` whose tag no event comes from and whose message holds none of the marks would show,
   * close and change nothing here but the continuity's clock (replay's byte path then passes over it).
   */
  quietAt(time: number): boolean {
    if (this.locationCheck || !this.crashes.idle || !this.continuity.quietAt(time)) return false;
    const s = this.secondary[0];
    return !s || !(time - s.at > SECONDARY_WAIT_MS || time < s.at - SAME_EVENT_MS);
  }

  /** The events this line shows (or completes), each for the focused app (or any app when there is no focus). */
  observe(line: LogLine): Extracted[] {
    const gap = this.continuity.line(line);
    const released = this.secondary.length ? this.releaseSecondary(line.time) : null;
    const intentLine = (line.tag === 'ActivityManager' || line.tag === 'ActivityTaskManager') && /callingPackage|START u\d+ \{/.test(line.message);
    // Huawei iAware's allowed start (`AppStart: req:S,alw:4[F],…,call:UID,PKG act:null,cmp:P/C`) names the caller
    // EMUI's Start proc line leaves out; it is kept in AOSP's words (`cmp=`, `callingPackage:`).
    const awareStart = !intentLine && line.tag === 'AwareLog' ? /^AppStart: .*\balw:[1-9]\d*.*\bcall:\d+,([\w.]+).*\bcmp:([\w.]+\/)/.exec(line.message) : null;
    if (intentLine || awareStart) {
      this.recentIntents.add({ at: line.time, text: awareStart ? `cmp=${awareStart[2]} callingPackage: ${awareStart[1]}` : line.message });
    }
    const crashes = this.crashes.observe(line, this.packageOfPid);
    let extracted = extractAll(line);
    let location: { e: Extracted; line: LogLine } | null = null;
    if (this.locationCheck && (line.tag !== 'LocationAccessPolicy' || Math.abs(line.time - this.locationCheck.line.time) > LOCATION_CHECK_MS)) {
      location = this.locationCheck;
      this.locationCheck = null;
    }
    if (line.tag === 'LocationAccessPolicy' && extracted.length) {
      const e = extracted[0]!;
      if (e.type === 'sensitive.access' && e.outcome === 'allowed') {
        if (this.locationCheck) location = this.locationCheck;
        this.locationCheck = { e, line };
        extracted = [];
      } else if (e.type === 'sensitive.access' && e.outcome === 'denied' && this.locationCheck?.e.packageName === e.packageName) {
        this.locationCheck = null;
      }
    }
    // The common case (a line that shows nothing) makes no array.
    if (!gap && !released && !crashes.length && !extracted.length && !location) return NONE;
    const out: Extracted[] = [];
    const take = (e: Extracted | null, l: LogLine, wasReleased: boolean): void => {
      const kept = e && this.accept(e, l, wasReleased);
      if (kept) out.push(kept);
    };
    take(gap, line, false);
    if (location) take(location.e, location.line, false);
    for (const s of released ?? []) take(s.e, s.line, true);
    for (const e of crashes) take(e, line, false);
    for (const e of extracted) take(e, line, false);
    return out;
  }

  private packageOfPid = (pid: number): string | null => this.directory.packageOfPid(pid);

  /** What is still open at the end of a log (or when a monitor stops): crashes, events-buffer lines, a restart. */
  flush(): Extracted[] {
    // Events-buffer lines were resolved when they came; a crash or a restart closed now is read for the first time.
    const found: Array<[Extracted, LogLine | null, boolean]> = this.secondary.splice(0).map((s): [Extracted, LogLine, boolean] => [s.e, s.line, true]);
    if (this.locationCheck) found.push([this.locationCheck.e, this.locationCheck.line, false]);
    this.locationCheck = null;
    for (const e of this.crashes.flush()) found.push([e, null, false]);
    for (const e of this.continuity.flush()) found.push([e, null, false]);
    return found.map(([e, l, released]) => this.accept(e, l, released)).filter((e): e is Extracted => !!e);
  }

  /** Events-buffer lines whose twin did not come in time: reported now (null: none). */
  private releaseSecondary(now: number): Array<{ e: Extracted; line: LogLine }> | null {
    let out: Array<{ e: Extracted; line: LogLine }> | null = null;
    while (this.secondary.length && (now - this.secondary[0]!.at > SECONDARY_WAIT_MS || now < this.secondary[0]!.at - SAME_EVENT_MS)) (out ??= []).push(this.secondary.shift()!);
    return out;
  }

  /**
   * Names the package of an event, drops the second line of one event, and applies the focus. `released`: an
   * events-buffer line or an open crash let out at the end, already waited for.
   */
  private accept(e: Extracted, line: LogLine | null, released = false): Extracted | null {
    // Resolved and tracked when first seen: which lines are the app's must not wait for an events-buffer line's release.
    if (!released) {
      this.resolve(e, line);
      this.track(e);
    }
    const at = e.time ?? line?.time ?? 0;
    const key = lifecycleKey(e);
    if (key) {
      const secondary = !!line && SECONDARY_TAGS.has(line.tag);
      const last = this.lastLifecycle.get(key);
      if (last !== undefined && Math.abs(at - last) < SAME_EVENT_MS) return null;
      if (secondary && !released) {
        // Reported later (or never): it keeps its own line and time.
        e.raw ??= [line!.raw];
        e.time ??= line!.time;
        if (this.secondary.length >= 256) this.secondary.shift();
        this.secondary.push({ key, at, e, line: line! });
        return null;
      }
      // The system-buffer line of an event whose events-buffer line is waiting: that one is not reported.
      const twin = this.secondary.findIndex((s) => s.key === key && Math.abs(s.at - at) < SAME_EVENT_MS);
      if (twin >= 0) this.secondary.splice(twin, 1);
      this.lastLifecycle.set(key, at);
      if (this.lastLifecycle.size > 4096) this.lastLifecycle.clear();
    }
    if (e.type === 'identifier.access' && !this.firstReport(e, at, !!line && line.message.includes(IDENTIFIER_MARK))) return null;
    return this.focused(e);
  }

  /** The focused app's pids and uid, and the phone's package list, as the event changes them. */
  private track(e: Extracted): void {
    if (e.type === 'process.start' && this.packageName && e.packageName === this.packageName) {
      this.pids.add(e.pid);
      if (this.uid === null && e.uid && e.uid >= 10_000) this.uid = e.uid;
    }
    if (e.type === 'process.death') this.pids.delete(e.pid);
    if ((e.type === 'package.installed' || e.type === 'package.removed' || e.type === 'package.updated') && this.onPackageChange) this.onPackageChange();
  }

  /** Whether the event concerns the focused app (every event does without a focus). */
  private focused(e: Extracted): Extracted | null {
    const pkg = this.packageName;
    if (!pkg) return e;
    if (e.type === 'intent.start') {
      if (this.uid !== null && e.callerUid === this.uid && !e.callerPackage) e.callerPackage = pkg;
      return e.target === pkg || e.callerPackage === pkg ? e : null;
    }
    if (e.type === 'start.blocked') return e.target === pkg || e.callerPackage === pkg ? e : null;
    // A hole in the system's lines (or a restarted logcat) hides this app's evidence too.
    if (e.type === 'log.gap') return e.packageName === pkg || e.packageName === null ? e : null;
    if (e.type === 'package.installed' && e.installer === pkg) return e;
    if (e.packageName === pkg || (e.type === 'process.start' && e.caller === pkg)) return e;
    return 'uid' in e && this.uid !== null && e.uid === this.uid ? e : null;
  }

  /**
   * One identifier access is logged twice — the system's report (TelephonyPermissions) and the app's own
   * SecurityException — and is reported once. Two processes of one app (an SDK's own process) are two
   * accesses: the app's lines are told apart by pid, never merged across processes.
   */
  private firstReport(e: Extracted & { type: 'identifier.access' }, at: number, pairable: boolean): boolean {
    this.identifiers = this.identifiers.filter((x) => at - x.at < IDENTIFIER_PAIR_MS && x.at - at < IDENTIFIER_PAIR_MS);
    const app = e.packageName ?? (e.uid !== null ? `uid ${e.uid}` : '?');
    const pid = e.pid ?? null;
    if (pid !== null) {
      if (this.identifiers.some((x) => x.pid === pid && x.method === e.method)) return false;
      const report = pairable ? this.identifiers.find((x) => x.pid === null && !x.paired && x.pairable && x.method === e.method && x.app === app) : undefined;
      if (report) {
        report.paired = true;
        return false;
      }
    } else {
      const own = this.identifiers.find((x) => x.pid !== null && !x.paired && x.pairable && x.method === e.method && x.app === app);
      if (own) {
        own.paired = true;
        return false;
      }
    }
    if (this.identifiers.length < 512) this.identifiers.push({ at, method: e.method, app, pid, pairable: pid === null || pairable, paired: false });
    return true;
  }

  /** Fills the event's package from what the directory knows, and teaches the directory what the event says. */
  private resolve(e: Extracted, line: LogLine | null): void {
    const d = this.directory;
    const uidPkg = (uid: number | null | undefined): string | null => {
      const pkg = (uid !== null && uid !== undefined && this.uid !== null && uid === this.uid ? this.packageName : null) ?? d.packageOfUid(uid);
      if (!pkg && uid !== null && uid !== undefined && uid % 100_000 >= 10_000 && uid % 100_000 < 20_000) this.onUnknownUid?.();
      return pkg;
    };
    const ofProcess = (process: string | null | undefined): string | null => {
      if (!process) return null;
      const p = d.packageOfProcess(process);
      return PACKAGE.test(p) ? p : null;
    };
    switch (e.type) {
      case 'process.start': {
        const owner = e.component.includes('/') ? e.component.split('/')[0]! : null;
        if (owner && e.process) d.learnProcess(e.process, owner);
        e.packageName ??= ofProcess(e.process) ?? uidPkg(e.uid);
        if (e.process && e.packageName && !owner) d.learnProcess(e.process, e.packageName);
        d.learnPid(e.pid, e.packageName, e.process || null);
        d.learnUid(e.uid ?? null, e.packageName);
        break;
      }
      case 'process.death':
      case 'process.killed': {
        // The extractor's guess (the part of the process name before `:`) gives way to what the log taught.
        const byPid = d.processOf(e.pid) === e.process || !e.process ? d.packageOfPid(e.pid) : null;
        e.packageName = byPid ?? ofProcess(e.process) ?? (e.type === 'process.killed' ? uidPkg(e.uid) : null) ?? e.packageName;
        // A process the log names is one a later native crash's cut name can be matched against.
        if (e.process && e.packageName) d.learnProcess(e.process, e.packageName);
        if (e.type === 'process.killed' && e.process === null) e.process = d.processOf(e.pid);
        break;
      }
      case 'app.crash': {
        const component = /\b([\w.]+)\/[\w.$]+/.exec(e.detail);
        if (e.crash === 'anr' && component && e.process) d.learnProcess(e.process, component[1]);
        // A native crash names the process by its last 15 characters (`droid.bluetooth`) unless the tombstone said it whole.
        const cut = e.crash === 'native' && !!e.process && e.process.length <= 15 && !e.process.includes(':') && !d.knowsPackage(e.process);
        e.packageName ??= (e.pid !== null ? d.packageOfPid(e.pid) : null) ?? (cut ? d.packageOfCutName(e.process!) : ofProcess(e.process));
        if (e.pid !== null) d.learnPid(e.pid, e.packageName, cut ? null : e.process);
        break;
      }
      case 'identifier.access':
        e.packageName ??= uidPkg(e.uid) ?? d.packageOfPid(e.pid);
        break;
      case 'sensitive.access':
        e.packageName ??= uidPkg(e.uid) ?? (line && e.uid === null ? d.packageOfPid(line.pid) : null);
        d.learnUid(e.uid, e.packageName);
        break;
      case 'start.blocked':
        if (!e.callerPackage && e.reason === 'app is in background' && line) e.callerPackage = d.packageOfPid(line.pid);
        e.packageName = e.callerPackage ?? e.target;
        if (e.blocker !== 'android' || e.callerPackage) d.learnUid(e.uid, e.callerPackage ?? e.target);
        if (line && e.callerPackage) {
          const pid = /from pid=(\d+)/.exec(line.message);
          if (pid) d.learnPid(Number(pid[1]), e.callerPackage);
        }
        break;
      case 'intent.start':
        if (e.callerPackage) d.learnUid(e.callerUid, e.callerPackage);
        else e.callerPackage = uidPkg(e.callerUid);
        break;
      case 'permission.dialog':
        e.packageName ??= uidPkg(e.uid);
        break;
      case 'permission.result':
        d.learnUid(e.uid, e.packageName);
        break;
      case 'log.gap':
        if (e.uid !== null && e.uid >= 10_000) {
          e.packageName ??= uidPkg(e.uid);
          if (line && e.packageName) d.learnPid(line.pid, e.packageName);
          d.learnUid(e.uid, e.packageName);
        }
        break;
      default:
        break;
    }
    if (e.type === 'process.start' && !e.caller) {
      const target = e.component.split('/')[0]!;
      // The permission dialog is started on the app's behalf; that is not the app starting another app.
      const isController = /permissioncontroller|packageinstaller/.test(target);
      const intent = isController || !target ? undefined : this.recentIntents.newestFor(target);
      const caller = intent ? (/callingPackage: ([\w.]+)/.exec(intent.text)?.[1] ?? (this.uid !== null && intent.text.endsWith(`from uid ${this.uid}`) ? this.packageName : null)) : null;
      if (caller && caller !== target) e.caller = caller;
    }
  }
}

/** Events two buffers both log, by what makes two lines one event. */
function lifecycleKey(e: Extracted): string | null {
  switch (e.type) {
    case 'process.start':
    case 'process.death':
    case 'process.killed':
      return `${e.type}:${e.pid}`;
    case 'app.crash':
      return e.pid === null ? null : `crash:${e.crash}:${e.pid}`;
    default:
      return null;
  }
}
