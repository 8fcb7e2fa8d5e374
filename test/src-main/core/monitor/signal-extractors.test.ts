// Every signal of issue #24 on REAL lines: each case names the capture of test/fixtures/real-logcat/ and its line
// (sources in SOURCES.md), or, for forms the corpus lacks, the public page or search-index file the line was
// found in. Single lines go through `extract`; what needs context (a crash over several lines, a pid or uid named
// earlier, an events-buffer line and its system-buffer twin) goes through a replay of the real run of lines.
import { describe, expect, it } from 'vitest';
import type { MonitorEvent } from '../../../../src-preload/monitor-events.js';
import { extract } from '../../../../src-main/core/monitor/extractors.js';
import { replay } from '../../../../src-main/core/monitor/replay.js';
import { corpusLine, corpusRun, corpusText, lineFrom } from '../../../support/real-lines.js';

const ex = (file: string, n: number) => extract(corpusLine(file, n));
const run = (lines: string[], packageName: string | null = null): MonitorEvent[] => replay(lines.join('\n'), { packageName, year: 2026, offsetMinutes: 0 }).events;
const only = <T extends MonitorEvent['type']>(events: MonitorEvent[], type: T) => events.filter((e): e is MonitorEvent & { type: T } => e.type === type);

describe('Android 14+ foreground-service starts', () => {
  it('uidState and uidBFSL between callingUid and intent (26:18, ColorOS 16), allowed', () => {
    expect(ex('26', 18)).toMatchObject({ type: 'intent.start', kind: 'service', callerPackage: 'com.codex.streetstrength', callerUid: 10429, target: 'com.codex.streetstrength', allowed: true, uidState: 'TOP', packageName: 'com.codex.streetstrength' });
  });
  it('refused: Disallowed, an intent with pkg= and no cmp (23:4, 26:39)', () => {
    expect(ex('23', 4)).toMatchObject({ type: 'intent.start', kind: 'service', callerPackage: 'com.oplus.aiwriter', target: 'com.oplus.aiwriter', allowed: false, uidState: 'IMPF' });
    expect(ex('26', 39)).toMatchObject({ allowed: false, callerPackage: 'com.oplus.aiwriter' });
  });
  it('another package started by the caller (24:204, Motorola 15: com.android.phone starts com.mediatek.simprocessor)', () => {
    expect(ex('24', 204)).toMatchObject({ callerPackage: 'com.android.phone', target: 'com.mediatek.simprocessor', uidState: 'PER', packageName: 'com.android.phone' });
  });
  it('BFGS on the emulator (03:990) and LineageOS (06:551)', () => {
    expect(ex('03', 990)).toMatchObject({ target: 'com.google.android.apps.messaging', uidState: 'BFGS', allowed: true });
    expect(ex('06', 551)).toMatchObject({ target: 'org.kde.kdeconnect_tp', uidState: 'BFGS' });
  });
});

