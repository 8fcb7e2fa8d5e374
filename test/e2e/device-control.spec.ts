// Driving a phone from the workbench in browser mode, against the virtual phone through the real adb
// server: install with progress, launch, the live screen, tapping through consent on the image, the UI
// tree, keys, the shell, and a phone that vanishes mid-install.
import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { expect, screenshot, test } from './fixtures';

const SERVER_APK = join(__dirname, '../../node_modules/appium-uiautomator2-server/apks/appium-uiautomator2-server-v10.6.6.apk');

async function openPhone(page: Page, serial: string): Promise<void> {
  const row = page.locator(`[data-testid=device-row][data-serial="${serial}"]`);
  await expect(row.getByTestId('device-model')).not.toHaveText('—', { timeout: 3000 });
  await row.getByTestId('open-device').click();
  await expect(page.getByTestId('device-panel')).toBeVisible();
}

/** Install events and the install result as the page's WebSocket received them, in order. */
function recordInstallTraffic(page: Page): string[] {
  const seen: string[] = [];
  page.on('websocket', (ws) => ws.on('framereceived', (f) => {
    const msg = JSON.parse(String(f.payload)) as { kind: string; batch?: Array<{ event: string; items: Array<{ phase: string }> }>; outcome?: { value?: { ok?: boolean; packageName?: string } } };
    if (msg.kind === 'events') for (const b of msg.batch ?? []) if (b.event === 'install') for (const i of b.items) seen.push(`progress:${i.phase}`);
    if (msg.kind === 'result' && msg.outcome?.value && 'packageName' in msg.outcome.value) seen.push(`result:${msg.outcome.value.ok}`);
  }));
  return seen;
}

test('install with progress, launch, tap through consent on the live screen, UI tree, home key, shell', async ({ page, workbench, consoleErrors }) => {
  const traffic = recordInstallTraffic(page);
  const phone = await workbench.startPhone('compliant-app');
  await page.goto(workbench.url);
  await openPhone(page, phone.serial);

  await page.getByTestId('tab-apps').click();
  await page.getByTestId('apk-input').setInputFiles(SERVER_APK);
  await expect(page.getByTestId('install-result')).toContainText('Installed io.appium.uiautomator2.server', { timeout: 30_000 });
  const firstResult = traffic.indexOf('result:true');
  expect(traffic.slice(0, firstResult).filter((x) => x === 'progress:push').length).toBeGreaterThan(1);
  expect(traffic.slice(0, firstResult)).toContain('progress:install');
  await expect(page.locator('[data-testid=app-list] li[data-package="io.appium.uiautomator2.server"]')).toBeVisible();

  await page.locator('[data-testid=app-list] li[data-package="com.demo.compliant"]').getByRole('button', { name: 'Launch' }).click();
  await page.getByTestId('tab-screen').click();
  const screen = page.getByTestId('live-screen');
  await expect(screen).toHaveAttribute('data-width', '1080');
  await expect(screen).toHaveAttribute('data-height', '2400');
  // The picture's own pixels: a screenshot is the phone's size; the video may be scaled (longest side ≤ 1280), the aspect kept.
  const [w, h] = await screen.evaluate((el) => (el instanceof HTMLImageElement ? [el.naturalWidth, el.naturalHeight] : [(el as HTMLCanvasElement).width, (el as HTMLCanvasElement).height]));
  expect(h).toBeLessThanOrEqual(2400);
  expect(w! / h!).toBeCloseTo(1080 / 2400, 2);

  const agree = page.locator('[data-testid=ui-node][data-text="同意"]');
  await expect(agree).toHaveAttribute('data-clickable', 'true', { timeout: 5000 });
  await agree.hover();
  await expect(page.getByTestId('node-outline')).toBeVisible();
  await screenshot(page, 'device-screen-consent');

  // Click the button where it is drawn on the image (bounds from the scenario: [60,1180][1020,1320]).
  const box = (await screen.boundingBox())!;
  await screen.click({ position: { x: (540 / 1080) * box.width, y: (1250 / 2400) * box.height } });
  await expect(page.locator('[data-testid=ui-node][data-text="首页"]')).toBeVisible({ timeout: 5000 });

  await page.getByTestId('tree-search').fill('nearby');
  await expect(page.locator('[data-testid=ui-node]')).toHaveCount(1);
  await page.getByTestId('tree-search').fill('');

  await page.getByTestId('key-HOME').click();
  await expect(page.locator('[data-testid=ui-node][data-resource-id="com.android.launcher3:id/icon"]').first()).toBeVisible({ timeout: 5000 });
  await expect(page.getByTestId('fps')).toContainText('fps');
  // The toggle names what it will do; while paused no frame rate is shown.
  await expect(page.getByTestId('live-toggle')).toHaveText('Pause live view');
  await page.getByTestId('live-toggle').click();
  await expect(page.getByTestId('live-toggle')).toHaveText('Resume live view');
  await expect(page.getByTestId('fps')).toHaveCount(0);
  await expect(page.getByTestId('screen-paused')).toBeVisible();
  await page.getByTestId('live-toggle').click();

  await page.getByTestId('tab-shell').click();
  await page.getByTestId('shell-terminal').click();
  await page.keyboard.type('getprop ro.product.model');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('shell-terminal')).toContainText('Pixel 7', { timeout: 5000 });
  await page.keyboard.type('pm list packages -3 | grep demo');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('shell-terminal')).toContainText('package:com.demo.compliant');
  await screenshot(page, 'device-shell');

  await page.getByTestId('tab-details').click();
  await expect(page.getByTestId('device-details')).toContainText('arm64-v8a');
  await screenshot(page, 'device-details');
  // Nothing the panel does (xterm included) may trip the Content-Security-Policy or throw.
  expect(consoleErrors).toEqual([]);
});

