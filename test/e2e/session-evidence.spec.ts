// A whole recorded test in browser mode against the virtual phone through the real adb server: start a
// session, install an APK and launch the scenario's app, mark consent, save a screenshot, stop, export a
// signed package on the Evidence page, download it, verify it there (all green), and see a tampered copy
// fail with the check that caught it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { readEntries, writeEntries } from '../support/evidence-fixtures';
import { expect, screenshot, tapNode, test } from './fixtures';

const APK = join(__dirname, '../../node_modules/io.appium.settings/apks/settings_apk-debug.apk');

async function openPhone(page: Page, serial: string): Promise<void> {
  const row = page.locator(`[data-testid=device-row][data-serial="${serial}"]`);
  await expect(row.getByTestId('device-model')).not.toHaveText('—', { timeout: 5000 });
  await row.getByTestId('open-device').click();
  await expect(page.getByTestId('device-panel')).toBeVisible();
}

test('record a session, export a signed package, verify it; a tampered copy fails', async ({ page, workbench, consoleErrors }) => {
  test.setTimeout(120_000);
  const phone = await workbench.startPhone('collects-before-consent');
  await page.goto(workbench.url);

  // Start a session on the phone for the scenario's app.
  await page.getByTestId('nav-session').click();
  await expect(page.getByTestId('new-session-phone')).toHaveValue(phone.serial, { timeout: 10_000 });
  await page.getByTestId('new-session-package').fill('com.demo.shop');
  await page.getByTestId('new-session-tester').fill('张三 Zhang San');
  await page.getByTestId('new-session-case').fill('CASE-E2E-1');
  await page.getByTestId('new-session-start').click();
  const bar = page.getByTestId('session-bar');
  await expect(bar).toContainText('com.demo.shop');
  await expect(page.locator('[data-testid=session-table] tr[data-session]').first()).toContainText('recording');

  // Install an APK and launch the scenario's app from the Devices page; the bar stays on every page.
  await page.getByTestId('nav-devices').click();
  await expect(bar).toBeVisible();
  await openPhone(page, phone.serial);
  await page.getByTestId('tab-apps').click();
  await page.getByTestId('apk-input').setInputFiles(APK);
  await expect(page.getByTestId('install-result')).toContainText('Installed io.appium.settings', { timeout: 30_000 });
  await page.locator('[data-testid=app-list] li[data-package="com.demo.shop"]').getByRole('button', { name: 'Launch' }).click();

  // On the live screen: the consent dialog; mark consent with its shortcut, then tap Agree, save a screenshot.
  await page.getByTestId('tab-screen').click();
  await expect(page.locator('[data-testid=ui-node][data-text="同意并继续"]')).toBeVisible({ timeout: 10_000 });
  await page.getByTestId('save-screenshot').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'blobs/' })).toBeVisible();
  await page.keyboard.press('Alt+KeyC');
  await expect(page.getByTestId('toast').filter({ hasText: 'Marked: Consent given' })).toBeVisible();
  // The app asks for the phone permission before consent (164-1.2): deny it, then agree.
  await tapNode(page, '不允许');
  await tapNode(page, '同意并继续');
  await expect(page.locator('[data-testid=ui-node][data-text="演示商城首页"]')).toBeVisible({ timeout: 10_000 });
  await page.getByTestId('session-note').fill('弹窗同意前已读取设备标识符');
  await page.getByTestId('session-note').press('Enter');
  await expect(page.getByTestId('session-note')).toHaveValue('');
  await expect(bar).not.toContainText(/ 1 event/, { timeout: 5000 });
  await page.locator('.content').evaluate((el) => el.scrollTo(0, 0));
  await page.getByTestId('tab-screen').scrollIntoViewIfNeeded();
  await screenshot(page, 'session-bar-screen');

  // The timeline holds what happened, then the session is stopped.
  await page.getByTestId('nav-session').click();
  const row = page.locator('[data-testid=session-table] tr[data-session]').first();
  await row.getByRole('button', { name: 'Open' }).click();
  await page.getByTestId('checklist-tab-timeline').click();
  const timeline = page.getByTestId('session-timeline');
  for (const type of ['session.started', 'app.installed', 'app.action', 'capture', 'tester.mark', 'tester.input', 'tester.note']) {
    await expect(timeline.locator(`.ev:text-is("${type}")`).first()).toBeVisible({ timeout: 10_000 });
  }
  await expect(timeline.locator('.ev:text-is("identifier.access"), .ev:text-is("appop.access")').first()).toBeVisible({ timeout: 10_000 });
  await screenshot(page, 'sessions');
  await page.getByTestId('session-stop').click();
  await page.getByTestId('confirm-stop-confirm').click();
  await expect(bar).toHaveCount(0);
  await expect(row).toContainText('closed');

  // Export with a new self-signed identity, national algorithms on; download the package.
  await row.getByTestId('session-export').click();
  await expect(page.getByTestId('export-identity')).toHaveValue('new');
  await page.getByTestId('export-identity-name').fill('张三 Zhang San');
  await page.getByTestId('export-passphrase').fill('correct horse battery');
  await page.getByTestId('export-national').check();
  await page.getByTestId('export-run').click();
  await expect(page.getByTestId('export-result')).toContainText('Package signed', { timeout: 30_000 });
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-download').click();
  const dir = mkdtempSync(join(tmpdir(), 'e2e-evidence-'));
  const pkg = join(dir, 'package.zip');
  await (await downloading).saveAs(pkg);

  // Verify it on the same page: every check green.
  await page.getByTestId('verify-input').setInputFiles(pkg);
  await expect(page.getByTestId('verify-verdict')).toHaveText(/package\.zip: all checks passed/, { timeout: 30_000 });
  await expect(page.locator('[data-testid=verify-report] li[data-ok=false]')).toHaveCount(0);
  await expect(page.locator('[data-testid=verify-report] li[data-check=sm2]')).toHaveAttribute('data-ok', 'true');
  await expect(page.locator('[data-testid=verify-report] li[data-check=timeline]')).toContainText('timeline chain holds');
  await expect(page.getByTestId('verify-report')).toContainText('self-asserted');
  await screenshot(page, 'evidence-verified');

  // A copy with one timeline line edited: red, with the checks that caught it.
  const entries = await readEntries(pkg);
  const tampered = entries.map(([name, data]): [string, Buffer] => [name, name === 'timeline.jsonl' ? Buffer.from(data.toString('utf8').replace('"mark":"consent.given"', '"mark":"consent.declined"')) : data]);
  await writeEntries(join(dir, 'tampered.zip'), tampered);
  await page.getByTestId('verify-input').setInputFiles(join(dir, 'tampered.zip'));
  await expect(page.getByTestId('verify-verdict')).toHaveText(/tampered\.zip: verification FAILED/, { timeout: 30_000 });
  await expect(page.locator('[data-testid=verify-report] li[data-check="files.hashes"]')).toHaveAttribute('data-ok', 'false');
  await expect(page.locator('[data-testid=verify-report] li[data-check=timeline]')).toHaveAttribute('data-ok', 'false');
  await expect(page.locator('[data-testid=verify-report] li[data-check=timeline]')).toContainText("prev is not the SHA-256");
  await screenshot(page, 'evidence-tampered');
  expect(consoleErrors).toEqual([]);
});

test('the Sessions and Evidence pages in Chinese', async ({ page, workbench }) => {
  await workbench.startPhone('compliant-app');
  await page.goto(workbench.url);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('language').selectOption('zh-CN');
  await page.getByTestId('nav-session').click();
  await expect(page.getByRole('heading', { name: '检测会话' })).toBeVisible();
  await expect(page.getByTestId('new-session-start')).toHaveText('开始录制');
  await page.getByTestId('nav-evidence').click();
  await expect(page.getByRole('heading', { name: '验证证据包' })).toBeVisible();
  await screenshot(page, 'evidence-zh');
});
