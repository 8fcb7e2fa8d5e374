/**
 * The red-team forgery on the Evidence page, in Chinese: a lab's package doctored (app-op events deleted, the
 * timeline re-chained, every hash redone) and signed with a self-made "Chief Examiner" key carrying the lab's
 * genuine tester certificate last. With the lab's root chosen, the genuine package is green and the forgery is
 * red, with the certificate that really signed named in Chinese.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdentityStore } from '../../src-main/core/evidence/index.js';
import { signDetached } from '../../src-main/core/evidence/cms.js';
import { importSigningKey } from '../../src-main/core/evidence/x509.js';
import { doctor, issue } from '../support/cert-forge';
import { exportSession, makeSession, openssl, PASSPHRASE, readEntries, writeEntries } from '../support/evidence-fixtures';
import { expect, screenshot, test } from './fixtures';

test('a forged package is refused on the Evidence page, in Chinese, naming who really signed', async ({ page, workbench }) => {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-forged-'));
  const root = issue(dir, 'lab-root', { subject: '/O=Test Lab/CN=Test Lab Root CA', ca: true });
  const tester = issue(dir, 'tester', { subject: '/O=Test Lab/CN=Li Si 李四', issuer: root });
  openssl(['pkcs12', '-export', '-inkey', tester.key, '-in', tester.cert, '-certfile', root.cert, '-out', join(dir, 'tester.p12'), '-passout', 'pass:p12-secret']);
  const identity = await new IdentityStore(join(dir, 'data')).importPkcs12(readFileSync(join(dir, 'tester.p12')), 'p12-secret', PASSPHRASE);
  await makeSession(join(dir, 'session'), { events: 12 });
  const genuine = await exportSession(join(dir, 'session'), join(dir, 'genuine.zip'), join(dir, 'data'), { identityId: identity.id });
  const forged = doctor(await readEntries(genuine.path), (e) => e.type === 'appop.access');
  const chief = issue(dir, 'chief', { subject: '/O=Test Lab/CN=Chief Examiner' });
  const chiefKey = await importSigningKey(Buffer.from(readFileSync(chief.key, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64'));
  const p7s = await signDetached(forged.manifest, chiefKey, [chief.der, tester.der]);
  await writeEntries(join(dir, 'forged.zip'), forged.entries.map(([k, v]) => [k, k === 'manifest.json.p7s' ? p7s : v]));
  writeFileSync(join(dir, 'lab-root.pem'), root.pem);

  await page.goto(workbench.url);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('language').selectOption('zh-CN');
  await page.getByTestId('nav-evidence').click();
  await page.getByTestId('verify-ca-input').setInputFiles(join(dir, 'lab-root.pem'));
  await expect(page.getByRole('button', { name: '已选择 CA 证书 ✓' })).toBeVisible();

  await page.getByTestId('verify-input').setInputFiles(genuine.path);
  await expect(page.getByTestId('verify-verdict')).toHaveText('genuine.zip：全部检查通过', { timeout: 30_000 });
  await expect(page.locator('[data-testid=verify-report] li[data-check=signature]')).toContainText('可链接到所给 CA');

  await page.getByTestId('verify-input').setInputFiles(join(dir, 'forged.zip'));
  await expect(page.getByTestId('verify-verdict')).toHaveText('forged.zip：验证失败', { timeout: 30_000 });
  const signature = page.locator('[data-testid=verify-report] li[data-check=signature]');
  await expect(signature).toHaveAttribute('data-ok', 'false');
  await expect(signature).toContainText('签名证书（CN=Chief Examiner, O=Test Lab）无法链接到所给 CA');
  await expect(page.locator('[data-testid=verify-report] li[data-check="signer.manifest"]')).toContainText('实际签名者为 CN=Chief Examiner');
  await expect(page.locator('[data-testid=verify-report] li[data-check="files.hashes"]')).toContainText('未核对文件：签名无效');
  await screenshot(page, 'evidence-forged-zh');
});
