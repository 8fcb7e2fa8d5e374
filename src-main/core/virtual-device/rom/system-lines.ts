/**
 * How the phone's system prints what happens: one function per happening (an activity start, a process start or
 * death, a kill, a foreground-service start, an identifier read refused, a background start refused...) that
 * returns the log lines a real phone of one Android generation prints for it. A ROM profile takes one of these
 * AOSP printers and replaces the happenings its vendor prints differently (rom-profiles.ts).
 *
 * Every template names the real capture it follows: test/fixtures/real-logcat/NN-... (SOURCES.md names their
 * public sources) or a line found through the search index (its file id). `legacy` is what the virtual phone
 * printed before ROM profiles existed, unchanged, so the default phone and its tests stay as they were.
 */
import type { LogBufferName } from '../android/log-buffer.js';

export const SYSTEM_SERVER_PID = 1234;
/** com.android.phone (uid 1001), which logs TelephonyPermissions on real phones. */
export const PHONE_PROCESS_PID = 1980;

/** One line the system prints; pid defaults to system_server's, tid to the pid, uid to 1000, the buffer to `main`. */
export interface SystemLine {
  tag: string;
  message: string;
  priority: number;
  buffer?: LogBufferName;
  pid?: number;
  tid?: number;
  uid?: number;
}

/** Who asked for a process start, when an app did (an associated start, an app starting its own sub-process). */
export interface StartCaller {
  packageName: string;
  uid: number;
}

/** A process's importance when it dies, as `has died:` prints it (makeOomAdjString + makeProcStateString). */
export type DeathState = 'fore' | 'prev' | 'cached';

export interface SystemLines {
  /**
   * ActivityTaskManager's START line for an intent sent by `fromUid`, printed on the system_server binder thread
   * `tid` that served the call (a different one call to call, as in real logs: 06 prints START on 4194).
   */
  activityStart(a: { intent: string; fromUid: number; launchMode: 'LAUNCH_MULTIPLE' | 'LAUNCH_SINGLE_TOP' | 'LAUNCH_SINGLE_TASK'; bal: string; tid: number; binderThread?: boolean }): SystemLine[];
  displayed(a: { component: string; totalMs: number; cold: boolean }): SystemLine[];
  processStart(a: { pid: number; uid: number; process: string; hostingType: string; component: string; caller: StartCaller | null }): SystemLine[];
  processDied(a: { pid: number; process: string; state: DeathState }): SystemLine[];
  forceStop(a: { packageName: string; uid: number; pid: number; process: string; fromPid: number }): SystemLine[];
  /** The system kills a process (permissions revoked...): `Killing PID:PROC/UID (adj N): reason`. */
  killed(a: { pid: number; process: string; uid: number; adj: number; reason: string }): SystemLine[];
  /** App `caller` starts `component` as a foreground service (Android 12+ logs it; older releases print nothing). */
  fgsStart(a: { caller: StartCaller; callerTop: boolean; component: string; targetSdk: number; callerTargetSdk: number }): SystemLine[];
  /** The app asked for a non-resettable identifier and was refused (TelephonyPermissions). */
  identifierDenied(a: { packageName: string; uid: number; pid: number; method: string }): SystemLine[];
  /** The system refuses to (re)start the app's service while it is in the background. */
  startRefused(a: { packageName: string; uid: number; pid: number; component: string }): SystemLine[];
  /** The system reclaims an idle background process (before its `has died` line). */
  emptyKill(a: { pid: number; process: string; uid: number }): SystemLine[];
}

const ATM_TID = SYSTEM_SERVER_PID + 31;
const DISPLAYED_TID = SYSTEM_SERVER_PID + 52;

/** `u0a230` for apps, the plain uid for system uids (`/1000`, `/1001`), as `Start proc` and `Killing` print them. */
export function uidName(uid: number): string {
  return uid >= 10000 ? `u0a${uid - 10000}` : String(uid);
}

/** The short component (`pkg/.Cls`) of a class inside its package, as AOSP's flattenToShortString prints it. */
export function shortComponent(packageName: string, cls: string): string {
  const full = cls.startsWith('.') ? packageName + cls : cls;
  return `${packageName}/${full.startsWith(packageName + '.') ? full.slice(packageName.length) : full}`;
}

const sys = (tag: string, message: string, extra: Partial<SystemLine> = {}): SystemLine => ({ tag, message, priority: 4, buffer: 'system', tid: ATM_TID, uid: 1000, ...extra });
const events = (tag: string, message: string): SystemLine => ({ tag, message, priority: 4, buffer: 'events', tid: ATM_TID, uid: 1000 });

