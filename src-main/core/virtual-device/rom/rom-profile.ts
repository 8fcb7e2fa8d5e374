/**
 * What a ROM profile is: how the virtual phone identifies itself (getprop, the ADB banner) and how its system
 * logs what a scenario makes happen (its SystemLines, whether logd collapses repeated lines as chatty, its
 * permission controller, the vendor's own background lines). The scenario says what happens; the profile says
 * how it is printed, so every scenario plays under every profile.
 */
import type { SystemLine, SystemLines } from './system-lines.js';

export const ROM_PROFILE_IDS = ['virtual', 'aosp14', 'miui', 'emui', 'coloros'] as const;
export type RomProfileId = (typeof ROM_PROFILE_IDS)[number];
export const DEFAULT_ROM_PROFILE: RomProfileId = 'virtual';

export interface RomIdentity {
  manufacturer: string;
  brand: string;
  model: string;
  device: string;
  product: string;
  release: string;
  sdk: number;
  buildId: string;
  incremental: string;
  fingerprint: string;
  description: string;
  displayId: string;
  securityPatch: string;
  /** The vendor's own properties (ro.miui.ui.version.name, ro.build.version.emui, ro.build.version.oplusrom...). */
  vendor: Record<string, string>;
}

/** Another app on the phone, as the background noise sees it at one tick. */
export interface NoiseApp {
  packageName: string;
  uid: number;
  pid: number;
  /** Another of the other apps (for lines naming two packages). */
  otherPackage: string;
}

/** The vendor's background lines: after the boot log, and after each noise tick (`step` is the tick's case, 0-5). */
export interface VendorNoise {
  boot(): SystemLine[];
  afterTick(step: number, app: NoiseApp): SystemLine[];
}

export interface RomProfile {
  id: RomProfileId;
  name: { zh: string; en: string };
  description: { zh: string; en: string };
  /** null: the scenario's own device block names the phone (the default virtual phone). */
  identity: RomIdentity | null;
  lines: SystemLines;
  /** logd collapses runs of identical lines (`chatty … identical N lines`) and marks pruned ones (`expire N lines`): Android 8-11. */
  chatty: boolean;
  /** The permission controller's package and GrantPermissionsActivity as `cmp=` prints it. */
  controller: { packageName: string; activity: string };
  noise: VendorNoise;
  /**
   * Whether `adb shell cat /proc/net/tcp{,6}` works (default true). false: SELinux refuses the shell, as some
   * vendor builds do; the workbench must then fall back to unattributed connections.
   */
  shellReadsProcNet?: boolean;
}

export const NO_VENDOR_NOISE: VendorNoise = { boot: () => [], afterTick: () => [] };
