/**
 * Certificates and signatures for the forgery matrix, made with stock openssl: keys of every kind the matrix
 * needs (P-256, RSA, RSA-PSS, SM2), certificates issued by `openssl ca` with chosen dates, CA flags, path
 * lengths and key usages, CMS signatures by `openssl cms -sign`, and the verdict of `openssl cms -verify` on a
 * package's files — the reference our verifier must agree with.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256sums } from '../../src-main/core/evidence/manifest.js';
import { lineHash, ZERO_HASH } from '../../src-main/core/session/timeline-chain.js';
import { openssl } from './evidence-fixtures.js';

export interface TestCert {
  name: string;
  cert: string;
  key: string;
  pem: string;
  der: Buffer;
}

export interface IssueOptions {
  subject: string;
  /** The issuer; none: self-signed. */
  issuer?: TestCert;
  key?: 'ec' | 'rsa' | 'rsa-pss' | 'sm2';
  /** Reuse this key file instead of making a key (many certificates of one key: the hardest paths to search). */
  keyFile?: string;
  ca?: boolean;
  pathLen?: number;
  keyUsage?: string;
  extKeyUsage?: string;
  /** openssl ca dates, YYYYMMDDHHMMSSZ. */
  start?: string;
  end?: string;
}

let serial = 0x1000;

function genKey(file: string, kind: IssueOptions['key']): void {
  const args = kind === 'rsa' ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']
    : kind === 'rsa-pss' ? ['-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048']
      : kind === 'sm2' ? ['-algorithm', 'SM2'] : ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  openssl(['genpkey', ...args, '-out', file]);
}

/** Issues a certificate with `openssl ca` (self-signed with -selfsign when no issuer is given). */
export function issue(dir: string, name: string, o: IssueOptions): TestCert {
  mkdirSync(join(dir, 'newcerts'), { recursive: true });
  const key = o.keyFile ?? join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  if (!o.keyFile) genKey(key, o.key);
  const csr = join(dir, `${name}.csr`);
  openssl(['req', '-new', '-utf8', '-key', key, '-subj', o.subject, '-out', csr, ...(o.key === 'sm2' ? ['-sigopt', 'distid:1234567812345678'] : [])]);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), `${(serial++).toString(16)}\n`);
  writeFileSync(join(dir, 'ca.cnf'), [
    '[ ca ]', 'default_ca = d', '[ d ]', `dir = ${dir}`, 'database = $dir/index.txt', 'new_certs_dir = $dir/newcerts', 'serial = $dir/serial',
    `default_md = ${o.key === 'sm2' ? 'sm3' : 'sha256'}`, 'policy = any', 'unique_subject = no', 'default_days = 365', '[ any ]', 'commonName = supplied', 'organizationName = optional', '',
  ].join('\n'));
  const ext = [
    `basicConstraints = critical,CA:${o.ca ? 'TRUE' : 'FALSE'}${o.ca && o.pathLen !== undefined ? `,pathlen:${o.pathLen}` : ''}`,
    ...(o.keyUsage !== '' ? [`keyUsage = critical,${o.keyUsage ?? (o.ca ? 'keyCertSign,cRLSign' : 'digitalSignature,nonRepudiation')}`] : []),
    ...(o.extKeyUsage ? [`extendedKeyUsage = critical,${o.extKeyUsage}`] : []),
    'subjectKeyIdentifier = hash',
  ];
  writeFileSync(join(dir, `${name}.ext`), ext.join('\n') + '\n');
  openssl(['ca', '-batch', '-notext', '-utf8', '-preserveDN', '-config', join(dir, 'ca.cnf'), '-in', csr, '-out', cert, '-extfile', join(dir, `${name}.ext`),
    ...(o.issuer ? ['-cert', o.issuer.cert, '-keyfile', o.issuer.key] : ['-selfsign', '-keyfile', key]),
    ...(o.start ? ['-startdate', o.start] : []), ...(o.end ? ['-enddate', o.end] : []),
    ...(o.key === 'sm2' ? ['-sigopt', 'distid:1234567812345678', '-vfyopt', 'distid:1234567812345678'] : [])]);
  const pem = readFileSync(cert, 'utf8');
  return { name, cert, key, pem, der: Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64') };
}

