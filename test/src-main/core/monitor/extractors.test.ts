// Extractors and dump readers on lines in the exact real layouts (AOSP Android 9 and 13, Samsung appops from
// mvt's test artifacts), plus malformed, truncated, escape-laden and invalid-UTF-8 input.
import { describe, expect, it } from 'vitest';
import { extract } from '../../../../src-main/core/monitor/extractors.js';
import { parseLogLine } from '../../../../src-main/core/monitor/log-line.js';
import { parseAppOps, parseDuration, parseResumedActivity, parseRuntimePermissions, parseScreenOn } from '../../../../src-main/core/monitor/dump-parsers.js';

const ctx = { year: 2026, offsetMinutes: 480 };
const line = (s: string) => parseLogLine(s, ctx)!;
const ex = (s: string) => extract(line(s));

describe('parseLogLine', () => {
  it('reads threadtime with and without year, in the given zone', () => {
    const l = line('11-29 10:15:02.123  1234  1250 I ActivityManager: Start proc 5678:com.example/u0a234 for broadcast {com.example/com.example.BootReceiver}');
    expect(l).toMatchObject({ pid: 1234, tid: 1250, priority: 'I', tag: 'ActivityManager' });
    expect(new Date(l.time).toISOString()).toBe('2026-11-29T02:15:02.123Z');
    const y = parseLogLine('2026-11-29 02:15:02.123  1234  1250 V GrantPermissionsActivity: x', { year: 1999, offsetMinutes: 0 })!;
    expect(new Date(y.time).toISOString()).toBe('2026-11-29T02:15:02.123Z');
  });
  it('keeps what it cannot parse out, and strips escapes and invalid UTF-8 from what it can', () => {
    expect(parseLogLine('--------- beginning of main', ctx)).toBeNull();
    expect(parseLogLine('11-29 10:15:02.12', ctx)).toBeNull();
    expect(parseLogLine('', ctx)).toBeNull();
    const l = line('11-29 10:15:02.123  1234  1250 I Evil    : \u001b]0;pwn\u0007hi \u001b[31mred\ufffd');
    expect(l.message).toBe('hi red\ufffd');
    expect(l.tag).toBe('Evil');
  });
});

describe('permission dialog', () => {
  it('Android 10+ (ActivityTaskManager, permissioncontroller)', () => {
    expect(ex('11-29 10:15:02.123  1500  1530 I ActivityTaskManager: START u0 {act=android.content.pm.action.REQUEST_PERMISSIONS pkg=com.android.permissioncontroller cmp=com.android.permissioncontroller/.permission.ui.GrantPermissionsActivity (has extras)} from uid 10234'))
      .toMatchObject({ type: 'permission.dialog', uid: 10234, controller: 'com.android.permissioncontroller' });
  });
  it('newer builds with LAUNCH_SINGLE_TOP and realCallingUid, Google controller', () => {
    expect(ex('11-29 10:15:02.123  1500  1530 I ActivityTaskManager: START u0 {act=android.content.pm.action.REQUEST_PERMISSIONS pkg=com.google.android.permissioncontroller cmp=com.google.android.permissioncontroller/com.android.permissioncontroller.permission.ui.GrantPermissionsActivity (has extras)} with LAUNCH_SINGLE_TOP from uid 10311 (realCallingUid=10311) (BAL_ALLOW_VISIBLE_WINDOW) result code=0'))
      .toMatchObject({ type: 'permission.dialog', uid: 10311, controller: 'com.google.android.permissioncontroller' });
  });
  it('Android 9 (ActivityManager, packageinstaller, on display 0)', () => {
    expect(ex('11-29 10:15:02.123  1012  2044 I ActivityManager: START u0 {act=android.content.pm.action.REQUEST_PERMISSIONS pkg=com.android.packageinstaller cmp=com.android.packageinstaller/.permission.ui.GrantPermissionsActivity (has extras)} from uid 10026 on display 0'))
      .toMatchObject({ type: 'permission.dialog', uid: 10026, controller: 'com.android.packageinstaller' });
  });
  it('reads other STARTs as intent starts, and a spoofed controller is no permission dialog', () => {
    expect(ex('11-29 10:15:02.123  1500  1530 I ActivityTaskManager: START u0 {act=android.intent.action.MAIN cmp=com.x/.Main} from uid 2000'))
      .toMatchObject({ type: 'intent.start', callerUid: 2000, target: 'com.x', kind: 'activity', launcher: false });
    expect(ex('11-29 10:15:02.123  4000  4000 I ActivityTaskManager: START u0 {act=android.content.pm.action.REQUEST_PERMISSIONS pkg=com.evil.app cmp=com.evil.app/.Fake} from uid 10234'))
      .toMatchObject({ type: 'intent.start', target: 'com.evil.app' });
  });
});

