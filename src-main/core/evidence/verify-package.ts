/**
 * Verifies an evidence package as a third party would, and says which check failed and why (zh/en):
 * the zip is sound; the RFC 3161 timestamp (trusted time only when its TSA chains to a given root); the CMS
 * signature over manifest.json, by the certificate its signer info names, and that certificate's path to the
 * given CA (or, self-asserted, to the package's own root) valid at the signing time it claims and at the
 * trusted time or now; the signer that manifest.json, report.html and VERIFY.txt name is the one that signed;
 * manifest.json is well-formed; SHA256SUMS matches it; every listed file is there with its size and SHA-256
 * (and SM3); no file is missing or extra; the timeline chain holds with the signed head and count; the SM2
 * signature when present. Once the signature fails nothing the manifest lists is read. Memory and time are
 * bounded by the caps of the package reader and the path search; a hostile package is refused with a reason.
 */
import { createHash } from 'node:crypto';
import type { VerifyCheck, VerifyReport } from '../../../src-preload/api.js';
import { WorkbenchError } from '../errors.js';
import { lineHash, MAX_LINE_BYTES, ZERO_HASH } from '../session/timeline-chain.js';
import { bi, type Bilingual } from '../bilingual.js';
import { selfIssued, type Certificate } from './certificate.js';
import { MAX_P7S_BYTES, verifyDetached } from './cms.js';
import { MANIFEST, manifestSchema, MAX_MANIFEST_BYTES, SIGNATURE, SIGNATURE_FILES, SIGNER_CERTS, SM2_PUBLIC_KEY, SM2_SIGNATURE, SUMS, TIMESTAMP, sha256sums, type Manifest } from './manifest.js';
import { PackageReader } from './package-reader.js';
import { sm2Verify } from './sm2.js';
import { checkTimestamp } from './timestamp.js';
import { certificateFacts, pemToDers } from './x509.js';

export interface VerifyOptions {
  /** Trust anchors for the signer (a lab CA), DER. Without them a self-signed signer is reported self-asserted. */
  ca?: Buffer[] | null;
  /** Trust anchors for the TSA, DER. */
  tsaCa?: Buffer[] | null;
  /** Largest payload file accepted (default 8 GiB). */
  maxFileBytes?: number;
  /** The time a signer without a trusted timestamp must be valid at (default: now). */
  now?: Date;
}

const SMALL = 1024 * 1024;
/** A signing time this far after the trusted timestamp cannot be the host's clock drifting. */
const CLOCK_SKEW_MS = 10 * 60 * 1000;
const REPORT = 'report.html';
const INSTRUCTIONS = 'VERIFY.txt';

