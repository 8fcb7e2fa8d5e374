/**
 * ROM profiles as a phone shows them: `getprop` names the profile's real phone, and `logcat` prints each happening
 * in that ROM's forms (the real captures each template follows are named in src-main/core/virtual-device/rom/),
 * with logd's chatty folding and expiring lines on the Android 10 profiles only. The default profile keeps the
 * scenario's own device and the lines it always printed.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseLogLine } from '../../../../src-main/core/monitor/log-line.js';
import { VirtualClock, VirtualDevice, loadScenarioFile, ROM_PROFILE_IDS, romProfile } from '../../../../src-main/core/virtual-device/index.js';
import { LogBuffer } from '../../../../src-main/core/virtual-device/android/log-buffer.js';
import { BufferOutput, type ShellInterpreter } from '../../../../src-main/core/virtual-device/shell/interpreter.js';
import { WorkbenchError } from '../../../../src-main/core/errors.js';
import { dumpLogcat, exerciseScenario } from '../../../support/scenario-exercise.js';
import { SCENARIOS } from '../../../support/virtual-phone.js';

/** A quiet phone (no other apps) wearing `profile`, playing the self-start scenario's apps. */
function phone(profile: string, scenarioId = 'self-start-and-associated-start') {
  const clock = new VirtualClock(Date.UTC(2026, 10, 29, 2, 0, 0));
  const scenario = loadScenarioFile(join(SCENARIOS, `${scenarioId}.yaml`));
  scenario.device.noise = false;
  const device = new VirtualDevice({ scenario, clock, profile });
  const shell = (device as unknown as { shell(): ShellInterpreter }).shell();
  const run = async (line: string): Promise<string> => {
    const out = new BufferOutput();
    await shell.run(line, out);
    return out.bytes().toString('utf8');
  };
  return { device, sys: device.system, clock, run };
}

describe('getprop per ROM profile', () => {
  const expected: Record<string, Record<string, string>> = {
    aosp14: { 'ro.product.manufacturer': 'Google', 'ro.product.brand': 'google', 'ro.product.model': 'Pixel 8', 'ro.build.version.release': '14', 'ro.build.version.sdk': '34', 'ro.build.fingerprint': 'google/shiba/shiba:14/AP2A.240905.003/12231197:user/release-keys' },
    miui: { 'ro.product.manufacturer': 'Xiaomi', 'ro.product.model': 'M2002J9E', 'ro.build.version.release': '10', 'ro.build.version.sdk': '29', 'ro.miui.ui.version.name': 'V12', 'ro.miui.ui.version.code': '10', 'ro.build.version.incremental': 'V12.0.6.0.QJVCNXM', 'ro.build.fingerprint': 'Xiaomi/vangogh/vangogh:10/QKQ1.191222.002/V12.0.6.0.QJVCNXM:user/release-keys' },
    emui: { 'ro.product.manufacturer': 'HUAWEI', 'ro.product.model': 'ELS-AN00', 'ro.build.version.release': '10', 'ro.build.version.sdk': '29', 'ro.build.version.emui': 'EmotionUI_10.1.0', 'ro.build.fingerprint': 'HUAWEI/ELS-AN00/HWELS:10/HUAWEIELS-AN00/102.0.0.138C00:user/release-keys' },
    coloros: { 'ro.product.manufacturer': 'OnePlus', 'ro.product.model': 'PKG110', 'ro.build.version.release': '16', 'ro.build.version.sdk': '36', 'ro.build.version.oplusrom': 'V16.0.0', 'ro.build.fingerprint': 'OnePlus/PKG110/OP5D2BL1:16/UKQ1.231108.001/V.2d1b9a2-8e0775-93314e:user/release-keys' },
  };

  for (const [profile, props] of Object.entries(expected)) {
    it(`${profile}: the phone names itself as that ROM's real phone`, async () => {
      const { run } = phone(profile);
      const all = await run('getprop');
      for (const [k, v] of Object.entries(props)) {
        expect(all, k).toContain(`[${k}]: [${v}]\n`);
        expect(await run(`getprop ${k}`)).toBe(`${v}\n`);
      }
      // A fingerprint is BRAND/PRODUCT/DEVICE:RELEASE/...: the parts agree with the properties that name them.
      const p = (k: string) => /\[(.*?)\]: \[(.*?)\]/g.exec(all.split('\n').find((l) => l.startsWith(`[${k}]`))!)![2]!;
      expect(p('ro.build.fingerprint').startsWith(`${p('ro.product.brand')}/${p('ro.product.name')}/${p('ro.product.device')}:${p('ro.build.version.release')}/`)).toBe(true);
      expect(await run('getprop ro.apprights.rom')).toBe(`${profile}\n`);
    });
  }

  it('the default profile keeps the scenario\'s own phone (so demos and their tests are unchanged)', async () => {
    const { run } = phone('virtual', 'collects-before-consent');
    expect(await run('getprop ro.product.model')).toBe('Pixel 7\n');
    expect(await run('getprop ro.build.fingerprint')).toBe('google/panther/panther:13/TQ3A.230901.001/1:user/release-keys\n');
    expect(await run('getprop ro.miui.ui.version.name')).toBe('\n');
  });

  it('an unknown profile is refused with the list of profiles', () => {
    expect(() => phone('lineage')).toThrow(WorkbenchError);
    expect(() => romProfile('lineage')).toThrow(/profiles: virtual, aosp14, miui, emui, coloros/);
  });
});