describe('process starts', () => {
  it('for restart PKG, for added application PKG, for on-hold, for null (03:61, 24:3, 24:248, 27:47)', () => {
    expect(ex('03', 61)).toMatchObject({ type: 'process.start', pid: 2688, hostingType: 'restart', component: '', packageName: 'com.android.phone', uid: 1001 });
    expect(ex('24', 3)).toMatchObject({ hostingType: 'added application', packageName: 'com.mediatek.ims', selfStart: true });
    expect(ex('24', 248)).toMatchObject({ hostingType: 'on-hold', component: '', packageName: 'com.google.android.ext.services' });
    // An isolated WebView loader: no package to name.
    expect(ex('27', 47)).toMatchObject({ pid: 487, process: 'WebViewLoader-x86', hostingType: 'null', packageName: null });
  });
  it('a shared process started for another package\'s component is filed under the component\'s package (04:9, 04:49, 06:81)', () => {
    expect(ex('04', 9)).toMatchObject({ process: 'android.process.acore', packageName: 'com.android.providers.userdictionary', hostingType: 'content provider' });
    expect(ex('04', 49)).toMatchObject({ process: 'com.google.process.gservices', packageName: 'com.google.android.gsf' });
    expect(ex('06', 81)).toMatchObject({ process: 'android.process.media', packageName: 'com.android.providers.downloads' });
  });
  it('a sandboxed WebView process, empty hosting type, filed under the app whose component it runs (search index file 12154988334, an events buffer)', () => {
    const line = lineFrom('02-15 22:11:28.998  1622  1809 I am_proc_start: [0,2196,99529,com.google.android.webview:sandboxed_process0:org.chromium.content.app.SandboxedProcessService0:0,,{com.maxim.wordcard.free/org.chromium.content.app.SandboxedProcessService0:0}]');
    expect(extract(line)).toMatchObject({ type: 'process.start', pid: 2196, hostingType: '', selfStart: false, process: 'com.google.android.webview:sandboxed_process0:org.chromium.content.app.SandboxedProcessService0:0', packageName: 'com.maxim.wordcard.free' });
    // The isolated uid is lent, not the app's: a later line naming it names no app.
    const poll = '02-15 22:11:29.500  1622  1809 W ActivityManager: getRunningAppProcesses: caller 99529 does not hold REAL_GET_TASKS; limiting output';
    expect(only(run([line.raw, poll]), 'sensitive.access')[0]).toMatchObject({ uid: 99529, packageName: null });
  });
  it('keeps caller= (07:190, MIUI 12: the app starting its own :cache process)', () => {
    expect(ex('07', 190)).toMatchObject({ process: 'com.netease.yanxuan:cache', caller: 'com.netease.yanxuan', hostingType: 'service', uid: 10312 });
  });
  it('the pre-7 form without braces, with pid= and uid= (29:7 an ad-SDK receiver; 30:15 acore for contacts; 30:1 added application)', () => {
    expect(ex('29', 7)).toMatchObject({ pid: 715, uid: 10015, hostingType: 'broadcast', component: 'us.spy.camera.spycamera.free.hd/com.mm1373232063.android.MessageReceiver1373232063', packageName: 'us.spy.camera.spycamera.free.hd' });
    expect(ex('30', 15)).toMatchObject({ pid: 26826, process: 'android.process.acore', packageName: 'com.android.providers.contacts' });
    expect(ex('30', 1)).toMatchObject({ pid: 26747, hostingType: 'added application', packageName: 'com.lbe.security.miui' });
  });
  it('a line cut after "for " still names the process (28:1)', () => {
    expect(ex('28', 1)).toMatchObject({ type: 'process.start', pid: 11950, packageName: 'app.revanced.android.youtube', hostingType: '', selfStart: false });
  });
});

