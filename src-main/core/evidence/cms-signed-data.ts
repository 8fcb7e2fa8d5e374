/**
 * Reads a CMS SignedData (RFC 5652) without trusting it and checks its one signer's signature with Node's
 * crypto: the certificate that signed is the one its sid names (issuer and serial number, or subject key
 * identifier), and only that certificate's key is tried. Signed attributes must carry the content type and
 * the message digest of the content; the signing time is read when present. Used for the package signature
 * (detached, over manifest.json) and for RFC 3161 tokens (TSTInfo encapsulated).
 */
import { constants, createHash, verify as verifySignature } from 'node:crypto';
import { bytes, children, contents, DerError, element, oid, type Element } from '../apk/signing/der.js';
import { bi, type Bilingual } from '../bilingual.js';
import { CertificateError, readCertificate, type Certificate } from './certificate.js';

export const MAX_CERTIFICATES = 50;

const OID = {
  signedData: '1.2.840.113549.1.7.2', contentType: '1.2.840.113549.1.9.3', messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5', rsaPss: '1.2.840.113549.1.1.10', mgf1: '1.2.840.113549.1.1.8',
};
const DIGESTS: Record<string, 'sha256' | 'sha384' | 'sha512'> = {
  '2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512',
};
/** Signature algorithms accepted, with the hash they fix (null: the signer's digest algorithm). */
const SIGNATURES: Record<string, { name: string; hash: 'sha256' | 'sha384' | 'sha512' | null; key: 'ec' | 'rsa' }> = {
  '1.2.840.10045.4.3.2': { name: 'ECDSA/SHA-256', hash: 'sha256', key: 'ec' },
  '1.2.840.10045.4.3.3': { name: 'ECDSA/SHA-384', hash: 'sha384', key: 'ec' },
  '1.2.840.10045.4.3.4': { name: 'ECDSA/SHA-512', hash: 'sha512', key: 'ec' },
  '1.2.840.10045.2.1': { name: 'ECDSA', hash: null, key: 'ec' },
  '1.2.840.113549.1.1.1': { name: 'RSA', hash: null, key: 'rsa' },
  '1.2.840.113549.1.1.11': { name: 'RSA/SHA-256', hash: 'sha256', key: 'rsa' },
  '1.2.840.113549.1.1.12': { name: 'RSA/SHA-384', hash: 'sha384', key: 'rsa' },
  '1.2.840.113549.1.1.13': { name: 'RSA/SHA-512', hash: 'sha512', key: 'rsa' },
};
const REFUSED: Record<string, Bilingual> = {
  '1.3.14.3.2.26': bi('SHA-1 is not accepted as a digest (collisions are practical)', '不接受 SHA-1 摘要（已可实际构造碰撞）'),
  '1.2.840.113549.2.5': bi('MD5 is not accepted as a digest', '不接受 MD5 摘要'),
  '1.2.156.10197.1.501': bi('SM2 inside CMS is not accepted (OpenSSL 3.0 cannot verify it either); the national-algorithm signature is manifest.json.sm2.sig',
    '不接受 CMS 中的 SM2 签名（OpenSSL 3.0 也无法验证）；国密签名见 manifest.json.sm2.sig'),
  '1.3.101.112': bi('Ed25519 inside CMS is not accepted (OpenSSL 3.0 cannot verify it: no default digest)', '不接受 CMS 中的 Ed25519 签名（OpenSSL 3.0 无法验证：无默认摘要）'),
};

/** A refusal with its reason in both languages (`message` is the English). */
export class CmsError extends Error {
  readonly why: Bilingual;

  constructor(en: string, zh: string) {
    super(en);
    this.why = bi(en, zh);
  }
}

export interface SignedDataFacts {
  eContentType: string;
  /** The encapsulated content; null when detached. */
  eContent: Buffer | null;
  certificates: Certificate[];
  signer: Certificate;
  signingTime: Date | null;
  algorithm: string;
}

function need(cond: unknown, en: string, zh: string): asserts cond {
  if (!cond) throw new CmsError(en, zh);
}

function algorithm(buf: Buffer, e: Element | undefined): { id: string; params: Element | null } {
  need(e?.tag === 0x30, 'an algorithm identifier is missing', '缺少算法标识');
  const [id, params] = children(buf, e);
  return { id: oid(buf, id!), params: params && params.tag !== 0x05 ? params : null };
}

function cmsTime(buf: Buffer, e: Element): Date {
  const s = contents(buf, e).toString('latin1');
  const m = (e.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/ : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/).exec(s);
  need(m && (e.tag === 0x17 || e.tag === 0x18), 'a time in the signature is malformed', '签名中的时间格式错误');
  let year = Number(m[1]);
  if (e.tag === 0x17) year += year >= 50 ? 1900 : 2000;
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms));
}

export { cmsTime as readTime };

