/**
 * The default virtual phone: the scenario's own device block names it, and its system prints the forms it has
 * always printed (Android 13-like, hand-made before ROM profiles existed), so the shipped demos and their tests
 * see exactly what they saw before.
 */
import { NO_VENDOR_NOISE, type RomProfile } from './rom-profile.js';
import { legacyLines } from './system-lines.js';

export const virtualProfile: RomProfile = {
  id: 'virtual',
  name: { zh: '虚拟手机（场景设定）', en: 'Virtual phone (as the scenario says)' },
  description: { zh: '场景文件中的机型与 Android 13/14，系统日志为通用格式。', en: "The scenario's own model and Android 13/14, with generic system log lines." },
  identity: null,
  lines: legacyLines,
  chatty: false,
  controller: { packageName: 'com.android.permissioncontroller', activity: '.permission.ui.GrantPermissionsActivity' },
  noise: {
    ...NO_VENDOR_NOISE,
    // A summary line the phone printed every sixth tick (no logd here collapses anything).
    afterTick: (step) => (step === 5 ? [{ pid: 1650, uid: 10100, priority: 3, tag: 'chatty', message: 'uid=10100(com.android.systemui) identical 4 lines' }] : []),
  },
};