export async function verifyPackage(path: string, o: VerifyOptions = {}): Promise<VerifyReport> {
  const checks: VerifyCheck[] = [];
  const add = (id: string, ok: boolean, en: string, zh: string): boolean => {
    checks.push({ id, ok, en, zh });
    return ok;
  };
  const report = (signer: VerifyReport['signer'], manifest: Manifest | null): VerifyReport => ({
    ok: checks.length > 0 && checks.every((c) => c.ok), checks, signer,
    session: manifest ? { id: manifest.session.id, packageName: manifest.session.app.packageName, tester: manifest.session.tester, events: manifest.timeline.count } : null,
  });

  let pkg: PackageReader;
  try {
    pkg = new PackageReader(path);
  } catch (err) {
    const why = readerWhy(err);
    add('zip', false, why.en, `不是有效的证据包：${why.zh}`);
    return report(null, null);
  }
  try {
    const unsafe = pkg.findings.filter((f) => f.code === 'unsafe-name');
    const odd = pkg.findings.filter((f) => f.code !== 'unsafe-name');
    if (!add('zip', !unsafe.length && !odd.length,
      unsafe.length ? `unsafe file names in the zip: ${unsafe.slice(0, 3).map((f) => f.entry).join(', ')}` : odd.length ? `${odd[0]!.code} entry ${odd[0]!.entry}` : 'the zip is sound',
      unsafe.length ? `压缩包含不安全的文件名：${unsafe.slice(0, 3).map((f) => f.entry).join(', ')}` : odd.length ? `压缩包含异常条目：${odd[0]!.entry}` : '压缩包结构正常')) return report(null, null);

    for (const required of [MANIFEST, SIGNATURE, SUMS]) {
      if (!pkg.entries.has(required)) {
        add('files.required', false, `${required} is missing: this is not a complete evidence package`, `缺少 ${required}：不是完整的证据包`);
        return report(null, null);
      }
    }
    const manifestBytes = await pkg.readSmall(MANIFEST, MAX_MANIFEST_BYTES);
    const p7s = await pkg.readSmall(SIGNATURE, MAX_P7S_BYTES);

    // Trusted time first: a timestamp whose TSA chains to a given root fixes the time the signer must be valid at.
    const ts = pkg.entries.has(TIMESTAMP) ? checkTimestamp(await pkg.readSmall(TIMESTAMP, 256 * 1024), p7s, o.tsaCa?.length ? o.tsaCa : null) : null;
    const trustedTime = ts?.ok && ts.trusted ? ts.genTime : null;

    // Signature and signer: the certificate that signed, and its path to the CA (or to the package's own root).
    const cms = verifyDetached(p7s, manifestBytes, {
      anchors: o.ca?.length ? o.ca : null,
      checkTime: trustedTime ? { at: trustedTime, what: bi('the trusted timestamp', '可信时间戳') } : { at: o.now ?? new Date(), what: bi('now (the package has no trusted timestamp)', '当前时间（证据包无可信时间戳）') },
    });
    if (cms.ok && trustedTime && cms.signingTime && cms.signingTime.getTime() > trustedTime.getTime() + CLOCK_SKEW_MS) {
      Object.assign(cms, { ok: false, reason: bi(`the signing time it claims (${cms.signingTime.toISOString()}) is after the trusted timestamp (${trustedTime.toISOString()})`, `其声称的签名时间（${cms.signingTime.toISOString()}）晚于可信时间戳（${trustedTime.toISOString()}）`) });
    }
    let signer: VerifyReport['signer'] = null;
    if (cms.signer) {
      const facts = certificateFacts(cms.signer.der);
      // Self-asserted: no CA was given to judge it by (a signer a given CA refused is not trusted, and the checks say why).
      signer = { subject: facts.subject, fingerprint: facts.fingerprint, selfAsserted: !o.ca?.length };
    }
    const root = cms.path[cms.path.length - 1];
    const trust = !signer ? '' : cms.anchoredBy === 'given-ca'
      ? { en: ' — chains to the given CA', zh: '——可链接到所给 CA' }
      : root && root !== cms.signer
        ? { en: ` — self-asserted: no CA was given; the chain ends at ${root.subjectText} carried in the package (SHA-256 ${root.fingerprint}): compare it out of band or give --ca`, zh: `——自声明：未提供 CA；证书链止于证据包自带的 ${root.subjectText}（SHA-256 ${root.fingerprint}），请另行核对或提供 --ca` }
        : { en: ' — self-asserted: no CA was given, compare the fingerprint out of band', zh: '——自声明身份：未提供 CA，请另行核对指纹' };
    const signed = add('signature', cms.ok,
      cms.ok ? `manifest.json is signed by ${signer!.subject} (${cms.algorithm}); certificate SHA-256 ${signer!.fingerprint}${typeof trust === 'string' ? '' : trust.en}` : cms.reason!.en,
      cms.ok ? `manifest.json 由 ${signer!.subject} 签名（${cms.algorithm}），证书 SHA-256 ${signer!.fingerprint}${typeof trust === 'string' ? '' : trust.zh}` : `签名无效：${cms.reason!.zh}`);
    if (cms.signer && pkg.entries.has(SIGNER_CERTS)) {
      const pem = (await pkg.readSmall(SIGNER_CERTS, SMALL)).toString('utf8');
      const same = pemToDers(pem).some((d) => cms.signer?.der.equals(d));
      add('signer.pem', same, same ? 'signer.pem holds the signing certificate' : 'signer.pem does not hold the certificate that signed the package', same ? 'signer.pem 为签名证书' : 'signer.pem 不是签名所用证书');
    }

    // The manifest itself.
    let manifest: Manifest;
    try {
      manifest = manifestSchema().parse(JSON.parse(manifestBytes.toString('utf8')));
    } catch (err) {
      const why = err instanceof SyntaxError ? 'not JSON' : (err as { issues?: Array<{ path: unknown[]; message: string }> }).issues?.[0] ? `${(err as { issues: Array<{ path: unknown[]; message: string }> }).issues[0]!.path.join('.')}: ${(err as { issues: Array<{ message: string }> }).issues[0]!.message}` : String(err);
      add('manifest', false, `manifest.json is not a valid manifest (${why})`, `manifest.json 格式无效（${why}）`);
      return report(signer, null);
    }
    add('manifest', true, `manifest.json lists ${manifest.files.length} files of session ${manifest.session.id}`, `manifest.json 列出会话 ${manifest.session.id} 的 ${manifest.files.length} 个文件`);
    if (cms.signer) checkClaimedSigner(manifest.signer, cms.signer, add);

    // SHA256SUMS.
    const sums = await pkg.readSmall(SUMS, MAX_MANIFEST_BYTES);
    const sumsHash = createHash('sha256').update(sums).digest('hex');
    const sumsOk = sumsHash === manifest.sha256sums && sums.toString('utf8') === sha256sums(manifest.files);
    add('sha256sums', sumsOk, sumsOk ? 'SHA256SUMS matches the signed manifest' : 'SHA256SUMS differs from the signed manifest', sumsOk ? 'SHA256SUMS 与已签名清单一致' : 'SHA256SUMS 与已签名清单不一致');

    // Missing and extra files.
    const listed = new Set(manifest.files.map((f) => f.path));
    const allowed = new Set<string>(SIGNATURE_FILES);
    const extra = [...pkg.entries.keys()].filter((n) => !listed.has(n) && !allowed.has(n));
    const missing = [...listed].filter((n) => !pkg.entries.has(n));
    add('files.extra', !extra.length, extra.length ? `files not in the manifest: ${extra.slice(0, 5).join(', ')}` : 'no file outside the manifest', extra.length ? `清单外的文件：${extra.slice(0, 5).join(', ')}` : '无清单外文件');
    add('files.missing', !missing.length, missing.length ? `files missing: ${missing.slice(0, 5).join(', ')}` : 'no file missing', missing.length ? `缺少文件：${missing.slice(0, 5).join(', ')}` : '无缺失文件');

    // Nothing the manifest says can be trusted once its signature failed: its files are not read (a forged
    // manifest may declare gigabytes of zeros to keep the verifier busy).
    if (!signed) {
      add('files.hashes', false, 'the files were not checked: the signature failed, so the sizes and hashes the manifest lists cannot be trusted', '未核对文件：签名无效，清单所列大小与哈希不可信');
      return report(signer, manifest);
    }

    // Every file's size and digests; the timeline's chain while it streams; the signer the report and VERIFY.txt name.
    const bad: Bilingual[] = [];
    const mentions = new Map<string, SignerMention>();
    const maxFile = o.maxFileBytes ?? 8 * 1024 ** 3;
    let chain: { count: number; head: string; error: Bilingual | null } | null = null;
    for (const f of manifest.files) {
      const entry = pkg.entries.get(f.path);
      if (!entry) continue;
      const timeline = f.path === manifest.timeline.path ? new ChainCheck() : null;
      const mention = f.path === REPORT || f.path === INSTRUCTIONS ? new SignerMention(cms.signer!.fingerprint) : null;
      if (mention) mentions.set(f.path, mention);
      if (entry.size !== f.size) {
        bad.push(bi(`${f.path} (${entry.size} bytes, the manifest says ${f.size})`, `${f.path}（${entry.size} 字节，清单为 ${f.size}）`));
        // Other files need not be read; the timeline is, so the report can say where its chain breaks.
        if (!timeline) continue;
      }
      // Read no more than the manifest promises (a bounded margin more for a changed timeline).
      const cap = Math.min(maxFile, entry.size === f.size ? f.size : f.size * 2 + 64 * 1024 * 1024);
      const sha = createHash('sha256');
      const sm3 = f.sm3 ? createHash('sm3') : null;
      let size = 0;
      try {
        for await (const c of pkg.stream(f.path, cap)) {
          const chunk = c as Buffer;
          size += chunk.length;
          sha.update(chunk);
          sm3?.update(chunk);
          timeline?.push(chunk);
          mention?.push(chunk);
        }
      } catch (err) {
        const why = readerWhy(err);
        if (entry.size === f.size) bad.push(bi(`${f.path} (${why.en})`, `${f.path}（${why.zh}）`));
        if (timeline) chain = { count: 0, head: ZERO_HASH, error: bi(`cannot be read: ${why.en}`, `无法读取：${why.zh}`) };
        continue;
      }
      if (entry.size === f.size && (size !== f.size || sha.digest('hex') !== f.sha256 || (sm3 && sm3.digest('hex') !== f.sm3))) bad.push(bi(f.path, f.path));
      if (timeline) chain = timeline.end();
    }
    add('files.hashes', !bad.length, bad.length ? `changed files (size or hash differs from the manifest): ${bad.slice(0, 5).map((b) => b.en).join(', ')}` : `all ${manifest.files.length} files match their SHA-256${manifest.national ? ' and SM3' : ''}`, bad.length ? `文件已被修改（大小或哈希与清单不符）：${bad.slice(0, 5).map((b) => b.zh).join('，')}` : `全部 ${manifest.files.length} 个文件的 SHA-256${manifest.national ? ' 与 SM3' : ''} 一致`);

    if (!chain) add('timeline', false, 'timeline.jsonl is not in the manifest or the package', '清单或证据包中没有 timeline.jsonl');
    else if (chain.error) add('timeline', false, `timeline chain: ${chain.error.en}`, `时间线哈希链断裂：${chain.error.zh}`);
    else {
      const ok = chain.count === manifest.timeline.count && chain.head === manifest.timeline.head;
      add('timeline', ok, ok ? `timeline chain holds: ${chain.count} events, head ${chain.head}` : `the timeline has ${chain.count} events ending in ${chain.head.slice(0, 16)}…, the signed manifest says ${manifest.timeline.count} ending in ${manifest.timeline.head.slice(0, 16)}… (truncated or extended)`,
        ok ? `时间线哈希链完整：${chain.count} 条事件` : `时间线有 ${chain.count} 条事件，已签名清单为 ${manifest.timeline.count} 条（被截断或追加）`);
    }

    for (const [file, m] of mentions) {
      const named = m.named(file === REPORT ? REPORT_SIGNER : INSTRUCTIONS_SIGNER);
      add(`signer.${file}`, named.ok,
        named.ok ? `${file} names the certificate that signed` : `${file} names another signer (certificate SHA-256 ${named.claimed ?? 'none found'}) than the one that signed (${cms.signer!.fingerprint})`,
        named.ok ? `${file} 所列签名证书与实际签名者一致` : `${file} 所列签名证书（SHA-256 ${named.claimed ?? '未找到'}）与实际签名者（${cms.signer!.fingerprint}）不一致`);
    }

    // Trusted time.
    if (ts) {
      add('timestamp', ts.ok,
        ts.ok ? `RFC 3161 timestamp ${ts.genTime?.toISOString()} by ${ts.tsaSubject}${ts.trusted ? ', chained to the given TSA root: trusted time' : ' — not trusted time: the TSA was not checked against a root (give --tsa-ca)'}` : `timestamp: ${ts.reason!.en}`,
        ts.ok ? `RFC 3161 时间戳 ${ts.genTime?.toISOString()}，签发者 ${ts.tsaSubject}${ts.trusted ? '，可链接到所给根证书：可信时间' : '——非可信时间：未用根证书核验时间戳机构（请提供 --tsa-ca）'}` : `时间戳无效：${ts.reason!.zh}`);
    } else {
      // Nothing is wrong, and nothing is vouched for: the times are the host's clock. Not a ✓.
      checks.push({ id: 'timestamp', ok: true, neutral: true, en: 'no trusted time (host clock only): the package has no RFC 3161 timestamp', zh: '无可信时间（仅主机时钟）：证据包没有 RFC 3161 时间戳' });
    }

    // SM2.
    if (manifest.national) {
      const present = pkg.entries.has(SM2_SIGNATURE);
      const ok = present && sm2Verify(manifestBytes, await pkg.readSmall(SM2_SIGNATURE, 4096), manifest.national.sm2PublicKey);
      add('sm2', ok, ok ? 'SM2 signature over manifest.json verifies' : present ? 'the SM2 signature does not verify' : 'the manifest declares an SM2 signature but manifest.json.sm2.sig is missing',
        ok ? 'manifest.json 的 SM2 签名有效' : present ? 'SM2 签名无效' : '清单声明了 SM2 签名但缺少 manifest.json.sm2.sig');
      if (pkg.entries.has(SM2_PUBLIC_KEY)) {
        const pem = (await pkg.readSmall(SM2_PUBLIC_KEY, SMALL)).toString('utf8');
        const b64 = pem.replace(/-----[^-]+-----|\s+/g, '');
        const same = Buffer.from(b64, 'base64').subarray(-65).toString('hex') === manifest.national.sm2PublicKey.toLowerCase();
        add('sm2.key', same, same ? 'signer-sm2.pem is the key the manifest names' : 'signer-sm2.pem is not the key the manifest names', same ? 'signer-sm2.pem 与清单所列公钥一致' : 'signer-sm2.pem 与清单所列公钥不一致');
      }
    } else if (pkg.entries.has(SM2_SIGNATURE)) {
      add('sm2', false, 'an SM2 signature is present but the signed manifest declares none', '存在 SM2 签名但已签名清单未声明');
    }
    return report(signer, manifest);
  } catch (err) {
    const why = readerWhy(err);
    add('package', false, `the package cannot be read: ${why.en}`, `无法读取证据包：${why.zh}`);
    return report(null, null);
  } finally {
    pkg.close();
  }
}

