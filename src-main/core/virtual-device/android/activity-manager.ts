/**
 * Processes and the foreground app of the simulated phone, with the ActivityManager / ActivityTaskManager
 * log lines (system and events buffers) that real phones print when processes start, die and activities
 * launch. It decides the uid state (top, bg, cch) that app-op accesses are recorded with.
 */
import type { LogBuffer } from './log-buffer.js';
import type { UidState } from './app-ops.js';

export interface ProcessRecord {
  pid: number;
  uid: number;
  name: string;
  packageName: string;
  startedAt: number;
  backgroundSince: number | null;
}

export const SYSTEM_SERVER_PID = 1234;
const CACHED_AFTER_MS = 60_000;

const BASE_PROCESSES: Array<[number, number, string]> = [
  [1, 0, 'init'], [312, 1036, 'logd'], [640, 0, 'zygote64'], [SYSTEM_SERVER_PID, 1000, 'system_server'],
  [1650, 10100, 'com.android.systemui'], [2010, 10101, 'com.android.launcher3'], [2480, 2000, 'adbd'],
];

export class ActivityManager {
  readonly processes = new Map<number, ProcessRecord>();
  /** The app whose activity is resumed (null: the launcher is showing). */
  foreground: string | null = null;
  screenOn = true;
  private nextPid = 4100;

  constructor(private log: LogBuffer, private now: () => number) {
    for (const [pid, uid, name] of BASE_PROCESSES) {
      this.processes.set(pid, { pid, uid, name, packageName: name, startedAt: now(), backgroundSince: null });
    }
  }

  processOf(pkg: string): ProcessRecord | undefined {
    for (const p of this.processes.values()) if (p.packageName === pkg && p.pid > 4000) return p;
    return undefined;
  }

  uidState(pkg: string): UidState {
    const proc = this.processOf(pkg);
    if (this.foreground === pkg && this.screenOn) return 'top';
    if (!proc || proc.backgroundSince === null) return 'bg';
    return this.now() - proc.backgroundSince >= CACHED_AFTER_MS ? 'cch' : 'bg';
  }

  private sys(tag: string, message: string, priority = 4): void {
    this.log.append({ pid: SYSTEM_SERVER_PID, tid: SYSTEM_SERVER_PID + 31, uid: 1000, priority, tag, message, buffer: 'system' });
  }

  private events(tag: string, message: string): void {
    this.log.append({ pid: SYSTEM_SERVER_PID, tid: SYSTEM_SERVER_PID + 31, uid: 1000, priority: 4, tag, message, buffer: 'events' });
  }

  /** Starts the package's process if it is not running; logs `Start proc` and `am_proc_start`. */
  ensureProcess(pkg: string, uid: number, hostingType: string, component: string): { proc: ProcessRecord; started: boolean } {
    const existing = this.processOf(pkg);
    if (existing) return { proc: existing, started: false };
    const pid = this.nextPid;
    this.nextPid += 7 + (this.nextPid % 5);
    const proc: ProcessRecord = { pid, uid, name: pkg, packageName: pkg, startedAt: this.now(), backgroundSince: this.now() };
    this.processes.set(pid, proc);
    this.sys('ActivityManager', `Start proc ${pid}:${pkg}/u0a${uid - 10000} for ${hostingType} {${component}}`);
    this.events('am_proc_start', `[0,${pid},${uid},${pkg},${hostingType},{${component}}]`);
    return { proc, started: true };
  }

  /** An app's named sub-process (an SDK's ":pushcore") starts: logged as Android logs it, not tracked (it dies with the app). */
  startSubProcess(pkg: string, uid: number, suffix: string, hostingType: string, component: string): void {
    const pid = this.nextPid;
    this.nextPid += 7 + (this.nextPid % 5);
    this.sys('ActivityManager', `Start proc ${pid}:${pkg}${suffix}/u0a${uid - 10000} for ${hostingType} {${component}}`);
    this.events('am_proc_start', `[0,${pid},${uid},${pkg}${suffix},${hostingType},{${component}}]`);
  }

  /** Logs the START line ActivityTaskManager prints for an intent sent by `fromUid`. */
  logStart(intent: string, fromUid: number): void {
    this.sys('ActivityTaskManager', `START u0 {${intent}} from uid ${fromUid}`);
  }

  setForeground(pkg: string | null): void {
    const prev = this.foreground;
    if (prev === pkg) return;
    if (prev) {
      const p = this.processOf(prev);
      if (p) p.backgroundSince = this.now();
    }
    this.foreground = pkg;
    if (pkg) {
      const p = this.processOf(pkg);
      if (p) p.backgroundSince = null;
    }
  }

  /** The process dies (exit, crash, kill); logs the real death lines. */
  kill(pkg: string, reason: 'died' | 'force-stop' | 'permissions revoked'): ProcessRecord | undefined {
    const proc = this.processOf(pkg);
    if (!proc) return undefined;
    const state = this.foreground === pkg ? 'fore TOP' : proc.backgroundSince !== null && this.now() - proc.backgroundSince >= CACHED_AFTER_MS ? 'cch+5 CEM' : 'prev LAST';
    if (reason === 'force-stop') {
      this.sys('ActivityManager', `Force stopping ${pkg} appid=${proc.uid} user=0: from pid 4321`);
      this.sys('ActivityManager', `Killing ${proc.pid}:${pkg}/u0a${proc.uid - 10000} (adj 0): stop ${pkg} due to from pid 4321`);
    }
    if (reason === 'permissions revoked') this.sys('ActivityManager', `Killing ${proc.pid}:${pkg}/u0a${proc.uid - 10000} (adj 0): permissions revoked`);
    this.sys('ActivityManager', `Process ${pkg} (pid ${proc.pid}) has died: ${state}`);
    this.events('am_proc_died', `[0,${proc.pid},${pkg},${state.startsWith('fore') ? 0 : 900},${state.startsWith('fore') ? 2 : 19}]`);
    this.processes.delete(proc.pid);
    if (this.foreground === pkg) this.foreground = null;
    return proc;
  }

  psLines(userOf: (uid: number) => string): string[] {
    return [...this.processes.values()].sort((a, b) => a.pid - b.pid).map((p) =>
      `${userOf(p.uid).padEnd(10)} ${String(p.pid).padStart(5)} ${String(p.pid === 1 ? 0 : 640).padStart(5)} ${String(4_000_000 + p.pid).padStart(8)} ${String(90_000 + p.pid).padStart(6)} 0                   0 S ${p.name}`);
  }
}

export function userName(uid: number): string {
  if (uid >= 10000) return `u0_a${uid - 10000}`;
  return ({ 0: 'root', 1000: 'system', 1001: 'radio', 1036: 'logd', 2000: 'shell' } as Record<number, string>)[uid] ?? String(uid);
}
