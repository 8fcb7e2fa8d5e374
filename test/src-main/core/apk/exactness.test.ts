// APK analysis equals the reference tools on the real test APKs: aapt (identity, SDKs, label, permissions),
// dexdump (class count), apksigner (certificate fingerprints), sha256sum/md5sum/openssl (hashes).
// .ci/run installs the tools; each comparison says which tool it needs.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeApk } from '../../../../src-main/core/apk/index.js';
import { TEST_APKS } from '../../../support/virtual-phone.js';

const have = (tool: string): boolean => {
  try {
    execFileSync('which', [tool]);
    return true;
  } catch {
    return false;
  }
};
const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { maxBuffer: 1 << 30, encoding: 'utf8' });
const apks = Object.entries(TEST_APKS);
const analyses = new Map(await Promise.all(apks.map(async ([k, f]) => [k, await analyzeApk(readFileSync(f), f)] as const)));

describe.each(apks)('%s', (key, file) => {
  const a = analyses.get(key)!;

  it('package, versions, SDK levels, label and uses-permission set equal aapt dump badging', () => {
    if (!have('aapt')) throw new Error('aapt is missing: apt-get install aapt (.ci/run installs it)');
    const badging = run('aapt', ['dump', 'badging', file]);
    const pkg = /^package: name='([^']*)' versionCode='([^']*)' versionName='([^']*)'/m.exec(badging)!;
    expect([a.packageName, String(a.versionCode ?? ''), a.versionName ?? '']).toEqual([pkg[1], pkg[2], pkg[3]]);
    expect(String(a.minSdk)).toBe(/^sdkVersion:'(\d+)'/m.exec(badging)![1]);
    expect(String(a.targetSdk)).toBe(/^targetSdkVersion:'(\d+)'/m.exec(badging)![1]);
    expect(a.label.default ?? '').toBe(/^application-label:'([^']*)'/m.exec(badging)?.[1] ?? /^application: label='([^']*)'/m.exec(badging)![1]);
    const zh = /^application-label-zh-CN:'([^']*)'/m.exec(badging)?.[1];
    if (zh) expect(a.label.zhCN).toBe(zh);
    const aaptPerms = [...badging.matchAll(/^uses-permission: name='([^']+)'/gm)].map((m) => m[1]).sort();
    expect(a.permissions.map((p) => p.name).sort()).toEqual(aaptPerms);
  });

  it('class count equals dexdump', () => {
    if (!have('dexdump')) throw new Error('dexdump is missing: apt-get install dexdump (.ci/run installs it)');
    const classes = (run('dexdump', [file]).match(/^Class #\d+/gm) ?? []).length;
    expect(a.dex.classes).toBe(classes);
  });

  it('certificate fingerprints equal apksigner', () => {
    if (!have('apksigner')) throw new Error('apksigner is missing: apt-get install apksigner (.ci/run installs it)');
    const out = run('apksigner', ['verify', '--print-certs', file]);
    const fps = [...out.matchAll(/certificate SHA-256 digest: ([0-9a-f]{64})/g)].map((m) => m[1]).sort();
    expect(a.signatures.certificates.map((c) => c.sha256).sort()).toEqual([...new Set(fps)]);
    expect(a.signatures.schemes).toEqual(expect.arrayContaining(/v3 scheme \(APK Signature Scheme v3\): true/.test(run('apksigner', ['verify', '-v', file])) ? ['v2', 'v3'] : ['v2']));
  });

  it('SHA-256, MD5 and SM3 equal sha256sum, md5sum and openssl', () => {
    expect(a.file.sha256).toBe(run('sha256sum', [file]).split(' ')[0]);
    expect(a.file.md5).toBe(run('md5sum', [file]).split(' ')[0]);
    expect(a.file.sm3).toBe(run('openssl', ['dgst', '-sm3', '-r', file]).split(' ')[0]);
    expect(a.file.size).toBe(readFileSync(file).length);
  });
});
