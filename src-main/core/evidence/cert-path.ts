/**
 * Certification paths, built from the certificate that signed (never from the order of a certificate set) up
 * to a trust anchor, the way OpenSSL's verifier does: an issuer is a certificate whose subject equals the
 * child's issuer byte for byte and whose key verifies the child's signature; every issuer is a CA
 * (basicConstraints cA, keyCertSign when keyUsage is present, pathLen honoured); every certificate on the path
 * is valid at each of the given times and has no critical extension left unapplied; the path ends at a
 * self-signed anchor. The search is bounded in depth, signature checks and time, so a set of many same-named
 * CAs is refused quickly instead of explored for minutes.
 */
import { KEY_USAGE, selfIssued, signedBy, validAt, type Certificate } from './certificate.js';

export const PATH_LIMITS = { depth: 8, signatureChecks: 200, ms: 1000 };

export interface PathRequest {
  leaf: Certificate;
  /** Trusted certificates. */
  anchors: Certificate[];
  /** Untrusted certificates that may serve as intermediates (the package's own). */
  intermediates: Certificate[];
  /** Every certificate of the path must be valid at each of these. */
  times: Array<{ at: Date; what: string }>;
  /** What the leaf's key is for: signing evidence, or time-stamping (RFC 3161 requires the EKU). */
  purpose: 'signing' | 'timestamping';
}

export type PathResult = { ok: true; path: Certificate[] } | { ok: false; reason: string };

const iso = (d: Date): string => d.toISOString().replace('.000Z', 'Z');

function validity(c: Certificate, times: PathRequest['times']): string | null {
  for (const t of times) {
    if (validAt(c, t.at)) continue;
    return t.at < c.notBefore
      ? `${c.subjectText} is not yet valid at ${t.what} ${iso(t.at)} (valid from ${iso(c.notBefore)})`
      : `${c.subjectText} has expired: valid until ${iso(c.notAfter)}, ${t.what} is ${iso(t.at)}`;
  }
  return null;
}

function leafProblem(r: PathRequest): string | null {
  const c = r.leaf;
  if (c.unknownCritical.length) return `${c.subjectText} has a critical extension this verifier does not apply (${c.unknownCritical.join(', ')})`;
  if (r.purpose === 'signing' && c.keyUsage && !c.keyUsage.has(KEY_USAGE.digitalSignature) && !c.keyUsage.has(KEY_USAGE.nonRepudiation)) {
    return `${c.subjectText} may not sign (its keyUsage has neither digitalSignature nor nonRepudiation)`;
  }
  if (r.purpose === 'timestamping') {
    if (!c.extKeyUsage?.includes('1.3.6.1.5.5.7.3.8')) return `${c.subjectText} is not a time-stamping certificate (extendedKeyUsage timeStamping is missing)`;
    if (c.keyUsage && !c.keyUsage.has(KEY_USAGE.digitalSignature) && !c.keyUsage.has(KEY_USAGE.nonRepudiation)) return `${c.subjectText} may not sign time stamps (keyUsage)`;
  }
  return validity(c, r.times);
}

function issuerProblem(issuer: Certificate, below: Certificate[], times: PathRequest['times']): string | null {
  if (issuer.ca !== true) return `${issuer.subjectText} is not a CA (basicConstraints cA is not set), so it cannot issue ${below[below.length - 1]!.subjectText}`;
  if (issuer.keyUsage && !issuer.keyUsage.has(KEY_USAGE.keyCertSign)) return `${issuer.subjectText} may not issue certificates (its keyUsage lacks keyCertSign)`;
  if (issuer.unknownCritical.length) return `${issuer.subjectText} has a critical extension this verifier does not apply (${issuer.unknownCritical.join(', ')})`;
  // Intermediates below this issuer, self-issued ones not counted (RFC 5280 6.1.4 (l)).
  const intermediates = below.slice(1).filter((c) => !selfIssued(c)).length;
  if (issuer.pathLen !== null && intermediates > issuer.pathLen) return `${issuer.subjectText} allows ${issuer.pathLen} CA certificate(s) below it, the path has ${intermediates}`;
  return validity(issuer, times);
}

/** Builds and checks a path from `leaf` to one of `anchors`; the reason of a failure names the certificate. */
export function buildPath(r: PathRequest): PathResult {
  const problem = leafProblem(r);
  if (problem) return { ok: false, reason: problem };
  const deadline = Date.now() + PATH_LIMITS.ms;
  let checks = 0;
  const isAnchor = (c: Certificate): boolean => r.anchors.some((a) => a.der.equals(c.der));
  // The reason from the longest path tried is the one a reader needs.
  let best = { depth: -1, reason: '' };
  const note = (depth: number, reason: string): void => {
    if (depth > best.depth) best = { depth, reason };
  };
  const signatureChecked = (child: Certificate, issuer: Certificate): boolean | 'budget' => {
    if (++checks > PATH_LIMITS.signatureChecks || Date.now() > deadline) return 'budget';
    return signedBy(child, issuer);
  };

  const extend = (path: Certificate[]): Certificate[] | 'budget' | null => {
    const top = path[path.length - 1]!;
    if (isAnchor(top) && selfIssued(top)) {
      const own = signatureChecked(top, top);
      if (own === 'budget') return 'budget';
      if (own) return path;
      note(path.length, `the trusted certificate ${top.subjectText} is not validly self-signed`);
    }
    if (path.length >= PATH_LIMITS.depth) {
      note(path.length, `no path within ${PATH_LIMITS.depth} certificates reaches a trusted certificate`);
      return null;
    }
    const candidates = [...r.anchors, ...r.intermediates].filter((c, i, all) =>
      c.subject.equals(top.issuer) && !path.some((p) => p.der.equals(c.der)) && all.findIndex((o) => o.der.equals(c.der)) === i);
    if (!candidates.length) {
      note(path.length, selfIssued(top)
        ? `${top.subjectText} is self-signed and is not a trusted certificate (self-signed certificate)`
        : `the issuer of ${top.subjectText} (${top.issuerText}) is neither given as trusted nor carried in the package (unable to get issuer certificate)`);
      return null;
    }
    for (const issuer of candidates) {
      const signed = signatureChecked(top, issuer);
      if (signed === 'budget') return 'budget';
      if (!signed) {
        note(path.length, `${top.subjectText} is not signed by the key of the ${isAnchor(issuer) ? 'trusted ' : ''}certificate named ${issuer.subjectText} (SHA-256 ${issuer.fingerprint.slice(0, 16)}…)`);
        continue;
      }
      const why = issuerProblem(issuer, path, r.times);
      if (why) {
        note(path.length + 1, why);
        continue;
      }
      const found = extend([...path, issuer]);
      if (found) return found;
    }
    return null;
  };

  const found = extend([r.leaf]);
  if (found === 'budget') return { ok: false, reason: `the certificates offer too many candidate paths (more than ${PATH_LIMITS.signatureChecks} signature checks or ${PATH_LIMITS.ms / 1000} s); the package was refused` };
  return found ? { ok: true, path: found } : { ok: false, reason: best.reason || 'no path to a trusted certificate' };
}
