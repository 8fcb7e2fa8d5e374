/**
 * `adb bugreport` text: a `== dumpstate: 2024-05-01 10:11:12` header (the phone's local time when it was
 * taken), `Build fingerprint: '…'`, then sections `------ NAME (command) ------` … `------ 0.3s was the duration
 * of 'NAME' ------`. Only sections whose command is `logcat …` (SYSTEM LOG, EVENT LOG, RADIO LOG, LAST LOGCAT…)
 * hold log lines; every other section (dumpsys, /proc, getprop…) is the bugreport's, not the log's, and is
 * skipped — but for `[persist.sys.timezone]`, the phone's zone.
 */

export type BugreportLine =
  | { kind: 'dumpstate'; year: number; month: number; day: number; h: number; m: number; s: number }
  | { kind: 'fingerprint'; value: string }
  | { kind: 'section'; name: string; command: string | null; log: boolean }
  | { kind: 'section-end' }
  | { kind: 'timezone'; zone: string }
  | { kind: 'rule' };

const DUMPSTATE = /^== dumpstate: (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\s*$/;
const SECTION = /^------ (.*?)(?: \((.*)\))? ------$/;
const DURATION = /^------ [\d.]+s was the duration of '.*' ------$/;
const FINGERPRINT = /^Build fingerprint: '([^']*)'/;
const TIMEZONE = /^\[persist\.sys\.timezone\]: \[([\w/+-]+)\]$/;

/** What a line of a bugreport's frame says, or null for any other line. Cheap to call on every line. */
export function bugreportLine(line: string): BugreportLine | null {
  const c = line.charCodeAt(0);
  if (c === 61 /* = */) {
    if (/^=+$/.test(line)) return { kind: 'rule' };
    const d = DUMPSTATE.exec(line);
    return d ? { kind: 'dumpstate', year: +d[1]!, month: +d[2]!, day: +d[3]!, h: +d[4]!, m: +d[5]!, s: +d[6]! } : null;
  }
  if (c === 45 /* - */ && line.startsWith('------ ')) {
    if (DURATION.test(line)) return { kind: 'section-end' };
    const s = SECTION.exec(line);
    if (s) return { kind: 'section', name: s[1]!, command: s[2] ?? null, log: /^logcat\b/.test(s[2] ?? '') };
    return null;
  }
  if (c === 66 /* B */) {
    const f = FINGERPRINT.exec(line);
    return f ? { kind: 'fingerprint', value: f[1]! } : null;
  }
  if (c === 91 /* [ */) {
    const z = TIMEZONE.exec(line);
    return z ? { kind: 'timezone', zone: z[1]! } : null;
  }
  return null;
}
