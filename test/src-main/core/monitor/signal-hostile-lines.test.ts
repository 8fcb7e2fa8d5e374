// A phone is untrusted: any app may log under any tag (`Log.i("ActivityManager", …)`), up to the 64 KB a line is
// cut at. Every extractor gets 64 KB lines built to make a backtracking pattern take quadratic time — each signal's
// prefix followed by runs of spaces, slashes, colons, braces, brackets, dots and words — under every tag the
// extractors read, through the monitor's focus (crashes and chatty included). Time is measured, not assumed.
import { describe, expect, it } from 'vitest';
import { AppFocus } from '../../../../src-main/core/monitor/app-focus.js';
import { EVENT_TAGS } from '../../../../src-main/core/monitor/extractors.js';
import type { LogLine } from '../../../../src-main/core/monitor/log-line.js';

const PREFIXES = [
  'Start proc 1:', 'Start proc 1:a/u0a1 for ', 'Start proc a for ', 'Start proc 1 for ', 'Process ', 'Process a (pid 1) has died: ', 'Got obituary of 1:',
  'Killing 1:', 'Killing 1:a/', 'Killing 1 (adj 1): ', 'Force kill process pid=1', 'KillAction: Kill ProcessInfo{1:a/', '[0,1,', '[1,',
  'FATAL EXCEPTION: ', 'Process: ', 'Fatal signal 6 (SIGABRT), code -1 in tid 1 (', 'pid: 1, tid: 1, name: ', 'ANR in ', 'PID: ', 'Reason: ',
  'Background start not allowed: service Intent {', 'Not allowed to start service Intent {', 'MIUILOG- Reject ', 'prevent restart service, pkgName = ',
  'Background started FGS: Allowed [callingPackage: a; callingUid: 1;', 'START u0 {', 'START u0 {act=android.content.pm.action.REQUEST_PERMISSIONS ',
  'Displayed a/', 'Update package a code path from ', 'Package a codePath changed from ', 'Package ', 'uid=1000(', 'uid=10001(a.b) ',
  'clipboardAccessAllowed: op=29 result=', 'Denying clipboard access to ', 'getConnectionInfo uid=', 'Allowing a fine ', 'a is aware of fine',
  'getRunningTasks: caller ', 'Unable to start service Intent {', 'Failed to find provider info for ', 'java.lang.SecurityException: getDeviceId: The uid ',
  'reportAccessDeniedToReadIdentifiers:', 'IPhoneSubInfo$Stub$Proxy.', 'Permission grant result requestId=1 callingUid=1 ',
];
const FILLERS = [' ', 'a/', ':', '{', '}', '[', '(', 'a.', 'x', 'a ', ' caller=', 'pid=1 ', ' for ', '\t', ' expire 1 lines', ' identical '];

function line(tag: string, message: string, time: number): LogLine {
  return { time, pid: 1000, tid: 1000, priority: 'I', tag, message, raw: message, app: false };
}

describe('extractors on hostile 64 KB lines', () => {
  it('read every tag\'s worst lines in bounded time', () => {
    const focus = new AppFocus(null);
    const tags = [...EVENT_TAGS, 'System.err', 'SomeApp'];
    let worst = { ms: 0, what: '' };
    let t = 0;
    const started = Date.now();
    for (const prefix of PREFIXES) {
      for (const filler of FILLERS) {
        const message = (prefix + filler.repeat(Math.ceil(65_000 / filler.length))).slice(0, 65_536);
        for (const tag of tags) {
          const t0 = performance.now();
          focus.observe(line(tag, message, (t += 10)));
          const ms = performance.now() - t0;
          if (ms > worst.ms) worst = { ms, what: `${tag}: ${prefix}${JSON.stringify(filler)}…` };
        }
      }
    }
    focus.flush();
    const total = Date.now() - started;
    // ~45 prefixes × 16 fillers × ~30 tags ≈ 21,000 lines of 64 KB: 0.7 s in all here once linear (one line took 4 s before).
    expect(worst.ms, `slowest: ${worst.what}`).toBeLessThan(250);
    expect(total).toBeLessThan(10_000);
  }, 120_000);
});
