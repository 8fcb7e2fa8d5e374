/**
 * Finds the adb executable: the user's setting first, then ANDROID_HOME / ANDROID_SDK_ROOT platform-tools,
 * then PATH. When none exists, the error says how to install adb on the user's system.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { WorkbenchError } from '../errors.js';

export interface AdbLocation {
  path: string;
  source: 'setting' | 'android-sdk' | 'path';
}

export interface LocateInput {
  settingPath: string | null;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  isFile?: (p: string) => boolean;
}

const defaultIsFile = (p: string): boolean => {
  try {
    return existsSync(p) && statSync(p).isFile();
  } catch {
    return false;
  }
};

const INSTALL_HINTS: Record<string, string> = {
  win32: 'Windows: install "Android SDK Platform-Tools" (developer.android.com/tools/releases/platform-tools), unzip it and set its folder in Settings, or run `winget install Google.PlatformTools`.',
  darwin: 'macOS: `brew install --cask android-platform-tools`, or set the platform-tools folder in Settings.',
  linux: 'Debian/Ubuntu: `sudo apt-get install adb`; other Linux: install Android SDK Platform-Tools and set the path in Settings.',
};

/**
 * The adb a setting names (the adb file itself or its platform-tools folder), or a refusal that says so:
 * a setting is checked before it is saved, so a wrong path never replaces a working adb.
 */
export function adbFromSetting(settingPath: string, platform: NodeJS.Platform, isFile = defaultIsFile): string {
  const exe = platform === 'win32' ? 'adb.exe' : 'adb';
  const candidate = basename(settingPath) === exe ? settingPath : join(settingPath, exe);
  if (!isFile(candidate)) {
    throw new WorkbenchError('settings.adb-not-found', `No adb at ${candidate}: choose the adb program or its platform-tools folder. The setting was not changed.`, { path: candidate });
  }
  if (platform !== 'win32') {
    // A program others can replace is not run: it must belong to this user (or root) and be writable by no one else.
    const st = statSync(candidate);
    const uid = process.getuid?.() ?? st.uid;
    if ((st.uid !== uid && st.uid !== 0) || (st.mode & 0o022) !== 0) {
      throw new WorkbenchError('settings.adb-unsafe', `${candidate} can be changed by other users (owner or permissions); adb there is not run. The setting was not changed.`, { path: candidate });
    }
  }
  return candidate;
}

export function locateAdb({ settingPath, env, platform, isFile = defaultIsFile }: LocateInput): AdbLocation {
  const exe = platform === 'win32' ? 'adb.exe' : 'adb';
  if (settingPath) {
    // Only a file named adb (adb.exe) is ever run: the setting cannot turn into "run any program".
    const candidate = basename(settingPath) === exe ? settingPath : join(settingPath, exe);
    if (isFile(candidate)) return { path: candidate, source: 'setting' };
  }
  for (const root of [env.ANDROID_HOME, env.ANDROID_SDK_ROOT]) {
    if (!root) continue;
    const candidate = join(root, 'platform-tools', exe);
    if (isFile(candidate)) return { path: candidate, source: 'android-sdk' };
  }
  const pathVar = env.PATH ?? env.Path ?? '';
  for (const dir of pathVar.split(platform === 'win32' ? ';' : delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, exe);
    if (isFile(candidate)) return { path: candidate, source: 'path' };
  }
  throw new WorkbenchError('adb.not-found', `adb was not found (setting, ANDROID_HOME/ANDROID_SDK_ROOT, PATH). ${INSTALL_HINTS[platform] ?? INSTALL_HINTS.linux}`, {
    platform, hint: INSTALL_HINTS[platform] ?? INSTALL_HINTS.linux!, settingPath: settingPath ?? null,
  });
}
