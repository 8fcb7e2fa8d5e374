// The rough edges of a recording session, in zh-CN at 1366×768 through the real core, the private adb server and
// the virtual phone: stop asks first (Escape cancels, Enter confirms) and a second stop from another window is
// harmless; a phone pulled mid-session shows as disconnected in the bar, the session list and beside the screen
// within seconds, and when it is back recording resumes and the bar counts the time away; a sleeping screen is
// said in place, not as an error; a 57,000-character note is refused before it is sent, the limit named.
import type { Page } from '@playwright/test';
import { freePort } from '../support/adb-server';
import { expect, screenshot, test } from './fixtures';

test.use({ locale: 'zh-CN' });

async function startSession(page: Page, url: string, serial: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('nav-session').click();
  await expect(page.getByTestId('new-session-phone')).toHaveValue(serial, { timeout: 10_000 });
  await page.getByTestId('new-session-package').fill('com.demo.compliant');
  await page.getByTestId('new-session-tester').fill('王五');
  await page.getByTestId('new-session-start').click();
  await expect(page.getByTestId('session-bar')).toContainText('com.demo.compliant');
}

test('stop asks first: Escape keeps recording, Enter stops; a second stop from another window is harmless', async ({ page, context, workbench, consoleErrors }) => {
  const phone = await workbench.startPhone('compliant-app');
  await startSession(page, workbench.url, phone.serial);
  const bar = page.getByTestId('session-bar');

  await bar.getByTestId('session-stop').click();
  const dialog = page.getByRole('dialog', { name: '结束会话？' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('com.demo.compliant');
  await expect(dialog.getByTestId('confirm-stop-confirm')).toBeFocused();
  // Keys in the dialog reach no page shortcut: C would mark consent.
  await page.keyboard.press('c');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(bar).toBeVisible();
  await expect(page.getByTestId('toast')).toHaveCount(0);

  // The same session stopped from two windows: the Sessions page of one asks, the bar of the other asks and
  // stops; the first then confirms too, and is answered with the stopped session, not an error.
  const other = await context.newPage();
  await other.goto(workbench.url);
  await other.getByTestId('nav-session').click();
  await other.locator('[data-testid=session-table] tr[data-session]').first().getByTestId('session-close').click();
  await expect(other.getByRole('dialog', { name: '结束会话？' })).toBeVisible();
  await bar.getByTestId('session-stop').click();
  await expect(dialog).toBeVisible();
  await screenshot(page, 'session-stop-confirm');
  await page.keyboard.press('Enter');
  await expect(bar).toHaveCount(0);
  await expect(other.getByTestId('session-bar')).toHaveCount(0);
  await other.keyboard.press('Enter');
  await expect(other.getByRole('dialog')).toHaveCount(0);
  await expect(other.locator('[data-testid=session-table] tr[data-session]').first()).toContainText('已结束');
  await expect(page.locator('[data-testid=session-table] tr[data-session]').first()).toContainText('已结束');
  for (const p of [page, other]) await expect(p.locator('.toast.error')).toHaveCount(0);
  // One stop in the timeline (the session started on this page is still open below the list).
  await page.getByTestId('checklist-tab-timeline').click();
  await expect(page.getByTestId('session-timeline').locator('.ev:text-is("session.closed")')).toHaveCount(1);
  expect(consoleErrors).toEqual([]);
});

test('a phone pulled mid-session shows as disconnected at once; back, it records again and the bar counts the gap', async ({ page, workbench }) => {
  test.setTimeout(90_000);
  const port = await freePort();
  let phone = await workbench.startPhone('compliant-app', ['--port', String(port)]);
  await startSession(page, workbench.url, phone.serial);
  const bar = page.getByTestId('session-bar');
  await expect(page.getByTestId('live-screen')).toBeVisible({ timeout: 10_000 });

  // The screen put to sleep is a state of the phone, said beside the screen: no error toast.
  await page.getByTestId('key-POWER').click();
  await expect(page.getByTestId('screen-info')).toContainText('屏幕已熄灭', { timeout: 5000 });
  await expect(page.locator('.toast.error')).toHaveCount(0);
  await page.getByTestId('key-POWER').click();
  await expect(page.getByTestId('screen-info')).toHaveCount(0, { timeout: 5000 });

  const pulledAt = Date.now();
  phone.process.kill('SIGKILL');
  await expect(bar.getByTestId('session-phone-lost')).toContainText('手机已断开', { timeout: 3000 });
  const shownAfter = Date.now() - pulledAt;
  expect(shownAfter).toBeLessThan(3000);
  await expect(page.getByTestId('screen-phone-lost')).toContainText('手机已断开连接', { timeout: 5000 });
  await expect(page.getByTestId('session-row-lost')).toHaveText('手机已断开');
  await expect(page.getByTestId('live-screen')).toHaveClass(/stale/);
  await expect(page.getByText('屏幕已关闭或不可用')).toHaveCount(0);
  // The time since the loss runs in the bar, and the elapsed time says how much of it was without the phone.
  await expect(bar.getByTestId('session-phone-lost')).toContainText(/00:00:0[2-9]/, { timeout: 5000 });
  await expect(bar.getByTestId('session-interrupted')).toContainText(/含 \d+ 秒中断/);
  await screenshot(page, 'session-phone-lost');
  await expect(page.locator('.toast.error')).toHaveCount(0);

  // The same phone back on the same address: the monitor finds it and recording resumes by itself.
  phone = await workbench.startPhone('compliant-app', ['--port', String(port)]);
  await expect(bar.getByTestId('session-phone-lost')).toHaveCount(0, { timeout: 20_000 });
  await expect(bar.getByTestId('session-interrupted')).toContainText(/含 \d+ 秒中断/);
  await expect(page.getByTestId('session-row-lost')).toHaveCount(0);
  await expect(page.getByTestId('screen-phone-lost')).toHaveCount(0, { timeout: 10_000 });
  await expect(page.getByTestId('live-screen')).not.toHaveClass(/stale/);
  await page.getByTestId('checklist-tab-timeline').click();
  const timeline = page.getByTestId('session-timeline');
  await expect(timeline.locator('.ev:text-is("device.disconnected")')).toHaveCount(1);
  await expect(timeline.locator('.ev:text-is("device.reconnected")')).toHaveCount(1, { timeout: 5000 });
  await expect(page.locator('.toast.error')).toHaveCount(0);
});

test('a 57,000-character note is refused before it is sent, the limit and its length named', async ({ page, workbench }) => {
  const phone = await workbench.startPhone('compliant-app');
  await startSession(page, workbench.url, phone.serial);
  const bar = page.getByTestId('session-bar');
  const note = bar.getByTestId('session-note');
  await note.fill('长'.repeat(57_000));
  // Nothing cut: the field holds all of it, and says why it will not be added.
  expect(await note.evaluate((el) => (el as HTMLInputElement).value.length)).toBe(57_000);
  await expect(bar.getByTestId('session-note-limit')).toContainText('备注最多 10,000 字，当前 57,000 字');
  await expect(note).toHaveAttribute('aria-invalid', 'true');
  await note.press('Enter');
  await expect(note).not.toHaveValue('');
  await screenshot(page, 'session-note-limit');
  // Shortened to the limit it is added.
  await note.fill('短'.repeat(10_000));
  await expect(bar.getByTestId('session-note-limit')).toContainText('10,000 / 10,000 字');
  await note.press('Enter');
  await expect(note).toHaveValue('');
  await page.getByTestId('checklist-tab-timeline').click();
  await expect(page.getByTestId('session-timeline').locator('.ev:text-is("tester.note")')).toHaveCount(1, { timeout: 5000 });
  await expect(page.locator('.toast.error')).toHaveCount(0);
});
