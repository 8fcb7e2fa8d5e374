import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDisplaySize, readWindowState, videoSize } from '../../../../src-main/core/screen/window-state.js';

const fixture = (name: string): string => readFileSync(join(__dirname, '../../../fixtures/real-dumpsys-window', name), 'utf8');

describe('window state from dumpsys window windows', () => {
  it('a secure login window in front (real Android 9 dump): secure', () => {
    const s = readWindowState(fixture('secure-login-android9.txt'));
    expect(s.focus).toBe('Window{8db6bd6 u0 com.alicloud.databox/com.ali.user.mobile.login.ui.UserLoginActivity}');
    expect(s.secure).toBe(true);
  });

  it('the launcher in front (real Android 11 dump): not secure, rotation 0', () => {
    expect(readWindowState(fixture('launcher-android11.txt'))).toEqual({ focus: 'Window{4abfad2 u0 com.google.android.apps.nexuslauncher/com.google.android.apps.nexuslauncher.NexusLauncherActivity}', secure: false, rotation: 0 });
  });

  it('SECURE on another window than the focused one does not count', () => {
    const dump = fixture('secure-login-android9.txt') + fixture('launcher-android11.txt');
    // The last mCurrentFocus (the launcher) is the focus; the login window behind it is secure.
    expect(readWindowState(dump).secure).toBe(false);
  });

  it("the virtual phone's one-line dump, garbage, and hex flags", () => {
    expect(readWindowState('  mCurrentFocus=Window{1 u0 com.example}\n')).toEqual({ focus: 'Window{1 u0 com.example}', secure: false, rotation: null });
    expect(readWindowState('\u0000\u001b[2J garbage').secure).toBe(false);
    expect(readWindowState('  Window #2 Window{ab u0 a/b}:\n    mAttrs=WM.LayoutParams{(0,0)(fillxfill) ty=1 fl=#81812100 pfl=0x0}\n  mCurrentFocus=Window{ab u0 a/b}\n').secure).toBe(true);
  });
});

describe('video size', () => {
  it('scales the longest side to the limit, multiples of 16 where the aspect allows, turned with the display', () => {
    expect(videoSize({ width: 1080, height: 2400 }, 0, 1280)).toEqual({ width: 576, height: 1280 });
    expect(videoSize({ width: 1080, height: 2400 }, 90, 1280)).toEqual({ width: 1280, height: 576 });
    expect(videoSize({ width: 720, height: 1600 }, null, null)).toEqual({ width: 720, height: 1600 });
    // 1080x2340 at 1280: 590.8 → no 16-multiple keeps the aspect within 1%: even sides.
    const odd = videoSize({ width: 1080, height: 2340 }, 0, 1280);
    expect(odd.width % 2 + odd.height % 2).toBe(0);
    expect(Math.max(odd.width, odd.height)).toBeLessThanOrEqual(1280);
  });

  it('reads wm size, the override first', () => {
    expect(readDisplaySize('Physical size: 1080x2400\n')).toEqual({ width: 1080, height: 2400 });
    expect(readDisplaySize('Physical size: 1080x2424\nOverride size: 720x1600\n')).toEqual({ width: 720, height: 1600 });
    expect(readDisplaySize('wm: not found')).toBeNull();
  });
});