describe('deaths and kills', () => {
  it('Killing PID:PROC/UID (adj N): reason (02:640), EMUI\'s user prefix (11:13), a sandboxed WebView (15:7)', () => {
    expect(ex('02', 640)).toMatchObject({ type: 'process.killed', pid: 6878, process: 'com.codex.streetstrength', uid: 10421, adj: 900, reason: 'remove task', packageName: 'com.codex.streetstrength' });
    expect(ex('11', 13)).toMatchObject({ type: 'process.killed', process: 'com.huawei.systemmanager', uid: 1000, reason: 'empty for 3145s' });
    expect(ex('15', 7)).toMatchObject({ type: 'process.killed', uid: null, reason: 'isolated not needed', packageName: 'com.android.webview' });
  });
  it('Got obituary (02:692) and One UI\'s (adj,?) suffix (31:1)', () => {
    expect(ex('02', 692)).toMatchObject({ type: 'process.death', pid: 6878, process: 'com.codex.streetstrength', packageName: 'com.codex.streetstrength' });
    expect(ex('31', 1)).toMatchObject({ type: 'process.death', pid: 420, state: 'cch+35 CEM (59,454)' });
  });
  it('vendor killers: ColorOS OsenseKillAction (23:44), Flyme PermissionControl (16:1)', () => {
    expect(ex('23', 44)).toMatchObject({ type: 'process.killed', pid: 23587, process: 'com.android.cellbroadcastreceiver.module', uid: 10273, reason: 'Cached(nirvana)', killer: 'ColorOS Osense' });
    expect(ex('16', 1)).toMatchObject({ type: 'process.killed', pid: 24808, reason: 'force kill by AMS', killer: 'Flyme PermissionControl' });
  });
  it('the events buffer: am_kill and am_proc_died (12:7-8); MIUI\'s am_kill with a stop reason (search index file 5179400206, a 2017 MIUI capture)', () => {
    expect(ex('12', 7)).toMatchObject({ type: 'process.killed', pid: 8377, process: 'com.android.vending', adj: 15, reason: 'empty #17', killer: 'am_kill' });
    expect(ex('12', 8)).toMatchObject({ type: 'process.death', pid: 8377, packageName: 'com.android.vending' });
    expect(extract(lineFrom('12-21 21:12:20.265  1053  1075 I am_kill : [0,4892,com.tencent.tim:Daemon,5,stop com.tencent.tim: from pid 4617]')))
      .toMatchObject({ type: 'process.killed', pid: 4892, process: 'com.tencent.tim:Daemon', reason: 'stop com.tencent.tim: from pid 4617', packageName: 'com.tencent.tim' });
  });
  it('a Flyme kill names only a pid: the package comes from the death line after it, not guessed (16:1-3)', () => {
    const events = run(corpusRun('16', 1, 3));
    expect(only(events, 'process.killed')[0]).toMatchObject({ pid: 24808, packageName: null });
    expect(only(events, 'process.death')[0]).toMatchObject({ pid: 24808, packageName: 'me.piebridge.brevent' });
  });
  it('a process name that is not its package: the shared-process table and what the log taught (31:3; 03:764-836)', () => {
    expect(only(run(corpusRun('31', 1, 10)), 'process.death').map((e) => e.packageName)).toEqual(['com.samsung.android.dqagent', 'com.google.android.gsf', 'com.samsung.android.scpm', 'com.google.android.googlequicksearchbox']);
    // The ANR's reason names the service the gms.persistent process runs: the kill after it is filed under gms.
    const killed = only(run(corpusRun('03', 760, 840)), 'process.killed');
    expect(killed.find((k) => k.pid === 2144)).toMatchObject({ process: 'com.google.android.gms.persistent', packageName: 'com.google.android.gms', reason: 'bg anr' });
  });
  it('an events-buffer line and its system-buffer twin are one event, reported from the line the tester reads (24:1-3)', () => {
    const starts = only(run(corpusRun('24', 1, 3)), 'process.start');
    expect(starts).toHaveLength(1);
    expect(starts[0]!.raw[0]).toContain('ActivityManager: Start proc 2130:com.mediatek.ims');
  });
  it('an events-only capture still gives its events, at the end of the log (12:1-8)', () => {
    const types = run(corpusRun('12', 1, 8)).map((e) => e.type);
    expect(types.filter((t) => t === 'process.start')).toHaveLength(2);
    expect(types).toEqual(expect.arrayContaining(['process.killed', 'process.death']));
  });
});

