/**
 * Huawei EMUI 10.1 on Android 10 (HUAWEI P40 Pro, ELS-AN00).
 *
 * Identity: fingerprint from a real native-crash report in the search index (file 32764375227: `Build fingerprint:
 * 'HUAWEI/ELS-AN00/HWELS:10/HUAWEIELS-AN00/102.0.0.138C00:user/release-keys'`); brand, model, device as a P40 Pro
 * profile in index 19169798317 (HUAWEI / ELS-AN00 / HWELS); `ro.build.version.emui` EmotionUI_10.1.0 as quoted in
 * index 36866983417; `ro.config.marketing_name` is a property of a real Huawei getprop (index 69458733171). The
 * description and display id follow the AOSP and Huawei patterns and are not sourced; nor is the security patch.
 *
 * Lines: Android 10 AOSP forms (android10Lines); chatty as capture 05 (Huawei Y6, EMUI 8) shows. Huawei's own:
 * - iAware's start decisions, `AwareLog` lines tagged `AppStart`. NO REAL CAPTURE of one was found; the layout is
 *   AwareAppStartupPolicy.printReqLog / printMergeReqLog of a decompiled Huawei framework (index 29014190826), the
 *   request letters its AppStartSource enum (index 28191135455: START_SERVICE "S", SCHEDULE_RESTART "R"), and the
 *   `AwareLog: <TAG>: <message>` shape a real EMUI 8 line shows (capture 17: `W/AwareLog: SchedLevelBoost:
 *   onProcessDied config not set!`). The allow type, reason letter and flag digits printed here are guesses.
 * - Background lines from captures 10, 11 and 17 (EMUI 5 and 8): HwMtmBroadcastResourceManager, collectReceiverComponents,
 *   cleanUpApplicationRecordLocked, AwareLog SchedLevelBoost.
 */
import type { RomProfile } from './rom-profile.js';
import { android10Lines, SYSTEM_SERVER_PID, type SystemLine } from './system-lines.js';
import { bootAddedApplications } from './vendor-noise.js';

const AWARE_TID = SYSTEM_SERVER_PID + 1733;

/** printMergeReqLog drops the `com` of `com.` package names: `{.demo.video#10230}`. */
function mergedPackage(pkg: string, uid: number): string {
  return `${pkg.startsWith('com.') ? pkg.slice(3) : pkg}#${uid}`;
}

export const emuiProfile: RomProfile = {
  id: 'emui',
  name: { zh: 'EMUI 10（华为 Android 10）', en: 'EMUI 10 (Huawei, Android 10)' },
  description: { zh: '华为 EMUI 的日志：iAware 启动管控（AwareLog AppStart）、华为系统后台行，以及 chatty 折叠重复行。', en: "EMUI log forms: iAware's start control (AwareLog AppStart), Huawei's background lines, and chatty collapsing repeated lines." },
  identity: {
    manufacturer: 'HUAWEI', brand: 'HUAWEI', model: 'ELS-AN00', device: 'HWELS', product: 'ELS-AN00',
    release: '10', sdk: 29, buildId: 'HUAWEIELS-AN00', incremental: '102.0.0.138C00',
    fingerprint: 'HUAWEI/ELS-AN00/HWELS:10/HUAWEIELS-AN00/102.0.0.138C00:user/release-keys',
    description: 'ELS-AN00-user 10 HUAWEIELS-AN00 102.0.0.138C00 release-keys', displayId: 'ELS-AN00 102.0.0.138(C00)', securityPatch: '2020-08-01',
    vendor: { 'ro.build.version.emui': 'EmotionUI_10.1.0', 'ro.config.marketing_name': 'HUAWEI P40 Pro' },
  },
  lines: {
    ...android10Lines,
    // One app starting another's service: iAware logs its decision (allowed) before the target's Start proc.
    processStart: (a) => [
      ...(a.caller && a.caller.packageName !== a.process.split(':')[0]
        ? [{ tag: 'AwareLog', priority: 4, buffer: 'system' as const, tid: AWARE_TID, message: `AppStart: req:S,alw:4[F],flg:01-1-1-1,proc:${a.uid},${a.process},call:${a.caller.uid},${a.caller.packageName} act:null,cmp:${a.component}` }]
        : []),
      ...android10Lines.processStart(a),
    ],
    // A restart iAware refuses (allow type 0), merged as printMergeReqLog prints refusals.
    startRefused: (a) => [{ tag: 'AwareLog', priority: 4, buffer: 'system', tid: AWARE_TID, message: `AppStart: req:R,alw:0[F],call:${a.uid},null,act:null {${mergedPackage(a.packageName, a.uid)}}` }],
  },
  chatty: true,
  controller: { packageName: 'com.android.permissioncontroller', activity: '.permission.ui.GrantPermissionsActivity' },
  noise: {
    boot: bootAddedApplications,
    afterTick: (step, app): SystemLine[] => {
      switch (step) {
        // `I/HwMtmBroadcastResourceManager( 1018): removeReceiver mtm Broadcast`, three in a row (11): chatty folds them.
        case 0: return Array.from({ length: 3 }, () => ({ tag: 'HwMtmBroadcastResourceManager', priority: 4, buffer: 'system' as const, message: 'removeReceiver mtm Broadcast' }));
        // `I/ActivityManager( 1018): collectReceiverComponents for intent: Intent { act=com.huawei.android.action.WIDGET_FOCUS_CHANGE flg=0x10 (has extras) }, receivers: null` (10, 11).
        case 1: return [{ tag: 'ActivityManager', priority: 4, buffer: 'system', message: 'collectReceiverComponents for intent: Intent { act=com.huawei.android.action.WIDGET_FOCUS_CHANGE flg=0x10 (has extras) }, receivers: null' }];
        // After a death: `W/AwareLog: SchedLevelBoost: onProcessDied config not set!` (17) and
        // `I/ActivityManager( 1018): cleanUpApplicationRecordLocked, reset pid: 9520, euid: 0` (11).
        case 5: return [
          { tag: 'AwareLog', priority: 5, buffer: 'system', tid: AWARE_TID, message: 'SchedLevelBoost: onProcessDied config not set!' },
          { tag: 'ActivityManager', priority: 4, buffer: 'system', message: `cleanUpApplicationRecordLocked, reset pid: ${app.pid}, euid: 0` },
        ];
        default: return [];
      }
    },
  },
};