function pssParams(buf: Buffer, params: Element | null): { hash: 'sha256' | 'sha384' | 'sha512'; saltLength: number } {
  need(params?.tag === 0x30, 'RSASSA-PSS without parameters (SHA-1) is not accepted', '不接受无参数（即 SHA-1）的 RSASSA-PSS');
  let hash: string | null = null;
  let mgfHash: string | null = null;
  let saltLength = 20;
  for (const p of children(buf, params)) {
    const inner = children(buf, p)[0]!;
    if (p.tag === 0xa0) hash = algorithm(buf, inner).id;
    else if (p.tag === 0xa1) {
      const mgf = algorithm(buf, inner);
      need(mgf.id === OID.mgf1 && mgf.params, 'RSASSA-PSS with a mask generation other than MGF1', 'RSASSA-PSS 使用了 MGF1 以外的掩码生成函数');
      mgfHash = algorithm(buf, mgf.params).id;
    } else if (p.tag === 0xa2) saltLength = contents(buf, inner).readUIntBE(0, Math.min(4, contents(buf, inner).length));
    else if (p.tag === 0xa3) need(contents(buf, inner).equals(Buffer.from([1])), 'RSASSA-PSS with an unknown trailer field', 'RSASSA-PSS 的尾字段未知');
  }
  const h = hash ? DIGESTS[hash] : undefined;
  need(h, 'RSASSA-PSS with SHA-1 (the default) is not accepted', '不接受使用 SHA-1（默认值）的 RSASSA-PSS');
  need(mgfHash === hash, 'RSASSA-PSS whose MGF1 hash differs from its digest is not accepted', '不接受 MGF1 哈希与摘要算法不同的 RSASSA-PSS');
  return { hash: h, saltLength };
}

/**
 * Parses `der` and verifies its signer over `content` (for a detached signature) or over the encapsulated
 * content. Throws CmsError with the reason when anything is malformed or the signature does not verify.
 */