describe('intent start', () => {
  it('a launcher start, a service started by another package', () => {
    expect(ex('11-29 10:15:02.123  1500  1530 I ActivityTaskManager: START u0 {act=android.intent.action.MAIN cat=[android.intent.category.LAUNCHER] flg=0x10200000 cmp=com.demo.shop/.MainActivity} from uid 10101'))
      .toMatchObject({ type: 'intent.start', callerUid: 10101, target: 'com.demo.shop', launcher: true });
    expect(ex('11-29 10:15:02.123  1500  1530 I ActivityManager: Background started FGS: Allowed [callingPackage: com.demo.video; callingUid: 10150; intent: Intent { cmp=com.demo.helper/.PushService }]'))
      .toMatchObject({ type: 'intent.start', callerUid: 10150, callerPackage: 'com.demo.video', target: 'com.demo.helper', kind: 'service' });
  });
});

describe('grant result', () => {
  it.each([[4, 'USER_GRANTED', true], [6, 'USER_DENIED', false], [7, 'USER_DENIED_WITH_PREJUDICE', false], [2, 'IGNORED_USER_FIXED', false], [5, 'AUTO_GRANTED', true]])('result=%i', (code, name, granted) => {
    expect(ex(`11-29 10:15:05.001  2300  2300 V GrantPermissionsActivity: Permission grant result requestId=5323618128722094153 callingUid=10234 callingPackage=com.example.app permission=android.permission.CAMERA isImplicit=false result=${code}`))
      .toMatchObject({ type: 'permission.result', uid: 10234, packageName: 'com.example.app', permission: 'android.permission.CAMERA', result: code, resultName: name, granted });
  });
  it('tolerates a missing isImplicit and refuses a truncated line', () => {
    expect(ex('11-29 10:15:05.001  2300  2300 V GrantPermissionsActivity: Permission grant result requestId=1 callingUid=10 callingPackage=a.b permission=android.permission.READ_SMS result=6')).toMatchObject({ result: 6 });
    expect(ex('11-29 10:15:05.001  2300  2300 V GrantPermissionsActivity: Permission grant result requestId=1 callingUid=10 callingPack')).toBeNull();
  });
});

