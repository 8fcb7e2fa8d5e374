/**
 * Extractors: pure functions from one parsed log line to the events it shows — permission dialogs and answers,
 * package installs, updates and removals, identifier-access attempts, intent starts — and the dispatch over
 * every extractor by tag (lifecycle, crashes, refused starts, sensitive reads and log gaps live in their own
 * modules). Formats follow AOSP (Android 4 to 16) and the vendor variants of the real-logcat corpus; see
 * shared/reference/android-signals.md.
 */
import { GRANT_RESULT_NAMES, type MonitorEventBody } from '../../../src-preload/monitor-events.js';
import type { LogLine } from './log-line.js';
import { appDisplayed, processDeath, processKilled, processStart, studioMarker } from './lifecycle-extractors.js';
import { APP_SIDE_MARKS, appSideAccess, sensitiveAccess } from './access-extractors.js';
import { BACKGROUND_START_MARK, packageUpdated, startBlocked, awareAppStart } from './start-extractors.js';
import { chattyGap } from './log-gaps.js';
import { CrashReader } from './crash-reader.js';

/**
 * An event as an extractor reads it: its body and the package it concerns. `raw`/`time`: the lines and time of
 * an event read over several lines (a crash); otherwise the line being read gives both.
 */
export type Extracted = MonitorEventBody & { packageName: string | null; raw?: string[]; time?: number };

const CONTROLLERS = /^(com\.(?:google\.)?android\.permissioncontroller|com\.android\.packageinstaller|com\.[\w.]*permission[\w.]*)$/;
export { processStart, processDeath };

/** `START u0 {act=android.content.pm.action.REQUEST_PERMISSIONS pkg=<controller> ...} from uid N` */
export function permissionDialog(l: LogLine): Extracted | null {
  if (l.tag !== 'ActivityTaskManager' && l.tag !== 'ActivityManager') return null;
  const m = /^START u\d+ \{act=android\.content\.pm\.action\.REQUEST_PERMISSIONS (?:pkg=(\S+) )?(?:cmp=(\S+) )?.*?\} .*?from uid (\d+)/.exec(l.message);
  if (!m) return null;
  const controller = m[1] ?? m[2]?.split('/')[0] ?? '';
  if (controller && !CONTROLLERS.test(controller)) return null;
  return { type: 'permission.dialog', uid: Number(m[3]), controller, packageName: null };
}

/** `Permission grant result requestId=... callingUid=N callingPackage=P permission=X isImplicit=B result=R` */
export function grantResult(l: LogLine): Extracted | null {
  if (l.tag !== 'GrantPermissionsActivity') return null;
  const m = /Permission grant result requestId=\S+ callingUid=(\d+) callingPackage=(\S+) permission=(\S+)(?: isImplicit=\w+)? result=(-?\d+)/.exec(l.message);
  if (!m) return null;
  const result = Number(m[4]);
  return {
    type: 'permission.result', uid: Number(m[1]), packageName: m[2]!, permission: m[3]!, result,
    resultName: GRANT_RESULT_NAMES[result] ?? `UNKNOWN_${result}`, granted: result === 4 || result === 5,
  };
}

/** Package added/removed as PackageManager and the installer session log them. */
export function packageChange(l: LogLine): Extracted | null {
  if (l.tag !== 'PackageManager' && l.tag !== 'PackageInstallerSession' && l.tag !== 'PackageInstaller') return null;
  let m = /^Package (\S+) installed(?:: .*?installer=(\S+))?/.exec(l.message) ?? /^installPackageLI: .*?pkg=(\S+)(?:.*?installer=(\S+))?/.exec(l.message);
  if (m) return { type: 'package.installed', packageName: m[1]!, installer: m[2] ?? null };
  m = /^(?:Package (\S+) removed|deletePackageX: pkg=(\S+))/.exec(l.message);
  if (m) return { type: 'package.removed', packageName: (m[1] ?? m[2])!, installer: null };
  return null;
}

/** An app asked for non-resettable identifiers (IMEI, IMSI, serial...) and was refused or logged. */
export function identifierAccess(l: LogLine): Extracted | null {
  let m = /^reportAccessDeniedToReadIdentifiers:([\w.]+):(\w+):/.exec(l.message);
  if (m && l.tag === 'TelephonyPermissions') return { type: 'identifier.access', method: m[2]!, uid: null, packageName: m[1]! };
  // The app's own SecurityException: logged by the process that tried, so its pid tells one process from another.
  // Android 10 says `The user N`, 11+ `The uid N`.
  m = /SecurityException: (\w+): The (?:uid|user) (\d+) does not meet the requirements to access device identifiers/.exec(l.message);
  if (m) return { type: 'identifier.access', method: m[1]!, uid: Number(m[2]), pid: l.pid, packageName: null };
  m = /^(\w+): The (?:uid|user) (\d+) does not meet the requirements to access device identifiers/.exec(l.message);
  if (m) return { type: 'identifier.access', method: m[1]!, uid: Number(m[2]), pid: l.pid, packageName: null };
  return null;
}

/**
 * A component started by an intent: `START u0 {... cmp=P/C ...} from uid N` (activities) and
 * `Background started FGS: Allowed [callingPackage: P; callingUid: N; intent: Intent { cmp=T/C }]` (services).
 * Associated starts are read from these: who started whom, warm or cold.
 */