describe('crashes', () => {
  it('FATAL EXCEPTION over three lines: the package is on the second, the exception on the third (05:2-4, 05:13-15, 05:16-18)', () => {
    const crashes = only(run(corpusRun('05', 1, 31)), 'app.crash');
    expect(crashes.map((c) => [c.crash, c.packageName, c.pid])).toEqual([['java', 'com.lotusflare.globe.de', 5118], ['java', 'com.facebook.katana', 6117], ['java', 'com.huawei.hiviewtunnel', 23041]]);
    expect(crashes[0]!.raw).toHaveLength(3);
    expect(crashes[0]!.raw[0]).toContain('FATAL EXCEPTION: Thread-5');
    expect(crashes[0]!.detail).toMatch(/^java\.lang\.IllegalStateException: Not allowed to start service/);
    expect(crashes[2]!.process).toBe('com.huawei.hiviewtunnel:hwbdservice');
  });
  it('a native signal named only by the tombstone that follows (05:75 → 05:80)', () => {
    const [crash] = only(run(corpusRun('05', 75, 83)), 'app.crash');
    expect(crash).toMatchObject({ crash: 'native', pid: 14367, packageName: 'com.companyname.microphonepermission' });
    expect(crash!.raw[0]).toContain('Fatal signal 6 (SIGABRT)');
    expect(crash!.deviceTime).toBe(lineFrom(corpusText('05', 75)).time);
  });
  it('a native signal named by its pid, learned from the app\'s own chatty line (07:36, 07:99)', () => {
    const [crash] = only(run(corpusRun('07', 36, 110)), 'app.crash');
    expect(crash).toMatchObject({ crash: 'native', pid: 5687, packageName: 'com.netease.yanxuan', detail: 'signal 11 (SIGSEGV) in thread nioEventLoopGro' });
  });
  it('a native signal named by its cut process name (03:912 names the process, 03:1217 the signal)', () => {
    const [crash] = only(run(corpusRun('03', 900, 1220)), 'app.crash').filter((c) => c.crash === 'native');
    expect(crash).toMatchObject({ pid: 3387, process: 'droid.bluetooth', packageName: 'com.google.android.bluetooth' });
  });
  it('ANR in PROCESS with its PID and reason (03:764-766)', () => {
    const [anr] = only(run(corpusRun('03', 764, 770)), 'app.crash');
    expect(anr).toMatchObject({ crash: 'anr', pid: 2144, process: 'com.google.android.gms.persistent', packageName: 'com.google.android.gms', detail: 'executing service com.google.android.gms/.geotimezone.GeoTimeZoneService' });
  });
});

describe('refused starts', () => {
  it('AOSP Background start not allowed names the app and its pid (06:41, 06:316)', () => {
    expect(ex('06', 41)).toMatchObject({ type: 'start.blocked', blocker: 'android', target: 'com.eg.android.AlipayGphone', callerPackage: 'com.eg.android.AlipayGphone', uid: 10201, packageName: 'com.eg.android.AlipayGphone' });
    expect(ex('06', 316)).toMatchObject({ component: 'com.tencent.wework/com.tencent.wemeet.tmsdk.ipc.WeMeetService', uid: 10222 });
  });
  it('the app\'s own exception, inside a crash (05:4)', () => {
    expect(ex('05', 4)).toMatchObject({ type: 'start.blocked', blocker: 'android', target: 'com.lotusflare.globe.de', component: 'com.lotusflare.globe.de/com.lotusflare.dataeyesdk.DataEyeService', uid: 10119, reason: 'app is in background' });
  });
  it('MIUI AutoStartManagerService (07:69; search index file 5179400206, MIUI 2017)', () => {
    expect(ex('07', 69)).toMatchObject({ type: 'start.blocked', blocker: 'miui', target: 'com.netease.yanxuan', uid: 10312, reason: 'RestartService' });
    expect(extract(lineFrom('12-21 21:12:20.266  1053  1075 I AutoStartManagerService: MIUILOG- Reject RestartService packageName :com.tencent.tim uid : 10146'))).toMatchObject({ blocker: 'miui', target: 'com.tencent.tim', uid: 10146 });
  });
  it('ColorOS OplusAppStartupManager (23:14)', () => {
    expect(ex('23', 14)).toMatchObject({ type: 'start.blocked', blocker: 'coloros', target: 'com.oplus.notificationmanager', reason: 'prevent restart service' });
  });
  // No real capture of iAware's lines was found: these follow the layout AwareAppStartupPolicy.printReqLog and
  // printMergeReqLog print in a decompiled EMUI framework (search-index files 29014190826 and 28191135455).
  const AWARE = (message: string) => lineFrom(`08-03 10:20:30.123  1187  2311 I AwareLog: ${message}`);
  it('Huawei iAware refusing a restart (alw:0), merged with the leading com dropped', () => {
    expect(extract(AWARE('AppStart: req:R,alw:0[F],call:10230,null,act:null {.demo.video#10230}'))).toMatchObject({ type: 'start.blocked', blocker: 'emui', target: 'com.demo.video', uid: 10230, callerPackage: null, reason: 'req:R,alw:0' });
    expect(extract(AWARE('AppStart: req:S,alw:0[F],call:10230,com.demo.video act:null,cmp:com.demo.helper/.KeepAlive'))).toMatchObject({ blocker: 'emui', target: 'com.demo.helper', component: 'com.demo.helper/.KeepAlive', callerPackage: 'com.demo.video', packageName: 'com.demo.video' });
  });
  it('Huawei iAware allowing one app to start another\'s service: the caller of the Start proc that follows', () => {
    const allowed = 'AppStart: req:S,alw:4[F],flg:01-1-1-1,proc:10231,com.demo.helper,call:10230,com.demo.video act:null,cmp:com.demo.helper/.SyncService';
    expect(extract(AWARE(allowed))).toMatchObject({ type: 'intent.start', kind: 'service', callerPackage: 'com.demo.video', callerUid: 10230, target: 'com.demo.helper', allowed: true });
    const events = run([
      `08-03 10:20:30.123  1187  2311 I AwareLog: ${allowed}`,
      '08-03 10:20:30.140  1187  1230 I ActivityManager: Start proc 4242:com.demo.helper/u0a231 for service {com.demo.helper/com.demo.helper.SyncService}',
    ], 'com.demo.video');
    expect(only(events, 'process.start')).toMatchObject([{ packageName: 'com.demo.helper', caller: 'com.demo.video' }]);
    // Not AppStart, or no decision: nothing.
    expect(extract(AWARE('AppStart: req:S,flg:01-1-1-1'))).toBeNull();
    expect(extract(AWARE('PreloadApp: com.demo.video'))).toBeNull();
  });
});

