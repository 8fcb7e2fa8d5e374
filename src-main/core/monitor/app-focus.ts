/**
 * Following one app through a log: its uid and live pids (from process starts and deaths, or told by the
 * poller), which lines belong to it, and which extracted events concern it — including processes it started
 * in other packages (associated start) and identifier accesses logged twice. Shared by the live monitor
 * and by replays of logs captured elsewhere.
 */
import type { LogLine } from './log-line.js';
import { extract, type Extracted } from './extractors.js';

export class AppFocus {
  uid: number | null = null;
  readonly pids = new Set<number>();
  private recentIntents: Array<{ at: number; text: string }> = [];
  private lastIdentifier = new Map<string, number>();
  /** Starts and deaths appear twice (system and events buffers): pid → time of the last one reported. */
  private lastLifecycle = new Map<string, number>();

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

  /** The event this line shows, if it concerns the focused app (or any app when there is no focus). */
  observe(line: LogLine): Extracted | null {
    const pkg = this.packageName;
    if ((line.tag === 'ActivityManager' || line.tag === 'ActivityTaskManager') && /callingPackage|START u\d+ \{/.test(line.message)) {
      this.recentIntents.push({ at: line.time, text: line.message });
      // Older than 2 s, or later than this line (the clock went back: a reboot, captures appended — kept, they
      // were never let go, and every start searched them all).
      const t = line.time;
      while (this.recentIntents.length && (this.recentIntents[0]!.at < t - 2000 || this.recentIntents[0]!.at > t || this.recentIntents.length > 512)) this.recentIntents.shift();
    }
    const e = extract(line);
    if (!e) return null;
    if (e.type === 'process.start') {
      if (pkg && e.packageName === pkg) {
        this.pids.add(e.pid);
        // `/u0a234` in the start line is uid 10234: learn it when no dump told us.
        const u = /\/u0a(\d+) for /.exec(line.message);
        if (u && this.uid === null) this.uid = 10000 + Number(u[1]);
      }
      const target = e.component.split('/')[0]!;
      // The permission dialog is started on the app's behalf; that is not the app starting another app.
      const isController = /permissioncontroller|packageinstaller/.test(target);
      const intent = isController ? undefined : [...this.recentIntents].reverse().find((r) => r.text.includes(`cmp=${target}/`));
      const caller = intent ? (/callingPackage: ([\w.]+)/.exec(intent.text)?.[1] ?? (this.uid !== null && intent.text.endsWith(`from uid ${this.uid}`) ? pkg : null)) : null;
      if (caller && caller !== target) e.caller = caller;
    }
    if (e.type === 'process.start' || e.type === 'process.death') {
      const key = `${e.type}:${e.pid}`;
      const last = this.lastLifecycle.get(key);
      this.lastLifecycle.set(key, line.time);
      if (this.lastLifecycle.size > 4096) this.lastLifecycle.clear();
      if (last !== undefined && Math.abs(line.time - last) < 2000) return null;
    }
    if (e.type === 'process.death') this.pids.delete(e.pid);
    if ((e.type === 'permission.dialog' || e.type === 'identifier.access') && this.uid !== null && e.uid === this.uid) e.packageName = pkg;
    if (e.type === 'identifier.access') {
      // One access is often logged twice (TelephonyPermissions, then the SecurityException): report it once.
      // Per app: another app's accesses (a flood of them) must not hide this app's.
      const key = `${e.method}|${e.packageName ?? `uid ${e.uid}`}`;
      const last = this.lastIdentifier.get(key);
      this.lastIdentifier.set(key, line.time);
      if (this.lastIdentifier.size > 4096) this.lastIdentifier.clear();
      if (last !== undefined && line.time - last < 1000) return null;
    }
    if (!pkg) return e;
    if (e.type === 'intent.start') {
      if (this.uid !== null && e.callerUid === this.uid && !e.callerPackage) e.callerPackage = pkg;
      return e.target === pkg || e.callerPackage === pkg ? e : null;
    }
    if (e.type === 'package.installed' && e.installer === pkg) return e;
    if (e.packageName === pkg || (e.type === 'process.start' && e.caller === pkg)) return e;
    return 'uid' in e && this.uid !== null && e.uid === this.uid ? e : null;
  }
}
