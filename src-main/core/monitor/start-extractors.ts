/**
 * Starts the phone refused: AOSP's `Background start not allowed` (Android 8+, the system's line) and the
 * app's own `Not allowed to start service … app is in background`; the vendors' start managers (MIUI's
 * AutoStartManagerService `MIUILOG- Reject RestartService`, ColorOS's OplusAppStartupManager `prevent restart
 * service`, Huawei iAware's `AwareLog: AppStart: … alw:0`). Each names the app that tried (or was to be
 * restarted) — the evidence of an attempted self-start or associated start even where the phone stopped it.
 * iAware's lines are read by the field names its framework code prints (AwareAppStartupPolicy.printReqLog and
 * printMergeReqLog of a decompiled EMUI framework, search-index files 29014190826 and 28191135455: req letter,
 * `alw:` allow type, `proc:uid,process`, `call:uid,package`, `cmp:`); no real capture of one was found.
 */
import type { LogLine } from './log-line.js';
import type { Extracted } from './extractors.js';
import { uidFromName } from './app-directory.js';

const blocked = (blocker: 'android' | 'miui' | 'coloros' | 'emui', target: string, component: string | null, callerPackage: string | null, uid: number | null, reason: string): Extracted =>
  ({ type: 'start.blocked', blocker, target, component, callerPackage, uid, reason, packageName: callerPackage ?? target });

/** iAware's request letters (AppStartSource): what the caller asked to start. */
const AWARE_REQUESTS: Record<string, 'activity' | 'service' | 'broadcast'> = { S: 'service', R: 'service', B: 'broadcast', A: 'activity' };

/**
 * Huawei iAware's start decision: `AppStart: req:S,alw:4[F],…,proc:10231,com.pkg.helper,call:10230,com.pkg act:null,cmp:P/C`
 * (allowed: one app starting another's component — an associated start), or a refusal `alw:0`, merged as
 * `AppStart: req:R,alw:0[F],call:10230,null,act:null {.pkg#10230}` (printMergeReqLog drops a leading `com`).
 */
export function awareAppStart(l: LogLine): Extracted | null {
  if (l.tag !== 'AwareLog' || !l.message.startsWith('AppStart: ')) return null;
  const msg = l.message;
  const req = /\breq:(\w)/.exec(msg)?.[1] ?? '';
  const allow = /\balw:(\d+)/.exec(msg);
  if (!allow) return null;
  const call = /\bcall:(\d+),([\w.]+)/.exec(msg);
  const callerUid = call ? Number(call[1]) : null;
  const callerPackage = call && call[2] !== 'null' ? call[2]! : null;
  if (allow[1] === '0') {
    const merged = /\{(\.?[\w.]+)#(\d+)\}/.exec(msg);
    const cmp = /\bcmp:([\w.]+)\/([\w.$]+)/.exec(msg);
    const target = cmp?.[1] ?? (merged ? (merged[1]!.startsWith('.') ? `com${merged[1]}` : merged[1]!) : null);
    return target ? blocked('emui', target, cmp ? `${cmp[1]}/${cmp[2]}` : null, callerPackage && callerPackage !== target ? callerPackage : null, merged ? Number(merged[2]) : callerUid, `req:${req},alw:0`) : null;
  }
  const cmp = /\bcmp:([\w.]+)\/([\w.$]+)/.exec(msg);
  if (!cmp) return null;
  return { type: 'intent.start', callerUid, callerPackage, target: cmp[1]!, kind: AWARE_REQUESTS[req] ?? 'service', launcher: false, allowed: true, packageName: callerPackage ?? cmp[1]! };
}

/** The phrase of the app's own refusal, whatever tag it is logged under (AndroidRuntime, System.err, the app's). */
export const BACKGROUND_START_MARK = 'Not allowed to start service';

export function startBlocked(l: LogLine): Extracted | null {
  const msg = l.message;
  if (l.tag === 'ActivityManager') {
    const m = /^Background start not allowed: service Intent \{([^}]*)\} to ([\w.$]+)\/([\w.$]+) from pid=(\d+) uid=(\d+)(?: pkg=([\w.]+))?/.exec(msg);
    if (!m) return null;
    const target = m[2]!;
    const component = `${target}/${m[3]}`;
    return blocked('android', target, component, m[6] ?? null, Number(m[5]), 'background start not allowed');
  }
  if (l.tag === 'AutoStartManagerService') {
    const m = /^MIUILOG- Reject (\w+) packageName ?: ?([\w.]+)(?: uid ?: ?(\d+))?/.exec(msg);
    if (m) return blocked('miui', m[2]!, null, null, m[3] ? Number(m[3]) : null, m[1]!);
    // Older MIUI: `MIUILOG- Reject service :Intent { act=… cmp=P/C (has extras) } userId : 0 uid : 10118`.
    const i = /^MIUILOG- Reject (\w+) :Intent \{[^}]*?cmp=([\w.]+)\/([\w.$]+)[^}]*\}(?:.*?\buid ?: ?(\d+))?/.exec(msg);
    return i ? blocked('miui', i[2]!, `${i[2]}/${i[3]}`, null, i[4] ? Number(i[4]) : null, i[1]!) : null;
  }
  if (l.tag === 'OplusAppStartupManager') {
    const m = /^prevent (\w[\w ]*?), pkgName = ([\w.]+)/.exec(msg);
    return m ? blocked('coloros', m[2]!, null, null, null, `prevent ${m[1]}`) : null;
  }
  if (msg.includes(BACKGROUND_START_MARK)) {
    // The app's own exception: `IllegalStateException: Not allowed to start service Intent { cmp=P/C … }: app is in background uid UidRecord{… u0a119 …}`
    const m = /Not allowed to start service Intent \{[^}]*?cmp=([\w.$]+)\/([\w.$]+)[^}]*\}: app is in background(?: uid UidRecord\{\w+ (u\d+a\d+))?/.exec(msg);
    if (!m) return null;
    return blocked('android', m[1]!, `${m[1]}/${m[2]}`, null, m[3] ? uidFromName(m[3]) : null, 'app is in background');
  }
  return null;
}

/** `Update package P code path from A to B; Retain data and using new` (9+), `Package P codePath changed from A to B` (6-8). */
export function packageUpdated(l: LogLine): Extracted | null {
  if (l.tag !== 'PackageManager') return null;
  const m = /^(?:Update (?:system )?package ([\w.]+) code path from \S+ to \S+|Package ([\w.]+) codePath changed from \S+ to \S+)/.exec(l.message);
  return m ? { type: 'package.updated', installer: null, packageName: (m[1] ?? m[2])! } : null;
}
