// adb is found in the documented order: setting > ANDROID_HOME/ANDROID_SDK_ROOT platform-tools > PATH.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateAdb } from '../../../../src-main/core/adb/locate-adb.js';

const files = (...paths: string[]) => (p: string): boolean => paths.includes(p);

describe('locateAdb', () => {
  const sdk = join('/sdk', 'platform-tools', 'adb');
  const onPath = join('/usr/bin', 'adb');

  it('prefers the setting (file or folder)', () => {
    expect(locateAdb({ settingPath: '/opt/pt/adb', env: { ANDROID_HOME: '/sdk', PATH: '/usr/bin' }, platform: 'linux', isFile: files('/opt/pt/adb', sdk, onPath) })).toEqual({ path: '/opt/pt/adb', source: 'setting' });
    expect(locateAdb({ settingPath: '/opt/pt', env: {}, platform: 'linux', isFile: files(join('/opt/pt', 'adb')) }).source).toBe('setting');
  });

  it('never runs a setting that is not an adb executable', () => {
    expect(locateAdb({ settingPath: '/bin/sh', env: { PATH: '/usr/bin' }, platform: 'linux', isFile: files('/bin/sh', onPath) })).toEqual({ path: onPath, source: 'path' });
  });

  it('then ANDROID_HOME, then ANDROID_SDK_ROOT, then PATH', () => {
    expect(locateAdb({ settingPath: null, env: { ANDROID_HOME: '/sdk', PATH: '/usr/bin' }, platform: 'linux', isFile: files(sdk, onPath) })).toEqual({ path: sdk, source: 'android-sdk' });
    expect(locateAdb({ settingPath: null, env: { ANDROID_SDK_ROOT: '/sdk', PATH: '/usr/bin' }, platform: 'linux', isFile: files(sdk, onPath) }).source).toBe('android-sdk');
    expect(locateAdb({ settingPath: '/missing', env: { ANDROID_HOME: '/nope', PATH: '/bin:/usr/bin' }, platform: 'linux', isFile: files(onPath) })).toEqual({ path: onPath, source: 'path' });
  });

  it('uses adb.exe on Windows', () => {
    const r = locateAdb({ settingPath: null, env: { Path: 'C:\\pt;C:\\Windows' }, platform: 'win32', isFile: (p) => p.endsWith('adb.exe') && p.includes('pt') });
    expect(r.path).toMatch(/adb\.exe$/);
  });

  it('says how to install adb when it is missing, per platform', () => {
    for (const [platform, hint] of [['win32', /winget install Google\.PlatformTools/], ['darwin', /brew install --cask android-platform-tools/], ['linux', /apt-get install adb/]] as const) {
      expect(() => locateAdb({ settingPath: null, env: { PATH: '/x' }, platform, isFile: () => false })).toThrow(hint);
    }
  });
});
