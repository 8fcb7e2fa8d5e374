// A laptop without adb: the workbench still starts and says how to install adb, in the user's language.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, screenshot, test } from './fixtures';

test.use({ serveEnv: { PATH: '/nonexistent', HOME: process.env.HOME ?? '/tmp', ANDROID_ADB_SERVER_PORT: '1' } });

test('without adb the Devices page explains how to install it, with a retry', async ({ page, workbench }) => {
  await page.goto(workbench.url);
  await expect(page.getByTestId('adb-state')).toHaveText('adb: not found');
  await expect(page.getByTestId('adb-banner')).toContainText('adb was not found');
  await expect(page.getByTestId('adb-banner')).toContainText('sudo apt-get install adb');
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('adb-banner')).toBeVisible();
  // The demo phone is still offered; starting it needs adb, and says so.
  // Every shipped scenario (one file each in resources/scenarios), counted rather than written down.
  await expect(page.getByTestId('scenario-picker').locator('option')).toHaveCount(readdirSync(join(process.cwd(), 'resources', 'scenarios')).filter((f) => f.endsWith('.yaml')).length);
  await screenshot(page, 'adb-missing');
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('toast').first()).toContainText('adb was not found');
});
