/**
 * Process lifecycle lines in the forms real phones print: starts (Android 4 to 16, the events buffer, sandboxed
 * and isolated processes, custom process names started for another package's component, `caller=`), deaths
 * (`has died`, `Got obituary`, `am_proc_died`) and kills (ActivityManager's `Killing`, `am_kill`, ColorOS's
 * OsenseKillAction, Flyme's PermissionControl). Pure functions of one line; which package a pid or a shared
 * process name belongs to is the app directory's business (app-focus.ts asks it).
 */
import type { LogLine } from './log-line.js';
import type { Extracted } from './extractors.js';
import { uidFromName } from './app-directory.js';

const ACTIVITY_HOSTING = new Set(['activity', 'top-activity', 'next-activity', 'next-top-activity']);
/** Hosting types of more than one word, and those followed by a package rather than a component. */
const HOSTING_TYPES = ['content provider', 'added application', 'start application', 'webview service', 'link fail', 'next-top-activity', 'next-activity', 'top-activity', 'bound-service', 'started-service'];
const PACKAGE = /^[a-zA-Z][\w]*(\.[a-zA-Z_][\w]*)+$/;
/** A line alone says only the process: its part before `:`, when that looks like a package (the focus knows better). */
const guess = (process: string | null): string | null => (process && PACKAGE.test(process.split(':')[0]!) ? process.split(':')[0]! : null);

/** `broadcast {p/.R}`, `activity p/.A`, `restart p`, `added application p`, `on-hold`, `` (cut off): hosting type and target. */
function hostingAndTarget(rest: string): { hostingType: string; component: string; named: string | null } {
  const text = rest.trim();
  // By position, not a pattern: a line of a thousand `{` must not cost a million steps.
  const open = text.indexOf('{');
  const close = open >= 0 ? text.indexOf('}', open) : -1;
  if (close > open) return { hostingType: text.slice(0, open).trim(), component: text.slice(open + 1, close).trim(), named: null };
  const multi = HOSTING_TYPES.find((h) => text === h || text.startsWith(h + ' '));
  const hostingType = multi ?? text.split(' ')[0] ?? '';
  const after = text.slice(hostingType.length).trim().split(' ')[0] ?? '';
  if (after.includes('/')) return { hostingType, component: after, named: null };
  return { hostingType, component: '', named: PACKAGE.test(after) ? after : null };
}

function startEvent(pid: number, process: string, uid: number | null, rest: string, caller: string | null): Extracted {
  const { hostingType, component, named } = hostingAndTarget(rest);
  const owner = component.includes('/') ? component.split('/')[0]! : named;
  const packageName = owner ?? (PACKAGE.test(process.split(':')[0]!) ? process.split(':')[0]! : null);
  return { type: 'process.start', pid, process, hostingType, component, selfStart: hostingType !== '' && !ACTIVITY_HOSTING.has(hostingType), caller, uid, packageName };
}

/**
 * `Start proc PID:PROCESS/UID for HOSTING {COMPONENT}` (10+), without braces (9 and older), with `caller=PKG`,
 * an isolated entry point in brackets (`[…RelroFileCreator] for null`), a hosting type cut off (`for `); the
 * pre-7 `Start proc PROCESS for HOSTING TARGET: pid=N uid=N gids=…`; `Start proc PID for …`; `am_proc_start`.
 */
export function processStart(l: LogLine): Extracted | null {
  if (l.tag === 'am_proc_start') {
    const m = /^\[\d+,(\d+),(\d+),([^,]+),([^,]*),\{?([^}\]]*)\}?\]$/.exec(l.message);
    if (!m) return null;
    const e = startEvent(Number(m[1]), m[3]!, Number(m[2]), `${m[4]} ${m[5]!.includes('/') || !m[5] ? `{${m[5]}}` : m[5]}`, null);
    return e;
  }
  if (l.tag !== 'ActivityManager' || !l.message.startsWith('Start proc ')) return null;
  const msg = l.message;
  let m = /^Start proc (\d+):([^/\s]+)\/(\S+)(?: \[[^\]]*\])? for ?(.*?)(?: caller=([\w.]+))?\s*$/.exec(msg);
  if (m) return startEvent(Number(m[1]), m[2]!, uidFromName(m[3]!), m[4]!, m[5] ?? null);
  m = /^Start proc (\S+) for (.+?): pid=(\d+) uid=(\d+)/.exec(msg);
  if (m) return startEvent(Number(m[3]), m[1]!, Number(m[4]), m[2]!, null);
  m = /^Start proc (\d+) for (.+)$/.exec(msg);
  if (m) return startEvent(Number(m[1]), '', null, m[2]!, null);
  return null;
}

/**
 * Android Studio's markers in a copy of its Logcat window (`---- PROCESS STARTED (8468) for package P ----`, read
 * by the format reader as tag `AndroidStudio`): a process of P started or ended; why, the marker does not say.
 */
