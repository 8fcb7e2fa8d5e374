/**
 * The virtual internet's "public" certificate authority: made fresh when the virtual internet starts (ECDSA
 * P-256, pkijs over WebCrypto), it certifies each stand-in server's hostname as a public CA certifies a real
 * SDK's, and the virtual phone's system store trusts it. Not the session's intercepting CA: an app that does not
 * trust user CAs still reaches these servers, as it reaches the real ones.
 */
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import type * as Pki from 'pkijs';
import { asn1Lib, type Asn1Lib } from '../../evidence/asn1-lib.js';
import { toPem } from '../../evidence/x509.js';

const subtle = webcrypto.subtle as unknown as SubtleCrypto;
const DAY = 24 * 3600 * 1000;

export interface IssuedCert {
  certPem: string;
  keyPem: string;
}

export interface PublicCa {
  certPem: string;
  /** A server certificate for one DNS name, signed by this CA. */
  issue(host: string): Promise<IssuedCert>;
}

function commonName({ asn1js, pkijs }: Asn1Lib, target: Pki.RelativeDistinguishedNames, cn: string, org: string): void {
  target.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: '2.5.4.10', value: new asn1js.Utf8String({ value: org }) }));
  target.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: cn }) }));
}

function serialNumber({ asn1js }: Asn1Lib): InstanceType<Asn1Lib['asn1js']['Integer']> {
  const serial = randomBytes(16);
  // Positive and minimally encoded.
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  return new asn1js.Integer({ valueHex: serial });
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();
}

function keyUsage({ asn1js }: Asn1Lib, bits: number, unused: number): ArrayBuffer {
  return new asn1js.BitString({ valueHex: new Uint8Array([bits]).buffer, unusedBits: unused }).toBER(false);
}

const ORG = 'AppRights virtual internet';

export async function createPublicCa(): Promise<PublicCa> {
  const lib = await asn1Lib();
  const { pkijs } = lib;
  const caKeys = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ca = new pkijs.Certificate();
  ca.version = 2;
  ca.serialNumber = serialNumber(lib);
  // Each run's CA has a name of its own: a verifier finds an issuer by name, and two virtual worlds (or a test's
  // intercepting CA) must not pass for each other.
  const name = `AppRights Virtual Public Root CA ${randomBytes(4).toString('hex')}`;
  commonName(lib, ca.issuer, name, ORG);
  commonName(lib, ca.subject, name, ORG);
  const now = Date.now();
  ca.notBefore.value = new Date(now - DAY);
  ca.notAfter.value = new Date(now + 10 * 365 * DAY);
  ca.extensions = [
    new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: new pkijs.BasicConstraints({ cA: true }).toSchema().toBER(false) }),
    // keyCertSign, cRLSign
    new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: keyUsage(lib, 0x06, 1) }),
  ];
  await ca.subjectPublicKeyInfo.importKey(caKeys.publicKey);
  await ca.sign(caKeys.privateKey, 'SHA-256');
  const certPem = toPem(Buffer.from(ca.toSchema(true).toBER(false)));

  const issue = async (host: string): Promise<IssuedCert> => {
    const keys = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const cert = new pkijs.Certificate();
    cert.version = 2;
    cert.serialNumber = serialNumber(lib);
    cert.issuer = ca.subject;
    commonName(lib, cert.subject, host, ORG);
    const at = Date.now();
    cert.notBefore.value = new Date(at - DAY);
    cert.notAfter.value = new Date(at + 397 * DAY);
    const altName = new pkijs.GeneralName({ type: 2, value: host });
    cert.extensions = [
      new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false) }),
      // digitalSignature
      new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: keyUsage(lib, 0x80, 7) }),
      new pkijs.Extension({ extnID: '2.5.29.37', critical: false, extnValue: new pkijs.ExtKeyUsage({ keyPurposes: ['1.3.6.1.5.5.7.3.1'] }).toSchema().toBER(false) }),
      new pkijs.Extension({ extnID: '2.5.29.17', critical: false, extnValue: new pkijs.AltName({ altNames: [altName] }).toSchema().toBER(false) }),
    ];
    await cert.subjectPublicKeyInfo.importKey(keys.publicKey);
    await cert.sign(caKeys.privateKey, 'SHA-256');
    return { certPem: toPem(Buffer.from(cert.toSchema(true).toBER(false))), keyPem: await keyPem(keys.privateKey) };
  };
  return { certPem, issue };
}
