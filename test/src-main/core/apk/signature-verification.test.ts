// Signature verification against Debian's `apksigner verify -v --print-certs` (31.0.2): APKs signed here by
// apksigner itself (v1 only, v1+v2+v3 with RSA and with EC keys, verity, a rotated v3 key) and the public test
// APKs, then tampered copies of them — a flipped byte in a DEX, the manifest, the signing block, the central
// directory; an entry added after signing; a v1-only APK with a modified entry; v2 stripped from a v1+v2 APK
// and v1 stripped from it. Each must get apksigner's verdict, per-scheme result and first error's kind.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeApk } from '../../../../src-main/core/apk/index.js';
import { jarSource, verifyApk, type ApkVerification } from '../../../../src-main/core/apk/signing/verify-apk.js';
import { ZipReader } from '../../../../src-main/core/apk/zip-reader.js';
import * as T from '../../../support/apk-tamper.js';
import { sdkApk } from '../../../support/sdk-apk.js';
import { TEST_APKS } from '../../../support/virtual-phone.js';
import { buildZip } from '../../../support/zip-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'apksig-'));
const cases = new Map<string, { apk: Buffer; minSdk: number }>();

/** apksigner's ERROR line, as the kind of failure our verifier names. */
function kindOf(error: string): { scheme: string; kind: string } {
  const scheme = /^JAR signer|MANIFEST\.MF/.test(error) ? 'v1' : /^APK Signature Scheme (v[\d.]+)/.exec(error)?.[1] ?? '?';
  const rules: Array<[RegExp, string]> = [
    [/Signature stripped\?/, 'stripped'],
    [/requires a minimum of signature scheme v2/, 'scheme-required'],
    [/^Missing META-INF\/MANIFEST\.MF/, 'missing'],
    [/digest of .* does not match the digest specified in META-INF\/MANIFEST\.MF/, 'entry-digest-mismatch'],
    [/integrity check failed.*digest mismatch/, 'digest-mismatch'],
    [/signature over signed-data did not verify/, 'signature-invalid'],
    [/[Mm]alformed/, 'malformed'],
  ];
  return { scheme: /requires a minimum/.test(error) ? 'v2' : scheme, kind: rules.find(([re]) => re.test(error))?.[1] ?? `unknown: ${error}` };
}

function ours(apk: Buffer, minSdk: number): ApkVerification {
  const zip = new ZipReader(apk);
  return verifyApk(apk, jarSource([...zip.entries.keys()], (n) => zip.read(n, 1 << 28)), { minSdk, targetSdk: 34 });
}

beforeAll(() => {
  const k1 = T.makeKey(dir, 'k1');
  const k2 = T.makeKey(dir, 'k2');
  const ec = T.makeKey(dir, 'ec', 'ec');
  const z = new ZipReader(sdkApk());
  // The SDK test APK plus a stored asset, so an entry can be modified with a valid CRC, as a repacking tool would.
  const base = buildZip([...[...z.entries.keys()].map((n) => ({ name: n, data: z.read(n, 1 << 24) })), { name: 'assets/terms.txt', data: Buffer.from('用户协议 terms of service, stored'), method: 0 }]);
  const v1only = T.apksignerSign(base, dir, 'v1only', [k1], ['--v2-signing-enabled', 'false', '--v3-signing-enabled', 'false', '--min-sdk-version', '21']);
  const all = T.apksignerSign(base, dir, 'all', [k1], ['--v1-signing-enabled', 'true', '--min-sdk-version', '21']);
  const big = readFileSync(TEST_APKS.uiautomator2);
  const add = (name: string, apk: Buffer, minSdk: number): void => void cases.set(name, { apk, minSdk });
  add('v1 only (targetSdk 34 needs v2)', v1only, 21);
  add('v1+v2+v3 RSA, minSdk 21 (v1 checked)', all, 21);
  add('v1+v2+v3 RSA, minSdk 26 (v1 not checked)', all, 26);
  add('v1+v2+v3 EC P-256', T.apksignerSign(base, dir, 'ec', [ec], ['--v1-signing-enabled', 'true', '--min-sdk-version', '21']), 21);
  add('v2+v3 with verity signatures', T.apksignerSign(base, dir, 'verity', [k1], ['--verity-enabled', 'true']), 26);
  add('v3 rotated k1 → k2', T.apksignerSign(base, dir, 'rotated', [k1, k2], ['--min-sdk-version', '21'], T.rotate(dir, k1, k2)), 21);
  add('uiautomator2 server (18 MB, v2+v3)', big, 26);
  add('io.appium.settings (v2)', readFileSync(TEST_APKS.settings), 26);
  add('flipped byte in a DEX', T.flipByte(big, T.entryDataAt(big, 'classes.dex')), 26);
  add('flipped byte in the manifest', T.flipByte(big, T.entryDataAt(big, 'AndroidManifest.xml')), 26);
  add('flipped byte in a resource', T.flipByte(big, T.entryDataAt(big, 'resources.arsc')), 26);
  add('flipped byte in the v2 signature', T.flipByte(big, T.signingBlockRange(big)[0] + 200), 26);
  add('flipped byte in the central directory', T.flipByte(big, T.centralDirectoryHarmlessByte(big)), 26);
  add('entry added after signing', T.addEntryAfterSigning(big, 'assets/payload.txt', Buffer.from('added later')), 26);
  add('v1-only with a modified entry', T.modifyStoredEntry(v1only, 'assets/terms.txt'), 21);
  add('v1+v2+v3 with a modified entry', T.modifyStoredEntry(all, 'assets/terms.txt'), 21);
  add('v2/v3 stripped, v1 left', T.stripSigningBlock(all), 21);
  add('v1 stripped, v2/v3 left (minSdk 21)', T.stripJarSignature(all), 21);
  add('v1 stripped, v2/v3 left (minSdk 26)', T.stripJarSignature(all), 26);
  add('unsigned', base, 21);
}, 120_000);

