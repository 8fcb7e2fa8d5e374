/**
 * The session's own certificate authority for TLS interception: made fresh for each session (RSA 2048, SHA-256 —
 * what every Android version accepts as a user CA), valid for days, never written to the phone by us. Owns the
 * forms the phone's CA installer takes (PEM, DER `.crt`) and the file name Android gives a user CA
 * (`<subject_hash_old>.0` under /data/misc/user/0/cacerts-added), so the phone side can recognise it.
 * The private key never leaves this process except to the interceptor (mockttp signs each host's certificate).
 */
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { asn1Lib } from '../../evidence/asn1-lib.js';
import { pemToDers, toPem } from '../../evidence/x509.js';
import { children as derChildren, element as derElement, bytes as derBytes } from '../../apk/signing/der.js';
import type { SessionCa } from '../contracts.js';

/** Short on purpose: a CA the tester forgets on the phone stops being usable within the week. */
export const SESSION_CA_VALIDITY_DAYS = 7;
/** Phones' clocks drift; a CA "not yet valid" would look like an app refusing it. */
const BACKDATE_MS = 24 * 3600 * 1000;
const subtle = webcrypto.subtle as unknown as SubtleCrypto;

/** What the tester copies to the phone, and the name the phone files it under once installed. */
export interface SessionCaFiles {
  pem: string;
  der: Buffer;
  /** Settings › Security › Install a certificate › CA certificate takes `.crt`/`.cer` in PEM or DER. */
  crtFileName: string;
  pemFileName: string;
  /** `openssl x509 -subject_hash_old` + ".0": the file Android writes in cacerts-added for a user CA. */
  androidUserCaFileName: string;
  sha256: string;
}

function caName(now: Date): string {
  // Minutes and a random tag: two sessions started the same minute must not look like one CA on the phone.
  const stamp = now.toISOString().slice(0, 16).replace('T', ' ');
  return `AppRights Workbench session CA ${stamp} ${randomBytes(3).toString('hex')}`;
}

export async function createSessionCa(now = new Date()): Promise<SessionCa> {
  const { asn1js, pkijs } = await asn1Lib();
  const keys = (await subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true, ['sign', 'verify'],
  )) as CryptoKeyPair;
  const cert = new pkijs.Certificate();
  cert.version = 2;
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01; // positive, minimally encoded
  cert.serialNumber = new asn1js.Integer({ valueHex: serial });
  // One attribute: pkijs puts every attribute of a name into one multi-valued RDN, which some installers show badly.
  const commonName = caName(now);
  for (const target of [cert.subject, cert.issuer]) {
    target.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: commonName }) }));
  }
  cert.notBefore.value = new Date(now.getTime() - BACKDATE_MS);
  cert.notAfter.value = new Date(now.getTime() + SESSION_CA_VALIDITY_DAYS * 24 * 3600 * 1000);
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey);
  const spki = Buffer.from(await subtle.exportKey('spki', keys.publicKey));
  // Subject key id as RFC 5280 method 1; mockttp copies it into each leaf's authority key id.
  const keyId = createHash('sha1').update(subjectPublicKeyBits(spki)).digest();
  const keyUsage = new asn1js.BitString({ valueHex: new Uint8Array([0x86]).buffer, unusedBits: 1 }); // digitalSignature, keyCertSign, cRLSign
  cert.extensions = [
    new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: new pkijs.BasicConstraints({ cA: true, pathLenConstraint: 0 }).toSchema().toBER(false) }),
    new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: keyUsage.toBER(false) }),
    new pkijs.Extension({ extnID: '2.5.29.14', critical: false, extnValue: new asn1js.OctetString({ valueHex: keyId }).toBER(false) }),
  ];
  await cert.sign(keys.privateKey, 'SHA-256');
  const der = Buffer.from(cert.toSchema(true).toBER(false));
  const pkcs8 = Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey));
  return { keyPem: toPem(pkcs8, 'PRIVATE KEY'), certPem: toPem(der), sha256: createHash('sha256').update(der).digest('hex') };
}

/** The BIT STRING contents of a SubjectPublicKeyInfo, without its unused-bits byte. */
function subjectPublicKeyBits(spki: Buffer): Buffer {
  const [, bits] = derChildren(spki, derElement(spki, 0));
  if (!bits || bits.tag !== 0x03) throw new Error('not a SubjectPublicKeyInfo');
  return spki.subarray(bits.body + 1, bits.bodyEnd);
}

/**
 * OpenSSL's X509_NAME_hash_old of the certificate's subject: MD5 of the subject's DER, first four bytes read
 * little-endian, as 8 hex digits. Android (since 4.0) names user and system CA files by it.
 */
export function subjectHashOld(certDer: Buffer): string {
  const certificate = derElement(certDer, 0);
  const tbs = derChildren(certDer, certificate)[0];
  if (!tbs) throw new Error('not a certificate');
  const fields = derChildren(certDer, tbs);
  // version [0] is optional; after it: serial, signature algorithm, issuer, validity, subject.
  const subject = fields[fields[0]?.tag === 0xa0 ? 5 : 4];
  if (!subject || subject.tag !== 0x30) throw new Error('certificate has no subject');
  const md5 = createHash('md5').update(derBytes(certDer, subject)).digest();
  return md5.readUInt32LE(0).toString(16).padStart(8, '0');
}

export function sessionCaFiles(ca: SessionCa): SessionCaFiles {
  const der = pemToDers(ca.certPem)[0];
  if (!der) throw new Error('the session CA has no certificate');
  const short = ca.sha256.slice(0, 8);
  return {
    pem: toPem(der),
    der,
    crtFileName: `apprights-session-ca-${short}.crt`,
    pemFileName: `apprights-session-ca-${short}.pem`,
    androidUserCaFileName: `${subjectHashOld(der)}.0`,
    sha256: createHash('sha256').update(der).digest('hex'),
  };
}
