/**
 * OnePlus Ace 5 (PKG110) on ColorOS 16, Android 16: the phone of captures 02, 23 and 26.
 *
 * Identity: the stock fingerprint a PKG110 device tree overrides with (search index file 61551886935:
 * `BuildFingerprint=OnePlus/PKG110/OP5D2BL1:16/UKQ1.231108.001/V.2d1b9a2-8e0775-93314e:user/release-keys`,
 * `BuildDesc="qssi-user 16 BP2A.250605.015 1780929007121 release-keys"`); `ro.build.version.oplusrom` follows the
 * `V13.1.0` / `13.1` pattern quoted in index 26962541266 and the display id the `PJD110_15.0.0.840(CN01)` pattern of
 * index 38327197982 (the 16.x numbers are not sourced); the security patch is not sourced.
 *
 * Lines: Android 14+ forms (android14Lines: uidBFSL FGS lines as in 26, `Displayed … for user 0` as in 23). ColorOS's own:
 * - `D OplusAppStartupManager: prevent restart service, pkgName = com.dragon.read, scenePriority = -1` (23, lines 14, 18).
 * - Osense reclaiming idle processes instead of AOSP's `Killing … empty`: `I OsenseKillAction: KillAction: Kill
 *   ProcessInfo{23587:com.android.cellbroadcastreceiver.module/u0a273 oom:CEM/52/975/cch-empty mem:0/51/26
 *   extra:643s/true/false/0/3/false}: Cached(nirvana) 2ms` (23, line 44), then `has died: cch+75 CEM ` (line 121).
 * - Background lines of OplusAppSwitchManagerService (02, line 64) and [UAH_CLIENT] (23, line 50).
 * No chatty: logd of Android 12+ does not collapse lines (none in 02, 23, 26).
 */
import type { RomProfile } from './rom-profile.js';
import { android14Lines, SYSTEM_SERVER_PID, uidName, type SystemLine } from './system-lines.js';
import { bootAddedApplications } from './vendor-noise.js';

const OSENSE_TID = SYSTEM_SERVER_PID + 2263;

export const colorosProfile: RomProfile = {
  id: 'coloros',
  name: { zh: 'ColorOS 16（一加 Android 16）', en: 'ColorOS 16 (OnePlus, Android 16)' },
  description: { zh: 'OPPO/一加 ColorOS 的日志：启动管理阻止重启（OplusAppStartupManager）、Osense 清理进程，以及 Android 14+ 的前台服务行。', en: 'ColorOS log forms: restarts prevented by OplusAppStartupManager, Osense reclaiming processes, and Android 14+ foreground-service lines.' },
  identity: {
    manufacturer: 'OnePlus', brand: 'OnePlus', model: 'PKG110', device: 'OP5D2BL1', product: 'PKG110',
    release: '16', sdk: 36, buildId: 'BP2A.250605.015', incremental: 'V.2d1b9a2-8e0775-93314e',
    fingerprint: 'OnePlus/PKG110/OP5D2BL1:16/UKQ1.231108.001/V.2d1b9a2-8e0775-93314e:user/release-keys',
    description: 'qssi-user 16 BP2A.250605.015 1780929007121 release-keys', displayId: 'PKG110_16.0.0.600(CN01)', securityPatch: '2025-09-01',
    vendor: { 'ro.build.version.oplusrom': 'V16.0.0', 'ro.build.version.oplusrom.display': '16.0' },
  },
  lines: {
    ...android14Lines,
    startRefused: (a) => [{ tag: 'OplusAppStartupManager', priority: 3, buffer: 'system', tid: SYSTEM_SERVER_PID + 1198, message: `prevent restart service, pkgName = ${a.packageName}, scenePriority = -1` }],
    emptyKill: (a) => [{ tag: 'OsenseKillAction', priority: 4, buffer: 'system', tid: OSENSE_TID, message: `KillAction: Kill ProcessInfo{${a.pid}:${a.process}/${uidName(a.uid)} oom:CEM/52/975/cch-empty mem:0/51/26 extra:643s/true/false/0/3/false}: Cached(nirvana) 2ms` }],
  },
  chatty: false,
  controller: { packageName: 'com.android.permissioncontroller', activity: '.permission.ui.GrantPermissionsActivity' },
  noise: {
    boot: bootAddedApplications,
    afterTick: (step, app): SystemLine[] => {
      switch (step) {
        case 0: return [{ tag: 'OplusAppSwitchManagerService', priority: 4, buffer: 'system', message: `appswitch unregisterAppSwitchObserver pkgName = ${app.packageName}_158047940 config = OplusAppSwitchConfig = {  observerFingerPrint = 38745559}` }];
        case 2: return [{ pid: 1650, tid: 1650, uid: 10100, tag: '[UAH_CLIENT]', priority: 4, message: 'UahEventAcquire, cmdid:413, pkg:none, identity:OsenseHelperImpl' }];
        case 5: return [{ tag: 'OplusAppStartupManager', priority: 3, buffer: 'system', tid: SYSTEM_SERVER_PID + 1198, message: `prevent restart service, pkgName = ${app.packageName}, scenePriority = -1` }];
        default: return [];
      }
    },
  },
};