describe('logcat per ROM profile', () => {
  /** Launch, identifier read, boot with an associated start and a refused restart, force-stop: the scenario's happenings. */
  async function happenings(profile: string): Promise<string> {
    const { sys, clock, run } = phone(profile);
    sys.launch('com.demo.video', 'am');
    await clock.advance(500);
    sys.appIdentifierAccess('com.demo.video', 'IMEI');
    sys.appRequestPermissions('com.demo.video', ['android.permission.ACCESS_NETWORK_STATE']);
    sys.forceStop('com.demo.video');
    sys.emit('signal', { type: 'boot' });
    await clock.advance(4000);
    sys.appLog('com.demo.video', 4, 'Tail', 'one different line ends any run');
    return run('logcat -d -b all');
  }

  it('aosp14: Android 14 forms', async () => {
    const log = await happenings('aosp14');
    expect(log).toMatch(/ I ActivityTaskManager: START u0 \{act=android\.intent\.action\.MAIN cat=\[android\.intent\.category\.LAUNCHER\] flg=0x10200000 cmp=com\.demo\.video\/\.MainActivity\} with LAUNCH_MULTIPLE from uid 2000 \(BAL_ALLOW_PERMISSION\) result code=0\n/);
    expect(log).toMatch(/ I ActivityTaskManager: Displayed com\.demo\.video\/\.MainActivity for user 0: \+412ms\n/);
    expect(log).toMatch(/ {2}1980 {2}2639 W TelephonyPermissions: reportAccessDeniedToReadIdentifiers:com\.demo\.video:getImeiForSlot:isPreinstalled=false:isPrivApp=false\n/);
    expect(log).toMatch(/ I ActivityManager: Killing \d+:com\.demo\.video\/u0a230 \(adj 0\): stop com\.demo\.video due to from pid 4321\n/);
    // makeProcStateString's padding: `fore TOP ` with its trailing space, as real Android 14+ lines have it.
    expect(log).toMatch(/ I ActivityManager: Process com\.demo\.video \(pid \d+\) has died: fore TOP \n/);
    expect(log).toMatch(/ I ActivityManager: Background started FGS: Allowed \[callingPackage: com\.demo\.video; callingUid: 10230; uidState: BFGS; uidBFSL: \[BFSL\]; intent: Intent \{ cmp=com\.demo\.videohelper\/\.PushService \}; code:PROC_STATE_BFGS; tempAllowListReason:<928a806 android\.intent\.action\.BOOT_COMPLETED\/u0,reasonCode:BOOT_COMPLETED,duration:20000,callingUid:1000>; targetSdkVersion:33; callerTargetSdkVersion:33; startForegroundCount:0; bindFromPackage:null: isBindService:false\]\n/);
    expect(log).toMatch(/ I ActivityManager: Start proc \d+:com\.demo\.videohelper\/u0a231 for service \{com\.demo\.videohelper\/\.PushService\}\n/);
    expect(log).toMatch(/ W ActivityManager: Background start not allowed: service Intent \{ cmp=com\.demo\.video\/\.KeepAliveService \} to com\.demo\.video\/\.KeepAliveService from pid=\d+ uid=10230 pkg=com\.demo\.video startFg\?=false\n/);
    expect(log).not.toMatch(/chatty/);
  });

  it('aosp14: an app on top starting another app\'s service prints the TOP uidBFSL form (capture 26)', async () => {
    const { sys, clock, run } = phone('aosp14');
    sys.launch('com.demo.video', 'am');
    await clock.advance(100);
    sys.appStartPackage('com.demo.video', 'com.demo.videohelper');
    expect(await run('logcat -d -b system')).toMatch(/ I ActivityManager: Background started FGS: Allowed \[callingPackage: com\.demo\.video; callingUid: 10230; uidState: TOP ; uidBFSL: \[BFSL\]; intent: Intent \{ cmp=com\.demo\.videohelper\/\.PushService \(has extras\) mCallingUid=10230 \}; code:PROC_STATE_TOP; tempAllowListReason:<,reasonCode:SYSTEM_ALLOW_LISTED,duration:9223372036854775807,callingUid:-1>; allowWiu:12; targetSdkVersion:33; callerTargetSdkVersion:33; startForegroundCount:0; bindFromPackage:null: isBindService:false\]\n/);
  });

  it('miui: caller= on starts, DevicePolicyManager before TelephonyPermissions, MIUILOG autostart reject, Android 10 Displayed', async () => {
    const log = await happenings('miui');
    expect(log).toMatch(/ I ActivityTaskManager: START u0 \{act=android\.intent\.action\.MAIN [^}]*\} from uid 2000\n/);
    expect(log).toMatch(/ I ActivityTaskManager: Displayed com\.demo\.video\/\.MainActivity: \+412ms\n/);
    expect(log).toMatch(/ W DevicePolicyManager: Package com\.demo\.video \(uid=10230, pid=\d+\) cannot access Device IDs\n[^\n]* W TelephonyPermissions: reportAccessDeniedToReadIdentifiers:com\.demo\.video:getImeiForSlot:/);
    expect(log).toMatch(/ I ActivityManager: Start proc \d+:com\.demo\.videohelper\/u0a231 for service \{com\.demo\.videohelper\/\.PushService\} caller=com\.demo\.video\n/);
    expect(log).not.toMatch(/Background started FGS/);
    expect(log).toMatch(/ I AutoStartManagerService: MIUILOG- Reject RestartService packageName :com\.demo\.video uid : 10230\n/);
    expect(log).not.toMatch(/Background start not allowed/);
  });

  it('emui: iAware AppStart lines name the caller and the refusal', async () => {
    const log = await happenings('emui');
    expect(log).toMatch(/ I AwareLog: AppStart: req:S,alw:4\[F\],flg:01-1-1-1,proc:10231,com\.demo\.videohelper,call:10230,com\.demo\.video act:null,cmp:com\.demo\.videohelper\/\.PushService\n[^\n]* I ActivityManager: Start proc \d+:com\.demo\.videohelper\/u0a231 for service/);
    expect(log).toMatch(/ I AwareLog: AppStart: req:R,alw:0\[F\],call:10230,null,act:null \{\.demo\.video#10230\}\n/);
    expect(log).not.toMatch(/Background started FGS/);
  });

  it('coloros: Android 14+ forms and OplusAppStartupManager', async () => {
    const log = await happenings('coloros');
    expect(log).toMatch(/ I ActivityTaskManager: Displayed com\.demo\.video\/\.MainActivity for user 0: \+412ms\n/);
    expect(log).toMatch(/uidState: BFGS; uidBFSL: \[BFSL\]; intent: Intent \{ cmp=com\.demo\.videohelper\/\.PushService \}/);
    expect(log).toMatch(/ D OplusAppStartupManager: prevent restart service, pkgName = com\.demo\.video, scenePriority = -1\n/);
  });

  it('virtual (default): the forms it always printed', async () => {
    const log = await happenings('virtual');
    expect(log).toMatch(/ I ActivityTaskManager: START u0 \{act=android\.intent\.action\.MAIN [^}]*\} from uid 2000\n/);
    expect(log).toMatch(/ I ActivityTaskManager: Displayed com\.demo\.video\/\.MainActivity: \+412ms\n/);
    expect(log).toMatch(/ I ActivityManager: Background started FGS: Allowed \[callingPackage: com\.demo\.video; callingUid: 10230; intent: Intent \{ cmp=com\.demo\.videohelper\/\.PushService \}\]\n/);
    expect(log).toMatch(/ I ActivityManager: Process com\.demo\.video \(pid \d+\) has died: fore TOP\n/);
  });

  it('every profile\'s whole log, a scenario walked through the run\'s stages, is threadtime a reader parses line by line', async () => {
    for (const profile of ROM_PROFILE_IDS) {
      const clock = new VirtualClock();
      const device = new VirtualDevice({ scenario: loadScenarioFile(join(SCENARIOS, 'undisclosed-sdk.yaml')), clock, profile });
      await exerciseScenario(device, clock);
      const lines = (await dumpLogcat(device)).split('\n').filter(Boolean);
      expect(lines.length, profile).toBeGreaterThan(150);
      const unparsed = lines.filter((l) => !parseLogLine(l, { year: 2026, offsetMinutes: 480 }));
      expect(unparsed, profile).toEqual([]);
    }
  });
});

