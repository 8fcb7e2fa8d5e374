/**
 * The tamper matrix: every kind of change to an exported package is caught by our verifier with the check
 * that names it, and by stock tools where they can see it (sha256sum -c --strict, openssl cms -verify).
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pemToDers, verifyPackage } from '../../../../src-main/core/evidence/index.js';
import { signDetached } from '../../../../src-main/core/evidence/cms.js';
import { sha256sums } from '../../../../src-main/core/evidence/manifest.js';
import { toPem } from '../../../../src-main/core/evidence/x509.js';
import { exportSession, makeSession, PNG, readEntries, selfSignedIdentity, writeEntries } from '../../../support/evidence-fixtures.js';

type Entries = Array<[string, Buffer]>;
const root = mkdtempSync(join(tmpdir(), 'evidence-tamper-'));
let original: Entries;
let signerPem: string;
let n = 0;

function flipByte(b: Buffer, at = Math.floor(b.length / 2)): Buffer {
  const c = Buffer.from(b);
  c[at] = c[at]! ^ 0x01;
  return c;
}

function edit(entries: Entries, name: string, fn: (b: Buffer) => Buffer): Entries {
  expect(entries.some(([n]) => n === name), `${name} in the package`).toBe(true);
  return entries.map(([n, b]) => [n, n === name ? fn(b) : b]);
}

function timelineLines(entries: Entries): string[] {
  return entries.find(([n]) => n === 'timeline.jsonl')![1].toString('utf8').split('\n').filter(Boolean);
}

function withTimeline(entries: Entries, lines: string[]): Entries {
  return edit(entries, 'timeline.jsonl', () => Buffer.from(lines.map((l) => l + '\n').join('')));
}

/** Rewrites SHA256SUMS (and optionally the manifest's file list) the way a careful tamperer would. */
function recomputeSums(entries: Entries, alsoManifest: boolean): Entries {
  const manifest = JSON.parse(entries.find(([n]) => n === 'manifest.json')![1].toString('utf8'));
  for (const f of manifest.files) {
    const data = entries.find(([n]) => n === f.path)![1];
    f.size = data.length;
    f.sha256 = createHash('sha256').update(data).digest('hex');
  }
  const sums = Buffer.from(sha256sums(manifest.files));
  let out = edit(entries, 'SHA256SUMS', () => sums);
  if (alsoManifest) {
    const lines = timelineLines(out);
    manifest.timeline.count = lines.length;
    manifest.timeline.head = createHash('sha256').update(lines[lines.length - 1]!).digest('hex');
    manifest.sha256sums = createHash('sha256').update(sums).digest('hex');
    out = edit(out, 'manifest.json', () => Buffer.from(JSON.stringify(manifest, null, 2) + '\n'));
  }
  return out;
}

async function check(entries: Entries, opts: { ca?: Buffer[] } = {}) {
  const file = join(root, `t${++n}.zip`);
  await writeEntries(file, entries);
  const dir = mkdtempSync(join(tmpdir(), 'tampered-'));
  execFileSync('unzip', ['-q', file, '-d', dir]);
  const sha256sum = spawnSync('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: dir }).status;
  const cms = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'manifest.json.p7s', '-content', 'manifest.json', '-CAfile', join(root, 'original-signer.pem'), '-purpose', 'any', '-out', '/dev/null'], { cwd: dir }).status;
  const report = await verifyPackage(file, opts);
  const failed = report.checks.filter((c) => !c.ok).map((c) => c.id);
  return { report, failed, sha256sum, cms, message: (id: string) => report.checks.find((c) => c.id === id)?.en ?? '' };
}

