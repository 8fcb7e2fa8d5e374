// The App page in browser mode: an APK uploaded from the browser is analysed by the core's workers, and its
// permissions, SDKs, signing and risks are shown in both languages.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, screenshot, test } from './fixtures';
import { buildZip, extractEntry, withComment } from '../support/zip-builder';
import { buildDex } from '../support/dex-builder';

const SETTINGS_APK = join(__dirname, '../../node_modules/io.appium.settings/apks/settings_apk-debug.apk');

test('a real APK: identity, dangerous permissions with their category, signing and risks', async ({ page, workbench, consoleErrors }) => {
  await page.goto(workbench.url);
  await page.getByTestId('nav-app').click();
  await page.getByTestId('app-input').setInputFiles(SETTINGS_APK);
  await expect(page.getByTestId('app-identity')).toContainText('Appium Settings', { timeout: 20_000 });
  await expect(page.getByTestId('app-identity')).toContainText('io.appium.settings');
  const readSms = page.locator('[data-testid=permission-table] tr[data-permission="android.permission.READ_SMS"]');
  await expect(readSms).toContainText('SMS');
  await expect(readSms).toContainText('dangerous');
  await expect(page.getByTestId('no-sdks')).toBeVisible();
  await expect(page.getByTestId('signing')).toContainText('CN=Android Debug');
  await expect(page.getByTestId('signature-overall')).toContainText('Verifies');
  await expect(page.getByTestId('scheme-v2')).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('scheme-v1')).toHaveAttribute('data-status', 'absent');
  await expect(page.getByTestId('risks')).toContainText('Debuggable');
  await expect(page.getByTestId('risks')).not.toContainText('Signature does not verify');
  expect(consoleErrors).toEqual([]);
});

test('a repacked copy: the signature verdict says it does not verify, why, and the risk list flags it', async ({ page, workbench }) => {
  // The real APK with a zip comment added after signing: a valid zip whose v2 digest no longer matches.
  const file = join(mkdtempSync(join(tmpdir(), 'repacked-')), 'repacked.apk');
  writeFileSync(file, withComment(readFileSync(SETTINGS_APK), 'repacked by someone'));
  await page.goto(workbench.url);
  await page.getByTestId('nav-app').click();
  await page.getByTestId('app-input').setInputFiles(file);
  await expect(page.getByTestId('signature-overall')).toContainText('DOES NOT VERIFY', { timeout: 20_000 });
  await expect(page.getByTestId('scheme-v2')).toHaveAttribute('data-status', 'failed');
  await expect(page.getByTestId('scheme-v2')).toContainText('contents changed after signing');
  await expect(page.getByTestId('risks').locator('.risk.high', { hasText: 'Signature does not verify' })).toContainText('CHUNKED_SHA256 digest mismatch');
  await page.getByTestId('signing').scrollIntoViewIfNeeded();
  await screenshot(page, 'app-signature-failed');
});

test('an APK with SDKs: found by class and native library, shown with what they collect (zh-CN)', async ({ browser, workbench }) => {
  const real = readFileSync(join(__dirname, '../../node_modules/appium-uiautomator2-server/apks/appium-uiautomator2-server-debug-androidTest.apk'));
  const apk = buildZip([
    { name: 'AndroidManifest.xml', data: extractEntry(real, 'AndroidManifest.xml') },
    { name: 'classes.dex', data: buildDex(['Lcom/umeng/analytics/MobclickAgent;', 'Lcn/jpush/android/api/JPushInterface;', 'Lcom/example/Main;']) },
    { name: 'lib/arm64-v8a/libBugly.so', data: Buffer.from('elf') },
  ]);
  const file = join(mkdtempSync(join(tmpdir(), 'sdk-apk-')), 'with-sdks.apk');
  writeFileSync(file, apk);
  const zh = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await zh.newPage();
  await page.goto(workbench.url);
  await page.getByTestId('nav-app').click();
  await page.getByTestId('app-input').setInputFiles(file);
  const sdks = page.getByTestId('sdk-table');
  await expect(sdks.locator('tr[data-sdk="umeng-analytics"]')).toContainText('友盟+ 统计', { timeout: 20_000 });
  await expect(sdks.locator('tr[data-sdk="umeng-analytics"]')).toContainText('设备标识符');
  await expect(sdks.locator('tr[data-sdk="jpush"]')).toContainText('推送');
  await expect(sdks.locator('tr[data-sdk="bugly"]')).toContainText('libBugly.so');
  await expect(page.getByTestId('signature-overall')).toContainText('签名验证未通过');
  await expect(page.getByTestId('risks')).toContainText('未签名');
  await screenshot(page, 'app-analysis-zh');
  await zh.close();
});

test('a refused file is named beside the drop zone and the analysis on screen stays', async ({ page, workbench }) => {
  await page.goto(workbench.url);
  await page.getByTestId('nav-app').click();
  await page.getByTestId('app-input').setInputFiles(SETTINGS_APK);
  await expect(page.getByTestId('app-identity')).toContainText('io.appium.settings', { timeout: 20_000 });
  await page.getByTestId('app-input').setInputFiles({ name: 'broken.apk', mimeType: 'application/vnd.android.package-archive', buffer: Buffer.from('PK\u0003\u0004 not really a zip') });
  await expect(page.getByTestId('analysis-refused')).toContainText('broken.apk was not analysed', { timeout: 20_000 });
  await expect(page.getByTestId('analysis-refused')).toContainText('not a zip file');
  await expect(page.getByTestId('app-identity')).toContainText('io.appium.settings');
});

test('the demo scenario stays picked after the demo phone stops', async ({ page, workbench }) => {
  await page.goto(workbench.url);
  await page.getByTestId('scenario-picker').selectOption('pre-ticked-consent');
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('demo-running')).toBeVisible({ timeout: 15_000 });
  await page.reload();
  await page.getByTestId('stop-demo').click();
  await expect(page.getByTestId('start-demo')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('scenario-picker')).toHaveValue('pre-ticked-consent');
});
