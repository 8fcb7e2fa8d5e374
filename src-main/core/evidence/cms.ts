/**
 * The package's signature: CMS SignedData (DER, detached) over manifest.json, with signed attributes
 * (contentType, signingTime, messageDigest) and the signer's certificate chain — what
 * `openssl cms -verify -binary -inform DER -content manifest.json` checks. Verification accepts only
 * SHA-256 with ECDSA or RSA, one signer, and a chain to the given trust anchors.
 */
import { createHash } from 'node:crypto';
import type * as Asn1 from 'asn1js';
import type * as Pki from 'pkijs';
import { asn1Lib } from './asn1-lib.js';
import { certificateFromDer } from './x509.js';

const OID = {
  data: '1.2.840.113549.1.7.1', signedData: '1.2.840.113549.1.7.2', contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4', signingTime: '1.2.840.113549.1.9.5', sha256: '2.16.840.1.101.3.4.2.1',
};
const ACCEPTED_SIGNATURES: Record<string, string> = { '1.2.840.10045.4.3.2': 'ECDSA with SHA-256', '1.2.840.113549.1.1.11': 'RSA with SHA-256', '1.2.840.113549.1.1.1': 'RSA with SHA-256' };
export const MAX_P7S_BYTES = 1024 * 1024;

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
  /** Why it failed, in English (the verifier adds the Chinese). */
  reason: string | null;
  signerDer: Buffer | null;
  chain: Buffer[];
  signingTime: Date | null;
  algorithm: string | null;
}

/** Checks the signature over `content` and the chain to `anchors` (DER); with no anchors, to the signer itself. */
export async function verifyDetached(p7s: Buffer, content: Buffer, anchors: Buffer[] | null): Promise<CmsVerification> {
  const { asn1js, pkijs } = await asn1Lib();
  const result: CmsVerification = { ok: false, reason: null, signerDer: null, chain: [], signingTime: null, algorithm: null };
  const fail = (reason: string): CmsVerification => ({ ...result, reason });
  if (p7s.length > MAX_P7S_BYTES) return fail('the signature file is larger than 1 MiB');
  let signedData: Pki.SignedData;
  try {
    const asn = asn1js.fromBER(new Uint8Array(p7s));
    if (asn.offset === -1 || asn.offset !== p7s.length) return fail('the signature file is not DER');
    const info = new pkijs.ContentInfo({ schema: asn.result });
    if (info.contentType !== OID.signedData) return fail(`the signature file is not CMS SignedData (content type ${info.contentType})`);
    signedData = new pkijs.SignedData({ schema: info.content });
  } catch (err) {
    return fail(`the signature file is not CMS: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (signedData.signerInfos.length !== 1) return fail(`expected one signer, found ${signedData.signerInfos.length}`);
  const signer = signedData.signerInfos[0]!;
  if (signer.digestAlgorithm.algorithmId !== OID.sha256) return fail(`digest algorithm ${signer.digestAlgorithm.algorithmId} is not SHA-256`);
  const alg = ACCEPTED_SIGNATURES[signer.signatureAlgorithm.algorithmId];
  if (!alg) return fail(`signature algorithm ${signer.signatureAlgorithm.algorithmId} is not accepted (ECDSA or RSA with SHA-256)`);
  result.algorithm = alg;
  if (signedData.encapContentInfo.eContent) return fail('the signature is not detached');
  const time = signer.signedAttrs?.attributes.find((a) => a.type === OID.signingTime)?.values[0] as Asn1.UTCTime | undefined;
  result.signingTime = time?.toDate?.() ?? null;
  const certs = (signedData.certificates ?? []).filter((c): c is Pki.Certificate => c instanceof pkijs.Certificate);
  result.chain = certs.map((c) => Buffer.from(c.toSchema(true).toBER(false)));
  try {
    const out = await signedData.verify({ signer: 0, data: new Uint8Array(content).buffer, checkChain: false, extendedMode: true });
    if (!out.signatureVerified) return fail(`the signature does not match manifest.json (${out.message || 'bad signature'})`);
    result.signerDer = out.signerCertificate ? Buffer.from(out.signerCertificate.toSchema(true).toBER(false)) : null;
  } catch (err) {
    const e = err as { message?: string; signatureVerified?: boolean };
    return fail(`the signature does not verify: ${e.message ?? String(err)}`);
  }
  if (!result.signerDer) return fail('the signer certificate is not in the signature file');
  const signerDer = result.signerDer;
  const signerIsAnchor = !anchors?.length || anchors.some((a) => a.equals(signerDer));
  if (signerIsAnchor) {
    // Self-signed (or pinned) signer: its own signature and validity at signing time are what can be checked.
    const cert = certificateFromDer({ asn1js, pkijs }, signerDer);
    const at = result.signingTime ?? new Date();
    if (at < cert.notBefore.value || at > cert.notAfter.value) return fail('the signer certificate was not valid at the signing time');
    if (!anchors?.length && !(await cert.verify().catch(() => false))) return fail('the signer certificate is not self-signed and no CA was given (--ca)');
    return { ...result, ok: true };
  }
  try {
    const engine = new pkijs.CertificateChainValidationEngine({
      trustedCerts: anchors!.map((der) => certificateFromDer({ asn1js, pkijs }, der)),
      certs,
      checkDate: result.signingTime ?? new Date(),
    });
    const chain = await engine.verify();
    if (!chain.result) return fail(`the signer's certificate does not chain to the given CA: ${chain.resultMessage}`);
  } catch (err) {
    return fail(`the certificate chain does not verify: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { ...result, ok: true };
}
