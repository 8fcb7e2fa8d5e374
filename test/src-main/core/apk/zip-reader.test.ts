// The APK zip reader on hostile input: each case refused or flagged fast and within bounded memory, and the
// manifest of real APKs read correctly (what `pm install` on the virtual phone relies on).
import { readFileSync } from 'node:fs';
import { createDeflateRaw } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ZipReader, readManifest } from '../../../../src-main/core/apk/index.js';
import { buildZip } from '../../../support/zip-builder.js';
import { TEST_APKS } from '../../../support/virtual-phone.js';

/** 512 MiB of zeros deflated in 1 MiB steps (about half a megabyte on disk), never held in memory whole. */
async function zeroBomb(mib: number): Promise<Buffer> {
  const z = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((r) => z.on('end', r));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < mib; i++) if (!z.write(zeros)) await new Promise((r) => z.once('drain', r));
  z.end();
  await done;
  return Buffer.concat(out);
}

describe('ZipReader', () => {
  it('reads the manifests of the real test APKs as aapt does', () => {
    const settings = readManifest(readFileSync(TEST_APKS.settings));
    expect(settings).toMatchObject({ packageName: 'io.appium.settings', versionCode: 192, versionName: '8.0.10', minSdk: 26, targetSdk: 35 });
    expect(settings.usesPermissions.map((p) => p.name)).toContain('android.permission.READ_SMS');
    expect(settings.usesPermissions).toHaveLength(27);
    expect(readManifest(readFileSync(TEST_APKS.androidTest))).toMatchObject({ packageName: 'io.appium.uiautomator2.server.test', versionName: null, usesPermissions: [] });
  });

  it('refuses a manifest bomb in well under 2 s without inflating it', async () => {
    const bomb = await zeroBomb(512);
    const apk = buildZip([{ name: 'AndroidManifest.xml', deflated: { bytes: bomb, size: 512 * 1024 * 1024, crc: 0 } }]);
    expect(apk.length).toBeLessThan(2 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    const t = performance.now();
    expect(() => readManifest(apk)).toThrow(/inflates beyond the allowed size/);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  }, 30_000);

  it.each([
    ['duplicate names', buildZip([{ name: 'AndroidManifest.xml', data: Buffer.from('a') }, { name: 'AndroidManifest.xml', data: Buffer.from('b') }]), /duplicate entry name/],
    ['local/central name disagreement', buildZip([{ name: 'AndroidManifest.xml', localName: 'AndroidManifest.xmX', data: Buffer.from('a') }]), /local header disagrees/],
    ['unknown method', buildZip([{ name: 'AndroidManifest.xml', method: 99, data: Buffer.from('a') }]), /unknown compression method/],
    ['encryption flag', buildZip([{ name: 'AndroidManifest.xml', flags: 1, data: Buffer.from('a') }]), /encrypted entry/],
    ['not a zip', Buffer.from('hello, not an apk'), /not a zip file/],
    ['truncated', buildZip([{ name: 'AndroidManifest.xml', method: 0, data: Buffer.alloc(5000, 1) }]).subarray(0, 2600), /not a zip file/],
    ['a zip without a manifest', buildZip([{ name: 'classes.dex', data: Buffer.from('dex') }]), /zip entry not found/],
    ['garbage manifest', buildZip([{ name: 'AndroidManifest.xml', data: Buffer.from('<manifest/>') }]), /binary XML/],
  ])('refuses %s with a clear reason', (_name, bytes, reason) => {
    expect(() => readManifest(bytes)).toThrow(reason);
  });

  it('flags traversal and absolute names (never extracted by name)', () => {
    const zip = new ZipReader(buildZip([{ name: '../../evil.so', data: Buffer.from('x') }, { name: '/abs.txt', data: Buffer.from('y') }]));
    expect(zip.findings.map((f) => [f.code, f.entry])).toEqual([['unsafe-name', '../../evil.so'], ['unsafe-name', '/abs.txt']]);
  });

  it('detects a CRC mismatch', () => {
    const good = buildZip([{ name: 'a.txt', method: 0, data: Buffer.from('hello') }]);
    const bad = Buffer.from(good);
    bad[30 + 5] = 'j'.charCodeAt(0); // change the stored data, not the recorded CRC
    expect(() => new ZipReader(bad).read('a.txt', 100)).toThrow(/CRC mismatch/);
  });
});
