/**
 * Verifies an APK's signatures as `apksigner verify` does: v3 (and v3.1) first, v2 when the APK also runs
 * below Android 9 or no v3 exists, v1 (JAR) only when it runs below Android 7 or no v2+ signature exists;
 * stripping protection in both directions; v1/v2/v3 signers that must agree (v3 may have rotated from the
 * v2 key); targetSdk ≥ 30 needs v2 or later. Like apksigner it stops at the first scheme that fails, so the
 * schemes after it are "not checked". The APK verifies when at least one scheme verified and nothing failed.
 */
import { WorkbenchError } from '../../errors.js';
import { verifyBlockScheme, type BlockSchemeContext } from './block-scheme.js';
import { verifyJarSignature, type JarSource } from './jar-signature.js';
import { BLOCK_IDS, MalformedSignature, findSigningBlock, zipSections, type SigningBlock } from './signing-block.js';
import { SchemeFailure, type FailureKind, type SchemeName, type SchemeVerdict } from './verdict.js';

export interface ApkVerification {
  /** apksigner's "Verifies". */
  verified: boolean;
  /** The minSdk the rules were applied for (the manifest's, 1 when it declares none). */
  minSdk: number;
  schemes: Record<SchemeName, SchemeVerdict>;
  errors: Array<{ scheme: SchemeName; kind: FailureKind; detail: string }>;
}

const ANDROID_N = 24;
const ANDROID_P = 28;
const ANDROID_R = 30;
const ORDER: SchemeName[] = ['v3.1', 'v3', 'v2', 'v1'];
/** The IDs a signature names another scheme by (X-Android-APK-Signed, stripping-protection attributes). */
const SCHEME_IDS = { v2: 2, v3: 3, 'v3.1': 31 } as const;
const absent = (): SchemeVerdict => ({ status: 'absent', signers: [] });

function sameCertificates(a: SchemeVerdict, b: SchemeVerdict): boolean {
  const key = (v: SchemeVerdict): string => v.signers.map((s) => s.certificates[0]!.toString('base64')).sort().join();
  return key(a) === key(b);
}

export function verifyApk(apk: Buffer, jar: JarSource, manifest: { minSdk: number | null; targetSdk: number | null }): ApkVerification {
  const minSdk = manifest.minSdk ?? 1;
  const schemes: Record<SchemeName, SchemeVerdict> = { v1: absent(), v2: absent(), v3: absent(), 'v3.1': absent() };
  const finish = (): ApkVerification => {
    const errors = ORDER.flatMap((s) => (schemes[s].status === 'failed' ? [{ scheme: s, kind: schemes[s].reason!.kind, detail: schemes[s].reason!.detail }] : []));
    return { verified: !errors.length && Object.values(schemes).some((v) => v.status === 'verified'), minSdk, schemes, errors };
  };
  /** apksigner stops at the first scheme that fails: the ones after it are not checked. */
  const stopped = (): boolean => {
    if (!ORDER.some((s) => schemes[s].status === 'failed')) return false;
    for (const s of ORDER) if (schemes[s].status === 'absent' && present.has(s)) schemes[s] = { status: 'not-checked', signers: [] };
    return true;
  };
  const present = new Set<SchemeName>();
  if (jar.names.some((n) => n.toUpperCase() === 'META-INF/MANIFEST.MF')) present.add('v1');
  let block: SigningBlock | null = null;
  let ctx: BlockSchemeContext | null = null;
  try {
    const zip = zipSections(apk);
    block = findSigningBlock(apk, zip);
    if (block) ctx = { apk, blockStart: block.start, zip, digests: new Map() };
  } catch (err) {
    if (!(err instanceof MalformedSignature)) throw err;
    schemes.v3 = { status: 'failed', reason: { kind: 'malformed', detail: `APK Signing Block: ${err.message}` }, signers: [] };
    return finish();
  }
  for (const name of ['v2', 'v3', 'v3.1'] as const) if (block?.pairs.has(BLOCK_IDS[name])) present.add(name);
  const found = new Set<number>();
  const run = (name: 'v2' | 'v3' | 'v3.1'): void => {
    const value = block?.pairs.get(BLOCK_IDS[name]);
    if (!value || !ctx) return;
    const result = verifyBlockScheme(ctx, value, name !== 'v2');
    schemes[name] = result.verdict;
    found.add(SCHEME_IDS[name]);
    for (const r of result.references) {
      const want = r === 31 ? 'v3.1' : r === 3 ? 'v3' : null;
      if (want && !present.has(want) && schemes[name].status === 'verified') {
        schemes[name] = { status: 'failed', reason: { kind: 'stripped', detail: `the ${name} signer says the APK is also signed with ${want}, which is not there (stripped?)` }, signers: schemes[name].signers };
      }
    }
  };
  run('v3.1');
  run('v3');
  if (stopped()) return finish();
  if (minSdk < ANDROID_P || !found.size) run('v2');
  else if (present.has('v2')) schemes.v2 = { status: 'not-checked', signers: [] };
  if (stopped()) return finish();
  // Below Android 7 only v1 counts, so an APK that runs there needs it even beside v2 ("Missing META-INF/MANIFEST.MF").
  if (minSdk < ANDROID_N || !found.size) schemes.v1 = verifyJarSignature(jar, found);
  else if (present.has('v1')) schemes.v1 = { status: 'not-checked', signers: [] };
  if (stopped()) return finish();
  if ((manifest.targetSdk ?? 0) >= ANDROID_R && !found.size) {
    schemes.v2 = { status: 'failed', reason: { kind: 'scheme-required', detail: `targetSdk ${manifest.targetSdk} requires APK Signature Scheme v2 or later; the APK has none` }, signers: [] };
  }

  if (schemes.v1.status === 'verified' && schemes.v2.status === 'verified' && !sameCertificates(schemes.v1, schemes.v2)) {
    schemes.v2 = { ...schemes.v2, status: 'failed', reason: { kind: 'signers-differ', detail: 'the v2 signers are not the v1 (JAR) signers' } };
  }
  if (schemes.v2.status === 'verified' && schemes.v3.status === 'verified') {
    const v3 = schemes.v3.signers[0]!;
    const v2cert = schemes.v2.signers[0]!.certificates[0]!;
    const allowed = v3.lineage ?? [v3.certificates[0]!];
    if (schemes.v2.signers.length !== 1 || !allowed.some((c) => c.equals(v2cert))) {
      schemes.v3 = { ...schemes.v3, status: 'failed', reason: { kind: 'signers-differ', detail: 'the v3 signer is neither the v2 signer nor rotated from it' } };
    }
  }
  return finish();
}

/** Adapts a zip reader to the JAR verifier: a modified entry whose CRC no longer matches is a digest failure. */
export function jarSource(names: string[], read: (name: string) => Buffer): JarSource {
  return {
    names,
    read: (name) => {
      try {
        return read(name);
      } catch (err) {
        if (err instanceof WorkbenchError && /CRC|size differs|inflate/.test(err.message)) throw new SchemeFailure('entry-digest-mismatch', `${name}: its bytes no longer match the ZIP record (${err.message}); modified after signing`);
        throw err;
      }
    },
  };
}