/** The manifest's claims about its signer, against the certificate that signed. */
function checkClaimedSigner(claim: Manifest['signer'], actual: Certificate, add: (id: string, ok: boolean, en: string, zh: string) => boolean): void {
  const facts = certificateFacts(actual.der);
  const self = selfIssued(actual);
  const ok = claim.fingerprint === facts.fingerprint && claim.selfAsserted === self;
  add('signer.manifest', ok,
    ok ? 'manifest.json names the certificate that signed'
      : claim.fingerprint !== facts.fingerprint
        ? `manifest.json names the signer ${claim.subject} (SHA-256 ${claim.fingerprint}), but ${facts.subject} (SHA-256 ${facts.fingerprint}) signed it`
        : `manifest.json says the signer is ${claim.selfAsserted ? 'self-asserted' : 'issued by a CA'}, but its certificate is ${self ? 'self-signed' : 'issued by a CA'}`,
    ok ? 'manifest.json 所列签名者与实际签名证书一致'
      : claim.fingerprint !== facts.fingerprint
        ? `manifest.json 声称签名者为 ${claim.subject}（SHA-256 ${claim.fingerprint}），实际签名者为 ${facts.subject}（SHA-256 ${facts.fingerprint}）`
        : `manifest.json 声称签名者${claim.selfAsserted ? '为自声明身份' : '由 CA 签发'}，实际证书${self ? '为自签名' : '由 CA 签发'}`);
}

