/**
 * Google Pixel 8 on Android 14 (AOSP 14 forms). Identity from the Pixel 8 device tree in the search index
 * (file id 45273018475: `BUILD_FINGERPRINT := google/shiba/shiba:14/AP2A.240905.003/12231197:user/release-keys`,
 * `PRIVATE_BUILD_DESC="shiba-user 14 AP2A.240905.003 12231197 release-keys"`); the security patch is the build's
 * date (AP2A.240905). Line forms: system-lines.ts (android14Lines); Google's permission controller package as in
 * capture 03 (`com.google.android.permissioncontroller/com.android.permissioncontroller...`).
 */
import type { RomProfile } from './rom-profile.js';
import { android14Lines } from './system-lines.js';
import { bootAddedApplications } from './vendor-noise.js';

export const aosp14Profile: RomProfile = {
  id: 'aosp14',
  name: { zh: 'AOSP 14（Google Pixel 8）', en: 'AOSP 14 (Google Pixel 8)' },
  description: { zh: 'Android 14 原生系统的日志格式：前台服务启动带 uidBFSL，Displayed 带 for user 0。', en: 'Stock Android 14 log forms: foreground-service starts with uidBFSL, Displayed … for user 0.' },
  identity: {
    manufacturer: 'Google', brand: 'google', model: 'Pixel 8', device: 'shiba', product: 'shiba',
    release: '14', sdk: 34, buildId: 'AP2A.240905.003', incremental: '12231197',
    fingerprint: 'google/shiba/shiba:14/AP2A.240905.003/12231197:user/release-keys',
    description: 'shiba-user 14 AP2A.240905.003 12231197 release-keys', displayId: 'AP2A.240905.003', securityPatch: '2024-09-05',
    vendor: {},
  },
  lines: android14Lines,
  chatty: false,
  controller: { packageName: 'com.google.android.permissioncontroller', activity: 'com.android.permissioncontroller.permission.ui.GrantPermissionsActivity' },
  noise: { boot: bootAddedApplications, afterTick: () => [] },
};
