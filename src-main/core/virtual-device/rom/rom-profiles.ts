/**
 * The ROM profiles the virtual phone can wear, looked up by id (CLI --profile, the Devices page, tests), and the
 * getprop table a profile's identity gives.
 */
import { WorkbenchError } from '../../errors.js';
import { aosp14Profile } from './aosp14-profile.js';
import { colorosProfile } from './coloros-profile.js';
import { emuiProfile } from './emui-profile.js';
import { miuiProfile } from './miui-profile.js';
import { ROM_PROFILE_IDS, type RomIdentity, type RomProfile, type RomProfileId } from './rom-profile.js';
import { virtualProfile } from './virtual-profile.js';

const PROFILES: Record<RomProfileId, RomProfile> = { virtual: virtualProfile, aosp14: aosp14Profile, miui: miuiProfile, emui: emuiProfile, coloros: colorosProfile };

export function romProfiles(): RomProfile[] {
  return ROM_PROFILE_IDS.map((id) => PROFILES[id]);
}

export function isRomProfileId(id: string): id is RomProfileId {
  return (ROM_PROFILE_IDS as readonly string[]).includes(id);
}

export function romProfile(id: string): RomProfile {
  if (!isRomProfileId(id)) {
    throw new WorkbenchError('virtual-device.unknown-profile', `No ROM profile "${id.slice(0, 40)}"; profiles: ${ROM_PROFILE_IDS.join(', ')}`, { profile: id.slice(0, 40), profiles: ROM_PROFILE_IDS.join(', ') });
  }
  return PROFILES[id];
}

/** The identity part of `getprop`: what `ro.product.*` and `ro.build.*` say on a phone of this ROM. */
export function identityProperties(i: RomIdentity): Record<string, string> {
  return {
    'ro.product.model': i.model, 'ro.product.manufacturer': i.manufacturer, 'ro.product.brand': i.brand,
    'ro.product.name': i.product, 'ro.product.device': i.device, 'ro.product.board': i.device,
    'ro.build.version.release': i.release, 'ro.build.version.sdk': String(i.sdk), 'ro.build.version.incremental': i.incremental,
    'ro.build.version.security_patch': i.securityPatch, 'ro.build.id': i.buildId, 'ro.build.type': 'user', 'ro.build.tags': 'release-keys',
    'ro.build.fingerprint': i.fingerprint, 'ro.build.description': i.description, 'ro.build.display.id': i.displayId,
    ...i.vendor,
  };
}