/** `openssl cms -sign` over `content` (detached, DER), carrying `extra` certificates besides the signer's. */
export function cmsSign(dir: string, content: Buffer, signer: TestCert, extra: TestCert[] = [], o: { pss?: boolean } = {}): Buffer {
  const work = mkdtempSync(join(dir, 'sign-'));
  writeFileSync(join(work, 'content'), content);
  const args = ['cms', '-sign', '-binary', '-md', 'sha256', '-in', join(work, 'content'), '-signer', signer.cert, '-inkey', signer.key, '-outform', 'DER', '-out', join(work, 'p7s')];
  if (extra.length) {
    writeFileSync(join(work, 'extra.pem'), extra.map((c) => c.pem).join(''));
    args.push('-certfile', join(work, 'extra.pem'));
  }
  if (o.pss) args.push('-keyopt', 'rsa_padding_mode:pss');
  openssl(args);
  return readFileSync(join(work, 'p7s'));
}

/** The exit status of `openssl cms -verify -CAfile ca` on a detached signature (0: verified). */
export function opensslCmsVerify(dir: string, content: Buffer, p7s: Buffer, caPem: string, extra: string[] = ['-purpose', 'any']): { status: number; stderr: string } {
  const work = mkdtempSync(join(dir, 'verify-'));
  writeFileSync(join(work, 'content'), content);
  writeFileSync(join(work, 'p7s'), p7s);
  writeFileSync(join(work, 'ca.pem'), caPem);
  const r = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(work, 'p7s'), '-content', join(work, 'content'), '-CAfile', join(work, 'ca.pem'), ...extra, '-out', '/dev/null'], { encoding: 'utf8' });
  return { status: r.status ?? -1, stderr: r.stderr };
}

/** A DER encoder just big enough to assemble a CMS SignedData by hand (the SM2 signer, which openssl 3.0 cannot produce). */
export const der = {
  tlv(tag: number, body: Buffer): Buffer {
    const n = body.length;
    const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : n < 0x10000 ? Buffer.from([0x82, n >> 8, n & 0xff]) : Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
    return Buffer.concat([Buffer.from([tag]), len, body]);
  },
  seq: (...parts: Buffer[]): Buffer => der.tlv(0x30, Buffer.concat(parts)),
  set: (...parts: Buffer[]): Buffer => der.tlv(0x31, Buffer.concat(parts)),
  oid(id: string): Buffer {
    const [a, b, ...rest] = id.split('.').map(Number);
    const out = [a! * 40 + b!];
    for (const v of rest) {
      const bytes = [v & 0x7f];
      for (let x = v >> 7; x > 0; x >>= 7) bytes.unshift((x & 0x7f) | 0x80);
      out.push(...bytes);
    }
    return der.tlv(0x06, Buffer.from(out));
  },
  int: (n: number): Buffer => der.tlv(0x02, Buffer.from([n])),
  octets: (b: Buffer): Buffer => der.tlv(0x04, b),
  utcTime: (d: Date): Buffer => der.tlv(0x17, Buffer.from(d.toISOString().replace(/^\d\d|[-:T]|\.\d+/g, ''), 'latin1')),
};

export type Entries = Array<[string, Buffer]>;

/**
 * What a careful forger does to a package: drops events from the timeline, re-chains it, redoes every hash and
 * the manifest (keeping its claims about the signer, so the report still shows the lab's tester). The manifest
 * comes back unsigned, for the forger's own signature.
 */
export function doctor(entries: Entries, drop: (event: { type: string }) => boolean): { entries: Entries; manifest: Buffer } {
  const file = (name: string): Buffer => entries.find(([k]) => k === name)![1];
  const events = file('timeline.jsonl').toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).event as { type: string });
  let prev = ZERO_HASH;
  const lines = events.filter((e) => !drop(e)).map((event, i) => {
    const line = JSON.stringify({ seq: i + 1, prev, event });
    prev = lineHash(line);
    return line;
  });
  const changed = new Map<string, Buffer>([['timeline.jsonl', Buffer.from(lines.map((l) => `${l}\n`).join(''))]]);
  const manifest = JSON.parse(file('manifest.json').toString('utf8'));
  for (const f of manifest.files) {
    const data = changed.get(f.path) ?? file(f.path);
    Object.assign(f, { size: data.length, sha256: createHash('sha256').update(data).digest('hex'), sm3: f.sm3 ? createHash('sm3').update(data).digest('hex') : null });
  }
  manifest.timeline = { ...manifest.timeline, count: lines.length, head: prev };
  const sums = Buffer.from(sha256sums(manifest.files));
  manifest.sha256sums = createHash('sha256').update(sums).digest('hex');
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
  changed.set('SHA256SUMS', sums);
  changed.set('manifest.json', manifestBytes);
  return { entries: entries.map(([k, v]) => [k, changed.get(k) ?? v]), manifest: manifestBytes };
}
