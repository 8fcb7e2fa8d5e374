/**
 * Fixtures for session and evidence tests: a recorded-looking session on disk, signing identities, a test lab
 * CA with a PKCS#12 issued by it and a local RFC 3161 TSA, all made with stock openssl; and re-zipping a
 * package with changed entries (for the tamper matrix).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { ZipFile } from 'yazl';
import { createWriteStream } from 'node:fs';
import { Session } from '../../src-main/core/session/index.js';
import { IdentityStore, exportPackage, type ExportOutcome } from '../../src-main/core/evidence/index.js';
import { PackageReader } from '../../src-main/core/evidence/package-reader.js';

export const PASSPHRASE = 'correct horse battery';
export const TOOL = { name: 'AppRights Workbench', version: 'test' };

/** A tiny valid PNG (1×1). */
export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0f01f0005000200e2213bc80000000049454e44ae426082', 'hex');

export function openssl(args: string[], cwd?: string, input?: string | Buffer): string {
  return execFileSync('openssl', args, { cwd, input, stdio: ['pipe', 'pipe', 'pipe'], encoding: 'utf8' });
}

/** A closed session with marks, a note, monitor-like events, a screenshot, a UI dump and a raw log. */
export async function makeSession(dir: string, o: { events?: number; state?: 'closed' | 'recording'; hostile?: boolean } = {}): Promise<Session> {
  const s = Session.create(dir, {
    id: dir.split('/').pop()!, app: { packageName: 'com.demo.shop', versionName: '1.0', versionCode: 1, apkSha256: 'a'.repeat(64) },
    device: {
      serial: '127.0.0.1:5555', model: o.hostile ? '<img src=x onerror=alert(1)>Pixel\u202e\u001b]0;pwned\u0007\r7' : 'Pixel 7', manufacturer: o.hostile ? 'Goo\u001b[31mgle\u0085' : 'Google',
      fingerprint: 'google/panther/panther:13/TQ3A/1:user/release-keys', androidVersion: '13', sdk: 33, clockOffsetMs: 12,
    },
    tester: o.hostile ? '张三\u001b[2J\r\u2066' : '张三', caseRef: 'CASE-2026-001', startedAt: Date.now() - 60_000, tool: TOOL,
  });
  s.append({ type: 'session.started', reason: null });
  s.append({ type: 'tester.mark', mark: 'consent.given', label: o.hostile ? '<script>alert(1)</script>' : null }, { source: 'tester' });
  s.append({ type: 'tester.note', text: o.hostile ? '"><svg onload=alert(1)>\u202egnp.exe\r\u0007' : '弹窗出现前已读取 Android ID' });
  for (let i = 0; i < (o.events ?? 20); i++) {
    s.appendObserved({ seq: i + 1, serial: '127.0.0.1:5555', packageName: 'com.demo.shop', hostTime: Date.now(), deviceTime: Date.now() + 12, source: 'appops', raw: [o.hostile ? '<b>\u001b]0;pwned\u0007</b>' : 'raw'], type: 'appop.access', op: 'READ_PHONE_STATE', uidState: 'top', flags: 'self', accessTime: null });
  }
  s.capture('screenshot', PNG, 'image/png', null);
  s.capture('ui.dump', Buffer.from(JSON.stringify({ rotation: 0, nodes: [], nodeCount: 0 })), 'application/json', null);
  writeFileSync(s.rawLogPath, '2026-11-30 13:00:00.000 1000 1000 I Tag: hello\n'.repeat(50));
  if (o.state !== 'recording') await s.setState('closed', null);
  await s.release();
  return s;
}

export async function selfSignedIdentity(dataDir: string, name = '张三') {
  const store = new IdentityStore(dataDir);
  const info = await store.createSelfSigned(name, PASSPHRASE);
  return { store, info, unlocked: await store.unlock(info.id, PASSPHRASE) };
}

/** `allowLocalTsa`: the local test TSA is used only when allowed, as the workbench's host would allow it. */
export async function exportSession(sessionDir: string, out: string, dataDir: string, o: { national?: boolean; compress?: boolean; tsaUrl?: string | null; allowLocalTsa?: boolean; identityId?: string; signOff?: { tester?: string | null; reviewer?: string | null } } = {}): Promise<ExportOutcome> {
  const store = new IdentityStore(dataDir);
  const id = o.identityId ?? store.list()[0]?.id ?? (await store.createSelfSigned('张三', PASSPHRASE)).id;
  return exportPackage({ sessionDir, out, identity: await store.unlock(id, PASSPHRASE), national: o.national ?? false, compress: o.compress ?? false, tsaUrl: o.tsaUrl ?? null, allowLocalTsa: o.allowLocalTsa ?? false, tool: TOOL, signOff: o.signOff });
}

