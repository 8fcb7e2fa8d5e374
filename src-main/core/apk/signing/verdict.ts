/**
 * What a signature check concludes, per scheme, in the terms apksigner uses: verified, failed for a reason of
 * a known kind, absent, or not checked (v1 beside v2+ when minSdk ≥ 24, as Android and apksigner skip it).
 */
export type FailureKind =
  | 'malformed'               // the block or a signature file cannot be read as the scheme defines
  | 'no-supported-signature'  // only algorithms the verifier does not know
  | 'signature-invalid'       // the signer's signature over its signed data does not verify
  | 'public-key-mismatch'     // the certificate's key is not the key that signed
  | 'digest-mismatch'         // the APK's contents differ from what was signed (v2/v3), or MANIFEST.MF from the .SF (v1)
  | 'entry-digest-mismatch'   // v1: an entry differs from its MANIFEST.MF digest
  | 'unsigned-entry'          // v1: an entry the signature does not cover, or a covered entry that is missing
  | 'stripped'                // a signature references a newer scheme's signature that is not there
  | 'lineage-invalid'         // v3: the proof of rotation does not chain to the signer
  | 'signers-differ'          // v1/v2/v3 signed by different keys
  | 'scheme-required'         // targetSdk ≥ 30 without a v2 or later signature
  | 'missing';                // no signature at all

export type SchemeName = 'v1' | 'v2' | 'v3' | 'v3.1';

export interface SchemeVerdict {
  status: 'verified' | 'failed' | 'absent' | 'not-checked';
  reason?: { kind: FailureKind; detail: string };
  /** DER certificates of each signer (the first is the signer's own), with the lineage when it rotated. */
  signers: Array<{ certificates: Buffer[]; minSdk?: number; maxSdk?: number; lineage?: Buffer[] }>;
}

export class SchemeFailure extends Error {
  constructor(readonly kind: FailureKind, detail: string) {
    super(detail);
  }
}

export function failed(err: unknown, signers: SchemeVerdict['signers'] = []): SchemeVerdict {
  if (err instanceof SchemeFailure) return { status: 'failed', reason: { kind: err.kind, detail: err.message }, signers };
  return { status: 'failed', reason: { kind: 'malformed', detail: err instanceof Error ? err.message : String(err) }, signers };
}
