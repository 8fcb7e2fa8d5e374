/**
 * The signature algorithm IDs of APK Signature Schemes v2/v3 (and the proof-of-rotation lineage), what each
 * digests the contents with, and a check of one signature with Node's crypto. Verity algorithms are known but
 * never preferred, as apksigner prefers a chunked digest when a signer carries both.
 */
import { createPublicKey, constants, verify, type KeyObject } from 'node:crypto';

export interface SignatureAlgorithm {
  id: number;
  name: string;
  hash: 'sha256' | 'sha512';
  key: 'rsa-pss' | 'rsa' | 'ec' | 'dsa';
  content: 'sha256' | 'sha512' | 'verity';
}

const LIST: SignatureAlgorithm[] = [
  { id: 0x0101, name: 'RSASSA-PSS with SHA2-256', hash: 'sha256', key: 'rsa-pss', content: 'sha256' },
  { id: 0x0102, name: 'RSASSA-PSS with SHA2-512', hash: 'sha512', key: 'rsa-pss', content: 'sha512' },
  { id: 0x0103, name: 'RSASSA-PKCS1-v1_5 with SHA2-256', hash: 'sha256', key: 'rsa', content: 'sha256' },
  { id: 0x0104, name: 'RSASSA-PKCS1-v1_5 with SHA2-512', hash: 'sha512', key: 'rsa', content: 'sha512' },
  { id: 0x0201, name: 'ECDSA with SHA2-256', hash: 'sha256', key: 'ec', content: 'sha256' },
  { id: 0x0202, name: 'ECDSA with SHA2-512', hash: 'sha512', key: 'ec', content: 'sha512' },
  { id: 0x0301, name: 'DSA with SHA2-256', hash: 'sha256', key: 'dsa', content: 'sha256' },
  { id: 0x0421, name: 'RSASSA-PKCS1-v1_5 with SHA2-256 (verity)', hash: 'sha256', key: 'rsa', content: 'verity' },
  { id: 0x0423, name: 'ECDSA with SHA2-256 (verity)', hash: 'sha256', key: 'ec', content: 'verity' },
  { id: 0x0425, name: 'DSA with SHA2-256 (verity)', hash: 'sha256', key: 'dsa', content: 'verity' },
];
const BY_ID = new Map(LIST.map((a) => [a.id, a]));

export function signatureAlgorithm(id: number): SignatureAlgorithm | undefined {
  return BY_ID.get(id);
}

/** Which of two algorithms a verifier checks: a stronger chunked digest first, verity last. */
export function preferred(a: SignatureAlgorithm, b: SignatureAlgorithm): SignatureAlgorithm {
  const rank = (x: SignatureAlgorithm): number => (x.content === 'sha512' ? 2 : x.content === 'sha256' ? 1 : 0);
  return rank(b) > rank(a) ? b : a;
}

export function publicKeyFromSpki(spki: Buffer): KeyObject {
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

/** True when `signature` is `key`'s signature of `data` under `alg`; a malformed key or signature is false. */
export function verifySignature(alg: SignatureAlgorithm, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    if (alg.key === 'rsa-pss') {
      return verify(alg.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: alg.hash === 'sha256' ? 32 : 64 }, signature);
    }
    return verify(alg.hash, data, key, signature);
  } catch {
    return false;
  }
}
