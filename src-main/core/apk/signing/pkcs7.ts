/**
 * The parts of a PKCS#7 SignedData (a v1 signature block) a verifier needs: the certificates, and per signer
 * its issuer and serial number (to find its certificate), digest algorithm, signed attributes (re-tagged as
 * the SET OF they were signed as) with their message digest, and the signature.
 */
import { DerError, bytes, child, children, contents, element, oid } from './der.js';

export interface SignerInfo {
  issuer: Buffer;
  serial: Buffer;
  digestOid: string;
  signedAttributes: Buffer | null;
  messageDigest: Buffer | null;
  signature: Buffer;
}

export interface SignedData {
  certificates: Buffer[];
  signers: SignerInfo[];
}

const SIGNED_DATA = '1.2.840.113549.1.7.2';
const MESSAGE_DIGEST = '1.2.840.113549.1.9.4';

export function parseSignedData(der: Buffer): SignedData {
  const top = element(der, 0);
  if (top.tag !== 0x30) throw new DerError('not a PKCS#7 ContentInfo');
  if (oid(der, child(der, top, 0)) !== SIGNED_DATA) throw new DerError('PKCS#7 content is not SignedData');
  const signedData = child(der, child(der, top, 1, 0xa0), 0, 0x30);
  const parts = children(der, signedData);
  const certificates = parts.filter((p) => p.tag === 0xa0).flatMap((p) => children(der, p).filter((c) => c.tag === 0x30).map((c) => bytes(der, c)));
  const signerSet = parts[parts.length - 1];
  if (!signerSet || signerSet.tag !== 0x31) throw new DerError('SignedData has no signer infos');
  const signers = children(der, signerSet).map((si): SignerInfo => {
    const f = children(der, si);
    const sid = f[1];
    if (!sid || sid.tag !== 0x30) throw new DerError('signer is not identified by issuer and serial number');
    const digestAlgorithm = f[2];
    if (!digestAlgorithm) throw new DerError('signer has no digest algorithm');
    let i = 3;
    let signedAttributes: Buffer | null = null;
    let messageDigest: Buffer | null = null;
    if (f[i]?.tag === 0xa0) {
      const attrs = f[i]!;
      signedAttributes = Buffer.from(bytes(der, attrs));
      signedAttributes[0] = 0x31;
      for (const a of children(der, attrs)) {
        if (oid(der, child(der, a, 0)) === MESSAGE_DIGEST) messageDigest = contents(der, child(der, child(der, a, 1, 0x31), 0, 0x04));
      }
      i++;
    }
    const signature = f[i + 1];
    if (!signature || signature.tag !== 0x04) throw new DerError('signer has no signature');
    return { issuer: bytes(der, child(der, sid, 0)), serial: contents(der, child(der, sid, 1, 0x02)), digestOid: oid(der, child(der, digestAlgorithm, 0)), signedAttributes, messageDigest, signature: contents(der, signature) };
  });
  return { certificates, signers };
}

/** The issuer Name and serial number of a DER certificate, to match a signer to it. */
export function certificateId(cert: Buffer): { issuer: Buffer; serial: Buffer } {
  const tbs = child(cert, element(cert, 0), 0, 0x30);
  const f = children(cert, tbs);
  const k = f[0]?.tag === 0xa0 ? 1 : 0;
  const serial = f[k];
  const issuer = f[k + 2];
  if (!serial || serial.tag !== 0x02 || !issuer) throw new DerError('certificate has no serial number or issuer');
  return { issuer: bytes(cert, issuer), serial: contents(cert, serial) };
}