/** Where report.html and VERIFY.txt name the signer's fingerprint (report-html.ts, verify-instructions.ts); reports before the marker named it in the certificate row. */
const REPORT_SIGNER = [/data-signer-fingerprint="([0-9a-f]{64})"/, /<th>证书 \/ Certificate<\/th><td>[^<]{0,2000}<br><code>([0-9a-f]{64})<\/code>/];
const INSTRUCTIONS_SIGNER = [/Signer certificate SHA-256 \/ 签名证书指纹: ([0-9a-f]{64})/];
const MENTION_WINDOW = 1024 * 1024;

/** Keeps the head of a file (where the signer is named) while it streams, in bounded memory. */
class SignerMention {
  private head: Buffer[] = [];
  private size = 0;

  constructor(private fingerprint: string) {}

  push(chunk: Buffer): void {
    if (this.size >= MENTION_WINDOW) return;
    const part = chunk.subarray(0, MENTION_WINDOW - this.size);
    this.head.push(Buffer.from(part));
    this.size += part.length;
  }

  /** The fingerprint the first pattern that matches finds (patterns in order of preference). */
  named(where: RegExp[]): { ok: boolean; claimed: string | null } {
    const text = Buffer.concat(this.head).toString('utf8');
    const claimed = where.map((re) => re.exec(text)?.[1]).find((fp) => fp) ?? null;
    return { ok: claimed === this.fingerprint, claimed };
  }
}

