/**
 * APK v1 (JAR) signature verification, in apksigner's order: each signer's PKCS#7 block must verify over its
 * .SF file; the .SF must match MANIFEST.MF (whole, else section by section); every entry's digest must match
 * MANIFEST.MF; every entry outside the signature files must be covered; and an .SF that says the APK was also
 * signed with v2/v3 (X-Android-APK-Signed) fails when that signature is gone (a stripping attack).
 */
import { X509Certificate, createHash, verify } from 'node:crypto';
import { digestAttributes, parseManifest, type ManifestSection } from './jar-manifest.js';
import { certificateId, parseSignedData, type SignedData } from './pkcs7.js';
import { SchemeFailure, failed, type SchemeVerdict } from './verdict.js';

export interface JarSource {
  names: string[];
  /** An entry's bytes, inflated; throws for an entry that cannot be read. */
  read(name: string): Buffer;
}

const HASH_OIDS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1', '2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512',
};
const SIGNATURE_FILE = /^META-INF\/[^/]+\.(SF|RSA|DSA|EC)$/i;

/** Entries the manifest must cover: everything but directories and META-INF's own signature files. */
export function needsDigest(name: string): boolean {
  if (name.endsWith('/')) return false;
  if (name.toUpperCase() === 'META-INF/MANIFEST.MF') return false;
  return !SIGNATURE_FILE.test(name) && !/^META-INF\/SIG-[^/]*$/i.test(name);
}

function digest(hash: string, data: Buffer): string {
  return createHash(hash).update(data).digest('base64');
}

/** Verifies the PKCS#7 SignedData `block` over `signed` (the .SF); returns the signer's certificate. */
function verifySignatureBlock(block: Buffer, signed: Buffer, file: string): Buffer {
  let sd: SignedData;
  try {
    sd = parseSignedData(block);
  } catch (err) {
    throw new SchemeFailure('malformed', `${file} is not a PKCS#7 signature: ${err instanceof Error ? err.message : String(err)}`);
  }
  const ids = sd.certificates.map((der) => {
    try {
      return { der, ...certificateId(der) };
    } catch {
      return null;
    }
  });
  for (const si of sd.signers) {
    const hash = HASH_OIDS[si.digestOid];
    if (!hash) continue;
    const der = ids.find((c) => c && c.serial.equals(si.serial) && c.issuer.equals(si.issuer))?.der;
    if (!der) continue;
    let data = signed;
    if (si.signedAttributes) {
      if (!si.messageDigest || !si.messageDigest.equals(createHash(hash).update(signed).digest())) {
        throw new SchemeFailure('signature-invalid', `${file}: the signed message digest is not the digest of the .SF file`);
      }
      data = si.signedAttributes;
    }
    let ok = false;
    try {
      ok = verify(hash, data, new X509Certificate(der).publicKey, si.signature);
    } catch {
      ok = false;
    }
    if (!ok) throw new SchemeFailure('signature-invalid', `${file}: the signature over the .SF file did not verify`);
    return der;
  }
  throw new SchemeFailure('malformed', `${file}: no signer with a known digest algorithm and its certificate`);
}

function checkDigests(section: ManifestSection, suffix: string, data: Buffer): boolean | null {
  const found = digestAttributes(section, suffix);
  if (!found.length) return null;
  return found.every(([hash, value]) => digest(hash, data) === value);
}

/** `blockSchemes`: the v2/v3 scheme IDs found and checked, for the stripping check. */
export function verifyJarSignature(src: JarSource, blockSchemes: Set<number>): SchemeVerdict {
  const signers: SchemeVerdict['signers'] = [];
  try {
    const byUpper = new Map(src.names.map((n) => [n.toUpperCase(), n]));
    const manifestName = byUpper.get('META-INF/MANIFEST.MF');
    if (!manifestName) throw new SchemeFailure('missing', 'Missing META-INF/MANIFEST.MF');
    const manifestBytes = src.read(manifestName);
    const manifest = parseManifest(manifestBytes);
    const blocks = src.names.filter((n) => /^META-INF\/[^/]+\.(RSA|DSA|EC)$/i.test(n));
    const signerFiles = blocks.map((b) => [b, byUpper.get(b.replace(/\.[^.]+$/, '.SF').toUpperCase())] as const).filter(([, sf]) => sf);
    if (!signerFiles.length) throw new SchemeFailure('missing', 'no JAR signatures (no .SF file with a signature block)');
    const coveredBy: Array<Set<string> | 'all'> = [];
    for (const [blockName, sfName] of signerFiles) {
      const sfBytes = src.read(sfName!);
      signers.push({ certificates: [verifySignatureBlock(src.read(blockName), sfBytes, blockName)] });
      const sf = parseManifest(sfBytes);
      const apkSigned = sf.main.attributes.get('x-android-apk-signed');
      for (const id of (apkSigned ?? '').split(',').map((s) => Number(s.trim())).filter((n) => n === 2 || n === 3)) {
        if (!blockSchemes.has(id)) throw new SchemeFailure('stripped', `${sfName} says the APK is also signed with APK Signature Scheme v${id}, which is not there (stripped?)`);
      }
      if (checkDigests(sf.main, '-Digest-Manifest', manifestBytes) === true) {
        coveredBy.push('all');
        continue;
      }
      if (checkDigests(sf.main, '-Digest-Manifest-Main-Attributes', manifest.main.bytes) === false) {
        throw new SchemeFailure('digest-mismatch', `${sfName}: the digest of MANIFEST.MF's main section does not match`);
      }
      const sections = new Map(manifest.entries.map((s) => [s.name, s]));
      const covered = new Set<string>();
      for (const s of sf.entries) {
        if (!s.name) continue;
        const target = sections.get(s.name);
        if (!target) throw new SchemeFailure('unsigned-entry', `${sfName} signs ${s.name}, which MANIFEST.MF does not list`);
        if (checkDigests(s, '-Digest', target.bytes) !== true) throw new SchemeFailure('digest-mismatch', `${sfName}: the MANIFEST.MF section of ${s.name} does not match its signed digest`);
        covered.add(s.name);
      }
      coveredBy.push(covered);
    }
    const sections = new Map(manifest.entries.filter((s) => s.name).map((s) => [s.name!, s]));
    const present = new Set(src.names);
    for (const name of sections.keys()) {
      if (!present.has(name)) throw new SchemeFailure('unsigned-entry', `${name} is listed in MANIFEST.MF but missing from the APK`);
    }
    for (const name of src.names) {
      if (!needsDigest(name)) continue;
      const section = sections.get(name);
      if (!section) throw new SchemeFailure('unsigned-entry', `${name} is not protected by the signature: no digest in MANIFEST.MF`);
      if (coveredBy.some((c) => c !== 'all' && !c.has(name))) throw new SchemeFailure('unsigned-entry', `${name} is not signed by every signer`);
      const ok = checkDigests(section, '-Digest', src.read(name));
      if (ok === null) throw new SchemeFailure('unsigned-entry', `${name} has no known digest in MANIFEST.MF`);
      if (!ok) throw new SchemeFailure('entry-digest-mismatch', `${name}: its digest does not match the one in MANIFEST.MF`);
    }
    return { status: 'verified', signers };
  } catch (err) {
    return failed(err, signers);
  }
}
