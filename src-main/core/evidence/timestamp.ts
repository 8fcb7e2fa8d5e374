/**
 * Trusted time: an RFC 3161 request to the configured TSA over the .p7s bytes (SHA-256, a nonce, the TSA's
 * certificate asked for), bounded in time and size, to a local address only when the workbench's host allows
 * (net/guarded-request.ts, as policy pages); and the check of a stored token — status, message
 * imprint equal to the .p7s digest, the TSA's signature, and its chain when a TSA root is given. The stored
 * .tsr is the whole TimeStampResp, as `openssl ts -verify -in` expects. Only a token whose TSA chains to a
 * root the verifier gives is trusted time.
 */
import { createHash, randomBytes } from 'node:crypto';
import { bytes, children, contents, DerError, element, oid } from '../apk/signing/der.js';
import { asn1Lib } from './asn1-lib.js';
import { WorkbenchError } from '../errors.js';
import { guardedRequest, RequestFailure } from '../net/guarded-request.js';
import { buildPath } from './cert-path.js';
import { bi, type Bilingual } from '../bilingual.js';
import { CertificateError, readCertificate } from './certificate.js';
import { CmsError, readTime, verifySignedData, type SignedDataFacts } from './cms-signed-data.js';

const SHA256 = '2.16.840.1.101.3.4.2.1';
const TSTINFO = '1.2.840.113549.1.9.16.1.4';
const MAX_RESPONSE = 256 * 1024;
const TIMEOUT_MS = 15_000;

function tsaError(message: string): WorkbenchError {
  return new WorkbenchError('evidence.tsa-failed', message, { message });
}

export interface TimestampRequestOptions {
  /** Local and private addresses: the workbench host's setting (its settings, --allow-local), never a browser's. */
  allowLocal?: boolean;
  timeoutMs?: number;
}

export async function requestTimestamp(url: string, data: Buffer, o: TimestampRequestOptions = {}): Promise<Buffer> {
  const { asn1js, pkijs } = await asn1Lib();
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw tsaError(`not a URL: ${url.slice(0, 200)}`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw tsaError('the TSA URL must be http or https');
  const nonce = randomBytes(8);
  // Positive and minimally encoded: a leading 0x00 byte is DER padding OpenSSL refuses (1 request in 128).
  nonce[0] = (nonce[0]! & 0x7f) | 0x01;
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: createHash('sha256').update(data).digest() }),
    }),
    nonce: new asn1js.Integer({ valueHex: nonce }),
    certReq: true,
  });
  const body = Buffer.from(req.toSchema().toBER(false));
  const response = await post(target, body, o.allowLocal ?? false, o.timeoutMs ?? TIMEOUT_MS);
  const check = checkTimestamp(response, data, null);
  if (!check.ok) throw tsaError(`the TSA's answer is not a valid timestamp: ${check.reason?.en}`);
  if (check.nonce !== BigInt(`0x${nonce.toString('hex')}`)) throw tsaError('the TSA answered with another nonce');
  return response;
}

/**
 * Said of every failure to reach a TSA at a local or private address — refused by the rule, a closed port, a
 * refused or reset connection, no answer in time — so the workbench cannot be used to learn which local ports
 * answer (a port scanner for whoever may set the TSA URL).
 */
const LOCAL_TSA_UNREACHABLE = 'the TSA is unreachable or not allowed: it is at a local or private address, which is used only when the workbench\'s host allows local addresses (the desktop window\'s settings or --allow-local) and a TSA answers there. 时间戳服务不可达或不被允许：它位于本机或内网地址，仅当工作台所在主机允许本机与内网地址（桌面窗口的设置或 --allow-local）且该处有时间戳服务应答时才会使用';

async function post(url: URL, body: Buffer, allowLocal: boolean, timeoutMs: number): Promise<Buffer> {
  try {
    const answer = await guardedRequest(url, {
      method: 'POST', headers: { 'content-type': 'application/timestamp-query', 'content-length': body.length }, body, allowLocal, deadline: Date.now() + timeoutMs, maxBytes: MAX_RESPONSE,
    });
    if (answer.status !== 200) throw tsaError(`the TSA answered HTTP ${answer.status}`);
    return answer.bytes;
  } catch (err) {
    if (!(err instanceof RequestFailure)) throw err;
    if (err.kind === 'too-large') throw tsaError('the TSA answer is larger than 256 KiB');
    if (err.local) throw tsaError(LOCAL_TSA_UNREACHABLE);
    if (err.kind === 'timeout') throw tsaError(`the TSA did not answer within ${timeoutMs / 1000} s`);
    throw tsaError(`the TSA is unreachable (${err.message})`);
  }
}

