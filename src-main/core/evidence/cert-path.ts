/**
 * Certification paths, built from the certificate that signed (never from the order of a certificate set) up
 * to a trust anchor, the way OpenSSL's verifier does: an issuer is a certificate whose subject equals the
 * child's issuer byte for byte and whose key verifies the child's signature; every issuer is a CA
 * (basicConstraints cA, keyCertSign when keyUsage is present, pathLen honoured); every certificate on the path
 * is valid at each of the given times and has no critical extension left unapplied; the path ends at a
 * self-signed anchor. The search is bounded in depth, signature checks and time, so a set of many same-named
 * CAs is refused quickly instead of explored for minutes.
 */
import { bi, type Bilingual } from '../bilingual.js';
import { EKU_TIME_STAMPING, KEY_USAGE, selfIssued, signedBy, validAt, type Certificate } from './certificate.js';

export const PATH_LIMITS = { depth: 8, signatureChecks: 200, ms: 1000 };

export interface PathRequest {
  leaf: Certificate;
  /** Trusted certificates. */
  anchors: Certificate[];
  /** Untrusted certificates that may serve as intermediates (the package's own). */
  intermediates: Certificate[];
  /** Every certificate of the path must be valid at each of these. */
  times: Array<{ at: Date; what: Bilingual }>;
  /** What the leaf's key is for: signing evidence, or time-stamping (RFC 3161 requires the EKU). */
  purpose: 'signing' | 'timestamping';
}

export type PathResult = { ok: true; path: Certificate[] } | { ok: false; reason: Bilingual };

const iso = (d: Date): string => d.toISOString().replace('.000Z', 'Z');

function validity(c: Certificate, times: PathRequest['times']): Bilingual | null {
  for (const t of times) {
    if (validAt(c, t.at)) continue;
    return t.at < c.notBefore
      ? bi(`${c.subjectText} is not yet valid at ${t.what.en} ${iso(t.at)} (valid from ${iso(c.notBefore)})`, `${c.subjectText} 在${t.what.zh} ${iso(t.at)} 尚未生效（自 ${iso(c.notBefore)} 起有效）`)
      : bi(`${c.subjectText} has expired: valid until ${iso(c.notAfter)}, ${t.what.en} is ${iso(t.at)}`, `${c.subjectText} 已过期：有效期至 ${iso(c.notAfter)}，${t.what.zh}为 ${iso(t.at)}`);
  }
  return null;
}

function unknownCritical(c: Certificate): Bilingual {
  return bi(`${c.subjectText} has a critical extension this verifier does not apply (${c.unknownCritical.join(', ')})`, `${c.subjectText} 含有本验证程序不处理的关键扩展（${c.unknownCritical.join(', ')}）`);
}

function leafProblem(r: PathRequest): Bilingual | null {
  const c = r.leaf;
  if (c.unknownCritical.length) return unknownCritical(c);
  const maySign = !c.keyUsage || c.keyUsage.has(KEY_USAGE.digitalSignature) || c.keyUsage.has(KEY_USAGE.nonRepudiation);
  if (r.purpose === 'signing' && !maySign) {
    return bi(`${c.subjectText} may not sign (its keyUsage has neither digitalSignature nor nonRepudiation)`, `${c.subjectText} 不可用于签名（keyUsage 既无 digitalSignature 也无 nonRepudiation）`);
  }
  if (r.purpose === 'timestamping') {
    if (!c.extKeyUsage?.includes(EKU_TIME_STAMPING)) return bi(`${c.subjectText} is not a time-stamping certificate (extendedKeyUsage timeStamping is missing)`, `${c.subjectText} 不是时间戳证书（缺少 extendedKeyUsage timeStamping）`);
    if (!maySign) return bi(`${c.subjectText} may not sign time stamps (keyUsage)`, `${c.subjectText} 不可签发时间戳（keyUsage）`);
  }
  return validity(c, r.times);
}

