/**
 * Who signed an APK: the v1 JAR signature (PKCS#7 blocks under META-INF, read with pkijs) and the v2/v3/v3.1
 * APK Signing Block before the central directory. For each certificate: subject, issuer, validity and SHA-256
 * fingerprint; flags for debug and AOSP test keys, and the Janus risk (v1 only while minSdk < 24).
 * Lengths inside the signing block are bounds-checked; certificates are parsed, not verified.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
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

export interface SignatureInfo {
  schemes: Array<'v1' | 'v2' | 'v3' | 'v3.1'>;
  certificates: CertificateInfo[];
  janusRisk: boolean;
  findings: string[];
}

const BLOCK_IDS: Record<number, 'v2' | 'v3' | 'v3.1'> = { 0x7109871a: 'v2', 0xf05368c0: 'v3', 0x1b93ad61: 'v3.1' };
const NAMES: Record<string, string> = {
  '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU', '1.2.840.113549.1.9.1': 'EMAILADDRESS',
};
const MAX_CERT = 64 * 1024;

function dn(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues.map((tv) => `${NAMES[tv.type] ?? tv.type}=${String((tv.value.valueBlock as { value?: unknown }).value ?? '')}`).reverse().join(', ');
}

export function describeCertificate(der: Buffer): CertificateInfo {
  const asn = asn1js.fromBER(new Uint8Array(der));
  if (asn.offset === -1) throw new Error('certificate is not DER');
  const cert = new pkijs.Certificate({ schema: asn.result });
  const subject = dn(cert.subject);
  return {
    subject,
    issuer: dn(cert.issuer),
    notBefore: cert.notBefore.value.toISOString(),
    notAfter: cert.notAfter.value.toISOString(),
    sha256: createHash('sha256').update(der).digest('hex'),
    serialNumber: Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex'),
    debugKey: /CN=Android Debug/.test(subject),
    aospTestKey: /EMAILADDRESS=android@android\.com/.test(subject) && /CN=Android\b/.test(subject) && /O=Android/.test(subject),
  };
}

/** Reads a length-prefixed (u32 LE) sequence within [start, end). */
function* lengthPrefixed(buf: Buffer, start: number, end: number): Generator<[number, number]> {
  let p = start;
  while (p + 4 <= end) {
    const len = buf.readUInt32LE(p);
    if (p + 4 + len > end) throw new Error('length-prefixed item runs past its parent');
    yield [p + 4, p + 4 + len];
    p += 4 + len;
  }
}

function signingBlock(apk: Buffer, cdOffset: number): Map<number, [number, number]> {
  const pairs = new Map<number, [number, number]>();
  if (cdOffset < 32 || apk.toString('latin1', cdOffset - 16, cdOffset) !== 'APK Sig Block 42') return pairs;
  const size = Number(apk.readBigUInt64LE(cdOffset - 24));
  const start = cdOffset - size - 8;
  if (size < 24 || start < 0 || Number(apk.readBigUInt64LE(start)) !== size) throw new Error('signing block sizes disagree');
  let p = start + 8;
  const end = cdOffset - 24;
  while (p + 12 <= end) {
    const len = Number(apk.readBigUInt64LE(p));
    if (len < 4 || p + 8 + len > end) throw new Error('signing block entry runs past the block');
    pairs.set(apk.readUInt32LE(p + 8), [p + 12, p + 8 + len]);
    p += 8 + len;
  }
  return pairs;
}

/** Certificates of the first signer of a v2/v3 scheme block. */
function schemeCertificates(apk: Buffer, [start, end]: [number, number]): Buffer[] {
  const certs: Buffer[] = [];
  for (const [, signersEnd] of lengthPrefixed(apk, start, end)) {
    for (const [sStart, sEnd] of lengthPrefixed(apk, start + 4, signersEnd)) {
      const signedData = lengthPrefixed(apk, sStart, sEnd).next().value;
      if (!signedData) continue;
      const [dStart, dEnd] = signedData;
      const parts = lengthPrefixed(apk, dStart, dEnd);
      parts.next(); // digests
      const certSeq = parts.next().value;
      if (!certSeq) continue;
      for (const [cStart, cEnd] of lengthPrefixed(apk, certSeq[0], certSeq[1])) {
        if (cEnd - cStart <= MAX_CERT) certs.push(apk.subarray(cStart, cEnd));
      }
    }
    break;
  }
  return certs;
}

export function readSignatures(apk: Buffer, zip: ZipReader, cdOffset: number, minSdk: number | null): SignatureInfo {
  const schemes: SignatureInfo['schemes'] = [];
  const findings: string[] = [];
  const byFingerprint = new Map<string, CertificateInfo>();
  const add = (der: Buffer): void => {
    try {
      const info = describeCertificate(der);
      byFingerprint.set(info.sha256, info);
    } catch (err) {
      findings.push(`unreadable certificate: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  try {
    const block = signingBlock(apk, cdOffset);
    for (const [id, scheme] of Object.entries(BLOCK_IDS)) {
      const range = block.get(Number(id));
      if (!range) continue;
      schemes.push(scheme);
      for (const der of schemeCertificates(apk, range)) add(der);
    }
  } catch (err) {
    findings.push(`APK Signing Block: ${err instanceof Error ? err.message : String(err)}`);
  }
  const v1 = [...zip.entries.keys()].filter((n) => /^META-INF\/[^/]+\.(RSA|DSA|EC)$/i.test(n));
  for (const name of v1) {
    try {
      const asn = asn1js.fromBER(new Uint8Array(zip.read(name, 1024 * 1024)));
      const content = new pkijs.ContentInfo({ schema: asn.result });
      const signed = new pkijs.SignedData({ schema: content.content });
      for (const c of signed.certificates ?? []) if (c instanceof pkijs.Certificate) add(Buffer.from(c.toSchema().toBER(false)));
      if (!schemes.includes('v1')) schemes.unshift('v1');
    } catch (err) {
      findings.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (!schemes.length) findings.push('unsigned: no v1 signature file and no APK Signing Block');
  const janusRisk = schemes.length === 1 && schemes[0] === 'v1' && (minSdk ?? 1) < 24;
  return { schemes, certificates: [...byFingerprint.values()], janusRisk, findings };
}