/** A package reader's refusal in both languages (its WorkbenchError carries the Chinese in details.zh). */
function readerWhy(err: unknown): Bilingual {
  const en = err instanceof Error ? err.message : String(err);
  const zh = err instanceof WorkbenchError && typeof err.details.zh === 'string' ? err.details.zh : en;
  return bi(en, zh);
}

/** Checks the hash chain over a stream of timeline bytes, one line at a time, in bounded memory. */
class ChainCheck {
  private carry: Buffer = Buffer.alloc(0);
  private count = 0;
  private head = ZERO_HASH;
  private error: Bilingual | null = null;

  push(chunk: Buffer): void {
    if (this.error) return;
    let data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(10, start); nl !== -1 && !this.error; nl = data.indexOf(10, start)) {
      this.line(data.subarray(start, nl));
      start = nl + 1;
    }
    data = data.subarray(start);
    if (data.length > MAX_LINE_BYTES) this.error = bi(`line ${this.count + 1} is longer than ${MAX_LINE_BYTES} bytes`, `第 ${this.count + 1} 行超过 ${MAX_LINE_BYTES} 字节`);
    this.carry = Buffer.from(data);
  }

  end(): { count: number; head: string; error: Bilingual | null } {
    if (!this.error && this.carry.length) this.error = bi(`the last line (${this.count + 1}) has no newline: it is torn`, `最后一行（第 ${this.count + 1} 行）没有换行符：已被截断`);
    return { count: this.count, head: this.head, error: this.error };
  }

  private line(line: Buffer): void {
    const n = this.count + 1;
    let o: { seq?: unknown; prev?: unknown };
    try {
      o = JSON.parse(line.toString('utf8')) as typeof o;
    } catch {
      this.error = bi(`line ${n} is not JSON`, `第 ${n} 行不是 JSON`);
      return;
    }
    if (o?.seq !== n) this.error = bi(`line ${n} has seq ${JSON.stringify(o?.seq ?? null)} (deleted, inserted or reordered lines)`, `第 ${n} 行的 seq 为 ${JSON.stringify(o?.seq ?? null)}（有行被删除、插入或调换）`);
    else if (o.prev !== this.head) this.error = bi(`line ${n}'s prev is not the SHA-256 of line ${n - 1} (a line was edited, deleted or reordered)`, `第 ${n} 行的 prev 不是第 ${n - 1} 行的 SHA-256（有行被修改、删除或调换）`);
    else {
      this.head = lineHash(line);
      this.count = n;
    }
  }
}