export function studioMarker(l: LogLine): Extracted | null {
  const m = /^PROCESS (STARTED|ENDED) \((\d+)\) for package ([\w.]+)$/.exec(l.message);
  if (!m) return null;
  const pid = Number(m[2]);
  return m[1] === 'STARTED'
    ? { type: 'process.start', pid, process: m[3]!, hostingType: '', component: '', selfStart: false, caller: null, uid: null, packageName: m[3]! }
    : { type: 'process.death', pid, process: m[3]!, state: 'ended (Android Studio)', packageName: m[3]! };
}

/** `Process P (pid N) has died: STATE` (One UI appends `(adj,?)`), `… has died.` / `… has died`, `Got obituary of PID:PROC`, `am_proc_died`. */
export function processDeath(l: LogLine): Extracted | null {
  if (l.tag === 'ActivityManager') {
    let m = /^Process (\S+) \(pid (\d+)\) has died(?::\s*(.*?)|\.)?\s*$/.exec(l.message);
    if (m) return { type: 'process.death', pid: Number(m[2]), process: m[1]!, state: m[3] ?? '', packageName: guess(m[1]!) };
    m = /^Got obituary of (\d+):(\S+)$/.exec(l.message);
    if (m) return { type: 'process.death', pid: Number(m[1]), process: m[2]!, state: 'binder died', packageName: guess(m[2]!) };
    return null;
  }
  if (l.tag === 'am_proc_died') {
    const m = /^\[\d+,(\d+),([^,\]]+)/.exec(l.message);
    if (!m) return null;
    return { type: 'process.death', pid: Number(m[1]), process: m[2]!, state: '', packageName: guess(m[2]!) };
  }
  return null;
}

/** EMUI prefixes the process name with the user (`0:com.huawei.systemmanager`). */
const withoutUser = (process: string): string => process.replace(/^\d+:(?=[a-zA-Z])/, '');

/**
 * `Killing PID:PROC/UID (adj N): REASON` (and `Killing PID (adj N): REASON`), `am_kill [user,pid,proc,adj,reason]`,
 * ColorOS `KillAction: Kill ProcessInfo{PID:PROC/UID oom:…}: REASON Nms`, Flyme `Force kill process pid=N by AMS`.
 */
export function processKilled(l: LogLine): Extracted | null {
  const msg = l.message;
  if (l.tag === 'ActivityManager') {
    // One token `PROC/UID` split at its last slash (a pattern splitting it would backtrack over a line of slashes).
    const m = /^Killing (\d+)(?::(\S+))? \(adj (-?\d+)\): (.*)$/.exec(msg);
    if (!m) return null;
    const slash = m[2] ? m[2].lastIndexOf('/') : -1;
    if (m[2] && slash <= 0) return null;
    const process = m[2] ? withoutUser(m[2].slice(0, slash)) : null;
    return { type: 'process.killed', pid: Number(m[1]), process, uid: m[2] ? uidFromName(m[2].slice(slash + 1)) : null, adj: Number(m[3]), reason: m[4]!.trim(), killer: 'ActivityManager', packageName: guess(process) };
  }
  if (l.tag === 'am_kill') {
    const m = /^\[\d+,(\d+),([^,\]]+),(-?\d+),(.*?)(?:,-?\d+)*\]$/.exec(msg);
    if (!m) return null;
    return { type: 'process.killed', pid: Number(m[1]), process: m[2]!, uid: null, adj: Number(m[3]), reason: m[4]!.trim(), killer: 'am_kill', packageName: guess(m[2]!) };
  }
  if (l.tag === 'OsenseKillAction') {
    // `…Kill ProcessInfo{PID:PROC/UID oom:… extra:…}: REASON 2ms`, read by position around the braces.
    const open = msg.indexOf('Kill ProcessInfo{');
    const close = open >= 0 ? msg.indexOf('}', open) : -1;
    if (close < 0 || msg[close + 1] !== ':') return null;
    const m = /^(\d+):([^/\s]+)\/(\S+)/.exec(msg.slice(open + 17, close));
    if (!m) return null;
    const reason = msg.slice(close + 2).trim().replace(/\s\d+ms$/, '');
    return { type: 'process.killed', pid: Number(m[1]), process: m[2]!, uid: uidFromName(m[3]!), adj: null, reason, killer: 'ColorOS Osense', packageName: guess(m[2]!) };
  }
  if (l.tag === 'PermissionControl') {
    const m = /^Force kill process pid=(\d+)(?: by (\w+))?/.exec(msg);
    if (!m) return null;
    return { type: 'process.killed', pid: Number(m[1]), process: null, uid: null, adj: null, reason: `force kill${m[2] ? ` by ${m[2]}` : ''}`, killer: 'Flyme PermissionControl', packageName: null };
  }
  return null;
}

/** `Displayed PKG/.Act: +886ms`, `… for user 0: +166ms`, `… +1s199ms COLD`. */
export function appDisplayed(l: LogLine): Extracted | null {
  if (l.tag !== 'ActivityTaskManager' && l.tag !== 'ActivityManager') return null;
  const m = /^Displayed ([\w.$]+)\/([\w.$]+)(?: for user \d+)?: \+(?:(\d+)s)?(\d+)ms/.exec(l.message);
  if (!m) return null;
  return { type: 'app.displayed', component: `${m[1]}/${m[2]}`, ms: Number(m[3] ?? 0) * 1000 + Number(m[4]), packageName: m[1]! };
}
