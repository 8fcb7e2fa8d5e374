/**
 * Who signed an APK and whether the signatures hold: the v1 (JAR), v2, v3 and v3.1 signatures verified as
 * apksigner verifies them (signing/verify-apk.ts), and for each certificate found subject, issuer, validity
 * and SHA-256 fingerprint, with flags for debug and AOSP test keys and the Janus risk (v1 only while
 * minSdk < 24). Certificates are listed even when their signature fails, so a tester sees who claims to sign.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { parseSignedData } from './signing/pkcs7.js';
import { signerCertificates } from './signing/block-scheme.js';
import { BLOCK_IDS, findSigningBlock, zipSections } from './signing/signing-block.js';
import { jarSource, verifyApk } from './signing/verify-apk.js';
import type { FailureKind, SchemeName } from './signing/verdict.js';
import type { ZipReader } from './zip-reader.js';

export interface CertificateInfo {
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  sha256: string;
  serialNumber: string;
  debugKey: boolean;
  aospTestKey: boolean;
}

/** One scheme's verdict in the analysis JSON: certificates by SHA-256 fingerprint. */
export interface SchemeResult {
  status: 'verified' | 'failed' | 'absent' | 'not-checked';
  reason?: { kind: FailureKind; detail: string };
  signers: Array<{ certificate: string; minSdk?: number; maxSdk?: number; lineage?: string[] }>;
}

export interface SignatureVerification {
  verified: boolean;
  minSdk: number;
  schemes: Record<SchemeName, SchemeResult>;
  errors: Array<{ scheme: SchemeName; kind: FailureKind; detail: string }>;
}

export interface SignatureInfo {
  /** Schemes present in the APK (a signature file or block), verified or not. */
  schemes: Array<'v1' | 'v2' | 'v3' | 'v3.1'>;
  certificates: CertificateInfo[];
  janusRisk: boolean;
  verification: SignatureVerification;
  findings: string[];
}

/**
 * Entries JAR verification inflates are capped like any other; a stored entry (how large assets are kept) is
 * hashed where it lies, whatever its size, so a 1 GB game asset does not make a genuine signature fail.
 */
const MAX_ENTRY = 256 * 1024 * 1024;

/** Node prints a name one attribute per line in DER order; apksigner (RFC 2253) prints them reversed. */
function dn(name: string): string {
  return name.split('\n').map((rdn) => rdn.replace(/^emailAddress=/, 'EMAILADDRESS=')).reverse().join(', ');
}

export function describeCertificate(der: Buffer): CertificateInfo {
  const cert = new X509Certificate(der);
  const subject = dn(cert.subject);
  return {
    subject,
    issuer: dn(cert.issuer),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    sha256: fingerprint(der),
    serialNumber: cert.serialNumber.toLowerCase(),
    debugKey: /CN=Android Debug/.test(subject),
    aospTestKey: /EMAILADDRESS=android@android\.com/.test(subject) && /CN=Android\b/.test(subject) && /O=Android/.test(subject),
  };
}

function fingerprint(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

/** Certificates each v2/v3/v3.1 signer lists, read without judging them (the verifier judges). */
function blockCertificates(apk: Buffer, findings: string[]): { schemes: SignatureInfo['schemes']; certificates: Buffer[] } {
  const schemes: SignatureInfo['schemes'] = [];
  const certificates: Buffer[] = [];
  try {
    const block = findSigningBlock(apk, zipSections(apk));
    for (const scheme of ['v2', 'v3', 'v3.1'] as const) {
      const value = block?.pairs.get(BLOCK_IDS[scheme]);
      if (!value) continue;
      schemes.push(scheme);
      certificates.push(...signerCertificates(value));
    }
  } catch (err) {
    findings.push(`APK Signing Block: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { schemes, certificates };
}

/** Certificates in the v1 PKCS#7 signature blocks. */
function jarCertificates(zip: ZipReader, findings: string[]): Buffer[] {
  const certificates: Buffer[] = [];
  for (const name of [...zip.entries.keys()].filter((n) => /^META-INF\/[^/]+\.(RSA|DSA|EC)$/i.test(n))) {
    try {
      certificates.push(...parseSignedData(zip.read(name, 1024 * 1024)).certificates);
    } catch (err) {
      findings.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return certificates;
}

export function readSignatures(apk: Buffer, zip: ZipReader, manifest: { minSdk: number | null; targetSdk: number | null }): SignatureInfo {
  const findings: string[] = [];
  const block = blockCertificates(apk, findings);
  const v1 = jarCertificates(zip, findings);
  const hasJar = zip.entries.has('META-INF/MANIFEST.MF') || v1.length > 0;
  const schemes: SignatureInfo['schemes'] = [...(hasJar ? ['v1' as const] : []), ...block.schemes];
  const v = verifyApk(apk, jarSource([...zip.entries.keys()], (n) => zip.read(n, zip.entries.get(n)?.method === 0 ? Number.MAX_SAFE_INTEGER : MAX_ENTRY)), manifest);
  const byFingerprint = new Map<string, CertificateInfo>();
  const lineage = Object.values(v.schemes).flatMap((r) => r.signers.flatMap((x) => x.lineage ?? []));
  for (const der of [...v1, ...block.certificates, ...lineage]) {
    try {
      const info = describeCertificate(der);
      byFingerprint.set(info.sha256, info);
    } catch (err) {
      findings.push(`unreadable certificate: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (!schemes.length) findings.push('unsigned: no v1 signature file and no APK Signing Block');
  const verification: SignatureVerification = {
    verified: v.verified,
    minSdk: v.minSdk,
    errors: v.errors,
    schemes: Object.fromEntries(Object.entries(v.schemes).map(([name, r]) => [name, {
      status: r.status,
      ...(r.reason ? { reason: r.reason } : {}),
      signers: r.signers.map((x) => ({
        certificate: fingerprint(x.certificates[0]!),
        ...(x.minSdk !== undefined ? { minSdk: x.minSdk, maxSdk: x.maxSdk } : {}),
        ...(x.lineage ? { lineage: x.lineage.map(fingerprint) } : {}),
      })),
    }])) as Record<SchemeName, SchemeResult>,
  };
  const janusRisk = schemes.length === 1 && schemes[0] === 'v1' && (manifest.minSdk ?? 1) < 24;
  return { schemes, certificates: [...byFingerprint.values()], janusRisk, verification, findings };
}
