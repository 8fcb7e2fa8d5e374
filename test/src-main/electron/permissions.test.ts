// The window's permission table and external-link allowlist deny by default.
import { describe, expect, it } from 'vitest';
import { PERMISSION_TABLE, isExternalAllowed, isPermissionAllowed } from '../../../src-main/electron/permissions.js';

describe('window permissions', () => {
  it('denies anything not in the table and everything marked deny', () => {
    expect(isPermissionAllowed('media')).toBe(false);
    expect(isPermissionAllowed('geolocation')).toBe(false);
    expect(isPermissionAllowed('usb')).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write')).toBe(true);
    for (const [name, entry] of Object.entries(PERMISSION_TABLE)) expect(entry.why.length, name).toBeGreaterThan(10);
  });

  it('opens only allowlisted https links', () => {
    expect(isExternalAllowed('https://developer.android.com/tools/releases/platform-tools')).toBe(true);
    expect(isExternalAllowed('http://developer.android.com/')).toBe(false);
    expect(isExternalAllowed('https://developer.android.com.evil.example/')).toBe(false);
    expect(isExternalAllowed('file:///etc/passwd')).toBe(false);
    expect(isExternalAllowed('javascript:alert(1)')).toBe(false);
    expect(isExternalAllowed('not a url')).toBe(false);
  });
});