describe('package updates and displayed activities', () => {
  // Android 14 emulator, threadtime; search index file 56402291943 (an IDE transcript quoting `adb logcat -d`).
  const UPDATE = '06-14 14:53:23.789   516   585 I PackageManager: Update package com.vidyasetuai code path from /data/app/~~OsMCEcNTIsWRQJ5WtVI3UQ==/com.vidyasetuai-6QA3TdSii3gJyk8eLmThzw== to /data/app/~~NPLf_pmTRE-dVQpwmIiqzA==/com.vidyasetuai-ZNioAp_m4dbNMJ4vEIZuDg==; Retain data and using new';
  // Android 6, search index (issues corpus): pengrad/java-telegram-bot-api#18, reporter's Studio paste.
  const OLD_UPDATE = 'Package amir.telegrambotapi codePath changed from /data/app/amir.telegrambotapi-2.apk to /data/app/amir.telegrambotapi-1.apk; Retaining data and using new';
  it('Update package … code path from … to … (9+) and codePath changed (6-8)', () => {
    expect(extract(lineFrom(UPDATE))).toMatchObject({ type: 'package.updated', packageName: 'com.vidyasetuai' });
    expect(extract({ ...lineFrom(UPDATE), message: OLD_UPDATE })).toMatchObject({ type: 'package.updated', packageName: 'amir.telegrambotapi' });
  });
  it('Displayed PKG/.Act in three forms (07:2, 23:288, 24:199)', () => {
    expect(ex('07', 2)).toMatchObject({ type: 'app.displayed', component: 'com.netease.yanxuan/.module.mainpage.activity.MainPageActivity', ms: 886, packageName: 'com.netease.yanxuan' });
    expect(ex('23', 288)).toMatchObject({ component: 'com.codex.streetstrength/.MainActivity', ms: 166 });
    expect(ex('24', 199)).toMatchObject({ component: 'com.android.settings/.FallbackHome', ms: 1199 });
  });
});