export interface TimestampCheck {
  ok: boolean;
  reason: Bilingual | null;
  genTime: Date | null;
  nonce: bigint | null;
  tsaSubject: string | null;
  /** True only when the TSA's certificate chained to the given TSA roots: only then is genTime trusted time. */
  trusted: boolean;
}

function tstInfo(der: Buffer): { imprintAlg: string; imprint: Buffer; genTime: Date; nonce: bigint | null } {
  const top = element(der, 0);
  if (top.tag !== 0x30 || top.end !== der.length) throw new DerError('TSTInfo is not DER');
  const f = children(der, top);
  const imprint = f[2];
  if (!imprint || imprint.tag !== 0x30) throw new DerError('TSTInfo has no message imprint');
  const [alg, hashed] = children(der, imprint);
  const time = f[4];
  if (!alg || !hashed || hashed.tag !== 0x04 || !time || time.tag !== 0x18) throw new DerError('TSTInfo is malformed');
  const nonce = f.slice(5).find((e) => e.tag === 0x02);
  return {
    imprintAlg: oid(der, children(der, alg)[0]!), imprint: contents(der, hashed), genTime: readTime(der, time),
    nonce: nonce ? BigInt(`0x${contents(der, nonce).toString('hex') || '0'}`) : null,
  };
}

/**
 * Checks a TimeStampResp over `data`: status, a TSTInfo whose imprint is the SHA-256 of `data`, the TSA's
 * signature by the certificate its signer info names, and with `anchors` that certificate's path (time-stamping
 * purpose, valid at the time it states). Without anchors the time is only the TSA's claim: not trusted.
 */
export function checkTimestamp(tsr: Buffer, data: Buffer, anchors: Buffer[] | null): TimestampCheck {
  const out: TimestampCheck = { ok: false, reason: null, genTime: null, nonce: null, tsaSubject: null, trusted: false };
  const fail = (en: string, zh: string): TimestampCheck => ({ ...out, reason: bi(en, zh) });
  if (tsr.length > MAX_RESPONSE) return fail('the timestamp file is larger than 256 KiB', '时间戳文件大于 256 KiB');
  let token: Buffer;
  try {
    const top = element(tsr, 0);
    if (top.tag !== 0x30 || top.end !== tsr.length) return fail('not DER', '不是 DER 编码');
    const [status, tokenElement] = children(tsr, top);
    const code = status?.tag === 0x30 ? children(tsr, status)[0] : undefined;
    if (!code || code.tag !== 0x02) return fail('not an RFC 3161 response', '不是 RFC 3161 响应');
    const value = contents(tsr, code).readIntBE(0, Math.min(6, contents(tsr, code).length));
    if (value !== 0 && value !== 1) return fail(`the TSA refused (status ${value})`, `时间戳机构拒绝（状态 ${value}）`);
    if (!tokenElement) return fail('no timestamp token', '没有时间戳令牌');
    token = Buffer.from(bytes(tsr, tokenElement));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return fail(`not an RFC 3161 response: ${message}`, `不是 RFC 3161 响应：${message}`);
  }
  let signed: SignedDataFacts;
  let info: ReturnType<typeof tstInfo>;
  try {
    signed = verifySignedData(token, null);
    if (signed.eContentType !== TSTINFO || !signed.eContent) return fail('the token holds no TSTInfo', '令牌中没有 TSTInfo');
    info = tstInfo(signed.eContent);
  } catch (err) {
    if (err instanceof CmsError) return fail(`the TSA signature: ${err.why.en}`, `时间戳机构的签名：${err.why.zh}`);
    const message = err instanceof Error ? err.message : String(err);
    return fail(`the token is malformed: ${message}`, `令牌格式错误：${message}`);
  }
  Object.assign(out, { genTime: info.genTime, nonce: info.nonce, tsaSubject: signed.signer.subjectText });
  if (info.imprintAlg !== SHA256) return fail('the token does not use SHA-256', '令牌未使用 SHA-256');
  if (!info.imprint.equals(createHash('sha256').update(data).digest())) return fail('the token is for other data than manifest.json.p7s', '令牌针对的不是 manifest.json.p7s');
  if (!anchors?.length) return { ...out, ok: true };
  let roots;
  try {
    roots = anchors.map(readCertificate);
  } catch (err) {
    const why = err instanceof CertificateError ? err.why : bi(String(err), String(err));
    return fail(`a given TSA root is malformed: ${why.en}`, `所给时间戳根证书格式错误：${why.zh}`);
  }
  const path = buildPath({ leaf: signed.signer, anchors: roots, intermediates: signed.certificates, times: [{ at: info.genTime, what: bi('the time it stamps', '其所证明的时间') }], purpose: 'timestamping' });
  if (!path.ok) return fail(`the TSA certificate does not chain to the given TSA root: ${path.reason.en}`, `时间戳机构证书无法链接到所给根证书：${path.reason.zh}`);
  return { ...out, ok: true, trusted: true };
}
