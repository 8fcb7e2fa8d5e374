// The Logs page in browser mode against scenario phones through the real adb server: the permission dialog,
// the denial, the re-request and app-op accesses appear in the timeline within about a second of happening.
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';

async function startMonitor(page: Page, url: string, serial: string, pkg: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('nav-logs').click();
  await page.getByTestId('monitor-device').selectOption({ value: serial });
  await page.getByTestId('monitor-package').fill(pkg);
  await page.getByTestId('monitor-start').click();
  await expect(page.getByTestId('monitor-status')).toContainText('Raw log');
}

const row = (page: Page, type: string) => page.locator(`[data-testid=event-row][data-type="${type}"]`);

test('re-requests-denied-permission: dialog, deny, re-request in the timeline within 1 s', async ({ page, workbench }) => {
  const phone = await workbench.startPhone('re-requests-denied-permission');
  await startMonitor(page, workbench.url, phone.serial, 'com.demo.camera');
  const adb = (...args: string[]) => workbench.adb.adb(['-s', phone.serial, 'shell', ...args]);

  await adb('monkey', '-p', 'com.demo.camera', '-c', 'android.intent.category.LAUNCHER', '1');
  // The app asks for the camera right after its privacy dialog is agreed to ("同意并继续").
  await adb('input', 'tap', '540', '1250');
  let t = Date.now();
  await expect(row(page, 'permission.dialog')).toHaveCount(1, { timeout: 3000 });
  const dialogMs = Date.now() - t;

  // "Don't allow" on the system dialog (the virtual phone draws it where Android 13 does).
  await adb('input', 'tap', '540', '1810');
  t = Date.now();
  await expect(row(page, 'permission.result')).toHaveCount(1, { timeout: 3000 });
  const denyMs = Date.now() - t;
  await expect(row(page, 'permission.result').first()).toContainText('USER_DENIED');

  // The app asks again 3 s later: the re-request is a second dialog.
  await expect(row(page, 'permission.dialog')).toHaveCount(2, { timeout: 6000 });
  await expect(row(page, 'permission.state').first()).toContainText('CAMERA', { timeout: 3000 });
  console.log(`timeline latency: dialog ${dialogMs} ms, deny ${denyMs} ms after the adb command returned`);
  expect(dialogMs).toBeLessThan(1000);
  expect(denyMs).toBeLessThan(1000);
  await expect(page.getByTestId('toast').first()).toBeVisible();
  await screenshot(page, 'logs-re-request');
});

test('collects-before-consent: app-op accesses before consent show in the timeline within 1 s', async ({ page, workbench }) => {
  const phone = await workbench.startPhone('collects-before-consent');
  await startMonitor(page, workbench.url, phone.serial, 'com.demo.shop');
  await workbench.adb.adb(['-s', phone.serial, 'shell', 'am', 'start', '-W', '-n', 'com.demo.shop/.MainActivity']);
  const t = Date.now();
  await expect(row(page, 'appop.reject').filter({ hasText: 'READ_PHONE_STATE' })).toHaveCount(1, { timeout: 3000 });
  const opMs = Date.now() - t;
  await expect(row(page, 'identifier.access')).toHaveCount(1);
  await expect(row(page, 'appop.reject').filter({ hasText: 'COARSE_LOCATION' })).toHaveCount(1);
  await expect(row(page, 'permission.dialog')).toHaveCount(1, { timeout: 3000 });
  console.log(`timeline latency: app-op reject ${opMs} ms after am start returned`);
  expect(opMs).toBeLessThan(1000);

  // The log view holds the lines; a row jumps to them; the app-only filter and the search work.
  await expect(page.getByTestId('log-terminal')).toContainText('reportAccessDeniedToReadIdentifiers', { timeout: 3000 });
  await row(page, 'identifier.access').click();
  await page.getByTestId('min-level').selectOption('E');
  await expect(page.getByTestId('log-terminal')).not.toContainText('Start proc');
  await expect(page.getByTestId('log-terminal')).toContainText('SecurityException');
  await page.getByTestId('min-level').selectOption('V');
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('pause')).toHaveText('Follow');
  await screenshot(page, 'logs-collects-before-consent');
});

test('the Logs page keeps what the monitor saw across navigation and reload, with its package and filters', async ({ page, workbench }) => {
  const phone = await workbench.startPhone('collects-before-consent');
  await startMonitor(page, workbench.url, phone.serial, 'com.demo.shop');
  await workbench.adb.adb(['-s', phone.serial, 'shell', 'am', 'start', '-W', '-n', 'com.demo.shop/.MainActivity']);
  await expect(row(page, 'permission.dialog')).toHaveCount(1, { timeout: 5000 });
  await expect(page.getByTestId('log-terminal')).toContainText('reportAccessDeniedToReadIdentifiers', { timeout: 3000 });
  await page.getByTestId('min-level').selectOption('I');
  const summary = page.locator('.timeline-title .muted');
  const before = await summary.textContent();
  const rows = await page.locator('[data-testid=event-row]').count();
  expect(rows).toBeGreaterThan(3);

  for (const away of ['navigate', 'reload'] as const) {
    if (away === 'navigate') {
      await page.getByTestId('nav-devices').click();
      await expect(page.getByTestId('nav-devices')).toHaveAttribute('aria-current', 'page');
      await page.getByTestId('nav-logs').click();
    } else {
      await page.reload();
      await page.getByTestId('nav-logs').click();
    }
    await expect(page.getByTestId('monitor-status')).toContainText('Raw log', { timeout: 5000 });
    await expect(page.locator('[data-testid=event-row]')).toHaveCount(rows, { timeout: 5000 });
    await expect(summary).toHaveText(before!);
    await expect(page.getByTestId('log-terminal')).toContainText('reportAccessDeniedToReadIdentifiers');
    await expect(page.getByTestId('monitor-package')).toHaveValue('com.demo.shop');
    await expect(page.getByTestId('app-only')).toBeChecked();
    await expect(page.getByTestId('min-level')).toHaveValue('I');
  }
  // Still live after the reload: a new event arrives.
  await workbench.adb.adb(['-s', phone.serial, 'shell', 'input', 'tap', '540', '1810']);
  await expect(row(page, 'permission.result')).toHaveCount(1, { timeout: 5000 });
});