describe('sensitive reads app ops do not show', () => {
  it('clipboard reads the phone allowed (26:45, ColorOS 16: Douyin; 02:225)', () => {
    expect(ex('26', 45)).toMatchObject({ type: 'sensitive.access', data: 'clipboard', outcome: 'allowed', via: 'op 29', packageName: 'com.ss.android.ugc.aweme' });
    expect(ex('02', 225)).toMatchObject({ data: 'clipboard', outcome: 'allowed', packageName: 'com.dragon.read' });
  });
  it('a clipboard denial (A-EDev/Flow#1044, GrapheneOS Pixel, Android 17: the message as posted)', () => {
    const line = { ...lineFrom(corpusText('26', 45)), message: 'Denying clipboard access to io.github.aedev.flow, application is not in focus nor is it a system service for user 0' };
    expect(extract(line)).toMatchObject({ data: 'clipboard', outcome: 'denied', packageName: 'io.github.aedev.flow' });
  });
  it('Wi-Fi connection info by uid (search index file 58862449513, a phone_test.log quoted in a repository\'s notes)', () => {
    expect(extract(lineFrom('01-13 21:52:41.669  1397  1515 E WifiService: getConnectionInfo uid=10207'))).toMatchObject({ data: 'wifi-info', outcome: 'allowed', uid: 10207, via: 'getConnectionInfo' });
  });
  it('cell info through the telephony location check: allowed and refused (microg/UnifiedNlp#232)', () => {
    expect(extract(lineFrom("03-13 18:57:38.788  6571  6757 E LocationAccessPolicy: Allowing org.microg.nlp.backend.ichnaea fine because it doesn't target API 29 yet. Please fix this app. Called from getAllCellInfo")))
      .toMatchObject({ data: 'cell-info', outcome: 'allowed', via: 'getAllCellInfo', packageName: 'org.microg.nlp.backend.ichnaea' });
    expect(extract(lineFrom('03-13 18:57:38.798  6571  6757 I LocationAccessPolicy: org.microg.nlp.backend.ichnaea is aware of coarse but the app-ops permission is specifically denied.')))
      .toMatchObject({ data: 'cell-info', outcome: 'denied', packageName: 'org.microg.nlp.backend.ichnaea' });
  });
  it('the app\'s own refusal (termux/termux-api#363, Android 10)', () => {
    expect(extract(lineFrom('08-09 18:26:48.107 19955 20643 E termux-api: java.lang.SecurityException: Not allowed to access cell info'))).toMatchObject({ data: 'cell-info', outcome: 'denied' });
  });
  it('running apps and running tasks polled without REAL_GET_TASKS (search index file 9248556724, Samsung Android 6)', () => {
    expect(extract(lineFrom('09-01 11:14:52.657  1019  1031 W ActivityManager: getRunningAppProcesses: caller 10087 does not hold REAL_GET_TASKS; limiting output')))
      .toMatchObject({ data: 'running-apps', outcome: 'limited', uid: 10087 });
    const tasks = { ...lineFrom('09-01 11:14:52.657  1019  1031 W ActivityManager: x'), message: 'getRunningTasks: caller 10087 does not hold REAL_GET_TASKS; limiting output' };
    expect(extract(tasks)).toMatchObject({ data: 'foreground-app', outcome: 'limited' });
  });
  it('the Google advertising-id service looked up (28:2); a service that is no id provider is not (26:3)', () => {
    expect(ex('28', 2)).toMatchObject({ type: 'sensitive.access', data: 'oaid', via: 'Google advertising id', outcome: 'unknown' });
    expect(ex('26', 3)).toBeNull();
  });
  it('vendor OAID providers by their intent or authority (composed: the failure forms of 28:2 and the opengapps#53 paste, with the names SDKs bind, e.g. search index file 12730126629)', () => {
    const unable = corpusText('28', 2).replace('act=com.google.android.gms.ads.identifier.service.START pkg=app.revanced.android.gms', 'act=com.uodis.opendevice.OPENIDS_SERVICE pkg=com.huawei.hwid');
    expect(extract(lineFrom(unable))).toMatchObject({ data: 'oaid', via: 'Huawei OAID' });
    const provider = (authority: string) => ({ ...lineFrom(corpusText('28', 2)), pid: 3914, tag: 'ActivityThread', message: `Failed to find provider info for ${authority}` });
    expect(extract(provider('com.vivo.vms.IdProvider'))).toMatchObject({ data: 'oaid', via: 'vivo id provider' });
    expect(extract(provider('com.meizu.flyme.openidsdk'))).toMatchObject({ data: 'oaid', via: 'Meizu OpenID' });
    // The opengapps#53 paste's own authority is no id provider.
    expect(extract(provider('com.google.android.gsf.gservices'))).toBeNull();
  });
  it('a read by uid names its app once the log named the uid (06:48 names u0a201; a REAL_GET_TASKS line of that uid)', () => {
    const poll = corpusText('06', 48).replace(/ActivityManager: .*$/, 'ActivityManager: getRunningAppProcesses: caller 10201 does not hold REAL_GET_TASKS; limiting output');
    const [read] = only(run([corpusText('06', 48), poll]), 'sensitive.access');
    expect(read).toMatchObject({ data: 'running-apps', uid: 10201, packageName: 'com.eg.android.AlipayGphone' });
  });
});

