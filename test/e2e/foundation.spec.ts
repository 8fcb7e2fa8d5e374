// The workbench in browser mode, as a tester meets it: it loads cleanly, speaks both languages, and the
// device list follows phones appearing and vanishing through the real adb server.
import { expect, screenshot, test } from './fixtures';

test('loads without console errors and shows the status bar', async ({ page, workbench, consoleErrors }) => {
  await page.goto(workbench.url);
  await expect(page.getByRole('heading', { name: 'Devices' })).toBeVisible();
  await expect(page.getByTestId('adb-state')).toHaveText('adb: running');
  await expect(page.getByTestId('no-devices')).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test('switches language to Simplified Chinese and back, and follows a Chinese system locale', async ({ browser, page, workbench }) => {
  await page.goto(workbench.url);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('language').selectOption('zh-CN');
  await expect(page.getByTestId('nav-devices')).toHaveText('设备');
  await expect(page.getByRole('heading', { name: '设置' })).toBeVisible();
  await page.getByTestId('language').selectOption('auto');
  await expect(page.getByTestId('nav-devices')).toHaveText('Devices');
  const zh = await browser.newContext({ locale: 'zh-CN' });
  const zhPage = await zh.newPage();
  await zhPage.goto(workbench.url);
  await expect(zhPage.getByTestId('nav-devices')).toHaveText('设备');
  await zh.close();
});

test('a virtual phone appears with its model within 2 s and disappears within 3 s of stopping', async ({ page, workbench }) => {
  await page.goto(workbench.url);
  await expect(page.getByTestId('adb-state')).toHaveText('adb: running');
  const phone = await workbench.startPhone('collects-before-consent');
  const row = page.locator(`[data-testid=device-row][data-serial="${phone.serial}"]`);
  await expect(row.getByTestId('device-model')).toHaveText('Google Pixel 7', { timeout: 2000 });
  await expect(row).toHaveAttribute('data-state', 'device');
  await expect(page.getByTestId('device-count')).toHaveText('1 device');
  await screenshot(page, 'devices-en');
  phone.process.kill('SIGKILL');
  await expect(row).toHaveCount(0, { timeout: 3000 });
});

test('starts and stops the demo phone from the Devices page', async ({ page, workbench }) => {
  await page.goto(workbench.url);
  await page.getByTestId('scenario-picker').selectOption('re-requests-denied-permission');
  await page.getByTestId('start-demo').click();
  await expect(page.getByTestId('demo-running')).toBeVisible({ timeout: 10_000 });
  const row = page.locator('[data-testid=device-row][data-virtual=true]');
  await expect(row.getByTestId('device-model')).toHaveText('Google Pixel 7', { timeout: 3000 });
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('language').selectOption('zh-CN');
  await page.getByTestId('nav-devices').click();
  await expect(page.getByRole('heading', { name: '设备' })).toBeVisible();
  await expect(row.getByTestId('device-model')).toHaveText('Google Pixel 7');
  await expect(page.getByTestId('scenario-picker')).toHaveValue('re-requests-denied-permission');
  await page.keyboard.press('Escape');
  await screenshot(page, 'devices-zh-demo');
  await page.getByTestId('stop-demo').click();
  await expect(page.getByTestId('no-devices')).toBeVisible({ timeout: 3000 });
});

test('bad input gets a clear error, not a crash', async ({ page, workbench }) => {
  await page.goto(workbench.url);
  await page.getByTestId('connect-address').fill('127.0.0.1:1');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByTestId('toast').first()).toContainText(/Could not connect to 127\.0\.0\.1:1|adb command failed/, { timeout: 15_000 });
  await page.keyboard.press('Escape');
  await page.getByTestId('connect-address').fill('no port here');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByTestId('toast').first()).toContainText('Invalid input');
  await expect(page.getByRole('heading', { name: 'Devices' })).toBeVisible();
});

test('choosing 简体中文 then 深色 keeps Chinese (and across a reload); "saved" is said in the new language', async ({ page, workbench }) => {
  await page.goto(workbench.url);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('language').selectOption('zh-CN');
  await expect(page.getByTestId('toast').filter({ hasText: '设置已保存' })).toBeVisible();
  await page.getByTestId('theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByTestId('nav-devices')).toHaveText('设备');
  await expect(page.getByTestId('language')).toHaveValue('zh-CN');
  await page.reload();
  await expect(page.getByTestId('nav-devices')).toHaveText('设备');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('the dark theme applies', async ({ page, workbench }) => {
  await page.goto(workbench.url);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await screenshot(page, 'settings-dark');
});

test('when the connection to the host drops the page says so, and recovers when it is back', async ({ page, workbench }) => {
  const servers: Array<{ close: () => Promise<void> }> = [];
  await page.routeWebSocket(/\/api\?token=/, (ws) => {
    servers.push(ws.connectToServer());
  });
  await page.goto(workbench.url);
  await expect(page.getByTestId('adb-state')).toHaveText('adb: running');
  await expect(page.getByTestId('host-offline')).toHaveCount(0);
  await servers.at(-1)!.close();
  await expect(page.getByTestId('host-offline')).toBeVisible();
  // The client reconnects by itself a second later.
  await expect(page.getByTestId('host-offline')).toHaveCount(0, { timeout: 5000 });
  expect(servers.length).toBeGreaterThanOrEqual(2);
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('language')).toBeVisible();
});

test('a reload stays on the page; the system theme follows the OS at once; errors do not follow to other pages', async ({ page, workbench }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(workbench.url);
  await page.getByTestId('nav-logs').click();
  await page.reload();
  await expect(page.getByTestId('nav-logs')).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('nav-devices').click();
  await page.getByTestId('connect-address').fill('127.0.0.1:1');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.locator('[data-testid=toast].error')).toHaveCount(1, { timeout: 15_000 });
  await page.getByTestId('nav-app').click();
  await expect(page.locator('[data-testid=toast].error')).toHaveCount(0);
});

test('the status bar counts ready and unauthorized phones as the table lists them', async ({ page, workbench }) => {
  await workbench.startPhone('compliant-app');
  await workbench.startPhone('compliant-app', ['--auth']);
  await page.goto(workbench.url);
  await expect(page.locator('[data-testid=device-row]')).toHaveCount(2, { timeout: 10_000 });
  await expect(page.getByTestId('device-count')).toHaveText('1 ready, 1 unauthorized', { timeout: 10_000 });
  await expect(page.locator('[data-testid=device-model]').filter({ hasText: 'Google Pixel 7' })).toHaveCount(1);
});
