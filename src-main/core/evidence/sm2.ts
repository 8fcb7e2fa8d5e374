/**
 * The "national algorithms" signature beside the CMS one: SM2 with SM3 and the default distinguishing ID
 * 1234567812345678 (sm-crypto; Node's own SM2 signing is not GB/T 32918 conformant), which verifies with
 * `openssl dgst -sm3 -verify signer-sm2.pem -sigopt distid:1234567812345678 -signature … manifest.json`.
 */
import { sm2 } from 'sm-crypto';

/** SubjectPublicKeyInfo prefix for an uncompressed SM2 point: id-ecPublicKey with the SM2 curve. */
const SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex');

export function createSm2Key(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = sm2.generateKeyPairHex();
  return { publicKey, privateKey };
}

export function sm2PublicKeyPem(publicKeyHex: string): string {
  const der = Buffer.concat([SPKI_PREFIX, Buffer.from(publicKeyHex, 'hex')]);
  return `-----BEGIN PUBLIC KEY-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END PUBLIC KEY-----\n`;
}

/** DER signature over the bytes. */
export function sm2Sign(content: Buffer, key: { publicKey: string; privateKey: string }): Buffer {
  return Buffer.from(sm2.doSignature(Array.from(content), key.privateKey, { hash: true, der: true, publicKey: key.publicKey }), 'hex');
}

export function sm2Verify(content: Buffer, signatureDer: Buffer, publicKeyHex: string): boolean {
  if (!/^04[0-9a-f]{128}$/i.test(publicKeyHex) || signatureDer.length > 128) return false;
  try {
    return sm2.doVerifySignature(Array.from(content), signatureDer.toString('hex'), publicKeyHex, { hash: true, der: true });
  } catch {
    return false;
  }
}
