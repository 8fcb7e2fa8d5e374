/**
 * `dumpsys window` as Android 13/14 prints its windows section, shortened to the focused window: its attributes
 * with the `fl=` flag names (SECURE where the window sets FLAG_SECURE — what a recorder reads to know the screen
 * records black), then mCurrentFocus / mFocusedApp.
 */
import type { ScreenContent } from '../android/ui-tree.js';

export function windowDump(screen: ScreenContent | null, display: { width: number; height: number }, uid: number): string {
  if (!screen) return 'WINDOW MANAGER WINDOWS (dumpsys window windows)\n  mCurrentFocus=null\n  mFocusedApp=null\n';
  const activity = screen.activity.startsWith('.') ? screen.packageName + screen.activity : screen.activity;
  const name = `${screen.packageName}/${activity.startsWith(screen.packageName + '.') ? screen.activity : activity}`;
  const window = `Window{2d3c8b5 u0 ${name}}`;
  const flags = ['LAYOUT_IN_SCREEN', 'LAYOUT_INSET_DECOR', ...(screen.secure ? ['SECURE'] : []), 'SPLIT_TOUCH', 'HARDWARE_ACCELERATED', 'DRAWS_SYSTEM_BAR_BACKGROUNDS'];
  return [
    'WINDOW MANAGER WINDOWS (dumpsys window windows)',
    `  Window #0 ${window}:`,
    `    mDisplayId=0 rootTaskId=25 mSession=Session{8f0e1a2 7341:u0a${String(uid % 100000 - 10000).padStart(5, '0')}} mClient=android.os.BinderProxy@5a1b2c3`,
    `    mOwnerUid=${uid} showForAllUsers=false package=${screen.packageName} appop=NONE`,
    '    mAttrs={(0,0)(fillxfill) sim={adjust=resize forwardNavigation} ty=BASE_APPLICATION fmt=TRANSPARENT wanim=0x1030001',
    `      fl=${flags.join(' ')}`,
    '      pfl=USE_BLAST INSET_PARENT_FRAME_BY_IME',
    '      bhv=DEFAULT',
    '      fitTypes=STATUS_BARS NAVIGATION_BARS CAPTION_BAR}',
    `    Requested w=${display.width} h=${display.height} mLayoutSeq=214`,
    `  mCurrentFocus=${window}`,
    `  mFocusedApp=ActivityRecord{8f3a1c2 u0 ${name} t25}`,
    '',
  ].join('\n');
}
