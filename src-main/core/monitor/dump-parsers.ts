/**
 * Readers for the dumps the pollers take: `dumpsys appops --package P` (AOSP and Samsung layouts, the
 * `Reject:` line without a space), `dumpsys package P` runtime permission state, the resumed activity, and
 * screen power state. Tolerant: unknown lines are skipped.
 */
export interface AppOpEntry {
  op: string;
  mode: string;
  kind: 'access' | 'reject';
  uidState: string;
  flags: string;
  /** Absolute time printed by the dump (device-local clock), as text. */
  printed: string;
  /** The relative part `(-4h29m55s563ms)` in ms (negative: in the past), when present. */
  relativeMs: number | null;
}

/** `-22d4h22m19s762ms` / `+5m55s466ms` → milliseconds. */
export function parseDuration(s: string): number | null {
  if (s.trim() === '0') return 0;
  const m = /^([+-])?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(s.trim());
  if (!m || s.trim() === '' || s.trim() === '+' || s.trim() === '-') return null;
  const [, sign, d, h, mi, sec, ms] = m;
  const v = Number(d ?? 0) * 86_400_000 + Number(h ?? 0) * 3_600_000 + Number(mi ?? 0) * 60_000 + Number(sec ?? 0) * 1000 + Number(ms ?? 0);
  return sign === '-' ? -v : v;
}

export function parseAppOps(dump: string, packageName: string): { uidState: string | null; entries: AppOpEntry[] } {
  const entries: AppOpEntry[] = [];
  let uidState: string | null = null;
  let inPackage = false;
  let op: string | null = null;
  let mode = '';
  for (const line of dump.split('\n')) {
    const state = /^\s+state=(\w+)/.exec(line);
    if (state && uidState === null) uidState = state[1]!;
    const pkg = /^\s+Package (\S+):\s*$/.exec(line);
    if (pkg) {
      inPackage = pkg[1] === packageName;
      op = null;
      continue;
    }
    if (/^\s{0,4}Uid /.test(line)) inPackage = false;
    if (!inPackage) continue;
    const opLine = /^\s+([A-Z_0-9]+) \((\w+)(?: \/ \w+)?\):\s*$/.exec(line);
    if (opLine) {
      op = opLine[1]!;
      mode = opLine[2]!;
      continue;
    }
    // A zero duration prints as "(0)", without a sign (TimeUtils.formatDuration): an access dumped in the
    // millisecond it happened. Requiring a sign made it look like undated history, and it was never reported.
    const access = /^\s+(Access|Reject): \[([a-z]+)(?:-([a-z]+))?\]\s*(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})?\s*(?:\(([-+]?[^)]*)\))?/.exec(line);
    if (access && op) {
      entries.push({
        op, mode, kind: access[1] === 'Access' ? 'access' : 'reject', uidState: access[2]!, flags: access[3] ?? '',
        printed: access[4] ?? '', relativeMs: access[5] ? parseDuration(access[5]) : null,
      });
    }
  }
  return { uidState, entries };
}

export interface PermissionStateEntry {
  permission: string;
  granted: boolean;
  flags: string[];
}

/** The `runtime permissions:` block of `dumpsys package P` (user 0). */
export function parseRuntimePermissions(dump: string): { uid: number | null; permissions: PermissionStateEntry[] } {
  const uid = /^\s+userId=(\d+)/m.exec(dump);
  const permissions: PermissionStateEntry[] = [];
  let inRuntime = false;
  for (const line of dump.split('\n')) {
    if (/^\s+runtime permissions:\s*$/.test(line)) {
      inRuntime = true;
      continue;
    }
    if (!inRuntime) continue;
    const m = /^\s+([\w.]+): granted=(true|false)(?:, flags=\[ ?([^\]]*)\])?/.exec(line);
    if (!m) {
      if (line.trim() && !/^\s{8,}/.test(line)) inRuntime = false;
      continue;
    }
    permissions.push({ permission: m[1]!, granted: m[2] === 'true', flags: (m[3] ?? '').split('|').map((f) => f.trim()).filter(Boolean) });
  }
  return { uid: uid ? Number(uid[1]) : null, permissions };
}

/** `ResumedActivity: ActivityRecord{hash u0 pkg/.Cls t12}` (and mResumedActivity on older builds). */
export function parseResumedActivity(dump: string): string | null {
  const m = /ResumedActivity[:=] ?ActivityRecord\{\w+ u\d+ ([^\s}]+)/.exec(dump);
  return m ? m[1]! : null;
}

/** Screen on/off from `dumpsys power` (mWakefulness / Display Power / mScreenOn on old builds). */
export function parseScreenOn(dump: string): boolean | null {
  const w = /mWakefulness=(\w+)/.exec(dump);
  if (w) return w[1] === 'Awake';
  const d = /Display Power: state=(\w+)/.exec(dump);
  if (d) return d[1] === 'ON';
  const s = /mScreenOn=(true|false)/.exec(dump);
  return s ? s[1] === 'true' : null;
}