/** Android 8+ `Background start not allowed` (ActiveServices), as in capture 06 (LineageOS, Android 14). */
function backgroundStartNotAllowed(a: { packageName: string; uid: number; pid: number; component: string }): SystemLine[] {
  const cmp = shortComponent(a.packageName, a.component.replace(/^[^/]*\//, ''));
  return [sys('ActivityManager', `Background start not allowed: service Intent { cmp=${cmp} } to ${cmp} from pid=${a.pid} uid=${a.uid} pkg=${a.packageName} startFg?=false`, { priority: 5 })];
}

/** What the virtual phone printed before ROM profiles (Android 13-like, hand-made forms): kept byte for byte. */
export const legacyLines: SystemLines = {
  // One thread for every START (the other apps' dialogs on system_server's main thread): what it always printed.
  activityStart: (a) => [sys('ActivityTaskManager', `START u0 {${a.intent}} from uid ${a.fromUid}`, a.binderThread ? { tid: undefined } : {})],
  displayed: (a) => [sys('ActivityTaskManager', `Displayed ${a.component}: +${a.totalMs}ms`, { tid: DISPLAYED_TID, uid: undefined })],
  processStart: (a) => [
    sys('ActivityManager', `Start proc ${a.pid}:${a.process}/u0a${a.uid - 10000} for ${a.hostingType} {${a.component}}`),
    events('am_proc_start', `[0,${a.pid},${a.uid},${a.process},${a.hostingType},{${a.component}}]`),
  ],
  processDied: (a) => {
    const state = a.state === 'fore' ? 'fore TOP' : a.state === 'cached' ? 'cch+5 CEM' : 'prev LAST';
    return [
      sys('ActivityManager', `Process ${a.process} (pid ${a.pid}) has died: ${state}`),
      events('am_proc_died', `[0,${a.pid},${a.process},${a.state === 'fore' ? 0 : 900},${a.state === 'fore' ? 2 : 19}]`),
    ];
  },
  forceStop: (a) => [
    sys('ActivityManager', `Force stopping ${a.packageName} appid=${a.uid} user=0: from pid ${a.fromPid}`),
    sys('ActivityManager', `Killing ${a.pid}:${a.process}/u0a${a.uid - 10000} (adj 0): stop ${a.packageName} due to from pid ${a.fromPid}`),
  ],
  killed: (a) => [sys('ActivityManager', `Killing ${a.pid}:${a.process}/u0a${a.uid - 10000} (adj ${a.adj}): ${a.reason}`)],
  fgsStart: (a) => [sys('ActivityManager', `Background started FGS: Allowed [callingPackage: ${a.caller.packageName}; callingUid: ${a.caller.uid}; intent: Intent { cmp=${a.component} }]`, { tid: undefined, uid: undefined })],
  identifierDenied: (a) => [{ pid: a.pid, uid: a.uid, priority: 5, tag: 'TelephonyPermissions', message: `reportAccessDeniedToReadIdentifiers:${a.packageName}:${a.method}:isPreinstalled=false:isPrivApp=false` }],
  startRefused: backgroundStartNotAllowed,
  emptyKill: () => [],
};

/** Padding of makeProcStateString (`TOP `, `CEM `): real lines keep the trailing space (captures 02, 03, 23). */
function diedState(state: DeathState): string {
  return state === 'fore' ? 'fore TOP ' : state === 'cached' ? 'cch+5 CEM ' : 'prev LAST';
}

/** The forms every AOSP release from 10 on shares (captures 03, 06, 07, 24 and 26). */
const aospBase: Omit<SystemLines, 'activityStart' | 'displayed' | 'fgsStart'> = {
  // `Start proc 2492:com.google.android.permissioncontroller/u0a208 for broadcast {pkg/cls}` (03); system uids
  // print plainly (`com.android.phone/1001`, 24); am_proc_start in the events buffer with braces (24).
  processStart: (a) => [
    sys('ActivityManager', `Start proc ${a.pid}:${a.process}/${uidName(a.uid)} for ${a.hostingType} {${a.component}}`),
    events('am_proc_start', `[0,${a.pid},${a.uid},${a.process},${a.hostingType},{${a.component}}]`),
  ],
  // `Process com.qualcomm.qti.workloadclassifier (pid 9851) has died: cch+5 CEM ` (26), `... has died: prev LAST` (02).
  processDied: (a) => [
    sys('ActivityManager', `Process ${a.process} (pid ${a.pid}) has died: ${diedState(a.state)}`),
    events('am_proc_died', `[0,${a.pid},${a.process},${a.state === 'fore' ? 0 : 900},${a.state === 'fore' ? 2 : 19}]`),
  ],
  // AOSP ActivityManagerService.forceStopPackage; `Killing 6878:com.codex.streetstrength/u0a421 (adj 900): remove task` (02).
  forceStop: (a) => [
    sys('ActivityManager', `Force stopping ${a.packageName} appid=${a.uid} user=0: from pid ${a.fromPid}`),
    sys('ActivityManager', `Killing ${a.pid}:${a.process}/${uidName(a.uid)} (adj 0): stop ${a.packageName} due to from pid ${a.fromPid}`),
  ],
  killed: (a) => [sys('ActivityManager', `Killing ${a.pid}:${a.process}/${uidName(a.uid)} (adj ${a.adj}): ${a.reason}`)],
  // `W TelephonyPermissions: reportAccessDeniedToReadIdentifiers:com.netease.yanxuan:getDeviceId:isPreinstalled=false:isPrivApp=false`
  // printed by com.android.phone (pid 2875 there, uid radio), not by the app (07).
  identifierDenied: (a) => [{ pid: PHONE_PROCESS_PID, tid: PHONE_PROCESS_PID + 659, uid: 1001, priority: 5, tag: 'TelephonyPermissions', buffer: 'main', message: `reportAccessDeniedToReadIdentifiers:${a.packageName}:${a.method}:isPreinstalled=false:isPrivApp=false` }],
  startRefused: backgroundStartNotAllowed,
  // `Killing 14231:com.google.android.cellbroadcastreceiver/u0a227 (adj 975): empty #33` (32, Pixel).
  emptyKill: (a) => [sys('ActivityManager', `Killing ${a.pid}:${a.process}/${uidName(a.uid)} (adj 975): empty #33`)],
};

/** Android 10 and 11 (MIUI 12, EMUI 10): no FGS line, the old Displayed form (capture 07). */
export const android10Lines: SystemLines = {
  ...aospBase,
  activityStart: (a) => [sys('ActivityTaskManager', `START u0 {${a.intent}} from uid ${a.fromUid}`, { tid: a.tid })],
  // `I ActivityTaskManager: Displayed com.netease.yanxuan/.module.mainpage.activity.MainPageActivity: +886ms` (07).
  displayed: (a) => [sys('ActivityTaskManager', `Displayed ${a.component}: +${a.totalMs}ms`, { tid: DISPLAYED_TID })],
  // Android 10 logs no line when one app starts another's (foreground) service: only the target's Start proc.
  fgsStart: () => [],
};

/** Android 14 and later (Pixel, ColorOS 16). */
export const android14Lines: SystemLines = {
  ...aospBase,
  // `START u0 {act=android.intent.action.MAIN cat=[android.intent.category.LAUNCHER] flg=0x10200000 cmp=… bnds=[…]}
  // with LAUNCH_SINGLE_TASK from uid 10157 (BAL_ALLOW_ALLOWLISTED_COMPONENT) result code=0` (06).
  activityStart: (a) => [sys('ActivityTaskManager', `START u0 {${a.intent}} with ${a.launchMode} from uid ${a.fromUid} (${a.bal}) result code=0`, { tid: a.tid })],
  // `Displayed com.codex.streetstrength/.MainActivity for user 0: +166ms` (23).
  displayed: (a) => [sys('ActivityTaskManager', `Displayed ${a.component} for user 0: +${a.totalMs}ms`, { tid: DISPLAYED_TID })],
  // The uidBFSL form: a caller on top as in 26 (`uidState: TOP ; uidBFSL: [BFSL]; … code:PROC_STATE_TOP`), one
  // just woken by BOOT_COMPLETED as in 06 (`uidState: BFGS; … reasonCode:BOOT_COMPLETED,duration:20000`).
  fgsStart: (a) => [sys('ActivityManager', a.callerTop
    ? `Background started FGS: Allowed [callingPackage: ${a.caller.packageName}; callingUid: ${a.caller.uid}; uidState: TOP ; uidBFSL: [BFSL]; intent: Intent { cmp=${a.component} (has extras) mCallingUid=${a.caller.uid} }; code:PROC_STATE_TOP; tempAllowListReason:<,reasonCode:SYSTEM_ALLOW_LISTED,duration:9223372036854775807,callingUid:-1>; allowWiu:12; targetSdkVersion:${a.targetSdk}; callerTargetSdkVersion:${a.callerTargetSdk}; startForegroundCount:0; bindFromPackage:null: isBindService:false]`
    : `Background started FGS: Allowed [callingPackage: ${a.caller.packageName}; callingUid: ${a.caller.uid}; uidState: BFGS; uidBFSL: [BFSL]; intent: Intent { cmp=${a.component} }; code:PROC_STATE_BFGS; tempAllowListReason:<928a806 android.intent.action.BOOT_COMPLETED/u0,reasonCode:BOOT_COMPLETED,duration:20000,callingUid:1000>; targetSdkVersion:${a.targetSdk}; callerTargetSdkVersion:${a.callerTargetSdk}; startForegroundCount:0; bindFromPackage:null: isBindService:false]`)],
};
