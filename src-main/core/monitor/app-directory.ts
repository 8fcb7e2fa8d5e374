/**
 * Which app a uid, a pid or a process name belongs to, so an event that names only one of them (`getConnectionInfo
 * uid=10207`, `Fatal signal 6 … pid 3387 (droid.bluetooth)`, `Process com.google.process.gservices … has died`)
 * names the package. Live, the phone's own list (`pm list packages -U`) fills it; on replay, the log itself does:
 * the uids and pids its start lines, chatty lines, crash headers and service lines name. Bounded: a log naming a
 * million pids costs a few thousand entries, never more.
 */

/** Shared process names of well-known packages: the process name alone does not say whose it is. */
const SHARED_PROCESSES: Record<string, string> = {
  'android.process.acore': 'com.android.providers.contacts',
  'android.process.media': 'com.android.providers.media',
  'com.google.process.gservices': 'com.google.android.gsf',
  'com.google.process.location': 'com.google.android.gms',
};

const PACKAGE = /^[a-zA-Z][\w]*(\.[a-zA-Z_][\w]*)+$/;
const MAX_ENTRIES = 8192;
/**
 * Longer names are no app's (Android caps package names far below this): a hostile line's 64 KB "process" is
 * neither kept (8192 of them would be half a gigabyte) nor searched.
 */
const MAX_NAME = 256;
const named = (s: string | null | undefined): s is string => !!s && s.length <= MAX_NAME;

const isolated = (uid: number): boolean => uid % 100_000 >= 99_000;

/** `u0a312` → 10312, `u10a5` → 1010005, `1000` → 1000; isolated (`u0a178i7`, `u0i5`) → null: not an app's own uid. */
export function uidFromName(name: string): number | null {
  if (/^\d+$/.test(name)) return Number(name);
  const m = /^u(\d+)a(\d+)$/.exec(name);
  return m ? Number(m[1]) * 100_000 + 10_000 + Number(m[2]) : null;
}

/** A map that forgets everything once it is full (cheaper than an LRU, and a log rarely comes near it). */
class Bounded<K, V> extends Map<K, V> {
  override set(k: K, v: V): this {
    if (this.size >= MAX_ENTRIES && !this.has(k)) this.clear();
    return super.set(k, v);
  }
}

export class AppDirectory {
  private byUid = new Bounded<number, string>();
  private byPid = new Bounded<number, string>();
  private processOfPid = new Bounded<number, string>();
  private byProcess = new Bounded<string, string>();
  /** Packages the phone's list or the log named (for the native crash's cut process name). */
  private packages = new Bounded<string, true>();
  /** The phone's list, when there is one: the authority over what the log says. */
  private listed = new Set<number>();

  /**
   * `pm list packages -U` output: `package:com.x uid:10123` (several profiles: `uid:10123,1010123`). A uid several
   * packages share (`android.uid.system`, a sharedUserId) names none of them. Returns how many packages it listed.
   */
  loadPackageList(text: string): number {
    const owners = new Map<number, string | null>();
    let n = 0;
    for (const m of text.matchAll(/^package:(\S+?)\s+uid:([\d,]+)/gm)) {
      const pkg = m[1]!;
      if (!PACKAGE.test(pkg) || n >= MAX_ENTRIES) continue;
      this.packages.set(pkg, true);
      for (const u of m[2]!.split(',')) {
        const uid = Number(u);
        if (!Number.isSafeInteger(uid) || !u) continue;
        owners.set(uid, owners.has(uid) && owners.get(uid) !== pkg ? null : pkg);
      }
      n++;
    }
    if (!n) return 0;
    for (const uid of this.listed) this.byUid.delete(uid);
    this.listed.clear();
    for (const [uid, pkg] of owners) {
      this.listed.add(uid);
      if (pkg) this.byUid.set(uid, pkg);
      else this.byUid.delete(uid);
    }
    return n;
  }

  /** The log said uid → package. Only app uids (system uids are shared by many packages); the phone's list wins. */
  learnUid(uid: number | null, pkg: string | null | undefined): void {
    // Isolated uids (99000-99999 per user: sandboxed renderers) are lent to whichever app asks next.
    if (uid === null || !named(pkg) || uid < 10_000 || isolated(uid) || !PACKAGE.test(pkg) || this.listed.has(uid)) return;
    this.byUid.set(uid, pkg);
    this.packages.set(pkg, true);
  }

  learnPid(pid: number | null, pkg: string | null | undefined, process?: string | null): void {
    if (!pid || pid <= 0) return;
    if (named(pkg) && PACKAGE.test(pkg)) {
      this.byPid.set(pid, pkg);
      this.packages.set(pkg, true);
    }
    if (named(process)) this.processOfPid.set(pid, process);
  }

  /** A process started for a component of `pkg` (a custom or shared process name) belongs to `pkg`. */
  learnProcess(process: string, pkg: string | null | undefined): void {
    if (!named(pkg) || !named(process) || !PACKAGE.test(pkg)) return;
    this.packages.set(pkg, true);
    if (process !== pkg) this.byProcess.set(process, pkg);
  }

  knowsPackage(pkg: string): boolean {
    return this.packages.has(pkg);
  }

  packageOfUid(uid: number | null | undefined): string | null {
    return uid === null || uid === undefined ? null : (this.byUid.get(uid) ?? null);
  }

  packageOfPid(pid: number | null | undefined): string | null {
    return pid ? (this.byPid.get(pid) ?? null) : null;
  }

  processOf(pid: number | null | undefined): string | null {
    return pid ? (this.processOfPid.get(pid) ?? null) : null;
  }

  /**
   * The package a process name belongs to: learned from a start line, a well-known shared name, the part before
   * `:` (`com.x:push`), or a known package it extends (`com.google.android.gms.persistent`); else the name itself.
   */
  packageOfProcess(process: string): string {
    const base = process.split(':', 1)[0]!;
    if (!named(process)) return base;
    const learned = this.byProcess.get(process) ?? SHARED_PROCESSES[process];
    if (learned) return learned;
    if (this.packages.has(base)) return base;
    for (let i = base.lastIndexOf('.'); i > 0; i = base.lastIndexOf('.', i - 1)) {
      const prefix = base.slice(0, i);
      if (prefix.includes('.') && this.packages.has(prefix)) return prefix;
    }
    return base;
  }

  /**
   * The package whose process name ends with `tail` (the kernel keeps 15 characters: `droid.bluetooth`), if
   * exactly one known process or package does.
   */
  packageOfCutName(tail: string): string | null {
    if (!tail || !named(tail)) return null;
    const hits = new Set<string>();
    for (const p of this.packages.keys()) if (p.endsWith(tail)) hits.add(p);
    for (const [proc, pkg] of this.byProcess) if (proc.endsWith(tail)) hits.add(pkg);
    for (const proc of this.processOfPid.values()) if (proc.endsWith(tail)) hits.add(this.packageOfProcess(proc));
    return hits.size === 1 ? [...hits][0]! : null;
  }
}