describe('tampered packages', () => {
  beforeAll(async () => {
    await makeSession(join(root, 'session'), { events: 30 });
    const { writeFileSync } = await import('node:fs');
    const out = await exportSession(join(root, 'session'), join(root, 'original.zip'), join(root, 'data'), { national: true });
    original = await readEntries(out.path);
    signerPem = original.find(([n]) => n === 'signer.pem')![1].toString('utf8');
    writeFileSync(join(root, 'original-signer.pem'), signerPem);
    const untouched = await check(original);
    expect(untouched.failed).toEqual([]);
    expect([untouched.sha256sum, untouched.cms]).toEqual([0, 0]);
  });

  for (const kind of ['session.json', 'timeline.jsonl', 'logcat.log', 'report.html', 'VERIFY.txt', 'png', 'json']) {
    it(`a byte flipped in ${kind}`, async () => {
      const name = kind.includes('.') ? kind : original.find(([n]) => n.startsWith('blobs/') && n.endsWith(`.${kind}`))![0];
      const r = await check(edit(original, name, (b) => flipByte(b)));
      expect(r.failed).toContain('files.hashes');
      expect(r.message('files.hashes')).toContain(name);
      expect(r.sha256sum).not.toBe(0);
      expect(r.cms).toBe(0);
    });
  }

  it('a byte flipped in manifest.json: the signature fails (openssl cms too)', async () => {
    const r = await check(edit(original, 'manifest.json', (b) => flipByte(b, b.indexOf('"createdAt"') + 16)));
    expect(r.failed).toContain('signature');
    expect(r.message('signature')).toMatch(/does not match manifest\.json|does not verify/);
    expect(r.cms).not.toBe(0);
  });

  it('a byte flipped in manifest.json.p7s, SHA256SUMS and the SM2 signature', async () => {
    expect((await check(edit(original, 'manifest.json.p7s', (b) => flipByte(b, b.length - 10)))).failed).toContain('signature');
    const sums = await check(edit(original, 'SHA256SUMS', (b) => flipByte(b, 3)));
    expect(sums.failed).toEqual(['sha256sums']);
    expect(sums.sha256sum).not.toBe(0);
    expect((await check(edit(original, 'manifest.json.sm2.sig', (b) => flipByte(b, b.length - 3)))).failed).toEqual(['sm2']);
  });

  it('a timeline line deleted, edited or reordered breaks the chain', async () => {
    const lines = timelineLines(original);
    const deleted = await check(withTimeline(original, lines.filter((_, i) => i !== 5)));
    expect(deleted.failed).toEqual(expect.arrayContaining(['files.hashes', 'timeline']));
    expect(deleted.message('timeline')).toMatch(/line 6 has seq 7/);
    const edited = await check(withTimeline(original, lines.map((l, i) => (i === 9 ? l.replace('READ_PHONE_STATE', 'COARSE_LOCATION') : l))));
    expect(edited.message('timeline')).toMatch(/line 11's prev is not the SHA-256 of line 10/);
    const swapped = [...lines];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    expect((await check(withTimeline(original, swapped))).message('timeline')).toMatch(/line 4 has seq 5/);
  });

  it('the timeline tail truncated with SHA256SUMS recomputed: sha256sum passes, only the signed count and head catch it', async () => {
    const lines = timelineLines(original);
    const truncated = recomputeSums(withTimeline(original, lines.slice(0, -3)), false);
    const r = await check(truncated);
    expect(r.sha256sum).toBe(0);
    expect(r.cms).toBe(0);
    expect(r.failed).toEqual(expect.arrayContaining(['sha256sums', 'timeline']));
    expect(r.message('timeline')).toMatch(/truncated or extended/);
    // Rewriting the manifest to match needs the signer's key: the signature fails.
    const rewritten = await check(recomputeSums(withTimeline(original, lines.slice(0, -3)), true));
    expect(rewritten.failed).toContain('signature');
    expect(rewritten.cms).not.toBe(0);
  });

  it('an extra file, a removed file, a swapped screenshot', async () => {
    const extra = await check([...original, ['blobs/extra.png', PNG]]);
    expect(extra.failed).toEqual(['files.extra']);
    expect(extra.message('files.extra')).toContain('blobs/extra.png');
    const removed = await check(original.filter(([n]) => n !== 'logcat.log'));
    expect(removed.failed).toEqual(['files.missing']);
    expect(removed.sha256sum).not.toBe(0);
    const shot = original.find(([n]) => n.endsWith('.png'))![0];
    const swapped = await check(edit(original, shot, () => Buffer.concat([PNG, Buffer.from('other screenshot')])));
    expect(swapped.failed).toEqual(['files.hashes']);
  });

  it('re-signed with another key: fails against the original signer; without a CA it reports the other fingerprint', async () => {
    const attacker = await selfSignedIdentity(join(root, 'attacker'), '张三');
    const manifestBytes = Buffer.from(original.find(([n]) => n === 'manifest.json')![1].toString('utf8').replace('CASE-2026-001', 'CASE-FORGED'));
    const p7s = await signDetached(manifestBytes, attacker.unlocked.key, attacker.unlocked.chain);
    let forged = edit(original, 'manifest.json', () => manifestBytes);
    forged = edit(forged, 'manifest.json.p7s', () => p7s);
    forged = edit(forged, 'signer.pem', () => Buffer.from(toPem(attacker.unlocked.chain[0]!)));
    const pinned = await check(forged, { ca: pemToDers(signerPem) });
    expect(pinned.failed).toContain('signature');
    expect(pinned.message('signature')).toMatch(/does not chain/);
    expect(pinned.cms).not.toBe(0);
    const open = await check(forged);
    expect(open.report.signer?.fingerprint).toBe(attacker.info.fingerprint);
    expect(open.report.signer?.fingerprint).not.toBe((await verifyPackage(join(root, 'original.zip'))).signer?.fingerprint);
    expect(open.report.signer?.selfAsserted).toBe(true);
    expect(open.failed).toContain('sm2');
  });

  it('signer.pem swapped for another certificate', async () => {
    const other = await selfSignedIdentity(join(root, 'other'));
    const r = await check(edit(original, 'signer.pem', () => Buffer.from(toPem(other.unlocked.chain[0]!))));
    expect(r.failed).toEqual(['signer.pem']);
    expect(readFileSync(join(root, 'original-signer.pem'), 'utf8')).toBe(signerPem);
  });
});