describe('identifier reads', () => {
  it('TelephonyPermissions reports: each line is one read, none swallowed by the burst (07:39-62)', () => {
    const reads = only(run(corpusRun('07', 36, 62)), 'identifier.access');
    expect(reads.map((r) => [r.method, r.packageName])).toEqual([['getDeviceId', 'com.netease.yanxuan'], ['getDeviceId', 'com.netease.yanxuan'], ['getDeviceId', 'com.netease.yanxuan'], ['getDeviceId', 'com.netease.yanxuan'], ['getDeviceId', 'com.netease.yanxuan']]);
  });
  it('a reflective read that failed in the app names its process (07:42)', () => {
    expect(ex('07', 42)).toMatchObject({ type: 'identifier.access', method: 'getDeviceId', pid: 5687 });
  });
  // One access logged twice — the system's report and the app's own exception — is one read; two processes of one
  // app (the main one and its :cache process, 07:190) reading in the same second are two. Composed from real forms:
  // the report is 07:39 as logged; the exception is the Android 10 message of search index file 20831415465, with
  // this app's uid and method, logged by each process (System.err as in 07:42).
  const START_CACHE = corpusText('07', 190).replace(/^\t/, '');
  const report = (ms: number): string => corpusText('07', 39).replace(/^\t/, '').replace('36.197', `36.${ms}`);
  const exception = (ms: number, pid: number): string => `09-14 10:14:36.${ms}  ${pid}  ${pid + 40} W System.err: java.lang.SecurityException: getDeviceId: The user 10312 does not meet the requirements to access device identifiers.`;
  it('a system report and the app\'s exception for one access are one read, in either order', () => {
    expect(only(run([START_CACHE, report(700), exception(705, 5687)]), 'identifier.access')).toHaveLength(1);
    expect(only(run([START_CACHE, exception(700, 5687), report(702)]), 'identifier.access')).toHaveLength(1);
  });
  it('de-duplicated per process: an SDK\'s own process reading in the main process\'s burst is a read of its own', () => {
    const lines = [START_CACHE, report(700), exception(705, 5687), report(740), exception(745, 5961)];
    for (const focus of [null, 'com.netease.yanxuan']) {
      expect(only(run(lines, focus), 'identifier.access').map((r) => [r.method, r.packageName])).toEqual([['getDeviceId', 'com.netease.yanxuan'], ['getDeviceId', 'com.netease.yanxuan']]);
    }
    // The same process logging its exception twice is still one read.
    expect(only(run([START_CACHE, exception(700, 5961), exception(701, 5961)], 'com.netease.yanxuan'), 'identifier.access')).toHaveLength(1);
  });
  it('Android 10 says "The user N" (search index file 20831415465)', () => {
    const line = { ...lineFrom(corpusText('07', 42)), tag: 'DeviceRegistration', message: 'SecurityException: getSerial: The user 10140 does not meet the requirements to access device identifiers.' };
    expect(extract(line)).toMatchObject({ type: 'identifier.access', method: 'getSerial', uid: 10140 });
  });
});