/** A lab root CA and a tester certificate it issued, as PEM files and a PKCS#12 (password "p12-secret"). */
export function makeLabCa(dir: string, o: { keyType?: 'ec' | 'rsa' } = {}): { root: string; p12: string; p12NoKey: string; password: string } {
  mkdirSync(dir, { recursive: true });
  const key = o.keyType === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '3650', '-subj', '/CN=Test Lab Root CA/O=Test Lab',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', '-utf8', ...key, '-nodes', '-keyout', 'tester.key', '-out', 'tester.csr', '-subj', '/CN=Li Si 李四/O=Test Lab'], dir);
  writeFileSync(join(dir, 'ext.cnf'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n');
  openssl(['x509', '-req', '-in', 'tester.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'tester.pem', '-days', '365', '-extfile', 'ext.cnf'], dir);
  openssl(['pkcs12', '-export', '-inkey', 'tester.key', '-in', 'tester.pem', '-certfile', 'root.pem', '-out', 'tester.p12', '-passout', 'pass:p12-secret'], dir);
  openssl(['pkcs12', '-export', '-nokeys', '-in', 'tester.pem', '-out', 'nokey.p12', '-passout', 'pass:p12-secret'], dir);
  return { root: join(dir, 'root.pem'), p12: join(dir, 'tester.p12'), p12NoKey: join(dir, 'nokey.p12'), password: 'p12-secret' };
}

/** A local RFC 3161 TSA: `openssl ts -reply` behind http on 127.0.0.1. `garbage` answers nonsense instead. */
export async function startTsa(dir: string, mode: 'ok' | 'garbage' = 'ok'): Promise<{ url: string; root: string; requests: number; close: () => Promise<void> }> {
  mkdirSync(dir, { recursive: true });
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'tsa-root.key', '-out', 'tsa-root.pem', '-days', '3650', '-subj', '/CN=Test TSA Root',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', '/CN=Test TSA'], dir);
  writeFileSync(join(dir, 'tsa-ext.cnf'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n');
  openssl(['x509', '-req', '-in', 'tsa.csr', '-CA', 'tsa-root.pem', '-CAkey', 'tsa-root.key', '-CAcreateserial', '-out', 'tsa.pem', '-days', '365', '-extfile', 'tsa-ext.cnf'], dir);
  writeFileSync(join(dir, 'serial'), '01\n');
  writeFileSync(join(dir, 'tsa.cnf'), [
    '[ tsa ]', 'default_tsa = tsa_config', '[ tsa_config ]', `dir = ${dir}`, 'serial = $dir/serial', 'crypto_device = builtin',
    'signer_cert = $dir/tsa.pem', 'certs = $dir/tsa-root.pem', 'signer_key = $dir/tsa.key', 'signer_digest = sha256',
    'default_policy = 1.2.3.4.1', 'digests = sha256', 'accuracy = secs:1', 'ordering = yes', 'tsa_name = no', 'ess_cert_id_chain = no', 'ess_cert_id_alg = sha256', '',
  ].join('\n'));
  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      if (mode === 'garbage') {
        res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(Buffer.from('this is not a timestamp'));
        return;
      }
      const query = join(dir, `q${state.requests}.tsq`);
      writeFileSync(query, Buffer.concat(chunks));
      const p = spawn('openssl', ['ts', '-reply', '-config', join(dir, 'tsa.cnf'), '-queryfile', query, '-out', `${query}.tsr`]);
      p.on('exit', (code) => {
        if (code !== 0) res.writeHead(500).end();
        else res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(readFileSync(`${query}.tsr`));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/tsa`, root: join(dir, 'tsa-root.pem'),
    get requests() { return state.requests; },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** Every entry of a package, in order, as bytes (small test packages only). */
export async function readEntries(pkg: string): Promise<Array<[string, Buffer]>> {
  const r = new PackageReader(pkg);
  try {
    const out: Array<[string, Buffer]> = [];
    for (const name of r.entries.keys()) out.push([name, await r.readSmall(name, 64 * 1024 * 1024)]);
    return out;
  } finally {
    r.close();
  }
}

/** Writes a package with the given entries (a tampered copy). */
export async function writeEntries(out: string, entries: Array<[string, Buffer]>): Promise<void> {
  const zip = new ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name);
  zip.end();
  await new Promise<void>((resolve, reject) => zip.outputStream.pipe(createWriteStream(out)).on('close', resolve).on('error', reject));
}

