/**
 * Extractors: pure functions from one parsed log line to the event it shows, if any — permission dialogs and
 * answers, process starts and deaths, package installs and removals, identifier-access attempts. Formats
 * follow AOSP (Android 9 and 10+) and vendor variants; see shared/reference/android-signals.md.
 */
import { GRANT_RESULT_NAMES, type MonitorEventBody } from '../../../src-preload/monitor-events.js';
import type { LogLine } from './log-line.js';

export type Extracted = MonitorEventBody & { packageName: string | null };

const CONTROLLERS = /^(com\.(?:google\.)?android\.permissioncontroller|com\.android\.packageinstaller|com\.[\w.]*permission[\w.]*)$/;
const ACTIVITY_HOSTING = new Set(['activity', 'top-activity', 'next-activity', 'next-top-activity']);

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

/** `Start proc PID:PROCESS/UID for HOSTING {COMPONENT}` (braces on 10+, none on 9) and `am_proc_start`. */
export function processStart(l: LogLine): Extracted | null {
  let pid: number, process: string, hostingType: string, component: string;
  if (l.tag === 'ActivityManager') {
    const m = /^Start proc (\d+):([^/\s]+)\/\S+ for (.+?) \{?([\w.$]+\/[\w.$]+)\}?(?: caller=(\S+))?\s*$/.exec(l.message);
    if (!m) return null;
    [pid, process, hostingType, component] = [Number(m[1]), m[2]!, m[3]!, m[4]!];
  } else if (l.tag === 'am_proc_start') {
    const m = /^\[\d+,(\d+),\d+,([^,]+),([^,]+),\{?([^}\]]+)\}?\]$/.exec(l.message);
    if (!m) return null;
    [pid, process, hostingType, component] = [Number(m[1]), m[2]!, m[3]!, m[4]!];
  } else return null;
  const packageName = process.split(':')[0]!;
  return { type: 'process.start', pid, process, hostingType, component, selfStart: !ACTIVITY_HOSTING.has(hostingType), caller: null, packageName };
}

/** `Process P (pid N) has died: STATE` (10+) or `Process P (pid N) has died.` (older) and `am_proc_died`. */
export function processDeath(l: LogLine): Extracted | null {
  if (l.tag === 'ActivityManager') {
    const m = /^Process (\S+) \(pid (\d+)\) has died(?::\s*(.*)|\.)?$/.exec(l.message);
    if (!m) return null;
    return { type: 'process.death', pid: Number(m[2]), process: m[1]!, state: m[3] ?? '', packageName: m[1]!.split(':')[0]! };
  }
  if (l.tag === 'am_proc_died') {
    const m = /^\[\d+,(\d+),([^,\]]+)/.exec(l.message);
    if (!m) return null;
    return { type: 'process.death', pid: Number(m[1]), process: m[2]!, state: '', packageName: m[2]!.split(':')[0]! };
  }
  return null;
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
  m = /SecurityException: (\w+): The uid (\d+) does not meet the requirements to access device identifiers/.exec(l.message);
  if (m) return { type: 'identifier.access', method: m[1]!, uid: Number(m[2]), packageName: null };
  m = /^(\w+): The uid (\d+) does not meet the requirements to access device identifiers/.exec(l.message);
  if (m) return { type: 'identifier.access', method: m[1]!, uid: Number(m[2]), packageName: null };
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
  m = /started FGS: \w+ \[callingPackage: ([\w.]+); callingUid: (\d+); intent: Intent \{ .*?cmp=([\w.$]+)\//.exec(l.message);
  if (m) return { type: 'intent.start', callerUid: Number(m[2]), callerPackage: m[1]!, target: m[3]!, kind: 'service', launcher: false, packageName: m[3]! };
  return null;
}

const EXTRACTORS = [permissionDialog, grantResult, processStart, processDeath, packageChange, identifierAccess, intentStart];
/** The tags an event can come from; any other line can only be an app's own identifier SecurityException. */
export const EVENT_TAGS = new Set(['ActivityTaskManager', 'ActivityManager', 'GrantPermissionsActivity', 'am_proc_start', 'am_proc_died', 'PackageManager', 'PackageInstallerSession', 'PackageInstaller', 'TelephonyPermissions']);

/** What an app's own identifier SecurityException says, whatever its tag. */
export const IDENTIFIER_MARK = 'device identifiers';

export function extract(l: LogLine): Extracted | null {
  // Most lines are other apps' chatter: a Set lookup and one substring search instead of every extractor's regexes.
  if (!EVENT_TAGS.has(l.tag)) return l.message.includes(IDENTIFIER_MARK) ? identifierAccess(l) : null;
  for (const fn of EXTRACTORS) {
    const e = fn(l);
    if (e) return e;
  }
  return null;
}
