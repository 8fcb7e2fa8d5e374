/**
 * APK Signature Schemes v2, v3 and v3.1: each signer's signature over its signed data (checked with the
 * signer's public key, which must be its first certificate's key), the digests it signed (checked against the
 * APK's contents), v3's SDK ranges and proof of rotation, and the stripping-protection attributes that say
 * a newer scheme was also signed. The order of checks and the failure kinds follow apksigner.
 */
import { X509Certificate } from 'node:crypto';
import { contentDigest, type ContentDigestAlgorithm } from './content-digest.js';
import { readLineage } from './lineage.js';
import { preferred, publicKeyFromSpki, signatureAlgorithm, verifySignature, type SignatureAlgorithm } from './signature-algorithms.js';
import { MalformedSignature, prefixed, sequence, u32, type ZipSections } from './signing-block.js';
import { SchemeFailure, failed, type SchemeVerdict } from './verdict.js';

const STRIPPING_PROTECTION_V2 = 0xbeeff00d;
const PROOF_OF_ROTATION = 0x3ba06f8c;
const ROTATION_MIN_SDK = 0x559f8b02;
const MAX_SIGNERS = 16;

export interface BlockSchemeContext {
  apk: Buffer;
  blockStart: number;
  zip: ZipSections;
  /** Content digests already computed for this APK (v2 and v3 usually sign the same one). */
  digests: Map<ContentDigestAlgorithm, Buffer>;
}

export interface BlockSchemeResult {
  verdict: SchemeVerdict;
  /** Scheme IDs this scheme's signers say were also signed (2 → 3, 3 → 3.1). */
  references: number[];
}