describe('chatty (Android 10 profiles)', () => {
  async function fiveIdentical(profile: string): Promise<[string, string]> {
    const { sys, clock, run } = phone(profile);
    sys.launch('com.demo.video', 'am');
    await clock.advance(100);
    for (let i = 0; i < 5; i++) sys.appLog('com.demo.video', 3, 'EventBus', 'Please donot register with same enum priority');
    const held = await run('logcat -d -s EventBus chatty');
    sys.appLog('com.demo.video', 3, 'EventBus', 'a different line');
    const after = await run('logcat -d -s EventBus chatty');
    return [held, after];
  }

  for (const profile of ['miui', 'emui']) {
    it(`${profile}: a run of identical lines prints its first, "identical N lines" and its last, once a different line comes`, async () => {
      const [held, after] = await fiveIdentical(profile);
      // While the run lasts logd holds it back: only its first line is out.
      expect(held.split('\n').filter(Boolean)).toHaveLength(1);
      const lines = after.split('\n').filter(Boolean);
      expect(lines.map((l) => l.slice(19).trim())).toEqual([
        expect.stringMatching(/^\d+ +\d+ D EventBus: Please donot register with same enum priority$/),
        expect.stringMatching(/^\d+ +\d+ I chatty {2}: uid=10230\(com\.demo\.video\) identical 3 lines$/),
        expect.stringMatching(/^\d+ +\d+ D EventBus: Please donot register with same enum priority$/),
        expect.stringMatching(/^\d+ +\d+ D EventBus: a different line$/),
      ]);
      // The chatty line carries the app's pid and tid, as logd's does (capture 07).
      const pid = /^\S+ \S+ +(\d+) +(\d+)/.exec(lines[1]!)!;
      expect(lines[0]).toContain(` ${pid[1]} `);
    });
  }

  it('aosp14 and coloros (Android 12+) print every line', async () => {
    for (const profile of ['aosp14', 'coloros', 'virtual']) {
      const [held, after] = await fiveIdentical(profile);
      expect(held.split('\n').filter(Boolean), profile).toHaveLength(5);
      expect(after, profile).not.toMatch(/chatty/);
    }
  });

  it('a run of three leaves "identical 1 line"; a run of two is printed whole', async () => {
    const { sys, run } = phone('miui');
    sys.launch('com.demo.video', 'am');
    for (let i = 0; i < 3; i++) sys.appLog('com.demo.video', 4, 'Three', 'same');
    for (let i = 0; i < 2; i++) sys.appLog('com.demo.video', 4, 'Two', 'same');
    sys.appLog('com.demo.video', 4, 'End', 'x');
    const lines = (await run('logcat -d -s Three Two chatty')).split('\n').filter(Boolean).map((l) => l.replace(/^.* ([A-Z]) (\S+) *: /, '$1 $2: '));
    expect(lines).toEqual(['I Three: same', 'I chatty: uid=10230(com.demo.video) identical 1 line', 'I Three: same', 'I Two: same', 'I Two: same']);
  });

  it('pruning a full buffer leaves one "expire N lines" per thread, and readers still walk the ring in order', () => {
    const log = new LogBuffer(() => Date.UTC(2026, 10, 29), 60_000);
    log.enableChatty((uid) => (uid === 1000 ? 'system' : 'com.demo.flood'));
    for (let i = 0; i < 400; i++) log.append({ pid: 4100, uid: 10230, priority: 4, tag: 'Flood', message: `line ${i} ${'x'.repeat(40)}` });
    for (let i = 0; i < 50; i++) log.append({ pid: 1234, tid: 1265, priority: 4, tag: 'ActivityManager', message: `sys ${i} ${'y'.repeat(40)}`, buffer: 'system' });
    const all = [...log.all()];
    const marks = all.filter((e) => e.tag === 'chatty');
    expect(marks.length).toBeGreaterThan(0);
    expect(marks[0]!.message).toMatch(/^uid=10230\(com\.demo\.flood\) expire \d+ lines$/);
    // The marks stand for every line that left the ring.
    const flood = all.filter((e) => e.tag === 'Flood').length;
    const expired = marks.filter((m) => m.uid === 10230).reduce((n, m) => n + Number(/expire (\d+)/.exec(m.message)![1]), 0);
    expect(flood + expired).toBe(400);
    // Sequence numbers stay contiguous: a reader's cursor still finds its place.
    all.forEach((e, i) => expect(e.seq).toBe(all[0]!.seq + i));
    expect(log.read(all[10]!.seq, 3).map((e) => e.seq)).toEqual([all[10]!.seq, all[11]!.seq, all[12]!.seq]);
  });
});