export function intentStart(l: LogLine): Extracted | null {
  if (l.tag !== 'ActivityTaskManager' && l.tag !== 'ActivityManager') return null;
  let m = /^START u\d+ \{(.*?)\bcmp=([\w.$]+)\/[\w.$]+.*?\} .*?from uid (\d+)/.exec(l.message);
  if (m) {
    return { type: 'intent.start', callerUid: Number(m[3]), callerPackage: null, target: m[2]!, kind: 'activity', launcher: /category\.LAUNCHER/.test(m[1]!), packageName: m[2]! };
  }
  // Android 12-13: `…callingUid: N; intent: Intent { cmp=T/C }`; 14+: `…callingUid: N; uidState: TOP ; uidBFSL: [BFSL]; intent: …`;
  // the intent names its target by cmp= or, without a component, by pkg=. Disallowed: the start was refused.
  m = /started FGS: (\w+) \[callingPackage: ([\w.]+); callingUid: (\d+);(?: uidState: (\w+) ?;)?.*? intent: Intent \{([^}]*)\}/.exec(l.message);
  if (m) {
    const target = /\bcmp=([\w.$]+)\//.exec(m[5]!)?.[1] ?? /\bpkg=([\w.]+)/.exec(m[5]!)?.[1] ?? m[2]!;
    return { type: 'intent.start', callerUid: Number(m[3]), callerPackage: m[2]!, target, kind: 'service', launcher: false, allowed: m[1] !== 'Disallowed', uidState: m[4] ?? null, packageName: m[2]! };
  }
  return null;
}

type Extractor = (l: LogLine) => Extracted | null;

/**
 * The extractors that read each tag, in the order they are tried; the first that reads a line has it, except a
 * refused start, which may also be a look-up of an id provider (read by sensitiveAccess after it).
 */
const BY_TAG = new Map<string, Extractor[]>();
for (const [tags, fn] of [
  [['ActivityTaskManager', 'ActivityManager'], permissionDialog],
  [['GrantPermissionsActivity'], grantResult],
  [['ActivityManager', 'am_proc_start'], processStart],
  [['ActivityManager', 'am_proc_died'], processDeath],
  [['ActivityManager', 'am_kill', 'OsenseKillAction', 'PermissionControl'], processKilled],
  [['PackageManager', 'PackageInstallerSession', 'PackageInstaller'], packageChange],
  [['PackageManager'], packageUpdated],
  [['TelephonyPermissions'], identifierAccess],
  [['ActivityTaskManager', 'ActivityManager'], intentStart],
  [['ActivityManager', 'AutoStartManagerService', 'OplusAppStartupManager'], startBlocked],
  [['ActivityTaskManager', 'ActivityManager'], appDisplayed],
  [['ClipboardService', 'WifiService', 'LocationAccessPolicy', 'ActivityManager', 'ActivityTaskManager'], sensitiveAccess],
  [['chatty'], chattyGap],
  [['AndroidStudio'], studioMarker],
  [['AdvertisingIdClient'], sensitiveAccess],
  [['AwareLog'], awareAppStart],
] as Array<[string[], Extractor]>) {
  for (const t of tags) BY_TAG.set(t, [...(BY_TAG.get(t) ?? []), fn]);
}

/** The tags an event can come from (crashes included); any other line can hold an event only if it has one of EVENT_MARKS. */
export const EVENT_TAGS = new Set([...BY_TAG.keys(), ...CrashReader.TAGS]);

/** What an app's own identifier SecurityException says, whatever its tag. */
export const IDENTIFIER_MARK = 'device identifiers';

/** Phrases that make a line of any tag worth reading: an app's own refused read or start. */
export const EVENT_MARKS = [IDENTIFIER_MARK, BACKGROUND_START_MARK, ...APP_SIDE_MARKS];

/** Every event this one line shows by itself (crashes, read over several lines, are crash-reader.ts's). */
const NONE: readonly Extracted[] = Object.freeze([]);

export function extractAll(l: LogLine): readonly Extracted[] {
  const fns = BY_TAG.get(l.tag);
  if (fns) {
    let out: Extracted[] | null = null;
    for (const fn of fns) {
      const e = fn(l);
      if (!e) continue;
      (out ??= []).push(e);
      if (fn !== startBlocked) break;
    }
    if (out) return out;
  }
  // Most lines are other apps' chatter: a Map lookup and a few substring searches instead of every extractor's regexes.
  const msg = l.message;
  let e: Extracted | null = null;
  if (msg.includes(IDENTIFIER_MARK)) e = identifierAccess(l);
  else if (msg.includes(BACKGROUND_START_MARK)) e = startBlocked(l);
  else if (APP_SIDE_MARKS.some((m) => msg.includes(m))) e = appSideAccess(l);
  return e ? [e] : NONE;
}

/** The first event this line shows (the extractors' tests read one line at a time). */
export function extract(l: LogLine): Extracted | null {
  return extractAll(l)[0] ?? null;
}

/** An extracted event as a monitor reports it: its body, and its own lines and time (a crash's first line) or the line's. */
export function eventParts(e: Extracted, line: LogLine | null): { body: MonitorEventBody & { packageName: string | null }; raw: string[]; time: number | null } {
  // Most events are one line's: no copy of the body (replay makes a hundred thousand of them).
  if (e.raw === undefined && e.time === undefined) return { body: e, raw: line ? [line.raw] : [], time: line?.time ?? null };
  const { raw, time, ...body } = e;
  return { body: body as MonitorEventBody & { packageName: string | null }, raw: raw ?? (line ? [line.raw] : []), time: time ?? line?.time ?? null };
}