function certificateSpki(der: Buffer): Buffer {
  try {
    return new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' });
  } catch (err) {
    throw new SchemeFailure('malformed', `certificate cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function contentDigestFor(ctx: BlockSchemeContext, alg: ContentDigestAlgorithm): Buffer {
  let d = ctx.digests.get(alg);
  if (!d) ctx.digests.set(alg, (d = contentDigest(ctx.apk, ctx.blockStart, ctx.zip, alg)));
  return d;
}

function verifySigner(ctx: BlockSchemeContext, signer: Buffer, v3: boolean, references: number[]): SchemeVerdict['signers'][number] {
  let p = 0;
  const [signedData, afterData] = prefixed(signer, p, 'signed data');
  p = afterData;
  let minSdk: number | undefined;
  let maxSdk: number | undefined;
  if (v3) {
    minSdk = u32(signer, p, 'signer minSdk');
    maxSdk = u32(signer, p + 4, 'signer maxSdk');
    p += 8;
  }
  const [signaturesRaw, afterSigs] = prefixed(signer, p, 'signatures');
  const [publicKeySpki] = prefixed(signer, afterSigs, 'public key');

  let best: { alg: SignatureAlgorithm; signature: Buffer } | null = null;
  const signedAlgorithms: number[] = [];
  for (const item of sequence(signaturesRaw, 'signature')) {
    const id = u32(item, 0, 'signature algorithm');
    const [signature] = prefixed(item, 4, 'signature');
    signedAlgorithms.push(id);
    const alg = signatureAlgorithm(id);
    if (alg && (!best || preferred(best.alg, alg) === alg)) best = { alg, signature };
  }
  if (!signedAlgorithms.length) throw new SchemeFailure('malformed', 'signer has no signatures');
  if (!best) throw new SchemeFailure('no-supported-signature', `no known signature algorithm among ${signedAlgorithms.map((a) => `0x${a.toString(16)}`).join(', ')}`);
  let key;
  try {
    key = publicKeyFromSpki(publicKeySpki);
  } catch {
    throw new SchemeFailure('malformed', 'signer public key cannot be read');
  }
  if (!verifySignature(best.alg, key, signedData, best.signature)) {
    throw new SchemeFailure('signature-invalid', `${best.alg.name} signature over the signed data did not verify`);
  }

  let q = 0;
  const [digestsRaw, afterDigests] = prefixed(signedData, q, 'digests');
  const [certsRaw, afterCerts] = prefixed(signedData, afterDigests, 'certificates');
  q = afterCerts;
  if (v3) {
    if (u32(signedData, q, 'signed minSdk') !== minSdk || u32(signedData, q + 4, 'signed maxSdk') !== maxSdk) {
      throw new SchemeFailure('malformed', 'SDK versions in the signed data differ from the signer record');
    }
    q += 8;
  }
  const [attributesRaw] = prefixed(signedData, q, 'additional attributes');
  const certificates = sequence(certsRaw, 'certificate');
  if (!certificates.length) throw new SchemeFailure('malformed', 'signer lists no certificates');
  if (!certificateSpki(certificates[0]!).equals(publicKeySpki)) {
    throw new SchemeFailure('public-key-mismatch', "the first certificate's public key is not the key that signed");
  }
  const digests = new Map<number, Buffer>();
  for (const item of sequence(digestsRaw, 'digest')) digests.set(u32(item, 0, 'digest algorithm'), prefixed(item, 4, 'digest')[0]);
  const sameSet = digests.size === signedAlgorithms.length && signedAlgorithms.every((a) => digests.has(a));
  if (!sameSet) throw new SchemeFailure('malformed', 'signature algorithms of the signatures and of the digests differ');

  let lineage: Buffer[] | undefined;
  for (const attr of sequence(attributesRaw, 'additional attribute')) {
    const id = u32(attr, 0, 'attribute ID');
    const value = attr.subarray(4);
    if (!v3 && id === STRIPPING_PROTECTION_V2) references.push(u32(value, 0, 'stripping protection'));
    if (v3 && id === ROTATION_MIN_SDK) references.push(31);
    if (v3 && id === PROOF_OF_ROTATION) {
      lineage = readLineage(value);
      if (!lineage[lineage.length - 1]!.equals(certificates[0]!)) {
        throw new SchemeFailure('lineage-invalid', "the proof of rotation does not end with the signer's certificate");
      }
    }
  }

  if (best.alg.content !== 'verity') {
    const actual = contentDigestFor(ctx, best.alg.content);
    const expected = digests.get(best.alg.id)!;
    if (!actual.equals(expected)) {
      throw new SchemeFailure('digest-mismatch', `APK integrity check failed: ${best.alg.content === 'sha256' ? 'CHUNKED_SHA256' : 'CHUNKED_SHA512'} digest mismatch (signed ${expected.toString('hex')}, actual ${actual.toString('hex')})`);
    }
  }
  return { certificates, minSdk, maxSdk, lineage };
}

/** The certificates each signer of a scheme's block lists, read without judging anything (for display when it fails). */
export function signerCertificates(value: Buffer): Buffer[] {
  const certificates: Buffer[] = [];
  for (const signer of sequence(prefixed(value, 0, 'signers')[0], 'signer')) {
    const [signedData] = prefixed(signer, 0, 'signed data');
    const [, afterDigests] = prefixed(signedData, 0, 'digests');
    certificates.push(...sequence(prefixed(signedData, afterDigests, 'certificates')[0], 'certificate'));
  }
  return certificates;
}

/** Verifies one scheme's block value (the ID-value pair's value). */
export function verifyBlockScheme(ctx: BlockSchemeContext, value: Buffer, v3: boolean): BlockSchemeResult {
  const references: number[] = [];
  const signers: SchemeVerdict['signers'] = [];
  try {
    const [signersRaw] = prefixed(value, 0, 'signers');
    const list = sequence(signersRaw, 'signer');
    if (!list.length) throw new SchemeFailure('malformed', 'no signers');
    if (list.length > MAX_SIGNERS) throw new SchemeFailure('malformed', `${list.length} signers`);
    list.forEach((signer, i) => {
      try {
        signers.push(verifySigner(ctx, signer, v3, references));
      } catch (err) {
        if (err instanceof SchemeFailure) throw new SchemeFailure(err.kind, `signer #${i + 1}: ${err.message}`);
        throw err;
      }
    });
    return { verdict: { status: 'verified', signers }, references };
  } catch (err) {
    if (err instanceof MalformedSignature) return { verdict: failed(new SchemeFailure('malformed', err.message), signers), references };
    return { verdict: failed(err, signers), references };
  }
}
