/**
 * The facts a verifier needs from an X.509 certificate, read from its DER without trusting it: issuer and
 * subject as DER (names are compared byte for byte), serial number, validity, basicConstraints (cA, pathLen),
 * keyUsage, extendedKeyUsage, the subject key identifier and which critical extensions are not understood.
 * Signatures are checked by Node's X509Certificate (OpenSSL), so every key type OpenSSL knows is covered.
 */
import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { bytes, children, contents, DerError, element, oid, type Element } from '../apk/signing/der.js';
import { bi, type Bilingual } from '../bilingual.js';

export const KEY_USAGE = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5 } as const;
export const EKU_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

/** Extensions whose meaning this verifier applies or that do not restrict a path; any other critical one is refused, as OpenSSL does. */
const UNDERSTOOD = new Set([
  '2.5.29.19', // basicConstraints
  '2.5.29.15', // keyUsage
  '2.5.29.37', // extendedKeyUsage
  '2.5.29.14', // subjectKeyIdentifier
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.17', // subjectAltName
  '2.5.29.18', // issuerAltName
  '2.5.29.32', // certificatePolicies (no policy is required of a path)
]);

export interface Certificate {
  der: Buffer;
  fingerprint: string;
  issuer: Buffer;
  subject: Buffer;
  serial: Buffer;
  notBefore: Date;
  notAfter: Date;
  /** basicConstraints: null when the extension is absent. */
  ca: boolean | null;
  pathLen: number | null;
  /** keyUsage bits (index as in RFC 5280); null when the extension is absent. */
  keyUsage: Set<number> | null;
  extKeyUsage: string[] | null;
  subjectKeyId: Buffer | null;
  unknownCritical: string[];
  /** Human-readable names (RFC 2253 order, as the manifest and reports show them) for messages only — never for comparisons. */
  subjectText: string;
  issuerText: string;
  x509: X509Certificate;
}

/** A malformed certificate, with the reason in both languages (`message` is the English). */
export class CertificateError extends Error {
  readonly why: Bilingual;

  constructor(en: string, zh: string) {
    super(en);
    this.why = bi(en, zh);
  }
}

function time(buf: Buffer, e: Element): Date {
  const s = contents(buf, e).toString('latin1');
  const m = e.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : e.tag === 0x18 ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : null;
  if (!m) throw new CertificateError(`a validity time is malformed (${JSON.stringify(s.slice(0, 20))})`, `有效期时间格式错误（${JSON.stringify(s.slice(0, 20))}）`);
  let year = Number(m[1]);
  if (e.tag === 0x17) year += year >= 50 ? 1900 : 2000;
  const d = new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  if (Number.isNaN(d.getTime())) throw new CertificateError('a validity time is not a date', '有效期时间不是日期');
  return d;
}

function bitString(buf: Buffer, e: Element): Set<number> {
  if (e.tag !== 0x03) throw new CertificateError('keyUsage is not a BIT STRING', 'keyUsage 不是 BIT STRING');
  const b = contents(buf, e);
  const bits = new Set<number>();
  for (let i = 1; i < b.length; i++) for (let j = 0; j < 8; j++) if (b[i]! & (0x80 >> j)) bits.add((i - 1) * 8 + j);
  return bits;
}

function nonNegativeInteger(buf: Buffer, e: Element): number {
  const b = contents(buf, e);
  if (e.tag !== 0x02 || !b.length || b[0]! & 0x80 || b.length > 4) throw new CertificateError('pathLenConstraint is not a small non-negative integer', 'pathLenConstraint 不是较小的非负整数');
  return b.readUIntBE(0, b.length);
}