describe('process start and death', () => {
  it('Android 10+ with braces, self-start for broadcast/service/provider', () => {
    expect(ex('11-29 10:15:02.123  1234  1250 I ActivityManager: Start proc 5678:com.example/u0a234 for broadcast {com.example/com.example.BootReceiver}'))
      .toMatchObject({ type: 'process.start', pid: 5678, process: 'com.example', hostingType: 'broadcast', component: 'com.example/com.example.BootReceiver', selfStart: true, packageName: 'com.example' });
    expect(ex('11-29 10:15:02.123  1234  1250 I ActivityManager: Start proc 5679:com.example:push/u0a234 for content provider {com.example/com.example.SyncProvider}'))
      .toMatchObject({ hostingType: 'content provider', process: 'com.example:push', packageName: 'com.example', selfStart: true });
    expect(ex('11-29 10:15:02.123  1234  1250 I ActivityManager: Start proc 5680:com.example/u0a234 for top-activity {com.example/.MainActivity}'))
      .toMatchObject({ hostingType: 'top-activity', selfStart: false });
  });
  it('Android 9 without braces, and the events buffer', () => {
    expect(ex('11-29 10:15:02.123  1012  1030 I ActivityManager: Start proc 3262:com.android.packageinstaller/u0a63 for activity com.android.packageinstaller/.permission.ui.GrantPermissionsActivity'))
      .toMatchObject({ pid: 3262, hostingType: 'activity', component: 'com.android.packageinstaller/.permission.ui.GrantPermissionsActivity', selfStart: false });
    expect(ex('11-29 10:15:02.123  1234  1250 I am_proc_start: [0,4100,10230,com.demo.shop,started-service,{com.demo.shop/.PushService}]'))
      .toMatchObject({ type: 'process.start', pid: 4100, hostingType: 'started-service', selfStart: true });
  });
  it('deaths in both layouts', () => {
    expect(ex('11-29 10:15:09.000  1234  1250 I ActivityManager: Process com.example (pid 5678) has died: fore TOP')).toMatchObject({ type: 'process.death', pid: 5678, state: 'fore TOP' });
    expect(ex('11-29 10:15:09.000  1012  1030 I ActivityManager: Process com.example:push (pid 5679) has died.')).toMatchObject({ type: 'process.death', process: 'com.example:push', packageName: 'com.example' });
    expect(ex('11-29 10:15:09.000  1234  1250 I am_proc_died: [0,5678,com.example,900,19]')).toMatchObject({ type: 'process.death', pid: 5678 });
  });
});

describe('packages and identifiers', () => {
  it('installs and removals', () => {
    expect(ex('11-29 10:15:02.123  1234  1250 I PackageManager: Package com.demo.partnergame installed: uid=10240 installer=com.demo.coupon')).toMatchObject({ type: 'package.installed', packageName: 'com.demo.partnergame', installer: 'com.demo.coupon' });
    expect(ex('11-29 10:15:02.123  1234  1250 I PackageManager: deletePackageX: pkg=com.demo.partnergame user=0')).toMatchObject({ type: 'package.removed', packageName: 'com.demo.partnergame' });
  });
  it('identifier access in the TelephonyPermissions and SecurityException forms', () => {
    expect(ex('11-29 10:15:02.123  4100  4100 W TelephonyPermissions: reportAccessDeniedToReadIdentifiers:com.demo.shop:getImeiForSlot:isPreinstalled=false:isPrivApp=false')).toMatchObject({ type: 'identifier.access', method: 'getImeiForSlot', packageName: 'com.demo.shop' });
    expect(ex('11-29 10:15:02.123  4100  4100 E AndroidRuntime: java.lang.SecurityException: getDeviceId: The uid 10230 does not meet the requirements to access device identifiers.')).toMatchObject({ type: 'identifier.access', method: 'getDeviceId', uid: 10230 });
  });
});