describe('signature verification equals apksigner verify', () => {
  it('gives apksigner\'s verdict, per-scheme results and first error kind on every signed and tampered APK', () => {
    expect(cases.size).toBe(20);
    const rows: string[] = [];
    for (const [name, { apk, minSdk }] of cases) {
      const file = join(dir, `case-${rows.length}.apk`);
      writeFileSync(file, apk);
      const ref = T.apksignerVerify(file, minSdk);
      const v = ours(apk, minSdk);
      rows.push(`${name}: apksigner ${ref.verifies ? 'verifies' : ref.errors[0]}; ours ${v.verified ? 'verifies' : `${v.errors[0]?.scheme} ${v.errors[0]?.kind}`}`);
      expect(v.verified, name).toBe(ref.verifies);
      if (ref.verifies) {
        for (const s of ['v1', 'v2', 'v3'] as const) expect(v.schemes[s].status === 'verified', `${name} ${s}`).toBe(ref.schemes[s]);
        expect(v.errors, name).toEqual([]);
      } else {
        expect(ref.errors.length, name).toBeGreaterThan(0);
        expect({ scheme: v.errors[0]!.scheme, kind: v.errors[0]!.kind }, name).toEqual(kindOf(ref.errors[0]!));
      }
    }
    console.log(rows.join('\n'));
  }, 120_000);

  it('reports the rotated key\'s lineage and both certificates in the analysis JSON', async () => {
    const a = await analyzeApk(cases.get('v3 rotated k1 → k2')!.apk, 'rotated.apk');
    expect(a.schemaVersion).toBe(3);
    const v3 = a.signatures.verification.schemes.v3;
    expect(v3.status).toBe('verified');
    expect(v3.signers[0]!.lineage).toHaveLength(2);
    expect(v3.signers[0]!.lineage![1]).toBe(v3.signers[0]!.certificate);
    expect(a.signatures.verification.schemes.v2.signers[0]!.certificate).toBe(v3.signers[0]!.lineage![0]);
    expect(a.signatures.certificates.map((c) => c.subject).sort()).toEqual(['O=AppRights test, CN=k1', 'O=AppRights test, CN=k2']);
    expect(a.risks.map((r) => r.code)).toContain('key-rotated');
  });

  it('puts a failed verification in the risk list with its reason, and an untouched APK has none', async () => {
    const tampered = await analyzeApk(cases.get('flipped byte in the v2 signature')!.apk, 'tampered.apk');
    expect(tampered.signatures.verification.verified).toBe(false);
    expect(tampered.risks.find((r) => r.code === 'signature-invalid')).toMatchObject({ severity: 'high', params: { scheme: 'v2', failure: 'signature-invalid' } });
    const clean = await analyzeApk(cases.get('uiautomator2 server (18 MB, v2+v3)')!.apk, 'clean.apk');
    expect(clean.signatures.verification).toMatchObject({ verified: true, schemes: { v1: { status: 'not-checked' }, v2: { status: 'verified' }, v3: { status: 'verified' }, 'v3.1': { status: 'absent' } } });
    expect(clean.risks.map((r) => r.code)).not.toContain('signature-invalid');
  });

  it('verifies a v3.1 block with the v3 rules (Debian\'s apksigner 31 predates v3.1, so this one has no reference)', () => {
    const signed = cases.get('uiautomator2 server (18 MB, v2+v3)')!.apk;
    const withV31 = T.addSchemeCopy(signed, 0xf05368c0, 0x1b93ad61);
    expect(ours(withV31, 26)).toMatchObject({ verified: true, schemes: { 'v3.1': { status: 'verified' }, v3: { status: 'verified' } } });
    const broken = T.flipByte(withV31, T.signingBlockRange(withV31)[0] + 200);
    expect(ours(broken, 26).errors[0]).toMatchObject({ scheme: 'v3.1' });
  });

  it('refuses hostile signing blocks with a reason instead of reading past them', () => {
    const signed = cases.get('io.appium.settings (v2)')!.apk;
    const [start, end] = T.signingBlockRange(signed);
    const lying = Buffer.from(signed);
    lying.writeBigUInt64LE(1n << 40n, start + 8); // the first pair claims a terabyte
    expect(ours(lying, 26)).toMatchObject({ verified: false, errors: [{ kind: 'malformed' }] });
    const sizes = Buffer.from(signed);
    sizes.writeBigUInt64LE(BigInt(end - start), start); // header and footer sizes disagree
    expect(ours(sizes, 26).errors[0]!.detail).toMatch(/sizes/);
  });
});
