/**
 * Hostile packages handed to the verifier (a disputing party may craft them): each is refused with a reason,
 * within 2 s and without the process's memory growing by more than 150 MB.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyPackage } from '../../../../src-main/core/evidence/index.js';
import { exportSession, makeSession, readEntries } from '../../../support/evidence-fixtures.js';
import { buildZip, type ZipSpec } from '../../../support/zip-builder.js';

const root = mkdtempSync(join(tmpdir(), 'evidence-hostile-'));
let good: Array<[string, Buffer]>;

async function refuse(name: string, bytes: Buffer) {
  const file = join(root, `${name}.zip`);
  writeFileSync(file, bytes);
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t = performance.now();
  const report = await verifyPackage(file);
  const ms = performance.now() - t;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  expect(report.ok).toBe(false);
  expect(ms, `${name} took ${ms} ms`).toBeLessThan(2000);
  expect(peak - before, `${name} grew RSS by ${peak - before} bytes`).toBeLessThan(150 * 1024 * 1024);
  const failed = report.checks.filter((c) => !c.ok);
  expect(failed.length).toBeGreaterThan(0);
  for (const c of failed) expect(c.zh.length, 'every failure says why in Chinese too').toBeGreaterThan(2);
  return failed.map((c) => c.en).join(' | ');
}

function entries(changes: Record<string, Partial<ZipSpec>> = {}, extra: ZipSpec[] = []): Buffer {
  return buildZip([...good.map(([name, data]) => ({ name, data, ...changes[name] })), ...extra]);
}

/** A deflate stream of `size` zero bytes that claims `claimedSize` in the zip headers. */
function bomb(size: number, claimedSize = size): ZipSpec['deflated'] {
  const zeros = Buffer.alloc(size);
  return { bytes: deflateRawSync(zeros, { level: 9 }), size: claimedSize, crc: crc32(zeros) };
}

