// The Devices page's demo phone with a ROM profile: the trainer picks a scenario and a ROM style, the phone that
// appears is that ROM's real phone, and the choice is in both languages.
import { expect, test } from './fixtures';

test('the demo phone starts wearing the chosen ROM profile, in English and Chinese', async ({ page, workbench }) => {
  await page.goto(workbench.url);
  const picker = page.getByTestId('profile-picker');
  await expect(picker.locator('option')).toHaveCount(5);
  await expect(picker).toHaveValue('virtual');
  await page.getByTestId('scenario-picker').selectOption('collects-before-consent');
  await picker.selectOption('miui');
  await expect(page.getByTestId('profile-description')).toContainText('MIUI log forms');
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('demo-running')).toBeVisible({ timeout: 10_000 });
  const row = page.locator('[data-testid=device-row][data-virtual=true]');
  await expect(row.getByTestId('device-model')).toHaveText('Xiaomi M2002J9E', { timeout: 3000 });
  await expect(picker).toBeDisabled();
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('language').selectOption('zh-CN');
  await page.getByTestId('nav-devices').click();
  await expect(picker).toHaveValue('miui');
  await expect(picker.locator('option:checked')).toHaveText('MIUI 12（小米 Android 10）');
  await expect(page.getByTestId('profile-description')).toContainText('系统样式');
  await page.getByTestId('stop-demo').click();
  await expect(page.getByTestId('no-devices')).toBeVisible({ timeout: 3000 });
  await expect(picker).toBeEnabled();
  await expect(picker).toHaveValue('miui');
});
