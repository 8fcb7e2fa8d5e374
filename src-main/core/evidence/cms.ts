/**
 * The package's signature: CMS SignedData (DER, detached) over manifest.json, with signed attributes
 * (contentType, signingTime, messageDigest) and the signer's certificate chain — what
 * `openssl cms -verify -binary -inform DER -content manifest.json` checks. Verification follows the signer:
 * the certificate whose key verified the signature is the one whose path to a trust anchor is built and
 * checked (cms-signed-data.ts, cert-path.ts).
 */
import { createHash } from 'node:crypto';
import { asn1Lib } from './asn1-lib.js';
import { buildPath } from './cert-path.js';
import { bi, type Bilingual } from '../bilingual.js';
import { CertificateError, readCertificate, selfIssued, type Certificate } from './certificate.js';
import { CmsError, verifySignedData, type SignedDataFacts } from './cms-signed-data.js';
import { certificateFromDer } from './x509.js';

const OID = {
  data: '1.2.840.113549.1.7.1', signedData: '1.2.840.113549.1.7.2', contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4', signingTime: '1.2.840.113549.1.9.5', sha256: '2.16.840.1.101.3.4.2.1',
};
export const MAX_P7S_BYTES = 1024 * 1024;
const MAX_ANCHORS = 1000;

export async function signDetached(content: Buffer, key: CryptoKey, chain: Buffer[], signingTime = new Date()): Promise<Buffer> {
  const { asn1js, pkijs } = await asn1Lib();
  const certs = chain.map((der) => certificateFromDer({ asn1js, pkijs }, der));
  const leaf = certs[0]!;
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [new pkijs.SignerInfo({
      version: 1,
      sid: new pkijs.IssuerAndSerialNumber({ issuer: leaf.issuer, serialNumber: leaf.serialNumber }),
      signedAttrs: new pkijs.SignedAndUnsignedAttributes({
        type: 0,
        attributes: [
          new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
          new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: signingTime })] }),
          new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: createHash('sha256').update(content).digest() })] }),
        ],
      }),
    })],
    certificates: certs,
  });
  await signedData.sign(key, 0, 'SHA-256');
  const info = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return Buffer.from(info.toSchema().toBER(false));
}

export interface CmsVerification {
  ok: boolean;
  /** Why it failed, in both languages. */
  reason: Bilingual | null;
  signer: Certificate | null;
  /** The path from the signer to the anchor that trusted it (signer first). */
  path: Certificate[];
  signingTime: Date | null;
  algorithm: string | null;
  /** Whether the anchor was given by the verifier (a lab CA) or only carried in the package (self-asserted). */
  anchoredBy: 'given-ca' | 'package' | null;
}

export interface DetachedCheck {
  /** Trust anchors (DER). Without them, the package's own self-signed certificates are the anchors: self-asserted. */
  anchors: Buffer[] | null;
  /** The time the signer must be valid at besides the signing time: a trusted timestamp's, or now. */
  checkTime: { at: Date; what: Bilingual };
}

/** Checks the signature over `content` and the signer's path to the anchors at the signing and check times. */
export function verifyDetached(p7s: Buffer, content: Buffer, o: DetachedCheck): CmsVerification {
  const result: CmsVerification = { ok: false, reason: null, signer: null, path: [], signingTime: null, algorithm: null, anchoredBy: null };
  const fail = (en: string, zh: string): CmsVerification => ({ ...result, reason: bi(en, zh) });
  if (p7s.length > MAX_P7S_BYTES) return fail('the signature file is larger than 1 MiB', '签名文件大于 1 MiB');
  let facts: SignedDataFacts;
  try {
    facts = verifySignedData(p7s, content);
  } catch (err) {
    return err instanceof CmsError ? { ...result, reason: err.why } : fail(String(err), String(err));
  }
  if (facts.eContentType !== OID.data) return fail(`the signed content type is ${facts.eContentType}, not data`, `签名的内容类型为 ${facts.eContentType}，不是 data`);
  Object.assign(result, { signer: facts.signer, signingTime: facts.signingTime, algorithm: facts.algorithm });
  let anchors: Certificate[];
  if ((o.anchors?.length ?? 0) > MAX_ANCHORS) return fail(`the CA file holds ${o.anchors!.length} certificates (at most ${MAX_ANCHORS} are read)`, `CA 文件含 ${o.anchors!.length} 个证书（最多读取 ${MAX_ANCHORS} 个）`);
  try {
    anchors = o.anchors?.length ? o.anchors.map(readCertificate) : facts.certificates.filter((c) => selfIssued(c));
  } catch (err) {
    const why = err instanceof CertificateError ? err.why : bi(String(err), String(err));
    return fail(`a given CA certificate is malformed: ${why.en}`, `所给 CA 证书格式错误：${why.zh}`);
  }
  const times = [...(facts.signingTime ? [{ at: facts.signingTime, what: bi('the signing time it claims', '其声称的签名时间') }] : []), o.checkTime];
  const built = buildPath({ leaf: facts.signer, anchors, intermediates: facts.certificates, times, purpose: 'signing' });
  if (!built.ok) {
    const who = facts.signer.subjectText;
    return o.anchors?.length
      ? fail(`the certificate that signed (${who}) does not chain to the given CA: ${built.reason.en}`, `签名证书（${who}）无法链接到所给 CA：${built.reason.zh}`)
      : fail(`the certificate that signed (${who}) cannot be checked: ${built.reason.en}; a certificate issued by a CA needs that CA's root (--ca)`, `无法核验签名证书（${who}）：${built.reason.zh}；由 CA 签发的证书需提供该 CA 的根证书（--ca）`);
  }
  return { ...result, ok: true, path: built.path, anchoredBy: o.anchors?.length ? 'given-ca' : 'package' };
}
