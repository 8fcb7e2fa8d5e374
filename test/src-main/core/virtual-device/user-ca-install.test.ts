// Installing a user CA on the virtual phone the way Android 11+ allows it, through the REAL adb server: push the
// .crt to /sdcard/Download, open Settings' security page, tap Encryption & credentials > Install a certificate >
// CA certificate > Install anyway, pick the file; the CA (made by real openssl) lands in userCas() with openssl's
// fingerprint. The certificate installer asked directly refuses CA certificates, and non-CA or garbage files fail.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let phone: VirtualDevice;
let dir: string;
const adbS = async (...args: string[]): Promise<string> => (await adb.adb(['-s', phone.serial, ...args])).stdout;

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhone(adb, 'compliant-app');
  dir = mkdtempSync(join(tmpdir(), 'user-ca-'));
  const openssl = (...args: string[]): string => execFileSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=AppRights Workbench session CA', '-addext', 'basicConstraints=critical,CA:TRUE');
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=leaf.example');
  writeFileSync(join(dir, 'leaf.ext'), 'basicConstraints=CA:FALSE\n');
  openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.crt', '-days', '2', '-extfile', 'leaf.ext');
  openssl('x509', '-in', 'ca.crt', '-outform', 'DER', '-out', 'ca.der.cer');
  writeFileSync(join(dir, 'garbage.crt'), '-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n');
});
afterAll(async () => {
  await adb?.kill();
  await phone?.stop();
});

interface Node { resourceId: string; text: string; center: [number, number] }

async function screen(): Promise<Node[]> {
  const xml = (await adb.adbBuffer(['-s', phone.serial, 'exec-out', 'uiautomator', 'dump', '/dev/tty'])).toString('utf8');
  return [...xml.matchAll(/<node [^>]*?text="([^"]*)" resource-id="([^"]*)"[^>]*?bounds="\[(\d+),(\d+)\]\[(\d+),(\d+)\]"/g)].map((m) => ({
    text: m[1]!, resourceId: m[2]!, center: [Math.round((Number(m[3]) + Number(m[5])) / 2), Math.round((Number(m[4]) + Number(m[6])) / 2)],
  }));
}

/** What a tester does: finds the item on the screen (by resource id, or a picker row by its file name) and taps it. */
async function tap(resourceId: string, text?: string): Promise<Node[]> {
  const match = (x: Node): boolean => x.resourceId === resourceId && (text === undefined || x.text === text);
  const nodes = await waitFor(`${resourceId} ${text ?? ''} on screen`, async () => {
    const n = await screen();
    return n.some(match) ? n : null;
  }, 3000);
  const node = nodes.find(match)!;
  await adbS('shell', 'input', 'tap', String(node.center[0]), String(node.center[1]));
  return screen();
}

const fingerprint = (file: string): string =>
  execFileSync('openssl', ['x509', '-in', join(dir, file), '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' }).trim().split('=')[1]!.replace(/:/g, '').toLowerCase();
const installed = (): string[] => phone.system.network.userCas().map((pem) => new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase());

async function walkToPicker(): Promise<Node[]> {
  expect(await adbS('shell', 'am', 'start', '-a', 'android.settings.SECURITY_SETTINGS')).toContain('Starting: Intent { act=android.settings.SECURITY_SETTINGS }');
  await tap('com.android.settings:id/encryption');
  await tap('com.android.settings:id/install');
  const warning = await tap('com.android.settings:id/ca');
  expect(warning.map((n) => n.text).join('\n')).toMatch(/Your data won't be private|您的数据将不再是私密的/);
  return tap('com.android.settings:id/install-anyway');
}

describe('user CA install on the virtual phone (real adb server)', () => {
  it('refuses a CA asked for directly from the shell (API 30+), nothing installed', async () => {
    await adbS('push', join(dir, 'ca.crt'), '/sdcard/Download/apprights-ca.crt');
    await adbS('shell', 'am', 'start', '-a', 'android.credentials.INSTALL');
    const nodes = await screen();
    expect(nodes.map((n) => n.text).join('\n')).toMatch(/Can't install CA certificates|无法安装 CA 证书/);
    await tap('com.android.certinstaller:id/close');
    expect(installed()).toEqual([]);
  });

  it('installs the pushed CA through Settings > Install a certificate > CA certificate, with the fingerprint openssl gives', async () => {
    const picker = await walkToPicker();
    expect(picker.find((n) => n.text === 'apprights-ca.crt')).toBeTruthy();
    const after = await tap('com.android.documentsui:id/item_root', 'apprights-ca.crt');
    expect(after.map((n) => n.text).join('\n')).toMatch(/CA certificate installed|已安装 CA 证书/);
    expect(installed()).toEqual([fingerprint('ca.crt')]);
    expect(phone.system.caInstall.lastResult).toEqual({ installed: true, sha256: fingerprint('ca.crt') });
    expect((await adbS('logcat', '-d', '-s', 'CertInstaller'))).toContain('has ca cert? true');
    // The same CA again (as DER this time) is one trust anchor, not two.
    await adbS('push', join(dir, 'ca.der.cer'), '/sdcard/Download/again.cer');
    await walkToPicker();
    await tap('com.android.documentsui:id/item_root', 'again.cer');
    expect(installed()).toEqual([fingerprint('ca.crt')]);
  });

  it("a leaf certificate or a garbage file gets \"Can't install\", and Don't install installs nothing", async () => {
    const before = installed();
    for (const [file, reason] of [['leaf.crt', 'not-a-ca'], ['garbage.crt', 'unreadable']] as const) {
      writeFileSync(join(dir, 'upload'), readFileSync(join(dir, file)));
      await adbS('push', join(dir, 'upload'), `/sdcard/Download/${file}`);
      await walkToPicker();
      const result = await tap('com.android.documentsui:id/item_root', file);
      expect(result.map((n) => n.text).join('\n')).toMatch(/can't be used as a CA certificate|无法用作 CA 证书/);
      expect(phone.system.caInstall.lastResult).toEqual({ installed: false, reason });
      await tap('com.android.certinstaller:id/close');
    }
    await adbS('shell', 'am', 'start', '-a', 'android.settings.SECURITY_SETTINGS');
    await tap('com.android.settings:id/encryption');
    await tap('com.android.settings:id/install');
    await tap('com.android.settings:id/ca');
    await tap('com.android.settings:id/dont-install');
    expect(phone.system.caInstall.lastResult).toEqual({ installed: false, reason: 'cancelled' });
    expect(installed()).toEqual(before);
  });
});