function issuerProblem(issuer: Certificate, below: Certificate[], times: PathRequest['times']): Bilingual | null {
  const child = below[below.length - 1]!;
  if (issuer.ca !== true) return bi(`${issuer.subjectText} is not a CA (basicConstraints cA is not set), so it cannot issue ${child.subjectText}`, `${issuer.subjectText} 不是 CA（未设置 basicConstraints cA），不能签发 ${child.subjectText}`);
  if (issuer.keyUsage && !issuer.keyUsage.has(KEY_USAGE.keyCertSign)) return bi(`${issuer.subjectText} may not issue certificates (its keyUsage lacks keyCertSign)`, `${issuer.subjectText} 不可签发证书（keyUsage 缺少 keyCertSign）`);
  if (issuer.unknownCritical.length) return unknownCritical(issuer);
  // Intermediates below this issuer, self-issued ones not counted (RFC 5280 6.1.4 (l)).
  const intermediates = below.slice(1).filter((c) => !selfIssued(c)).length;
  if (issuer.pathLen !== null && intermediates > issuer.pathLen) return bi(`${issuer.subjectText} allows ${issuer.pathLen} CA certificate(s) below it, the path has ${intermediates}`, `${issuer.subjectText} 之下最多允许 ${issuer.pathLen} 个 CA 证书，此路径有 ${intermediates} 个`);
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
  let best: { depth: number; reason: Bilingual | null } = { depth: -1, reason: null };
  const note = (depth: number, reason: Bilingual): void => {
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
      note(path.length, bi(`the trusted certificate ${top.subjectText} is not validly self-signed`, `受信任证书 ${top.subjectText} 的自签名无效`));
    }
    if (path.length >= PATH_LIMITS.depth) {
      note(path.length, bi(`no path within ${PATH_LIMITS.depth} certificates reaches a trusted certificate`, `${PATH_LIMITS.depth} 个证书以内没有通往受信任证书的路径`));
      return null;
    }
    const candidates = [...r.anchors, ...r.intermediates].filter((c, i, all) =>
      c.subject.equals(top.issuer) && !path.some((p) => p.der.equals(c.der)) && all.findIndex((o) => o.der.equals(c.der)) === i);
    if (!candidates.length) {
      note(path.length, selfIssued(top)
        ? bi(`${top.subjectText} is self-signed and is not a trusted certificate (self-signed certificate)`, `${top.subjectText} 为自签名证书，且不是受信任证书`)
        : bi(`the issuer of ${top.subjectText} (${top.issuerText}) is neither given as trusted nor carried in the package (unable to get issuer certificate)`, `${top.subjectText} 的签发者（${top.issuerText}）既未作为受信任证书提供，也不在证据包中`));
      return null;
    }
    for (const issuer of candidates) {
      const signed = signatureChecked(top, issuer);
      if (signed === 'budget') return 'budget';
      if (!signed) {
        note(path.length, bi(`${top.subjectText} is not signed by the key of the ${isAnchor(issuer) ? 'trusted ' : ''}certificate named ${issuer.subjectText} (SHA-256 ${issuer.fingerprint.slice(0, 16)}…)`,
          `${top.subjectText} 不是由名为 ${issuer.subjectText} 的${isAnchor(issuer) ? '受信任' : ''}证书（SHA-256 ${issuer.fingerprint.slice(0, 16)}…）的密钥签发的`));
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
  if (found === 'budget') {
    return { ok: false, reason: bi(`the certificates offer too many candidate paths (more than ${PATH_LIMITS.signatureChecks} signature checks or ${PATH_LIMITS.ms / 1000} s); the package was refused`, `证书提供的候选路径过多（超过 ${PATH_LIMITS.signatureChecks} 次签名校验或 ${PATH_LIMITS.ms / 1000} 秒），已拒绝`) };
  }
  return found ? { ok: true, path: found } : { ok: false, reason: best.reason ?? bi('no path to a trusted certificate', '没有通往受信任证书的路径') };
}
