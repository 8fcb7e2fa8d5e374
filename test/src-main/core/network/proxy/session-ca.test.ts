/**
 * The session CA checked by stock openssl: its fingerprint, the file name Android gives it as a user CA
 * (`-subject_hash_old`), the DER and PEM the phone's installer takes, what it may sign and for how long.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSessionCa, SESSION_CA_VALIDITY_DAYS, sessionCaFiles, subjectHashOld } from '../../../../../src-main/core/network/proxy/session-ca.js';
import type { SessionCa } from '../../../../../src-main/core/network/contracts.js';
import { longestStall } from '../../../../support/event-loop.js';

function openssl(args: string[], cwd: string, input?: Buffer | string): string {
  return execFileSync('openssl', args, { cwd, input, stdio: ['pipe', 'pipe', 'pipe'], encoding: 'utf8' });
}

describe('session CA', () => {
  let dir: string;
  let ca: SessionCa;
  let made: { stallMs: number; elapsedMs: number };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'session-ca-'));
    const run = await longestStall(() => createSessionCa());
    if (run.outcome.status !== 'fulfilled') throw run.outcome.reason;
    ca = run.outcome.value;
    made = run;
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    writeFileSync(join(dir, 'ca.key'), ca.keyPem);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('its sha256 is what openssl x509 -fingerprint -sha256 prints', () => {
    const out = openssl(['x509', '-in', 'ca.pem', '-noout', '-fingerprint', '-sha256'], dir);
    const fromOpenssl = /Fingerprint=([0-9A-F:]+)/.exec(out)![1]!.replace(/:/g, '').toLowerCase();
    expect(ca.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(ca.sha256).toBe(fromOpenssl);
  });

  it('the key is the certificate\'s, and openssl accepts it as a self-signed CA for server certificates', () => {
    const certPub = openssl(['x509', '-in', 'ca.pem', '-noout', '-pubkey'], dir);
    const keyPub = openssl(['pkey', '-in', 'ca.key', '-pubout'], dir);
    expect(keyPub).toBe(certPub);
    expect(openssl(['verify', '-CAfile', 'ca.pem', 'ca.pem'], dir)).toMatch(/ca\.pem: OK/);
    const text = openssl(['x509', '-in', 'ca.pem', '-noout', '-text'], dir);
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign/);
    expect(text).toMatch(/Subject Key Identifier/);
    expect(text).toMatch(/sha256WithRSAEncryption/);
    expect(text).toMatch(/Public-Key: \(2048 bit\)/);
    expect(openssl(['x509', '-in', 'ca.pem', '-noout', '-subject'], dir)).toMatch(/^subject=CN = AppRights Workbench session CA \d{4}-\d{2}-\d{2} \d{2}:\d{2} [0-9a-f]{6}\n$/);
  });

  it(`is valid from a day back (phone clocks drift) for ${SESSION_CA_VALIDITY_DAYS} days, no longer`, () => {
    const dates = openssl(['x509', '-in', 'ca.pem', '-noout', '-startdate', '-enddate'], dir);
    const start = Date.parse(/notBefore=(.+)/.exec(dates)![1]!);
    const end = Date.parse(/notAfter=(.+)/.exec(dates)![1]!);
    const now = Date.now();
    expect(now - start).toBeGreaterThan(23 * 3600_000);
    expect(now - start).toBeLessThan(25 * 3600_000);
    expect(end - now).toBeLessThanOrEqual(SESSION_CA_VALIDITY_DAYS * 24 * 3600_000);
    expect(end - now).toBeGreaterThan((SESSION_CA_VALIDITY_DAYS - 1) * 24 * 3600_000);
    // "valid for 7 days" as openssl counts it: still valid in 6 days, no longer in 8.
    expect(() => openssl(['x509', '-in', 'ca.pem', '-noout', '-checkend', String((SESSION_CA_VALIDITY_DAYS - 1) * 86400)], dir)).not.toThrow();
    expect(() => openssl(['x509', '-in', 'ca.pem', '-noout', '-checkend', String((SESSION_CA_VALIDITY_DAYS + 1) * 86400)], dir)).toThrow();
  });

  it('the files for the phone: PEM and DER .crt that openssl reads as this certificate, and the user-CA file name Android uses', () => {
    const files = sessionCaFiles(ca);
    writeFileSync(join(dir, files.crtFileName), files.der);
    writeFileSync(join(dir, files.pemFileName), files.pem);
    const derFingerprint = openssl(['x509', '-inform', 'DER', '-in', files.crtFileName, '-noout', '-fingerprint', '-sha256'], dir);
    expect(derFingerprint.replace(/.*=/, '').trim().replace(/:/g, '').toLowerCase()).toBe(ca.sha256);
    expect(execFileSync('openssl', ['x509', '-in', files.pemFileName, '-outform', 'DER'], { cwd: dir }).equals(files.der)).toBe(true);
    expect(files.crtFileName).toMatch(/^apprights-session-ca-[0-9a-f]{8}\.crt$/);
    expect(files.sha256).toBe(ca.sha256);
    const hashOld = openssl(['x509', '-in', 'ca.pem', '-noout', '-subject_hash_old'], dir).trim();
    expect(files.androidUserCaFileName).toBe(`${hashOld}.0`);
  });

  it('subject_hash_old agrees with openssl on other subjects: several RDNs, Chinese, a v1 certificate without extensions', () => {
    const subjects = ['/C=CN/O=某某检测实验室/OU=App 测试/CN=Lab CA', '/CN=x', '/DC=com/DC=example/CN=Deep  Name/emailAddress=a@b.example'];
    subjects.forEach((subj, i) => {
      openssl(['req', '-x509', '-newkey', 'rsa:1024', '-nodes', '-keyout', `k${i}.pem`, '-out', `c${i}.pem`, '-days', '1', '-subj', subj, '-utf8'], dir);
      const der = execFileSync('openssl', ['x509', '-in', `c${i}.pem`, '-outform', 'DER'], { cwd: dir });
      expect(subjectHashOld(der)).toBe(openssl(['x509', '-in', `c${i}.pem`, '-noout', '-subject_hash_old'], dir).trim());
    });
    // A v1 certificate has no version field: the subject is the fifth element of the TBS, not the sixth.
    openssl(['req', '-new', '-key', 'k0.pem', '-out', 'v1.csr', '-subj', '/CN=Version One/O=Old Lab'], dir);
    openssl(['x509', '-req', '-in', 'v1.csr', '-signkey', 'k0.pem', '-out', 'v1.pem', '-days', '1'], dir);
    expect(openssl(['x509', '-in', 'v1.pem', '-noout', '-text'], dir)).toMatch(/Version: 1 \(0x0\)/);
    const v1 = execFileSync('openssl', ['x509', '-in', 'v1.pem', '-outform', 'DER'], { cwd: dir });
    expect(subjectHashOld(v1)).toBe(openssl(['x509', '-in', 'v1.pem', '-noout', '-subject_hash_old'], dir).trim());
  });

  it('each session gets its own CA, made in bounded time', async () => {
    const other = await createSessionCa();
    expect(other.sha256).not.toBe(ca.sha256);
    expect(other.keyPem).not.toBe(ca.keyPem);
    expect(subjectHashOld(sessionCaFiles(other).der)).not.toBe(subjectHashOld(sessionCaFiles(ca).der));
    // RSA key generation runs on libuv's pool (WebCrypto). The longest event-loop gap is printed, not asserted:
    // on this shared 2-core machine it measures the scheduler as much as us (30–380 ms seen across runs).
    console.log(`session CA made in ${Math.round(made.elapsedMs)} ms, longest event-loop gap ${Math.round(made.stallMs)} ms`);
    expect(made.elapsedMs).toBeLessThan(10_000);
  });

  it('a damaged certificate is refused with an error, not a wrong name', () => {
    const der = sessionCaFiles(ca).der;
    expect(() => subjectHashOld(der.subarray(0, 40))).toThrow();
    expect(() => subjectHashOld(Buffer.from('not a certificate'))).toThrow();
  });
});
