/**
 * Certificates for signing identities, with pkijs over WebCrypto (loaded on first use, asn1-lib.ts): a self-signed ECDSA P-256 certificate for a
 * tester without a lab CA (marked self-asserted in its organisation and everywhere it shows), and the
 * facts shown about any certificate (subject, SHA-256 fingerprint, validity).
 */
import { randomBytes, webcrypto } from 'node:crypto';
import type * as Asn1 from 'asn1js';
import type * as Pki from 'pkijs';
import { asn1Lib, type Asn1Lib } from './asn1-lib.js';
import { describeCertificate } from '../apk/signatures.js';

/** Appended to a self-signed identity's common name, so every tool that shows it says what it is. */
export const SELF_ASSERTED_SUFFIX = ' (self-asserted / 自声明)';
const subtle = webcrypto.subtle as unknown as SubtleCrypto;

export function certificateFromDer({ asn1js, pkijs }: Asn1Lib, der: Buffer): Pki.Certificate {
  const asn = asn1js.fromBER(new Uint8Array(der));
  if (asn.offset === -1) throw new Error('not a DER certificate');
  return new pkijs.Certificate({ schema: asn.result });
}

export function certificateFacts(der: Buffer): { subject: string; issuer: string; notAfter: string; fingerprint: string; selfSigned: boolean } {
  const info = describeCertificate(der);
  return { subject: info.subject, issuer: info.issuer, notAfter: info.notAfter, fingerprint: info.sha256, selfSigned: info.subject === info.issuer };
}

export function toPem(der: Buffer, label = 'CERTIFICATE'): string {
  return `-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

export function pemToDers(pem: string): Buffer[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}

function name({ asn1js, pkijs }: Asn1Lib, target: Pki.RelativeDistinguishedNames, commonName: string): void {
  target.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: commonName.slice(0, 100) + SELF_ASSERTED_SUFFIX }) }));
}

/** A new P-256 key and a self-signed certificate for it, valid for five years. */
export async function createSelfSigned(commonName: string): Promise<{ certDer: Buffer; pkcs8: Buffer }> {
  const { asn1js, pkijs } = await asn1Lib();
  const keys = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = new pkijs.Certificate();
  cert.version = 2;
  const serial = randomBytes(16);
  // Positive and minimally encoded (a leading 0x00 would be DER padding that strict parsers refuse).
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  cert.serialNumber = new asn1js.Integer({ valueHex: serial });
  name({ asn1js, pkijs }, cert.issuer, commonName);
  name({ asn1js, pkijs }, cert.subject, commonName);
  const now = new Date();
  cert.notBefore.value = new Date(now.getTime() - 60_000);
  cert.notAfter.value = new Date(now.getTime() + 5 * 365 * 24 * 3600 * 1000);
  const keyUsage = new asn1js.BitString({ valueHex: new Uint8Array([0xc0]).buffer, unusedBits: 6 }); // digitalSignature, nonRepudiation
  cert.extensions = [
    new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false) }),
    new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: keyUsage.toBER(false) }),
  ];
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey);
  await cert.sign(keys.privateKey, 'SHA-256');
  const certDer = Buffer.from(cert.toSchema(true).toBER(false));
  const pkcs8 = Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey));
  return { certDer, pkcs8 };
}

/** Imports a PKCS#8 private key for signing: EC P-256 (ECDSA) or RSA (PKCS#1 v1.5), with SHA-256. */
export async function importSigningKey(pkcs8: Buffer): Promise<CryptoKey> {
  const { asn1js, pkijs } = await asn1Lib();
  const asn = asn1js.fromBER(new Uint8Array(pkcs8));
  const info = new pkijs.PrivateKeyInfo({ schema: asn.result });
  const oid = info.privateKeyAlgorithm.algorithmId;
  if (oid === '1.2.840.10045.2.1') {
    const curve = (info.privateKeyAlgorithm.algorithmParams as Asn1.ObjectIdentifier | undefined)?.valueBlock.toString();
    if (curve !== '1.2.840.10045.3.1.7') throw new Error(`EC keys on curve ${curve ?? '?'} are not supported; use P-256`);
    return subtle.importKey('pkcs8', new Uint8Array(pkcs8), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  }
  if (oid === '1.2.840.113549.1.1.1') return subtle.importKey('pkcs8', new Uint8Array(pkcs8), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  throw new Error(`private keys of type ${oid} are not supported; use EC P-256 or RSA`);
}
