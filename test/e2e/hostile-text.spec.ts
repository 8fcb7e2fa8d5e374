// Text from a phone, an APK and an evidence package as the renderer shows it: a phone whose model carries a
// bidi override, a screen clear and BEL (cleaned by the core where it enters), an APK whose label carries the
// same (the analysis keeps the APK's words; the page shows them), and a package with a zip entry named with a
// bidi override (the verifier quotes it). Each shows `<U+202E>` and none of the controls.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { editApkStrings } from '../support/apk-strings';
import { exportSession, makeSession, readEntries, writeEntries } from '../support/evidence-fixtures';

const ROOT = join(__dirname, '../..');
/** What the page must never show: C0/C1 controls (tab and newline excepted) and raw bidi controls. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

async function pageText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}

test('a hostile phone, APK and package show their bidi controls and none of their escapes', async ({ page, workbench, consoleErrors }) => {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-text-'));

  // The phone: the scenario schema refuses ":;=" in a model (they break the ADB banner), not controls.
  const scenario = join(dir, 'hostile-phone.yaml');
  writeFileSync(scenario, readFileSync(join(ROOT, 'resources/scenarios/compliant-app.yaml'), 'utf8').replace('model: Pixel 7', 'model: "Pixel\\u202e\\e[2J\\a 7"'));
  const phone = await workbench.startPhone(scenario);
  await page.goto(workbench.url);
  const row = page.locator(`[data-testid=device-row][data-serial="${phone.serial}"]`);
  await expect(row.getByTestId('device-model')).toHaveText('Google Pixel<U+202E> 7', { timeout: 10_000 });
  await row.getByTestId('open-device').click();
  await page.getByTestId('tab-details').click();
  await expect(page.getByTestId('device-details')).toContainText('Pixel<U+202E> 7');
  expect(await pageText(page)).not.toMatch(UNSAFE);

  // The APK: its label as the developer wrote it.
  const apk = join(dir, 'hostile.apk');
  writeFileSync(apk, editApkStrings(readFileSync(join(ROOT, 'node_modules/io.appium.settings/apks/settings_apk-debug.apk')), [
    { entry: 'resources.arsc', from: 'Appium Settings', to: 'App\u202eium\u0007Setti', encoding: 'utf8' },
  ]));
  await page.getByTestId('nav-app').click();
  await page.getByTestId('app-input').setInputFiles(apk);
  await expect(page.getByTestId('app-identity')).toContainText('App<U+202E>iumSetti', { timeout: 20_000 });
  expect(await pageText(page)).not.toMatch(UNSAFE);

  // The package: an entry the manifest does not list, named to reverse what follows it.
  await makeSession(join(dir, 's'));
  const pkg = await exportSession(join(dir, 's'), join(dir, 'pkg.zip'), join(dir, 'data'));
  const entries = await readEntries(pkg.path);
  entries.push(['notes\u202egnp.exe\u001b]0;x\u0007', Buffer.from('x')]);
  await writeEntries(join(dir, 'bad.zip'), entries);
  await page.getByTestId('nav-evidence').click();
  await page.getByTestId('verify-input').setInputFiles(join(dir, 'bad.zip'));
  await expect(page.locator('[data-testid=verify-report] li[data-check="files.extra"]')).toContainText('notes<U+202E>gnp.exe', { timeout: 30_000 });
  expect(await pageText(page)).not.toMatch(UNSAFE);
  expect(consoleErrors).toEqual([]);
});
