/**
 * Trusted time: an RFC 3161 request to the configured TSA over the .p7s bytes (SHA-256, a nonce, the TSA's
 * certificate asked for), bounded in time and size, to a local address only when the workbench's host allows
 * (net/guarded-request.ts, as policy pages); and the check of a stored token — status, message
 * imprint equal to the .p7s digest, the TSA's signature, and its chain when a TSA root is given. The stored
 * .tsr is the whole TimeStampResp, as `openssl ts -verify -in` expects.
 */
import { createHash, randomBytes } from 'node:crypto';
import type * as Pki from 'pkijs';
import { asn1Lib } from './asn1-lib.js';
import { WorkbenchError } from '../errors.js';
import { guardedRequest, RequestFailure } from '../net/guarded-request.js';
import { certificateFromDer } from './x509.js';

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
  const check = await checkTimestamp(response, data, null);
  if (!check.ok) throw tsaError(`the TSA's answer is not a valid timestamp: ${check.reason}`);
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
  reason: string | null;
  genTime: Date | null;
  nonce: bigint | null;
  tsaSubject: string | null;
}

/** Checks a TimeStampResp over `data`; with `anchors`, the TSA certificate must chain to them. */
export async function checkTimestamp(tsr: Buffer, data: Buffer, anchors: Buffer[] | null): Promise<TimestampCheck> {
  const { asn1js, pkijs } = await asn1Lib();
  const out: TimestampCheck = { ok: false, reason: null, genTime: null, nonce: null, tsaSubject: null };
  const fail = (reason: string): TimestampCheck => ({ ...out, reason });
  if (tsr.length > MAX_RESPONSE) return fail('the timestamp file is larger than 256 KiB');
  let resp: Pki.TimeStampResp;
  let signed: Pki.SignedData;
  let info: Pki.TSTInfo;
  try {
    const asn = asn1js.fromBER(new Uint8Array(tsr));
    if (asn.offset === -1) return fail('not DER');
    resp = new pkijs.TimeStampResp({ schema: asn.result });
    if (resp.status.status !== 0 && resp.status.status !== 1) return fail(`the TSA refused (status ${resp.status.status})`);
    if (!resp.timeStampToken) return fail('no timestamp token');
    signed = new pkijs.SignedData({ schema: resp.timeStampToken.content });
    if (signed.encapContentInfo.eContentType !== TSTINFO || !signed.encapContentInfo.eContent) return fail('the token holds no TSTInfo');
    const inner = asn1js.fromBER(signed.encapContentInfo.eContent.getValue());
    info = new pkijs.TSTInfo({ schema: inner.result });
  } catch (err) {
    return fail(`not an RFC 3161 response: ${err instanceof Error ? err.message : String(err)}`);
  }
  out.genTime = info.genTime;
  out.nonce = info.nonce ? BigInt(`0x${Buffer.from(info.nonce.valueBlock.valueHexView).toString('hex') || '0'}`) : null;
  if (info.messageImprint.hashAlgorithm.algorithmId !== SHA256) return fail('the token does not use SHA-256');
  const imprint = Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView);
  if (!imprint.equals(createHash('sha256').update(data).digest())) return fail('the token is for other data than manifest.json.p7s');
  try {
    const v = await signed.verify({ signer: 0, data: new Uint8Array(data).buffer, checkChain: false, extendedMode: true });
    if (!v.signatureVerified) return fail('the TSA signature does not verify');
    const tsaCert = v.signerCertificate;
    if (!tsaCert) return fail('the TSA certificate is not in the token');
    out.tsaSubject = tsaCert.subject.typesAndValues.map((tv) => String((tv.value.valueBlock as { value?: unknown }).value ?? '')).join(', ');
    if (anchors?.length) {
      const certs = (signed.certificates ?? []).filter((c): c is Pki.Certificate => c instanceof pkijs.Certificate);
      const chain = await new pkijs.CertificateChainValidationEngine({ trustedCerts: anchors.map((der) => certificateFromDer({ asn1js, pkijs }, der)), certs, checkDate: info.genTime }).verify();
      if (!chain.result) return fail(`the TSA certificate does not chain to the given TSA root: ${chain.resultMessage}`);
    }
  } catch (err) {
    const e = err as { message?: string };
    return fail(`the TSA signature does not verify: ${e.message ?? String(err)}`);
  }
  return { ...out, ok: true };
}
