/**
 * Xiaomi MIUI 12 on Android 10 (Mi 10 Lite Zoom, `vangogh`), the phone of capture 07
 * (test/fixtures/real-logcat/07-xiaomi-miui12-tab-indented-blog.txt, a real MIUI 12 log with chatty runs).
 *
 * Identity: fingerprint from the same log's tombstone header (`Build fingerprint: 'Xiaomi/vangogh/vangogh:10/
 * QKQ1.191222.002/V12.0.6.0.QJVCNXM:user/release-keys'`, search index file 30590628863); model M2002J9E and brand
 * Xiaomi from a vangogh device tree (index 25649406370); `ro.miui.ui.version.name` V12 / `.code` 10 as a MIUI 12
 * getprop quoted in index 36169605045; `ro.miui.region` CN as quoted in index 33153526208. The description follows
 * the vangogh device tree's PRIVATE_BUILD_DESC pattern (index 3896209114); the security patch is not sourced.
 *
 * Lines (Android 10 AOSP forms, android10Lines) where MIUI prints its own, every one from capture 07:
 * - `Start proc 5961:com.netease.yanxuan:cache/u0a312 for service {…} caller=com.netease.yanxuan` (line 190): MIUI
 *   appends the starting app; printed here when an app starts a process (its own sub-process, another app's service).
 * - `W DevicePolicyManager: Package com.netease.yanxuan (uid=10312, pid=5687) cannot access Device IDs` before each
 *   TelephonyPermissions report (lines 38-39).
 * - `I AutoStartManagerService: MIUILOG- Reject RestartService packageName :com.netease.yanxuan uid : 10312`
 *   (line 69): MIUI's autostart manager refusing a service restart.
 * Chatty: logd of Android 10 collapses runs (`I chatty  : uid=10312(com.netease.yanxuan) identical 13 lines`, line 36).
 * The permission dialog keeps the AOSP controller: no MIUI REQUEST_PERMISSIONS line was found in the index.
 */
import type { RomProfile } from './rom-profile.js';
import { android10Lines, SYSTEM_SERVER_PID, type SystemLine } from './system-lines.js';
import { bootAddedApplications } from './vendor-noise.js';

const AUTOSTART_TID = SYSTEM_SERVER_PID + 2015;

export const miuiProfile: RomProfile = {
  id: 'miui',
  name: { zh: 'MIUI 12（小米 Android 10）', en: 'MIUI 12 (Xiaomi, Android 10)' },
  description: { zh: '小米 MIUI 的日志：自启动管理拒绝（MIUILOG-）、Start proc … caller=、设备标识拒绝的 DevicePolicyManager 行，以及 chatty 折叠重复行。', en: 'MIUI log forms: autostart rejects (MIUILOG-), Start proc … caller=, DevicePolicyManager lines for refused identifier reads, and chatty collapsing repeated lines.' },
  identity: {
    manufacturer: 'Xiaomi', brand: 'Xiaomi', model: 'M2002J9E', device: 'vangogh', product: 'vangogh',
    release: '10', sdk: 29, buildId: 'QKQ1.191222.002', incremental: 'V12.0.6.0.QJVCNXM',
    fingerprint: 'Xiaomi/vangogh/vangogh:10/QKQ1.191222.002/V12.0.6.0.QJVCNXM:user/release-keys',
    description: 'vangogh-user 10 QKQ1.191222.002 V12.0.6.0.QJVCNXM release-keys', displayId: 'QKQ1.191222.002', securityPatch: '2020-11-01',
    vendor: { 'ro.miui.ui.version.name': 'V12', 'ro.miui.ui.version.code': '10', 'ro.miui.region': 'CN' },
  },
  lines: {
    ...android10Lines,
    processStart: (a) => {
      const [start, ...rest] = android10Lines.processStart(a);
      return a.caller ? [{ ...start!, message: `${start!.message} caller=${a.caller.packageName}` }, ...rest] : [start!, ...rest];
    },
    identifierDenied: (a) => [
      // In the main buffer: between two identical TelephonyPermissions lines it keeps chatty from folding them (07, lines 38-41).
      { tag: 'DevicePolicyManager', priority: 5, buffer: 'main', tid: SYSTEM_SERVER_PID + 4503, message: `Package ${a.packageName} (uid=${a.uid}, pid=${a.pid}) cannot access Device IDs` },
      ...android10Lines.identifierDenied(a),
    ],
    startRefused: (a) => [{ tag: 'AutoStartManagerService', priority: 4, buffer: 'system', tid: AUTOSTART_TID, message: `MIUILOG- Reject RestartService packageName :${a.packageName} uid : ${a.uid}` }],
  },
  chatty: true,
  controller: { packageName: 'com.android.permissioncontroller', activity: '.permission.ui.GrantPermissionsActivity' },
  noise: {
    boot: bootAddedApplications,
    afterTick: (step, app): SystemLine[] => {
      switch (step) {
        // The same line four times from one app, as yanxuan's ForceDarkHelper in capture 07 (lines 83-85): chatty folds it.
        case 0: return Array.from({ length: 4 }, () => ({ pid: app.pid, uid: app.uid, priority: 3, tag: 'ForceDarkHelper', message: `updateByCheckExcludeList: pkg: ${app.packageName} activity: ${app.packageName}.MainActivity@c645f1c` }));
        // `I MiuiNetworkPolicy: updateUidState uid = 10061, uidState = 16` (07, line 102).
        case 1: return [{ tag: 'MiuiNetworkPolicy', priority: 4, buffer: 'system', tid: SYSTEM_SERVER_PID + 547, message: `updateUidState uid = ${app.uid}, uidState = 16` }];
        // A real MIUI line quoted in a public Xposed module (index 11772967635): `W/BroadcastQueueInjector(  764): Unable to
        // launch app de.robv.android.xposed.installer/10127 for broadcast Intent { act=android.intent.action.PACKAGE_ADDED
        // dat=package:com.virjar.hermes.hermesagent flg=0x4000010 (has extras) }: process is not permitted to  auto start`.
        case 4: return [{ tag: 'BroadcastQueueInjector', priority: 5, buffer: 'system', tid: SYSTEM_SERVER_PID + 22, message: `Unable to launch app ${app.packageName}/${app.uid} for broadcast Intent { act=android.intent.action.PACKAGE_ADDED dat=package:${app.otherPackage} flg=0x4000010 (has extras) }: process is not permitted to  auto start` }];
        // After the app's process was reclaimed its sticky service may not restart (07, lines 66-69).
        case 5: return [{ tag: 'AutoStartManagerService', priority: 4, buffer: 'system', tid: AUTOSTART_TID, message: `MIUILOG- Reject RestartService packageName :${app.packageName} uid : ${app.uid}` }];
        default: return [];
      }
    },
  },
};
