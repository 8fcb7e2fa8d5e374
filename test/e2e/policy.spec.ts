// Declared vs observed in browser mode against the virtual phone through the real adb server. In a guided
// session: the policy stage captures the policy from the phone (tapping the dialog's link, scrolling page by
// page), the tester agrees on the live screen, the app's SDK processes start, the app type is chosen, and the
// matrix flags exactly the SDK the policy does not name and the identifiers beyond the type's necessary PI;
// 164-3.1 turns into a proposed violation. On the App page: the APK against a policy served over HTTP on a
// local address (refused, as the browser cannot allow local addresses; fetched where the host started the
// workbench with --allow-local) and the 实用工具类 type.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, guidedPolicyStage, screenshot, tapNode, test } from './fixtures';

const root = join(__dirname, '..', '..');

test('a guided session: capture the policy from the phone, agree, pick the type; the matrix names the undisclosed SDK', async ({ page, workbench, consoleErrors }) => {
  test.setTimeout(180_000);
  await guidedPolicyStage(page, workbench, 'undisclosed-sdk', 'com.demo.shop');
  const panel = page.getByTestId('policy-panel');
  await expect(panel.getByTestId('policy-matrix')).toContainText('No policy text yet');
  await panel.getByTestId('policy-capture-link').click();
  await expect(panel.getByTestId('policy-matrix')).toContainText('phone · ', { timeout: 30_000 });
  await expect(panel.getByTestId('policy-lists')).toContainText('collected-PI list: in the policy · third-party sharing list: in the policy');
  await expect(panel.locator('[data-row="sdk:jpush"]')).toHaveAttribute('data-status', 'declared-unobserved');

  // Back on the dialog (the page's own back button), agree on the live screen: the SDK processes start.
  await tapNode(page, '返回');
  await tapNode(page, '同意');
  await page.keyboard.press('c');
  await expect(panel.locator('[data-row="sdk:getui"]')).toHaveAttribute('data-status', 'observed-undeclared', { timeout: 20_000 });
  await expect(panel.locator('[data-row="sdk:jpush"]')).toHaveAttribute('data-status', 'declared-observed');
  await expect(panel.locator('[data-row="sdk:jpush"]')).toContainText('极光推送SDK | 深圳市和讯华谷信息技术有限公司');

  await panel.getByTestId('app-type').selectOption('38');
  await expect(panel.locator('[data-row="pi:deviceId"]').getByTestId('beyond-necessary')).toBeVisible({ timeout: 10_000 });
  await expect(panel.getByTestId('policy-summary')).toContainText('1 SDK(s) not in the policy');
  // A run-time row links to its event in the session's feed.
  await panel.locator('[data-row="sdk:getui"] button.link').first().click();
  await expect(page.locator('.feed-row.focus')).toBeVisible();

  await page.getByTestId('stage-policy').click();
  await expect(page.getByTestId('proposal-164-3.1')).toHaveAttribute('data-status', 'violation', { timeout: 20_000 });
  await expect(page.getByTestId('proposal-191-1.4')).toHaveAttribute('data-status', 'none-observed');
  // The same panel, full width, as a tab.
  await page.getByTestId('checklist-tab-policy').click();
  await expect(page.getByTestId('policy-panel').locator('[data-row="sdk:getui"]')).toHaveAttribute('data-status', 'observed-undeclared');
  await page.getByTestId('policy-panel').getByTestId('app-type').scrollIntoViewIfNeeded();
  await screenshot(page, 'policy-1-session');
  expect(consoleErrors).toEqual([]);
});

test('the App page: a policy URL on a local address is refused; the browser has no way to allow it', async ({ page, workbench, consoleErrors }) => {
  await page.goto(workbench.url);
  await page.getByTestId('nav-app').click();
  await page.getByTestId('app-input').setInputFiles(join(root, 'node_modules/io.appium.settings/apks/settings_apk-debug.apk'));
  const check = page.getByTestId('policy-check');
  await expect(check).toBeVisible({ timeout: 30_000 });
  await check.getByTestId('policy-check-url').fill('http://127.0.0.1:9/privacy.txt');
  await check.getByRole('button', { name: 'Fetch' }).click();
  await expect(check.getByTestId('policy-check-error')).toContainText('is a local or private address; fetching it is off on this workbench');
  await expect(check.getByRole('checkbox')).toHaveCount(0);
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('allow-local')).toBeDisabled();
  expect(consoleErrors).toEqual([]);
});

test.describe('where the host allows local addresses', () => {
  test.use({ serveArgs: ['--allow-local'] });

  test('the App page: the APK against a policy URL and the app type', async ({ page, workbench, consoleErrors }) => {
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(readFileSync(join(root, 'test/fixtures/policies/tool-flashlight.txt'))));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/privacy.txt`;
    try {
      void workbench;
      await page.goto(workbench.url);
      await page.getByTestId('nav-app').click();
      await page.getByTestId('app-input').setInputFiles(join(root, 'node_modules/io.appium.settings/apks/settings_apk-debug.apk'));
      const check = page.getByTestId('policy-check');
      await expect(check).toBeVisible({ timeout: 30_000 });
      await check.getByTestId('policy-check-url').fill(url);
      await check.getByRole('button', { name: 'Fetch' }).click();
      await expect(check.getByTestId('policy-matrix')).toContainText(url, { timeout: 20_000 });
      await check.getByTestId('app-type').selectOption('38');
      await expect(check.locator('[data-row="pi:location"]').getByTestId('beyond-necessary')).toBeVisible({ timeout: 20_000 });
      await expect(check.locator('[data-row="pi:sms"]')).toHaveAttribute('data-status', 'observed-undeclared');
      await expect(check.getByTestId('policy-lists')).toContainText('collected-PI list: only referenced (capture that page)');
      await check.scrollIntoViewIfNeeded();
      await screenshot(page, 'policy-2-app-page');
      expect(consoleErrors).toEqual([]);
    } finally {
      server.close();
    }
  });
});
