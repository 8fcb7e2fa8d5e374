/**
 * Processes and the foreground app of the simulated phone. When processes start and die it prints what the
 * ROM profile's system prints (ActivityManager and events-buffer lines, vendor killers). It decides the uid state
 * (top, bg, cch) that app-op accesses are recorded with.
 */
import type { UidState } from './app-ops.js';
import { SYSTEM_SERVER_PID, type DeathState, type StartCaller, type SystemLine, type SystemLines } from '../rom/system-lines.js';

export interface ProcessRecord {
  pid: number;
  uid: number;
  name: string;
  packageName: string;
  startedAt: number;
  backgroundSince: number | null;
}

export { SYSTEM_SERVER_PID };
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

  constructor(private print: (lines: SystemLine[]) => void, private lines: SystemLines, private now: () => number) {
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

  /** Starts the package's process if it is not running; logs `Start proc` and `am_proc_start` (and the caller, where the ROM names it). */
  ensureProcess(pkg: string, uid: number, hostingType: string, component: string, caller: StartCaller | null = null): { proc: ProcessRecord; started: boolean } {
    const existing = this.processOf(pkg);
    if (existing) return { proc: existing, started: false };
    const pid = this.nextPid;
    this.nextPid += 7 + (this.nextPid % 5);
    const proc: ProcessRecord = { pid, uid, name: pkg, packageName: pkg, startedAt: this.now(), backgroundSince: this.now() };
    this.processes.set(pid, proc);
    this.print(this.lines.processStart({ pid, uid, process: pkg, hostingType, component, caller }));
    return { proc, started: true };
  }

  /** An app's named sub-process (an SDK's ":pushcore") starts: logged as Android logs it, not tracked (it dies with the app). */
  startSubProcess(pkg: string, uid: number, suffix: string, hostingType: string, component: string, caller: StartCaller | null = null): void {
    const pid = this.nextPid;
    this.nextPid += 7 + (this.nextPid % 5);
    this.print(this.lines.processStart({ pid, uid, process: pkg + suffix, hostingType, component, caller }));
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

  /**
   * The process dies (exit, crash, kill); logs the death lines. `empty`: the system reclaims an idle background
   * process (AOSP's `Killing … empty`, or the vendor's killer) before it dies.
   */
  kill(pkg: string, reason: 'died' | 'force-stop' | 'permissions revoked' | 'empty'): ProcessRecord | undefined {
    const proc = this.processOf(pkg);
    if (!proc) return undefined;
    const state: DeathState = this.foreground === pkg ? 'fore' : proc.backgroundSince !== null && this.now() - proc.backgroundSince >= CACHED_AFTER_MS ? 'cached' : 'prev';
    const who = { pid: proc.pid, process: pkg, uid: proc.uid };
    if (reason === 'force-stop') this.print(this.lines.forceStop({ ...who, packageName: pkg, fromPid: 4321 }));
    if (reason === 'permissions revoked') this.print(this.lines.killed({ ...who, adj: 0, reason: 'permissions revoked' }));
    if (reason === 'empty') this.print(this.lines.emptyKill(who));
    this.print(this.lines.processDied({ pid: proc.pid, process: pkg, state }));
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