test('a phone that vanishes mid-install is reported within 3 s and the page stays usable', async ({ page, workbench }) => {
  const phone = await workbench.startPhone('compliant-app');
  // Listen before the page opens its WebSocket.
  let killedAt = 0;
  page.on('websocket', (ws) => ws.on('framereceived', (f) => {
    if (!killedAt && String(f.payload).includes('"event":"install"') && String(f.payload).includes('"phase":"push"')) {
      killedAt = Date.now();
      phone.process.kill('SIGKILL');
    }
  }));
  await page.goto(workbench.url);
  await openPhone(page, phone.serial);
  await page.getByTestId('tab-apps').click();
  await page.getByTestId('apk-input').setInputFiles(SERVER_APK);
  await expect(page.getByTestId('toast').first()).toContainText(/disconnected/, { timeout: 10_000 });
  expect(killedAt).toBeGreaterThan(0);
  expect(Date.now() - killedAt).toBeLessThan(3000);
  await expect(page.getByTestId('install-progress')).toHaveCount(0);
  await expect(page.getByTestId('device-panel')).toHaveCount(0, { timeout: 3000 });
  await expect(page.getByRole('heading', { name: 'Devices' })).toBeVisible();
});

test('at 1366×768 the whole phone and its keys are in view, and taps still land where they are drawn', async ({ page, workbench }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const phone = await workbench.startPhone('compliant-app');
  await page.goto(workbench.url);
  await openPhone(page, phone.serial);
  await page.getByTestId('tab-apps').click();
  await page.locator('[data-testid=app-list] li[data-package="com.demo.compliant"]').getByRole('button', { name: 'Launch' }).click();
  await page.getByTestId('tab-screen').click();
  const screen = page.getByTestId('live-screen');
  await expect(screen).toHaveAttribute('data-height', '2400', { timeout: 10_000 });
  const statusBarTop = (await page.locator('.statusbar').boundingBox())!.y;
  const box = (await screen.boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height, 'the phone ends above the status bar').toBeLessThanOrEqual(statusBarTop);
  expect(box.height / box.width).toBeCloseTo(2400 / 1080, 1);
  for (const key of ['BACK', 'HOME', 'APP_SWITCH']) {
    const k = (await page.getByTestId(`key-${key}`).boundingBox())!;
    expect(k.y + k.height, `${key} above the status bar`).toBeLessThanOrEqual(statusBarTop);
  }
  const tree = (await page.getByTestId('ui-tree').boundingBox())!;
  expect(tree.x, 'the UI tree sits beside the phone').toBeGreaterThan(box.x + box.width);
  // A tap on the scaled image lands on the button drawn there ([60,1180][1020,1320] on the device).
  const agree = page.locator('[data-testid=ui-node][data-text="同意"]');
  await expect(agree).toBeVisible({ timeout: 10_000 });
  await screen.click({ position: { x: (540 / 1080) * box.width, y: (1250 / 2400) * box.height } });
  await expect(page.locator('[data-testid=ui-node][data-text="首页"]')).toBeVisible({ timeout: 5000 });
  await screenshot(page, 'device-screen-1366');
});