describe('hostile evidence packages', () => {
  beforeAll(async () => {
    await makeSession(join(root, 'session'));
    good = await readEntries((await exportSession(join(root, 'session'), join(root, 'good.zip'), join(root, 'data'))).path);
    expect((await verifyPackage(join(root, 'good.zip'))).ok).toBe(true);
  });

  it('a file that is not a zip, an empty file, a truncated package', async () => {
    expect(await refuse('not-zip', Buffer.from('%PDF-1.7 this is not a package'.repeat(100)))).toMatch(/not a zip file/);
    expect(await refuse('empty', Buffer.alloc(0))).toMatch(/not a zip file/);
    const whole = readFileSync(join(root, 'good.zip'));
    expect(await refuse('truncated', whole.subarray(0, whole.length - 200))).toMatch(/zip|central directory|missing/i);
  });

  it('a zip bomb in manifest.json (honest size, lying size) and in a payload', async () => {
    expect(await refuse('bomb-honest', entries({ 'manifest.json': { deflated: bomb(1024 * 1024 * 1024 / 4) } }))).toMatch(/manifest\.json is larger than allowed/);
    expect(await refuse('bomb-lying', entries({ 'manifest.json': { deflated: bomb(64 * 1024 * 1024, 2000) } }))).toMatch(/inflates beyond its declared size/);
    expect(await refuse('bomb-payload-size', entries({ 'logcat.log': { deflated: bomb(256 * 1024 * 1024, 100) } }))).toMatch(/logcat\.log \(100 bytes, the manifest says \d+\)/);
    const logSize = good.find(([n]) => n === 'logcat.log')![1].length;
    expect(await refuse('bomb-payload', entries({ 'logcat.log': { deflated: bomb(256 * 1024 * 1024, logSize) } }))).toMatch(/logcat\.log .*inflates beyond/);
  });

  it('a forged manifest declaring 8 GiB of zeros in an 8 MB package: refused without reading them once the signature fails', async () => {
    // Eight entries of 1 GiB of zeros each, deflated as 1 MiB blocks with a full flush, repeated (~1 MB each).
    const block = deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: constants.Z_FULL_FLUSH });
    const bytes = Buffer.concat([...Array.from({ length: 1024 }, () => block), deflateRawSync(Buffer.alloc(0))]);
    let crc = 0;
    const zeros = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < 1024; i++) crc = crc32(zeros, crc);
    const manifest = JSON.parse(good.find(([n]) => n === 'manifest.json')![1].toString('utf8'));
    const big = Array.from({ length: 8 }, (_, i) => ({ path: `blobs/zeros-${i}.bin`, size: 1024 ** 3, sha256: '0'.repeat(64), sm3: null, category: 'attachment', format: 'application/octet-stream' }));
    manifest.files.push(...big);
    const forgedManifest = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
    const zip = entries({ 'manifest.json': { data: forgedManifest } }, big.map((f) => ({ name: f.path, deflated: { bytes, size: f.size, crc } })));
    expect(zip.length).toBeLessThan(16 * 1024 * 1024);
    const cpu = process.cpuUsage();
    expect(await refuse('declared-zeros', zip)).toMatch(/does not match manifest\.json.*files were not checked/);
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000, 'CPU ms').toBeLessThan(2000);
  });

  it('traversal and absolute names, duplicate names', async () => {
    for (const name of ['../../etc/passwd', '/etc/passwd', 'blobs/../../x', 'C:/Windows/evil.dll', '..\\evil']) {
      expect(await refuse(`traversal-${encodeURIComponent(name)}`, entries({}, [{ name, data: Buffer.from('x') }]))).toMatch(/unsafe file names|outside the manifest/);
    }
    expect(await refuse('duplicate', entries({}, [{ name: 'manifest.json', data: Buffer.from('{}') }]))).toMatch(/duplicate entry name/);
  });

  it('a gigantic manifest', async () => {
    const big = Buffer.from(JSON.stringify({ format: 'apprights-evidence', files: Array.from({ length: 700_000 }, (_, i) => ({ path: `f${i}`, size: 1 })) }));
    expect(big.length).toBeGreaterThan(16 * 1024 * 1024);
    expect(await refuse('giant-manifest', entries({ 'manifest.json': { data: big } }))).toMatch(/manifest\.json is larger than allowed/);
  });

  it('a signature with the wrong algorithm (SHA-1, then RSA-PSS) and a .p7s that is not CMS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wrong-alg-'));
    const manifest = good.find(([n]) => n === 'manifest.json')![1];
    writeFileSync(join(dir, 'manifest.json'), manifest);
    const run = (args: string[]) => expect(spawnSync('openssl', args, { cwd: dir }).status).toBe(0);
    run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '30', '-subj', '/CN=Wrong Alg']);
    run(['cms', '-sign', '-binary', '-md', 'sha1', '-in', 'manifest.json', '-signer', 'c.pem', '-inkey', 'k.pem', '-outform', 'DER', '-out', 'sha1.p7s']);
    expect(await refuse('sha1', entries({ 'manifest.json.p7s': { data: readFileSync(join(dir, 'sha1.p7s')) } }))).toMatch(/SHA-1 is not accepted as a digest/);
    run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'rk.pem', '-out', 'rc.pem', '-days', '30', '-subj', '/CN=PSS']);
    run(['cms', '-sign', '-binary', '-md', 'sha256', '-in', 'manifest.json', '-signer', 'rc.pem', '-inkey', 'rk.pem', '-keyopt', 'rsa_padding_mode:pss', '-outform', 'DER', '-out', 'pss.p7s']);
    // RSA-PSS verifies as OpenSSL's does; the package is still refused: its manifest names another signer.
    expect(await refuse('pss', entries({ 'manifest.json.p7s': { data: readFileSync(join(dir, 'pss.p7s')) } }))).toMatch(/manifest\.json names the signer .* but CN=PSS .* signed it/);
    const cert = readFileSync(join(dir, 'c.pem'), 'utf8').replace(/-----[^-]+-----|\s/g, '');
    expect(await refuse('cert-as-p7s', entries({ 'manifest.json.p7s': { data: Buffer.from(cert, 'base64') } }))).toMatch(/not CMS/);
    expect(await refuse('garbage-p7s', entries({ 'manifest.json.p7s': { data: Buffer.from('MIIB garbage') } }))).toMatch(/not DER|not CMS/);
    expect(await refuse('huge-p7s', entries({ 'manifest.json.p7s': { data: Buffer.alloc(3 * 1024 * 1024, 0x30) } }))).toMatch(/larger than allowed|larger than 1 MiB/);
  });

  it('a manifest that is not JSON, or names files outside the package root', async () => {
    expect(await refuse('manifest-not-json', entries({ 'manifest.json': { data: Buffer.from('{"format":') } }))).toMatch(/signature|not JSON/);
  });
});