describe('gaps in the evidence', () => {
  it('chatty: lines dropped and repeats folded, with the app when the uid names one (27:1, 27:59, 07:36)', () => {
    expect(ex('27', 1)).toMatchObject({ type: 'log.gap', reason: 'chatty-identical', lines: 5, uid: 1000, process: 'composer@2.1-se', packageName: null });
    expect(ex('27', 59)).toMatchObject({ type: 'log.gap', reason: 'chatty-expire', lines: 4, process: 'ActivityManager', packageName: null });
    expect(ex('07', 36)).toMatchObject({ type: 'log.gap', reason: 'chatty-identical', lines: 13, uid: 10312, packageName: 'com.netease.yanxuan' });
  });
  it('the clock going back (04:83-84, LineageOS boot: 18:18:41 → 18:17:26) is a gap with both times', () => {
    const [gap] = only(run(corpusRun('04', 80, 90)), 'log.gap');
    expect(gap).toMatchObject({ reason: 'clock-back', from: lineFrom(corpusText('04', 83)).time, to: lineFrom(corpusText('04', 84)).time });
  });
  it('a buffer\'s banner seen again (two captures of one phone appended: 05:1-11 twice) is a restart between two times', () => {
    const first = corpusRun('05', 1, 11);
    const [gap] = only(run([...first, ...first]), 'log.gap');
    expect(gap).toMatchObject({ reason: 'restart', from: lineFrom(corpusText('05', 11)).time, to: lineFrom(corpusText('05', 2)).time });
  });
});

describe('forms found by the whole corpus after the formats were read', () => {
  it('Android Studio\'s PROCESS STARTED / ENDED markers are a process of the package starting and ending (09:7, 09:271-272)', () => {
    const events = run(corpusRun('09', 1, 272));
    expect(only(events, 'process.start').map((e) => [e.pid, e.packageName, e.deviceTime, e.sourceLines])).toEqual([[2155, 'br.com.ohmybread', null, [7]], [2155, 'br.com.ohmybread', null, [272]]]);
    expect(only(events, 'process.death').map((e) => [e.pid, e.packageName, e.state])).toEqual([[2155, 'br.com.ohmybread', 'ended (Android Studio)']]);
  });
  it('an advertising-id SDK asking the id service over AIDL is an OAID look-up (35:1, Honor EMUI 9)', () => {
    expect(ex('35', 1)).toMatchObject({ type: 'sensitive.access', data: 'oaid', via: 'AdvertisingIdClient' });
  });
  it('older MIUI names the refused service in an Intent, on the line after its empty-message header (36:1-2)', () => {
    const [blocked] = only(run(corpusRun('36', 1, 2)), 'start.blocked');
    expect(blocked).toMatchObject({ blocker: 'miui', target: 'ooo.oxo.apps.earth', component: 'ooo.oxo.apps.earth/.sync.EarthsSyncService', uid: 10118, packageName: 'ooo.oxo.apps.earth', sourceLines: [1, 2] });
  });
  it('a cell-info call LocationAccessPolicy lets past its fine check and then refuses on coarse is one refused read (42:3-4)', () => {
    const reads = only(run(corpusRun('42', 1, 9)), 'sensitive.access');
    expect(reads.map((e) => [e.data, e.outcome, e.packageName, e.sourceLines])).toEqual([
      ['cell-info', 'denied', 'org.microg.nlp.backend.ichnaea', [4]], ['cell-info', 'denied', 'org.microg.nlp.backend.ichnaea', [6]], ['cell-info', 'denied', 'org.microg.nlp.backend.ichnaea', [8]],
    ]);
    // Let past the fine check and no coarse refusal after it: the read went through (search index file 35284364408, a Pixel).
    const alone = ['12-20 14:43:25.635  1357  3572 I LocationAccessPolicy: Allowing com.quvideo.xiaoying fine because it doesn\'t target API 29 yet. Please fix this app. Called from TelephonyRegistry push', '12-20 14:43:25.636  2092  2173 I QCNEJ/CndHalConnector: -> SND notifyWwanSubtypeChanged(13)'];
    expect(only(run(alone), 'sensitive.access').map((e) => [e.data, e.outcome, e.packageName])).toEqual([['cell-info', 'allowed', 'com.quvideo.xiaoying']]);
  });
});
