/**
 * The forgery matrix: genuine and forged signatures over a lab's package, each judged by our verifier and by
 * stock `openssl cms -verify -CAfile` — the verdicts must be equal. The worst forgery of the red-team round is
 * here: a package doctored by someone with no key from the lab (app-op events deleted, the timeline re-chained,
 * every hash redone), signed with a self-made "Chief Examiner" key, with the lab's genuine tester certificate
 * added to the certificate set so that it sorts last. Where we are deliberately stricter than
 * `openssl -purpose any` (a back-dated signing time, a leaf that may not sign), the test says so and checks
 * the stricter OpenSSL setting that agrees.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateId } from '../../../../src-main/core/apk/signing/pkcs7.js';
import { IdentityStore, pemToDers, verifyPackage } from '../../../../src-main/core/evidence/index.js';
import { signDetached } from '../../../../src-main/core/evidence/cms.js';
import { importSigningKey } from '../../../../src-main/core/evidence/x509.js';
import { cmsSign, der, doctor, issue, opensslCmsVerify, type Entries, type TestCert } from '../../../support/cert-forge.js';
import { exportSession, makeSession, openssl, PASSPHRASE, readEntries, writeEntries } from '../../../support/evidence-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'forgery-'));
const DAY = 24 * 3600 * 1000;
const ymd = (d: Date): string => d.toISOString().replace(/[-:T]|\.\d+/g, '').slice(0, 14) + 'Z';
let genuine: Entries;
let lab: { root: TestCert; tester: TestCert };
let n = 0;

const file = (entries: Entries, name: string): Buffer => entries.find(([k]) => k === name)![1];
const replace = (entries: Entries, changes: Record<string, Buffer>): Entries => entries.map(([k, v]) => [k, changes[k] ?? v]);

async function judge(entries: Entries, p7s: Buffer, caPem: string, o: { now?: Date; opensslArgs?: string[] } = {}) {
  const pkg = join(root, `case-${++n}.zip`);
  await writeEntries(pkg, replace(entries, { 'manifest.json.p7s': p7s }));
  const t = performance.now();
  const report = await verifyPackage(pkg, { ca: pemToDers(caPem), now: o.now });
  const ms = performance.now() - t;
  const signature = report.checks.find((c) => c.id === 'signature')!;
  const ossl = opensslCmsVerify(root, file(entries, 'manifest.json'), p7s, caPem, o.opensslArgs);
  return { report, ms, ours: signature.ok, openssl: ossl.status === 0, why: signature.en, opensslSays: ossl.stderr };
}

async function signWith(signer: TestCert, chain: TestCert[], content: Buffer, signingTime?: Date): Promise<Buffer> {
  const pkcs8 = Buffer.from(readFileSync(signer.key, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return signDetached(content, await importSigningKey(pkcs8), [signer.der, ...chain.map((c) => c.der)], signingTime);
}

describe('the forgery matrix: our verifier and openssl cms -verify agree', () => {
  beforeAll(async () => {
    lab = { root: issue(root, 'lab-root', { subject: '/O=Test Lab/CN=Test Lab Root CA', ca: true }), tester: null! };
    lab.tester = issue(root, 'tester', { subject: '/O=Test Lab/CN=Li Si 李四', issuer: lab.root });
    openssl(['pkcs12', '-export', '-inkey', lab.tester.key, '-in', lab.tester.cert, '-certfile', lab.root.cert, '-out', join(root, 'tester.p12'), '-passout', 'pass:p12-secret']);
    const store = new IdentityStore(join(root, 'data'));
    const identity = await store.importPkcs12(readFileSync(join(root, 'tester.p12')), 'p12-secret', PASSPHRASE);
    await makeSession(join(root, 'session'), { events: 12 });
    const out = await exportSession(join(root, 'session'), join(root, 'genuine.zip'), join(root, 'data'), { identityId: identity.id });
    genuine = await readEntries(out.path);
  });

  it('the genuine package: both verify it against the lab root', async () => {
    const r = await judge(genuine, file(genuine, 'manifest.json.p7s'), lab.root.pem);
    expect([r.ours, r.openssl]).toEqual([true, true]);
    expect(r.report.ok, JSON.stringify(r.report.checks.filter((c) => !c.ok))).toBe(true);
    expect(r.report.signer).toMatchObject({ fingerprint: createHash('sha256').update(lab.tester.der).digest('hex'), selfAsserted: false });
  });

  it('the red-team forgery: app-op events deleted, re-chained, signed by a self-made Chief Examiner with the genuine tester certificate last', async () => {
    const forged = doctor(genuine, (e) => e.type === 'appop.access');
    expect(file(forged.entries, 'timeline.jsonl').toString()).not.toContain('appop.access');
    const chief = issue(root, 'chief', { subject: '/O=Test Lab/CN=Chief Examiner' });
    const p7s = await signWith(chief, [lab.tester], forged.manifest);
    // The genuine certificate really is last in the set, as in the report.
    const certs = execFileSync('openssl', ['pkcs7', '-inform', 'DER', '-print_certs', '-noout'], { input: p7s, encoding: 'utf8' });
    expect(certs.lastIndexOf('Li Si')).toBeGreaterThan(certs.lastIndexOf('Chief Examiner'));
    const r = await judge(forged.entries, p7s, lab.root.pem);
    expect([r.ours, r.openssl]).toEqual([false, false]);
    expect(r.opensslSays).toMatch(/self-signed certificate/);
    expect(r.why).toMatch(/CN=Chief Examiner.*does not chain to the given CA.*self-signed/);
    expect(r.report.ok).toBe(false);
    // The same forgery made with openssl's own signing, whatever order it sorts the set in.
    const viaOpenssl = await judge(forged.entries, cmsSign(root, forged.manifest, chief, [lab.tester, lab.root]), lab.root.pem);
    expect([viaOpenssl.ours, viaOpenssl.openssl]).toEqual([false, false]);
    // Without a CA the forger's package is at best self-asserted by Chief Examiner, and its manifest, report and
    // VERIFY.txt, which still name the lab's tester, fail with both signers named.
    const open = await verifyPackage(await (async () => {
      const pkg = join(root, 'forged-open.zip');
      await writeEntries(pkg, replace(forged.entries, { 'manifest.json.p7s': p7s }));
      return pkg;
    })());
    const failed = Object.fromEntries(open.checks.filter((c) => !c.ok).map((c) => [c.id, c.en]));
    expect(open.ok).toBe(false);
    expect(failed['signer.manifest']).toMatch(/names the signer CN=Li Si 李四, O=Test Lab \(SHA-256 [0-9a-f]{64}\), but CN=Chief Examiner, O=Test Lab \(SHA-256 [0-9a-f]{64}\) signed it/);
    expect(failed['signer.report.html']).toMatch(/names another signer/);
    expect(failed['signer.VERIFY.txt']).toMatch(/names another signer/);
  });

  it('a forger root with the lab root\'s name, and the genuine root carried last', async () => {
    const fakeRoot = issue(root, 'fake-root', { subject: '/O=Test Lab/CN=Test Lab Root CA', ca: true });
    const chief = issue(root, 'chief2', { subject: '/O=Test Lab/CN=Chief Examiner', issuer: fakeRoot });
    const forged = doctor(genuine, (e) => e.type === 'appop.access');
    const r = await judge(forged.entries, await signWith(chief, [fakeRoot, lab.root], forged.manifest), lab.root.pem);
    expect([r.ours, r.openssl]).toEqual([false, false]);
    expect(r.why).toMatch(/not signed by the key of the trusted certificate named CN=Test Lab Root CA/);
  });

  it('a signer info naming the genuine tester while the forger\'s key signed', async () => {
    const chief = issue(root, 'chief3', { subject: '/O=Test Lab/CN=Chief Examiner' });
    const forged = doctor(genuine, (e) => e.type === 'appop.access');
    const pkcs8 = Buffer.from(readFileSync(chief.key, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const p7s = await signDetached(forged.manifest, await importSigningKey(pkcs8), [lab.tester.der, chief.der]);
    const r = await judge(forged.entries, p7s, lab.root.pem);
    expect([r.ours, r.openssl]).toEqual([false, false]);
    expect(r.why).toMatch(/does not verify with the signer's key/);
  });

  it('expired and not-yet-valid tester certificates; a back-dated signing time', async () => {
    const now = new Date();
    const expired = issue(root, 'expired', { subject: '/O=Test Lab/CN=Old Tester', issuer: lab.root, start: '20200101000000Z', end: '20211231000000Z' });
    const r = await judge(genuine, await signWith(expired, [lab.root], file(genuine, 'manifest.json'), new Date('2020-06-01T00:00:00Z')), lab.root.pem);
    expect([r.ours, r.openssl]).toEqual([false, false]);
    expect(r.opensslSays).toMatch(/certificate has expired/);
    expect(r.why).toMatch(/CN=Old Tester, O=Test Lab has expired: valid until 2021-12-31T00:00:00Z, now \(the package has no trusted timestamp\)/);

    const future = issue(root, 'future', { subject: '/O=Test Lab/CN=Future Tester', issuer: lab.root, start: ymd(new Date(now.getTime() + 30 * DAY)), end: ymd(new Date(now.getTime() + 400 * DAY)) });
    const f = await judge(genuine, cmsSign(root, file(genuine, 'manifest.json'), future, [lab.root]), lab.root.pem);
    expect([f.ours, f.openssl]).toEqual([false, false]);
    expect(f.why).toMatch(/not yet valid/);

    // Deliberately stricter: a signing time before the certificate existed is a lie about time. OpenSSL checks
    // only the verification time (-attime), and agrees once asked at the claimed time.
    const backdated = await judge(genuine, await signWith(lab.tester, [lab.root], file(genuine, 'manifest.json'), new Date('2019-01-01T00:00:00Z')), lab.root.pem);
    expect(backdated.ours).toBe(false);
    expect(backdated.why).toMatch(/not yet valid at the signing time it claims 2019-01-01T00:00:00Z/);
    expect(opensslCmsVerify(root, file(genuine, 'manifest.json'), await signWith(lab.tester, [lab.root], file(genuine, 'manifest.json'), new Date('2019-01-01T00:00:00Z')), lab.root.pem,
      ['-purpose', 'any', '-attime', String(Date.UTC(2019, 0, 1) / 1000)]).status).not.toBe(0);
  });

  it('CA rules on the path: an issuer that is not a CA, one without keyCertSign, a path length exceeded', async () => {
    const notCa = issue(root, 'not-ca', { subject: '/O=Test Lab/CN=Not A CA', issuer: lab.root });
    const underNotCa = issue(root, 'under-not-ca', { subject: '/O=Test Lab/CN=Signer A', issuer: notCa });
    const a = await judge(genuine, cmsSign(root, file(genuine, 'manifest.json'), underNotCa, [notCa]), lab.root.pem);
    expect([a.ours, a.openssl]).toEqual([false, false]);
    expect(a.why).toMatch(/CN=Not A CA, O=Test Lab is not a CA/);

    const noCertSign = issue(root, 'no-certsign', { subject: '/O=Test Lab/CN=Sub CA Without CertSign', issuer: lab.root, ca: true, keyUsage: 'digitalSignature' });
    const underNoCertSign = issue(root, 'under-no-certsign', { subject: '/O=Test Lab/CN=Signer B', issuer: noCertSign });
    const b = await judge(genuine, cmsSign(root, file(genuine, 'manifest.json'), underNoCertSign, [noCertSign]), lab.root.pem);
    expect([b.ours, b.openssl]).toEqual([false, false]);
    expect(b.why).toMatch(/may not issue certificates \(its keyUsage lacks keyCertSign\)/);

    const tightRoot = issue(root, 'tight-root', { subject: '/O=Test Lab/CN=Tight Root', ca: true, pathLen: 0 });
    const sub = issue(root, 'sub', { subject: '/O=Test Lab/CN=Sub CA', issuer: tightRoot, ca: true });
    const underSub = issue(root, 'under-sub', { subject: '/O=Test Lab/CN=Signer C', issuer: sub });
    const c = await judge(genuine, cmsSign(root, file(genuine, 'manifest.json'), underSub, [sub]), tightRoot.pem);
    expect([c.ours, c.openssl]).toEqual([false, false]);
    expect(c.why).toMatch(/CN=Tight Root, O=Test Lab allows 0 CA certificate\(s\) below it, the path has 1/);

    // And a proper intermediate passes both.
    const goodSub = issue(root, 'good-sub', { subject: '/O=Test Lab/CN=Good Sub CA', issuer: lab.root, ca: true, pathLen: 0 });
    const underGood = issue(root, 'under-good', { subject: '/O=Test Lab/CN=Signer D', issuer: goodSub });
    const d = await judge(genuine, cmsSign(root, file(genuine, 'manifest.json'), underGood, [goodSub]), lab.root.pem);
    expect([d.ours, d.openssl]).toEqual([true, true]);
  });

  it('a leaf that may not sign: stricter than -purpose any, as strict as OpenSSL\'s S/MIME signing purpose', async () => {
    const encipherOnly = issue(root, 'encipher', { subject: '/O=Test Lab/CN=Encipher Only', issuer: lab.root, keyUsage: 'keyEncipherment' });
    const r = await judge(genuine, cmsSign(root, file(genuine, 'manifest.json'), encipherOnly, [lab.root]), lab.root.pem, { opensslArgs: ['-purpose', 'smimesign'] });
    expect([r.ours, r.openssl]).toEqual([false, false]);
    expect(r.why).toMatch(/may not sign/);
  });

  it('an RSA-PSS signer and an SM2 signer', async () => {
    const pss = issue(root, 'pss', { subject: '/O=Test Lab/CN=PSS Tester', issuer: lab.root, key: 'rsa' });
    const p = await judge(genuine, cmsSign(root, file(genuine, 'manifest.json'), pss, [lab.root], { pss: true }), lab.root.pem);
    expect([p.ours, p.openssl]).toEqual([true, true]);
    expect(p.why).toMatch(/RSASSA-PSS\/SHA-256/);

    // openssl 3.0 cannot even write SM2 into CMS: the signature is assembled by hand, signed with sm-crypto.
    const sm2Root = issue(root, 'sm2-root', { subject: '/O=Test Lab/CN=SM2 Root', ca: true, key: 'sm2' });
    const sm2 = issue(root, 'sm2', { subject: '/O=Test Lab/CN=SM2 Tester', issuer: sm2Root, key: 'sm2' });
    const { sm2: smCrypto } = await import('sm-crypto');
    const priv = /priv:\s*([0-9a-f:\s]+)pub:/.exec(openssl(['pkey', '-in', sm2.key, '-text', '-noout']))![1]!.replace(/[:\s]/g, '').replace(/^00(?=[0-9a-f]{64}$)/, '');
    const pub = /pub:\s*([0-9a-f:\s]+)ASN1/.exec(openssl(['pkey', '-in', sm2.key, '-text', '-noout']))![1]!.replace(/[:\s]/g, '');
    const content = file(genuine, 'manifest.json');
    const attrs = [
      der.seq(der.oid('1.2.840.113549.1.9.3'), der.set(der.oid('1.2.840.113549.1.7.1'))),
      der.seq(der.oid('1.2.840.113549.1.9.5'), der.set(der.utcTime(new Date()))),
      der.seq(der.oid('1.2.840.113549.1.9.4'), der.set(der.octets(createHash('sm3').update(content).digest()))),
    ];
    const signedAttrs = der.set(...attrs);
    const signature = Buffer.from(smCrypto.doSignature([...signedAttrs], priv, { hash: true, der: true, publicKey: pub }), 'hex');
    const id = certificateId(sm2.der);
    const sm3 = der.seq(der.oid('1.2.156.10197.1.401'));
    const signerInfo = der.seq(der.int(1), der.seq(id.issuer, der.tlv(0x02, id.serial)), sm3, der.tlv(0xa0, Buffer.concat(attrs)), der.seq(der.oid('1.2.156.10197.1.501')), der.octets(signature));
    const signedData = der.seq(der.int(1), der.set(sm3), der.seq(der.oid('1.2.840.113549.1.7.1')), der.tlv(0xa0, Buffer.concat([sm2.der, sm2Root.der])), der.set(signerInfo));
    const p7s = der.seq(der.oid('1.2.840.113549.1.7.2'), der.tlv(0xa0, signedData));
    expect(execFileSync('openssl', ['asn1parse', '-inform', 'DER'], { input: p7s, encoding: 'utf8' })).toContain('pkcs7-signedData');
    const s = await judge(genuine, p7s, sm2Root.pem);
    expect([s.ours, s.openssl]).toEqual([false, false]);
    expect(s.why).toMatch(/digest algorithm 1\.2\.156\.10197\.1\.401 is not accepted|SM2 inside CMS is not accepted/);
  });

  it('eighty CA certificates of one name: refused quickly by us, as by openssl', async () => {
    // The forger's CAs all carry the lab root's name and share one key, so each verifies as the issuer of every
    // other: the hardest set to search.
    const forged: TestCert[] = [];
    for (let i = 0; i < 80; i++) forged.push(issue(root, `same-${i}`, { subject: '/O=Test Lab/CN=Test Lab Root CA', ca: true, issuer: forged[i - 1], keyFile: forged[0]?.key }));
    const chief = issue(root, 'chief-many', { subject: '/O=Test Lab/CN=Chief Examiner', issuer: forged[79] });
    const content = file(genuine, 'manifest.json');
    // All eighty in the signature: more certificates than a signature of ours ever carries.
    const all = await judge(genuine, await signWith(chief, [...forged].reverse(), content), lab.root.pem);
    expect([all.ours, all.openssl]).toEqual([false, false]);
    expect(all.why).toMatch(/carries 81 certificates \(at most 50 are read\)/);
    // Forty-eight in the signature, and a CA file of eighty unrelated CAs of that same name beside the lab root:
    // every step of the search meets 128 candidates of the right name.
    const decoys: TestCert[] = [];
    for (let i = 0; i < 80; i++) decoys.push(issue(root, `decoy-${i}`, { subject: '/O=Test Lab/CN=Test Lab Root CA', ca: true, keyFile: decoys[0]?.key }));
    const r = await judge(genuine, await signWith(chief, forged.slice(32).reverse(), content), [...decoys.map((c) => c.pem), lab.root.pem].join(''));
    expect([r.ours, r.openssl]).toEqual([false, false]);
    console.log(`eighty same-named CAs: verified in ${r.ms.toFixed(0)} ms`);
    expect(r.ms, `took ${r.ms} ms`).toBeLessThan(1000);
    expect(r.why).toMatch(/too many candidate paths|no path within 8 certificates/);
  }, 180_000);

  it('self-signed without a CA: openssl -CAfile signer.pem and ours agree; against the lab root both refuse', async () => {
    const self = issue(root, 'self', { subject: '/CN=Self Tester 自声明' });
    const p7s = cmsSign(root, file(genuine, 'manifest.json'), self);
    const withOwn = await judge(genuine, p7s, self.pem);
    expect([withOwn.ours, withOwn.openssl]).toEqual([true, true]);
    const withLab = await judge(genuine, p7s, lab.root.pem);
    expect([withLab.ours, withLab.openssl]).toEqual([false, false]);
  });

  it('a timestamped signer checked after its certificate expired: valid at the trusted time, as openssl -attime says', async () => {
    const { startTsa } = await import('../../../support/evidence-fixtures.js');
    const tsa = await startTsa(join(root, 'tsa'));
    try {
      const store = new IdentityStore(join(root, 'data'));
      const id = store.list()[0]!.id;
      const { exportPackage } = await import('../../../../src-main/core/evidence/index.js');
      const out = await exportPackage({ sessionDir: join(root, 'session'), out: join(root, 'stamped.zip'), identity: await store.unlock(id, PASSPHRASE), national: false, compress: false, tsaUrl: tsa.url, allowLocalTsa: true, tool: { name: 'AppRights Workbench', version: 'test' } });
      const later = new Date(Date.now() + 500 * DAY); // the tester certificate (365 days) has expired by then
      const tsaRoot = pemToDers(readFileSync(tsa.root, 'utf8'));
      const trusted = await verifyPackage(out.path, { ca: pemToDers(lab.root.pem), tsaCa: tsaRoot, now: later });
      expect(trusted.checks.find((c) => c.id === 'signature')?.ok, JSON.stringify(trusted.checks)).toBe(true);
      const untrusted = await verifyPackage(out.path, { ca: pemToDers(lab.root.pem), now: later });
      expect(untrusted.checks.find((c) => c.id === 'signature')?.en).toMatch(/has expired.*now \(the package has no trusted timestamp\)/);
      const entries = await readEntries(out.path);
      const args = (t: Date) => ['-purpose', 'any', '-attime', String(Math.floor(t.getTime() / 1000))];
      expect(opensslCmsVerify(root, file(entries, 'manifest.json'), file(entries, 'manifest.json.p7s'), lab.root.pem, args(new Date())).status).toBe(0);
      expect(opensslCmsVerify(root, file(entries, 'manifest.json'), file(entries, 'manifest.json.p7s'), lab.root.pem, args(later)).status).not.toBe(0);
    } finally {
      await tsa.close();
    }
  });
});


describe('exporting with a certificate outside its validity', () => {
  it('is refused before any work, naming the clock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'expired-export-'));
    const ca = issue(dir, 'root', { subject: '/O=Test Lab/CN=Root', ca: true });
    const old = issue(dir, 'old', { subject: '/O=Test Lab/CN=Old', issuer: ca, start: '20200101000000Z', end: '20210101000000Z' });
    openssl(['pkcs12', '-export', '-inkey', old.key, '-in', old.cert, '-certfile', ca.cert, '-out', join(dir, 'old.p12'), '-passout', 'pass:p12-secret']);
    const store = new IdentityStore(join(dir, 'data'));
    const info = await store.importPkcs12(readFileSync(join(dir, 'old.p12')), 'p12-secret', PASSPHRASE);
    await makeSession(join(dir, 'session'));
    await expect(exportSession(join(dir, 'session'), join(dir, 'out.zip'), join(dir, 'data'), { identityId: info.id }))
      .rejects.toThrow(/valid from 2020-01-01T00:00:00.000Z to 2021-01-01T00:00:00.000Z, but this computer's clock says .*: correct the clock/);
    expect(existsSync(join(dir, 'out.zip'))).toBe(false);
  });
});