export function verifySignedData(der: Buffer, detachedContent: Buffer | null): SignedDataFacts {
  try {
    const top = element(der, 0);
    need(top.tag === 0x30 && top.end === der.length, 'the signature file is not DER', '签名文件不是 DER 编码');
    const [type, explicit] = children(der, top);
    need(type?.tag === 0x06 && oid(der, type) === OID.signedData, 'the signature file is not CMS SignedData', '签名文件不是 CMS SignedData');
    need(explicit?.tag === 0xa0, 'the signature file has no content', '签名文件没有内容');
    const sd = children(der, explicit)[0];
    need(sd?.tag === 0x30, 'SignedData is malformed', 'SignedData 结构错误');
    const parts = children(der, sd);
    const encap = parts[2];
    need(encap?.tag === 0x30, 'SignedData has no encapsulated content info', 'SignedData 缺少封装内容信息');
    const [eType, eWrapped] = children(der, encap);
    const eContentType = oid(der, eType!);
    const eContent = eWrapped ? contents(der, children(der, eWrapped)[0]!) : null;
    need(!(eContent && detachedContent), 'the signature is not detached', '签名不是分离式签名');
    const content = eContent ?? detachedContent;
    need(content, 'the signature carries no content and none was given', '签名既不含内容，也未提供内容');

    const certSet = parts.find((p) => p.tag === 0xa0);
    const certDers = certSet ? children(der, certSet).filter((c) => c.tag === 0x30).map((c) => Buffer.from(bytes(der, c))) : [];
    need(certDers.length <= MAX_CERTIFICATES, `the signature carries ${certDers.length} certificates (at most ${MAX_CERTIFICATES} are read)`, `签名携带 ${certDers.length} 个证书（最多读取 ${MAX_CERTIFICATES} 个）`);
    const certificates: Certificate[] = [];
    for (const [i, c] of certDers.entries()) {
      try {
        certificates.push(readCertificate(c));
      } catch (err) {
        const why = err instanceof CertificateError ? err.why : bi((err as Error).message, (err as Error).message);
        throw new CmsError(`certificate ${i + 1} in the signature is malformed: ${why.en}`, `签名中的第 ${i + 1} 个证书格式错误：${why.zh}`);
      }
    }

    const signerSet = parts[parts.length - 1];
    need(signerSet?.tag === 0x31, 'SignedData has no signer infos', 'SignedData 没有签名者信息');
    const signers = children(der, signerSet);
    need(signers.length === 1, `expected one signer, found ${signers.length}`, `应有一个签名者，实有 ${signers.length} 个`);
    const f = children(der, signers[0]!);
    const sid = f[1]!;
    const signer = sid.tag === 0x30
      ? (() => {
        const [issuer, serial] = children(der, sid);
        const want = { issuer: bytes(der, issuer!), serial: contents(der, serial!) };
        return certificates.find((c) => c.issuer.equals(want.issuer) && c.serial.equals(want.serial));
      })()
      : sid.tag === 0x80 ? certificates.find((c) => c.subjectKeyId?.equals(contents(der, sid))) : undefined;
    need(signer, 'the certificate that signed (named by the signer info) is not in the signature file', '签名者信息所指的签名证书不在签名文件中');

    const digest = algorithm(der, f[2]);
    need(!REFUSED[digest.id], REFUSED[digest.id]?.en ?? '', REFUSED[digest.id]?.zh ?? '');
    const hash = DIGESTS[digest.id];
    need(hash, `digest algorithm ${digest.id} is not accepted (SHA-256, SHA-384 or SHA-512)`, `不接受摘要算法 ${digest.id}（应为 SHA-256、SHA-384 或 SHA-512）`);
    let i = 3;
    let signedInput = content;
    let signingTime: Date | null = null;
    if (f[i]?.tag === 0xa0) {
      const attrs = f[i++]!;
      const seen = new Map<string, Element[]>();
      for (const a of children(der, attrs)) {
        const [t, values] = children(der, a);
        const id = oid(der, t!);
        need(!seen.has(id), `signed attribute ${id} appears twice`, `签名属性 ${id} 重复出现`);
        seen.set(id, children(der, values!));
      }
      const one = (id: string, what: Bilingual): Element => {
        const v = seen.get(id);
        need(v?.length === 1, `the signed attributes have no single ${what.en}`, `签名属性中没有唯一的${what.zh}`);
        return v[0]!;
      };
      need(oid(der, one(OID.contentType, bi('content type', '内容类型'))) === eContentType, 'the signed content type differs from the content', '签名的内容类型与内容不符');
      need(contents(der, one(OID.messageDigest, bi('message digest', '消息摘要'))).equals(createHash(hash).update(content).digest()),
        eContent ? 'the signed message digest does not match the signed content' : 'the signature does not match manifest.json (its message digest differs)',
        eContent ? '签名的消息摘要与签名内容不符' : '签名与 manifest.json 不符（消息摘要不同）');
      if (seen.has(OID.signingTime)) signingTime = cmsTime(der, one(OID.signingTime, bi('signing time', '签名时间')));
      signedInput = Buffer.from(bytes(der, attrs));
      signedInput[0] = 0x31;
    }
    const sigAlg = algorithm(der, f[i]);
    const signature = f[i + 1];
    need(signature?.tag === 0x04, 'the signer has no signature', '签名者没有签名值');
    need(!REFUSED[sigAlg.id], REFUSED[sigAlg.id]?.en ?? '', REFUSED[sigAlg.id]?.zh ?? '');
    let ok: boolean;
    let name: string;
    const key = signer.x509.publicKey;
    if (sigAlg.id === OID.rsaPss) {
      const pss = pssParams(der, sigAlg.params);
      need(pss.hash === hash, 'the RSASSA-PSS hash differs from the digest algorithm', 'RSASSA-PSS 的哈希与摘要算法不同');
      name = `RSASSA-PSS/${hash.toUpperCase().replace('SHA', 'SHA-')}`;
      ok = attempt(() => verifySignature(hash, signedInput, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, contents(der, signature)));
    } else {
      const s = SIGNATURES[sigAlg.id];
      need(s, `signature algorithm ${sigAlg.id} is not accepted (ECDSA, RSA or RSASSA-PSS with SHA-2)`, `不接受签名算法 ${sigAlg.id}（应为使用 SHA-2 的 ECDSA、RSA 或 RSASSA-PSS）`);
      need(!s.hash || s.hash === hash, 'the signature algorithm\'s hash differs from the digest algorithm', '签名算法的哈希与摘要算法不同');
      need(key.asymmetricKeyType === s.key, `the signer's key (${key.asymmetricKeyType}) does not fit ${s.name}`, `签名者的密钥（${key.asymmetricKeyType}）与 ${s.name} 不匹配`);
      name = s.hash ? s.name : `${s.name}/${hash.toUpperCase().replace('SHA', 'SHA-')}`;
      ok = attempt(() => verifySignature(hash, signedInput, key, contents(der, signature)));
    }
    need(ok, eContent ? 'the signature does not verify with the key of the certificate that signed' : 'the signature does not match manifest.json (it does not verify with the signer\'s key)',
      eContent ? '用签名证书的公钥无法验证签名' : '签名与 manifest.json 不符（用签名者公钥无法验证）');
    return { eContentType, eContent, certificates, signer, signingTime, algorithm: name };
  } catch (err) {
    if (err instanceof CmsError) throw err;
    if (err instanceof DerError) throw new CmsError(`the signature file is not DER (${err.message})`, `签名文件不是有效的 DER 编码（${err.message}）`);
    if (err instanceof CertificateError) throw new CmsError(`a certificate in the signature file is malformed: ${err.why.en}`, `签名文件中的证书格式错误：${err.why.zh}`);
    const message = err instanceof Error ? err.message : String(err);
    throw new CmsError(`the signature file is not CMS: ${message}`, `签名文件不是 CMS：${message}`);
  }
}

function attempt(fn: () => boolean): boolean {
  try {
    return fn();
  } catch {
    return false;
  }
}
