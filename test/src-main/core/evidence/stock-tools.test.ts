/**
 * Exported packages checked with stock tools only, as a regulator or an app operator would: openssl cms
 * (self-signed, and a lab CA with an imported PKCS#12), sha256sum -c --strict, openssl ts -verify against a
 * local TSA made with openssl ts, and the SM2 signature with openssl dgst -sm3. Our verifier agrees.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityStore, pemToDers, verifyPackage } from '../../../../src-main/core/evidence/index.js';
import { exportSession, makeLabCa, makeSession, openssl, PASSPHRASE, startTsa } from '../../../support/evidence-fixtures.js';

function unzip(pkg: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pkg-'));
  execFileSync('unzip', ['-q', pkg, '-d', dir]);
  return dir;
}

function cmsVerify(dir: string, caFile: string): { status: number | null; stderr: string } {
  const r = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'manifest.json.p7s', '-content', 'manifest.json', '-CAfile', caFile, '-purpose', 'any', '-out', '/dev/null'], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('an exported package checked with stock tools', () => {
  const root = mkdtempSync(join(tmpdir(), 'evidence-stock-'));
  let tsa: Awaited<ReturnType<typeof startTsa>>;

  beforeAll(async () => {
    tsa = await startTsa(join(root, 'tsa'));
  });
  afterAll(async () => {
    await tsa.close();
  });

  it('self-signed: openssl cms -verify, pkcs7 -print_certs, sha256sum -c --strict, the timeline check in VERIFY.txt', async () => {
    await makeSession(join(root, 's-self'));
    const out = await exportSession(join(root, 's-self'), join(root, 'self.zip'), join(root, 'data-self'));
    const dir = unzip(out.path);
    expect(cmsVerify(dir, 'signer.pem').status).toBe(0);
    expect(openssl(['pkcs7', '-inform', 'DER', '-in', 'manifest.json.p7s', '-print_certs', '-noout'], dir)).toMatch(/subject=CN = .*self-asserted/);
    const sums = spawnSync('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
    expect(sums.status, sums.stdout + sums.stderr).toBe(0);
    expect(sums.stdout).toMatch(/timeline\.jsonl: OK/);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(execFileSync('sha256sum', ['SHA256SUMS'], { cwd: dir, encoding: 'utf8' }).split(' ')[0]).toBe(manifest.sha256sums);
    // VERIFY.txt's own steps are run as printed in verify-txt-as-printed.test.ts.
    const verifyTxt = readFileSync(join(dir, 'VERIFY.txt'), 'utf8');
    expect(verifyTxt).toContain(manifest.signer.fingerprint);
    const report = await verifyPackage(out.path);
    expect(report.ok, JSON.stringify(report.checks.filter((c) => !c.ok))).toBe(true);
    expect(report.signer?.selfAsserted).toBe(true);
  });

  for (const keyType of ['ec', 'rsa'] as const) {
    it(`a lab CA and an imported PKCS#12 (${keyType}): cms -verify against the lab root; our verifier with --ca`, async () => {
      const ca = makeLabCa(join(root, `ca-${keyType}`), { keyType });
      const dataDir = join(root, `data-ca-${keyType}`);
      const store = new IdentityStore(dataDir);
      const info = await store.importPkcs12(readFileSync(ca.p12), ca.password, PASSPHRASE);
      expect(info.selfSigned).toBe(false);
      expect(info.subject).toContain('李四');
      await makeSession(join(root, `s-ca-${keyType}`));
      const out = await exportSession(join(root, `s-ca-${keyType}`), join(root, `ca-${keyType}.zip`), dataDir, { identityId: info.id });
      const dir = unzip(out.path);
      expect(cmsVerify(dir, ca.root).status).toBe(0);
      const other = makeLabCa(join(root, `other-${keyType}`));
      expect(cmsVerify(dir, other.root).status).not.toBe(0);
      const good = await verifyPackage(out.path, { ca: pemToDers(readFileSync(ca.root, 'utf8')) });
      expect(good.ok, JSON.stringify(good.checks.filter((c) => !c.ok))).toBe(true);
      expect(good.signer).toMatchObject({ selfAsserted: false, fingerprint: info.fingerprint });
      const wrongCa = await verifyPackage(out.path, { ca: pemToDers(readFileSync(other.root, 'utf8')) });
      expect(wrongCa.ok).toBe(false);
      expect(wrongCa.checks.find((c) => c.id === 'signature')?.en).toMatch(/does not chain to the given CA/);
    });
  }

  it('an RFC 3161 timestamp from a local TSA verifies with openssl ts -verify and with ours', async () => {
    await makeSession(join(root, 's-tsa'));
    const out = await exportSession(join(root, 's-tsa'), join(root, 'tsa.zip'), join(root, 'data-tsa'), { tsaUrl: tsa.url, allowLocalTsa: true });
    expect(out.timestamped).toBe(true);
    const dir = unzip(out.path);
    const r = spawnSync('openssl', ['ts', '-verify', '-data', 'manifest.json.p7s', '-in', 'manifest.json.p7s.tsr', '-CAfile', tsa.root], { cwd: dir, encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Verification: OK/);
    const report = await verifyPackage(out.path, { tsaCa: pemToDers(readFileSync(tsa.root, 'utf8')) });
    expect(report.ok, JSON.stringify(report.checks.filter((c) => !c.ok))).toBe(true);
    expect(report.checks.find((c) => c.id === 'timestamp')?.en).toMatch(/RFC 3161 timestamp .* chained to the given TSA root/);
    expect(readFileSync(join(dir, 'VERIFY.txt'), 'utf8')).toContain('openssl ts -verify -data manifest.json.p7s');
    // A timestamp over other data is caught by both.
    writeFileSync(join(dir, 'manifest.json.p7s'), Buffer.concat([readFileSync(join(dir, 'manifest.json.p7s')), Buffer.from([0])]));
    expect(spawnSync('openssl', ['ts', '-verify', '-data', 'manifest.json.p7s', '-in', 'manifest.json.p7s.tsr', '-CAfile', tsa.root], { cwd: dir }).status).not.toBe(0);
  });

  it('a compressed package (text deflated) checks the same way, and is smaller', async () => {
    await makeSession(join(root, 's-zip'), { events: 3000 });
    const stored = await exportSession(join(root, 's-zip'), join(root, 'stored.zip'), join(root, 'data-zip'));
    const deflated = await exportSession(join(root, 's-zip'), join(root, 'deflated.zip'), join(root, 'data-zip'), { compress: true });
    expect(deflated.size).toBeLessThan(stored.size / 3);
    const dir = unzip(deflated.path);
    expect(cmsVerify(dir, 'signer.pem').status).toBe(0);
    expect(spawnSync('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: dir }).status).toBe(0);
    expect(execFileSync('unzip', ['-v', deflated.path], { encoding: 'utf8' })).toMatch(/Defl:\w +\d+ .*timeline\.jsonl/);
    expect((await verifyPackage(deflated.path)).ok).toBe(true);
  });

  it('national algorithms: SM3 per file and an SM2 signature that openssl dgst -sm3 -verify accepts', async () => {
    await makeSession(join(root, 's-sm'));
    const out = await exportSession(join(root, 's-sm'), join(root, 'sm.zip'), join(root, 'data-sm'), { national: true });
    const dir = unzip(out.path);
    const r = spawnSync('openssl', ['dgst', '-sm3', '-verify', 'signer-sm2.pem', '-sigopt', 'distid:1234567812345678', '-signature', 'manifest.json.sm2.sig', 'manifest.json'], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toMatch(/Verified OK/);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    for (const f of manifest.files) expect(openssl(['dgst', '-sm3', '-r', f.path], dir).split(' ')[0]).toBe(f.sm3);
    writeFileSync(join(dir, 'manifest.json'), readFileSync(join(dir, 'manifest.json'), 'utf8').replace('张三', '王五'));
    const bad = spawnSync('openssl', ['dgst', '-sm3', '-verify', 'signer-sm2.pem', '-sigopt', 'distid:1234567812345678', '-signature', 'manifest.json.sm2.sig', 'manifest.json'], { cwd: dir, encoding: 'utf8' });
    expect(bad.stdout + bad.stderr).toMatch(/Verification failure/);
    expect((await verifyPackage(out.path)).ok).toBe(true);
  });
});
