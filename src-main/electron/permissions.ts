/**
 * What the workbench window may ask of Electron. Everything not listed is denied. Each entry says why.
 */
export const PERMISSION_TABLE: Record<string, { allow: boolean; why: string }> = {
  'clipboard-sanitized-write': { allow: true, why: 'copy a serial, a log line or a finding to the clipboard' },
  'clipboard-read': { allow: false, why: 'the renderer never needs to read what the user copied elsewhere' },
  media: { allow: false, why: 'no camera or microphone: phones are reached through adb' },
  geolocation: { allow: false, why: 'the workbench has no use for the tester\'s location' },
  notifications: { allow: false, why: 'alerts are shown in-app, where they are recorded' },
  openExternal: { allow: false, why: 'links open through the allowlisted shell.openExternal path instead' },
  fullscreen: { allow: true, why: 'a trainer shows the live screen full screen on a projector' },
};

export function isPermissionAllowed(permission: string): boolean {
  return PERMISSION_TABLE[permission]?.allow ?? false;
}

/** External links the window may open in the system browser. */
export const EXTERNAL_ALLOWLIST = ['https://developer.android.com/', 'https://github.com/DeviceFarmer/'];

export function isExternalAllowed(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && EXTERNAL_ALLOWLIST.some((prefix) => url.startsWith(prefix));
  } catch {
    return false;
  }
}
