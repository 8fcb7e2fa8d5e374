// Network capture from the UI, on the virtual phone through the real adb server (nothing mocked): a phone a killed
// workbench left pointing at its dead proxy is offered to be cleared — left alone, asked again on the next visit,
// then cleared back to exactly what it was before; and a guided session on the scenario whose Umeng SDK sends the
// hashed Android ID before consent: capture started from the session bar (USB, HTTPS decrypted), the session CA
// pushed and installed on the phone through Settings by taps on the live screen, a fresh launch — the connection
// and the value found appear in the Network view while the session records — and the phone's proxy setting put
// back when the session stops. zh-CN at 1366×768 (no page scroll, no English left), screenshots kept.
import { spawnSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { writeLease } from '../../src-main/core/network/proxy-lease';
import { freePort } from '../support/adb-server';
import { expect, screenshot, tapNode, test, waitForNode, type Workbench } from './fixtures';
import { describeFindings, findEnglish } from './zh-dom-check';

test.use({ locale: 'zh-CN' });

const httpProxy = async (workbench: Workbench, serial: string): Promise<string> =>
  (await workbench.adb.adb(['-s', serial, 'shell', 'settings', 'get', 'global', 'http_proxy'])).stdout.trim();

async function expectNoEnglish(page: Page, screen: string, within?: string): Promise<void> {
  // The phone's UI tree is the phone's own text (class names): closed, as a tester leaves it, before the check.
  const tree = page.getByTestId('ui-tree-toggle');
  if ((await tree.count()) > 0 && (await tree.first().getAttribute('aria-pressed')) === 'true') await tree.first().click();
  const found = await findEnglish(page, undefined, within);
  expect(found, describeFindings(screen, found)).toEqual([]);
}

test('a phone left pointing at a dead workbench proxy: left alone, asked again, cleared back to what it was', async ({ page, workbench, consoleErrors }) => {
  const phone = await workbench.startPhone('compliant-app');
  const dead = await freePort();
  // The lab's own proxy before the killed session, then the workbench's: what a kill -9 mid-session leaves.
  await workbench.adb.adb(['-s', phone.serial, 'shell', 'settings', 'put', 'global', 'http_proxy', 'proxy.lab.example:3128']);
  await workbench.adb.adb(['-s', phone.serial, 'shell', 'settings', 'put', 'global', 'http_proxy', `127.0.0.1:${dead}`]);
  const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
  writeLease(workbench.dataDir, { serial: phone.serial, previous: 'proxy.lab.example:3128', address: `127.0.0.1:${dead}`, pid: gone, port: dead, mode: 'usb', reverse: true, startedAt: Date.UTC(2026, 11, 1, 1, 0), sessionId: 'S-killed' });

  // On the Sessions page (the offer shows on any page; this one is checked whole for English).
  await page.goto(`${workbench.url}#session`);
  const offer = page.getByTestId('stale-proxy');
  await expect(offer).toBeVisible({ timeout: 15_000 });
  const body = page.getByTestId('stale-proxy-body');
  await expect(body).toHaveAttribute('data-serial', phone.serial);
  await expect(body).toContainText(`手机 ${phone.serial} 的代理设置为 127.0.0.1:${dead}，该代理已无响应`);
  await expect(body).toContainText(`进程 ${gone}，会话 S-killed`);
  await expect(body).toContainText('清除后将恢复为原来的 proxy.lab.example:3128');
  // The dialog (the page behind it has the phone's model as the phone names it).
  await expectNoEnglish(page, 'stale proxy offer', '[data-testid=stale-proxy]');
  await screenshot(page, 'network-stale-proxy-zh');

  // Left alone: nothing changes on the phone; the next visit asks again.
  await page.getByTestId('stale-proxy-cancel').click();
  await expect(offer).toBeHidden();
  expect(await httpProxy(workbench, phone.serial)).toBe(`127.0.0.1:${dead}`);
  await page.reload();
  await expect(offer).toBeVisible({ timeout: 15_000 });

  // Cleared: the phone is back on the lab's proxy, exactly as before that session, and nothing is left to offer.
  await page.getByTestId('stale-proxy-confirm').click();
  await expect(offer).toBeHidden({ timeout: 15_000 });
  await expect.poll(() => httpProxy(workbench, phone.serial)).toBe('proxy.lab.example:3128');
  await page.reload();
  await expect(page.getByTestId('nav-session')).toBeVisible();
  await page.waitForTimeout(1500);
  await expect(offer).toBeHidden();
  expect(consoleErrors).toEqual([]);
});

test('capture from the session bar, the session CA installed through Settings, the SDK\'s request live in the Network view', async ({ page, workbench, consoleErrors }) => {
  test.setTimeout(240_000);
  const phone = await workbench.startPhone('sdk-sends-id-before-consent');
  const before = await httpProxy(workbench, phone.serial);
  await page.goto(workbench.url);
  await page.getByTestId('nav-session').click();
  await expect(page.getByTestId('new-session-phone')).toHaveValue(phone.serial, { timeout: 10_000 });
  await page.getByTestId('new-session-package').fill('com.demo.weather');
  await page.getByTestId('new-session-tester').fill('赵六');
  await page.getByTestId('new-session-start').click();
  await expect(page.getByTestId('guided-session')).toBeVisible({ timeout: 10_000 });

  // Capture asked for in the session bar: USB, HTTPS decrypted, the tester's phone number to look for.
  await page.getByTestId('network-capture').click();
  await expect(page.getByTestId('network-start-dialog')).toBeVisible();
  await expectNoEnglish(page, 'network start dialog');
  await page.getByTestId('network-value-phone-number').fill('13800138000');
  await page.getByTestId('network-start').click();
  const indicator = page.getByTestId('proxy-indicator');
  await expect(indicator).toHaveAttribute('data-state', 'on', { timeout: 30_000 });
  await expect(indicator).toContainText('代理已开启');
  await expect(indicator).toContainText('USB');
  await expect(indicator).toContainText('解密 HTTPS');
  const address = await page.getByTestId('proxy-address').innerText();
  expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
  await expect.poll(() => httpProxy(workbench, phone.serial)).toBe(address);

  // The session CA: pushed to Download, the phone's security settings opened, the taps the dialog names.
  await page.getByTestId('network-ca').click();
  const ca = page.getByTestId('ca-setup');
  await expect(ca).toBeVisible();
  const sha256 = await page.getByTestId('ca-sha256').innerText();
  expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  await expect(page.getByTestId('ca-app-trust')).toHaveAttribute('data-trust', 'no-analysis', { timeout: 15_000 });
  await page.getByTestId('ca-push').click();
  await expect(page.getByTestId('ca-pushed')).toContainText('/sdcard/Download/');
  const fileName = (await page.getByTestId('ca-pushed').innerText()).match(/\/sdcard\/Download\/(\S+?)。?$/)![1]!;
  await expectNoEnglish(page, 'CA set-up');
  await screenshot(page, 'network-ca-setup-zh');
  await page.getByTestId('ca-open-settings').click();
  await expect(page.getByTestId('ca-taps')).toContainText('加密与凭据');
  await page.getByTestId('ca-close').click();
  await expect(ca).toBeHidden();
  for (const label of ['加密与凭据', '安装证书', 'CA 证书', '仍然安装', fileName]) await tapNode(page, label);
  // The installer's toast on the phone; that the phone trusts it shows below: the app's HTTPS is read.
  await waitForNode(page, '已安装 CA 证书');

  // The Network view open while recording, then a fresh launch: the SDK's request appears live, its value found.
  await page.getByTestId('checklist-tab-network').click();
  await expect(page.getByTestId('network-view')).toBeVisible();
  await page.getByTestId('checklist-tab-guide').click();
  await page.getByTestId('stage-first-launch').click();
  await page.getByTestId('fresh-launch').click();
  await waitForNode(page, '同意并继续');
  await page.getByTestId('checklist-tab-network').click();
  const umeng = page.locator('[data-testid=flow-row]', { hasText: 'ulogs.umeng.com' }).first();
  await expect(umeng).toBeVisible({ timeout: 30_000 });
  await expect(umeng).toContainText('com.demo.weather');
  await expect(umeng).toContainText('已解密');
  await expect(umeng).toContainText('Android ID', { timeout: 15_000 });
  await expect(indicator).toContainText(/发现 [1-9]\d* 项个人信息/, { timeout: 15_000 });
  const first = await umeng.elementHandle();
  await umeng.dblclick();
  const detail = page.getByTestId('flow-detail');
  await expect(detail).toContainText('Android ID（MD5 摘要');
  await expect(page.getByTestId('flow-request-detail')).toContainText('POST https://ulogs.umeng.com');
  await expect(page.getByTestId('pi-mark').first()).toBeVisible();
  await expectNoEnglish(page, 'network view, live');
  const layout = await page.evaluate(() => ({
    page: document.scrollingElement!.scrollHeight - document.scrollingElement!.clientHeight,
    content: document.querySelector('.content')!.scrollHeight - document.querySelector('.content')!.clientHeight,
  }));
  expect(layout, 'no page or content scroll at 1366×768 with the phone docked').toEqual({ page: 0, content: 0 });
  await screenshot(page, 'network-view-live-zh');

  // Consent given on the phone: the SDK sends again; the new row joins without the first one being drawn anew.
  await page.getByTestId('flow-detail-close').click();
  const rows = await page.getByTestId('flow-row').count();
  await tapNode(page, '同意并继续');
  await expect.poll(() => page.getByTestId('flow-row').count(), { timeout: 30_000 }).toBeGreaterThan(rows);
  expect(await first!.evaluate((el) => el.isConnected), 'the first row is the same element').toBe(true);

  // Stopping the session stops capture and puts the phone's setting back as it was.
  await page.getByTestId('session-stop').click();
  await page.getByTestId('confirm-stop-confirm').click();
  await expect(indicator).toBeHidden({ timeout: 15_000 });
  await expect.poll(() => httpProxy(workbench, phone.serial), { timeout: 15_000 }).toMatch(before === 'null' ? /^(null|:0)$/ : new RegExp(`^${before}$`));
  expect(consoleErrors).toEqual([]);
});