describe('dump readers', () => {
  // Samsung layout, quoted from mvt-project/mvt tests/artifacts/android_data/dumpsys_appops.txt
  const samsung = ['  Uid u0a103:', '    state=cch', '      COARSE_LOCATION: mode=ignore', '    Package com.facebook.katana:', '      READ_CONTACTS (allow):',
    '          Access: [bg-tpd] 2022-03-07 18:05:34.325 (-22d4h22m19s762ms)', '      READ_PHONE_STATE (allow):', '          Access: [cch-s] 2022-03-29 18:57:58.524 (-4h29m55s563ms)',
    '      READ_DEVICE_IDENTIFIERS (deny):', '          Reject: [fg-s]2021-05-19 22:02:53.434 (-314d1h25m0s653ms)', '      WAKE_LOCK (allow):',
    '          Access: [bg-s] 2022-03-29 23:03:03.763 (-24m50s324ms) duration=+33ms', '    Package com.other:', '      CAMERA (allow):', '          Access: [top-s] 2022-03-29 23:03:03.763 (-1s)'].join('\n');
  it('reads Samsung appops (Reject without a space, proxy flags, durations)', () => {
    const { uidState, entries } = parseAppOps(samsung, 'com.facebook.katana');
    expect(uidState).toBe('cch');
    expect(entries.map((e) => [e.op, e.kind, e.uidState, e.flags, e.relativeMs])).toEqual([
      ['READ_CONTACTS', 'access', 'bg', 'tpd', -((22 * 24 + 4) * 3600 + 22 * 60 + 19) * 1000 - 762],
      ['READ_PHONE_STATE', 'access', 'cch', 's', -(4 * 3600 + 29 * 60 + 55) * 1000 - 563],
      ['READ_DEVICE_IDENTIFIERS', 'reject', 'fg', 's', -((314 * 24 + 1) * 3600 + 25 * 60) * 1000 - 653],
      ['WAKE_LOCK', 'access', 'bg', 's', -(24 * 60 + 50) * 1000 - 324],
    ]);
  });
  it('reads an access dumped in the millisecond it happened: "(0)" has no sign', () => {
    // What the virtual phone (like TimeUtils.formatDuration on a phone) prints when the dump and the access share
    // a millisecond; read as undated history, it was never reported (the flaky collects-before-consent test).
    const dump = ['  Uid u0a230:', '    state=top', '    Package com.demo.shop:', '      READ_PHONE_STATE (ignore):', '          Reject: [top-s]2026-11-30 22:18:38.720 (0)',
      '      COARSE_LOCATION (ignore):', '          Reject: [top-s]2026-11-30 22:18:38.720 (-1ms)'].join('\n');
    expect(parseAppOps(dump, 'com.demo.shop').entries.map((e) => [e.op, e.kind, e.relativeMs])).toEqual([['READ_PHONE_STATE', 'reject', 0], ['COARSE_LOCATION', 'reject', -1]]);
  });

  it('parses durations and refuses junk', () => {
    expect(parseDuration('+5m55s466ms')).toBe(355_466);
    expect(parseDuration('-1s')).toBe(-1000);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('soon')).toBeNull();
  });
  it('reads runtime permission state (flags omitted when 0)', () => {
    const dump = ['    userId=10234', '    install permissions:', '      android.permission.INTERNET: granted=true', '    User 0: ceDataInode=1 installed=true',
      '      runtime permissions:', '        android.permission.CAMERA: granted=false, flags=[ USER_SENSITIVE_WHEN_GRANTED|USER_SET|USER_FIXED]',
      '        android.permission.READ_SMS: granted=true', '        android.permission.ACCESS_FINE_LOCATION: granted=tru'].join('\n');
    expect(parseRuntimePermissions(dump)).toEqual({ uid: 10234, permissions: [
      { permission: 'android.permission.CAMERA', granted: false, flags: ['USER_SENSITIVE_WHEN_GRANTED', 'USER_SET', 'USER_FIXED'] },
      { permission: 'android.permission.READ_SMS', granted: true, flags: [] },
    ] });
  });
  it('reads the resumed activity (old and new keys) and the screen state', () => {
    expect(parseResumedActivity('  mResumedActivity: ActivityRecord{5f1c3a u0 com.x/.Main t12}')).toBe('com.x/.Main');
    expect(parseResumedActivity('    topResumedActivity=ActivityRecord{8f3 u0 com.y/com.y.A t3}\n  ResumedActivity: ActivityRecord{8f3 u0 com.y/com.y.A t3}')).toBe('com.y/com.y.A');
    expect(parseScreenOn('  mWakefulness=Asleep')).toBe(false);
    expect(parseScreenOn('Display Power: state=ON')).toBe(true);
    expect(parseScreenOn('nothing')).toBeNull();
  });
});