/** Reads a DER certificate; a malformed one throws CertificateError with the reason. */
export function readCertificate(der: Buffer): Certificate {
  try {
    const top = element(der, 0);
    if (top.tag !== 0x30 || top.end !== der.length) throw new CertificateError('not a DER certificate', '不是 DER 编码的证书');
    const tbs = children(der, top)[0];
    if (!tbs || tbs.tag !== 0x30) throw new CertificateError('a certificate without tbsCertificate', '证书缺少 tbsCertificate');
    const f = children(der, tbs);
    const k = f[0]?.tag === 0xa0 ? 1 : 0;
    const [serial, , issuer, validity, subject] = f.slice(k, k + 5);
    if (!serial || serial.tag !== 0x02 || !issuer || issuer.tag !== 0x30 || !validity || validity.tag !== 0x30 || !subject || subject.tag !== 0x30) throw new CertificateError('a certificate with a malformed tbsCertificate', '证书的 tbsCertificate 结构错误');
    const [nb, na] = children(der, validity);
    if (!nb || !na) throw new CertificateError('a certificate without validity', '证书缺少有效期');
    const cert: Omit<Certificate, 'x509' | 'subjectText' | 'issuerText'> = {
      der, fingerprint: createHash('sha256').update(der).digest('hex'),
      issuer: bytes(der, issuer), subject: bytes(der, subject), serial: contents(der, serial),
      notBefore: time(der, nb), notAfter: time(der, na),
      ca: null, pathLen: null, keyUsage: null, extKeyUsage: null, subjectKeyId: null, unknownCritical: [],
    };
    const extensions = f.find((e) => e.tag === 0xa3);
    const seen = new Set<string>();
    for (const ext of extensions ? children(der, children(der, extensions)[0] ?? extensions) : []) {
      const parts = children(der, ext);
      const id = oid(der, parts[0]!);
      if (seen.has(id)) throw new CertificateError(`extension ${id} appears twice`, `扩展 ${id} 重复出现`);
      seen.add(id);
      const critical = parts.length === 3 && parts[1]!.tag === 0x01 && contents(der, parts[1]!)[0] !== 0;
      const value = parts[parts.length - 1]!;
      if (value.tag !== 0x04) throw new CertificateError(`extension ${id} has no value`, `扩展 ${id} 没有值`);
      const inner = contents(der, value);
      const v = element(inner, 0);
      if (id === '2.5.29.19') {
        const c = children(inner, v);
        let i = 0;
        cert.ca = false;
        if (c[i]?.tag === 0x01) cert.ca = contents(inner, c[i++]!)[0] !== 0;
        if (c[i]) cert.pathLen = nonNegativeInteger(inner, c[i]!);
      } else if (id === '2.5.29.15') cert.keyUsage = bitString(inner, v);
      else if (id === '2.5.29.37') cert.extKeyUsage = children(inner, v).map((e) => oid(inner, e));
      else if (id === '2.5.29.14') cert.subjectKeyId = contents(inner, v);
      if (critical && !UNDERSTOOD.has(id)) cert.unknownCritical.push(id);
    }
    const x509 = new X509Certificate(der);
    return { ...cert, x509, subjectText: oneLine(x509.subject), issuerText: oneLine(x509.issuer) };
  } catch (err) {
    if (err instanceof CertificateError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new CertificateError(err instanceof DerError ? message : `not a valid certificate (${message})`, err instanceof DerError ? `DER 结构错误：${message}` : `不是有效的证书（${message}）`);
  }
}

function oneLine(name: string): string {
  return name.split('\n').reverse().join(', ');
}

/** True when `issuer`'s key verifies `cert`'s signature (OpenSSL's check: any key type, malformed = false). */
export function signedBy(cert: Certificate, issuer: Certificate): boolean {
  try {
    return cert.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}

export function publicKey(cert: Certificate): KeyObject {
  return cert.x509.publicKey;
}

export function selfIssued(cert: Certificate): boolean {
  return cert.issuer.equals(cert.subject);
}

export function validAt(cert: Certificate, at: Date): boolean {
  return at >= cert.notBefore && at <= cert.notAfter;
}
