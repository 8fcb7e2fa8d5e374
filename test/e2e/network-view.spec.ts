// The Network view of a session that holds what left the phone, written by the real Session class into the served
// workbench's data folder (no API mocked): 10,000 connections and four described ones load into the virtualised
// table (the time is measured and printed); the filters by app, SDK, stage and "personal information only", the
// keyboard (arrows, End, Enter, Escape, /), the detail pane of an intercepted request — escaped text, the phone's
// values masked and highlighted and never shown, a binary answer as a hex dump of its first 64 KB with the rest
// counted — at 1366×768 with no page scroll; then the same in zh-CN with no English left (the zh DOM check).
import type { Page } from '@playwright/test';
import { expect, screenshot, test, type Workbench } from './fixtures';
import { describeFindings, findEnglish } from './zh-dom-check';
import { ANDROID_ID, ANDROID_ID_SHA256, MASKED_ID, MASKED_SHA256, PACKAGES, writeNetworkSession, type NetworkSession } from '../support/recorded-network';

const BULK = 10_000;

async function openNetwork(page: Page, workbench: Workbench, session: NetworkSession): Promise<number> {
  await page.goto(`${workbench.url}#session`);
  await page.locator(`tr[data-session="${session.id}"]`).getByRole('button', { name: /^(Open|打开)$/ }).click();
  await expect(page.getByTestId('guided-session')).toBeVisible({ timeout: 15_000 });
  const t0 = Date.now();
  await page.getByTestId('checklist-tab-network').click();
  await expect(page.getByTestId('flow-count')).toHaveAttribute('data-total', String(session.flows), { timeout: 30_000 });
  await expect(page.getByTestId('flow-row').first()).toBeVisible();
  return Date.now() - t0;
}

/** The page and the content area do not scroll: the table and the pane scroll on their own. */
async function expectNoPageScroll(page: Page, step: string): Promise<void> {
  const m = await page.evaluate(() => ({
    page: { scroll: document.scrollingElement!.scrollHeight, client: document.scrollingElement!.clientHeight },
    content: { scroll: document.querySelector('.content')!.scrollHeight, client: document.querySelector('.content')!.clientHeight },
    body: { scroll: document.querySelector('[data-testid=guided-body]')!.scrollHeight, client: document.querySelector('[data-testid=guided-body]')!.clientHeight },
  }));
  expect(m.page.scroll, `${step}: the page does not scroll`).toBeLessThanOrEqual(m.page.client);
  expect(m.content.scroll, `${step}: the content area does not scroll`).toBeLessThanOrEqual(m.content.client);
  expect(m.body.scroll, `${step}: the tab's body does not scroll (the table does)`).toBeLessThanOrEqual(m.body.client + 1);
}

const shownIds = async (page: Page): Promise<string[]> => page.getByTestId('flow-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-flow')!));

test('10,000 connections: table, filters, keyboard and the detail pane of an intercepted request', async ({ page, workbench, consoleErrors }) => {
  const session = await writeNetworkSession(`${workbench.dataDir}/sessions`, { bulk: BULK });
  const ms = await openNetwork(page, workbench, session);
  console.log(`Network view: ${session.flows} connections read and drawn in ${ms} ms`);
  test.info().annotations.push({ type: 'render-ms', description: `${session.flows} rows in ${ms} ms` });

  // Virtualised: a screenful of rows in the DOM, not ten thousand.
  const drawn = await page.getByTestId('flow-row').count();
  expect(drawn).toBeGreaterThan(5);
  expect(drawn).toBeLessThan(80);
  await expect(page.getByTestId('flow-count')).toHaveText(`${session.flows} connections`);
  await expectNoPageScroll(page, 'table');

  // The first rows, as recorded: time on the phone's clock, app, host:port (SNI when it differs), SDK, TLS, bytes, PI.
  const umeng = page.locator('[data-testid=flow-row][data-flow=f-umeng]');
  await expect(umeng).toContainText('com.demo.shop');
  await expect(umeng).toContainText('alog.umeng.com:443');
  await expect(umeng).toContainText('Umeng+');
  await expect(umeng).toContainText('tunnelled');
  await expect(umeng).toContainText('↑2.1 KB↓5.3 KB');
  await expect(umeng).toContainText('500 ms');
  const jpush = page.locator('[data-testid=flow-row][data-flow=f-jpush]');
  await expect(jpush).toContainText('intercepted');
  await expect(jpush).toContainText(`Android ID${MASKED_SHA256} +1`);
  const ads = page.locator('[data-testid=flow-row][data-flow=f-ads]');
  await expect(ads).toContainText('unattributedcom.demo.shop | com.demo.other');
  await expect(ads).toContainText('plain');
  const own = page.locator('[data-testid=flow-row][data-flow=f-own]');
  await expect(own).toContainText('203.0.113.7:443SNI api.demo-shop.example');
  await expect(own).toContainText('open');

  // Filters: PI only, by app (unattributed), by SDK, by stage, by text (/ goes there); all off again.
  await page.getByTestId('flow-filter-pi').check();
  await expect.poll(() => shownIds(page)).toEqual(['f-jpush', 'f-ads']);
  await expect(page.getByTestId('flow-count')).toHaveText(`2 of ${session.flows} connections`);
  // Drawing the whole table again from what is held (no reading): the table's own render time.
  const t0 = Date.now();
  await page.getByTestId('flow-filter-pi').uncheck();
  await expect(page.getByTestId('flow-count')).toHaveText(`${session.flows} connections`);
  await expect(umeng).toBeVisible();
  const redraw = Date.now() - t0;
  console.log(`Network view: ${session.flows} rows filtered and drawn again in ${redraw} ms`);
  test.info().annotations.push({ type: 'redraw-ms', description: `${session.flows} rows in ${redraw} ms` });
  await page.getByTestId('flow-filter-app').selectOption({ label: 'unattributed' });
  await expect.poll(() => shownIds(page)).toEqual(['f-ads']);
  await page.getByTestId('flow-filter-app').selectOption({ label: 'com.demo.other' });
  await expect(page.getByTestId('flow-count')).toHaveText(`${Math.ceil(BULK / 7)} of ${session.flows} connections`);
  await page.getByTestId('flow-filter-app').selectOption('');
  await page.getByTestId('flow-filter-sdk').selectOption({ label: 'JPush' });
  await expect(page.getByTestId('flow-count')).toHaveText(`${1 + Math.floor((BULK + 1) / 3)} of ${session.flows} connections`);
  await page.getByTestId('flow-filter-sdk').selectOption('');
  await page.getByTestId('flow-filter-stage').selectOption({ label: 'Decline path' });
  // The decline stage's two, then the first half of the bulk (the agree stage was marked half way).
  await expect(page.getByTestId('flow-count')).toHaveText(`${2 + BULK / 2} of ${session.flows} connections`);
  expect((await shownIds(page)).slice(0, 3)).toEqual(['f-ads', 'f-own', 'b0']);
  await page.getByTestId('flow-filter-stage').selectOption('');
  await page.getByTestId('flow-table').click();
  await page.keyboard.press('/');
  await expect(page.getByTestId('flow-filter-text')).toBeFocused();
  await page.keyboard.type('jpush.cn');
  await expect(page.getByTestId('flow-count')).toHaveText(`${1 + Math.floor((BULK + 1) / 3)} of ${session.flows} connections`);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('flow-count')).toHaveText(`${session.flows} connections`);

  // Keyboard: into the table, End to the last of 10,004 rows (scrolled into view), Home, ↓ to the second, Enter.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('flow-table')).toBeFocused();
  await page.keyboard.press('End');
  await expect(page.locator(`[data-testid=flow-row][data-flow=b${BULK - 1}]`)).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator(`[data-testid=flow-row][data-flow=b${BULK - 1}]`)).toBeInViewport();
  await page.keyboard.press('Home');
  await expect(umeng).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(jpush).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('flow-detail');
  await expect(detail).toBeVisible();

  // The intercepted request: method, URL (escaped, not markup), status, headers and bodies, values masked.
  await expect(detail).toContainText('sdk.jpush.cn:443');
  await expect(detail).toContainText('2 of the phone\'s values found');
  await expect(detail).toContainText('Android ID (SHA-256, in the body)');
  const request = page.getByTestId('flow-request-detail');
  await expect(request).toContainText('POST https://sdk.jpush.cn/v1/report?from=<script>alert(1)</script> 2 → 200');
  await expect(page.getByTestId('request-body')).toHaveAttribute('data-kind', 'text');
  await expect(page.getByTestId('request-body')).toContainText(`{"aid":"${MASKED_SHA256}","platform":"android","note":"<b>not markup</b> & \\"quotes\\""}`);
  await expect(page.getByTestId('pi-mark')).toHaveText([MASKED_SHA256, MASKED_SHA256]);
  expect(await detail.locator('script, b').count(), 'what the phone sent is never markup').toBe(0);
  await expect(page.getByTestId('response-body')).toHaveAttribute('data-kind', 'hex');
  const hex = await page.getByTestId('response-body').locator('pre').innerText();
  expect(hex.split('\n')[0]).toMatch(/^00000000 {2}08 96 01 00 ff [0-9a-f ]{34} \|\.\.\.\.\.[ -~]{11}\|$/);
  expect(hex.trimEnd().split('\n')).toHaveLength(4096);
  await expect(page.getByTestId('response-body-extent')).toContainText(`First 64 KB of ${Math.round(session.binarySize / 1024)} KB shown; ${((session.binarySize - 65536) / 1024).toFixed(1)} KB more not shown.`);
  // The phone's values are not on the page anywhere, not even in markup.
  const html = await page.content();
  expect(html).not.toContain(ANDROID_ID_SHA256);
  expect(html).not.toContain(ANDROID_ID);
  await expectNoPageScroll(page, 'detail');
  await screenshot(page, 'network-view-en');

  // The app list in a plain URL, masked the same way; Escape closes the pane and leaves the table focused.
  await page.getByTestId('flow-table').focus();
  await page.keyboard.press('ArrowDown');
  await expect(ads).toHaveAttribute('aria-selected', 'true');
  await expect(detail).toContainText('unattributed: several apps had connections open');
  // The Android ID masked where it was sent; the app list as sent (apps, not the person, are named).
  await expect(page.getByTestId('flow-request-detail')).toContainText(`GET http://log.adsdk.example:8080/collect?aid=${MASKED_ID}&pkgs=${encodeURIComponent(PACKAGES.join(','))}`);
  await expect(detail).toContainText('installed app list (as is, in the URL):');
  expect(await page.content()).not.toContain(ANDROID_ID);
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();
  await expect(page.getByTestId('flow-table')).toBeFocused();
  expect(consoleErrors).toEqual([]);
});

test.describe('in zh-CN', () => {
  test.use({ locale: 'zh-CN' });

  test('the Network view and its detail pane hold no English outside names and code', async ({ page, workbench, consoleErrors }) => {
    const session = await writeNetworkSession(`${workbench.dataDir}/sessions`);
    await openNetwork(page, workbench, session);
    await expect(page.getByTestId('flow-count')).toHaveText(`${session.flows} 个连接`);
    await expect(page.locator('[data-testid=flow-row][data-flow=f-ads]')).toContainText('未归属');
    await expect(page.locator('[data-testid=flow-row][data-flow=f-umeng]')).toContainText('友盟+');
    let found = await findEnglish(page);
    expect(found, describeFindings('network table', found)).toEqual([]);
    await page.locator('[data-testid=flow-row][data-flow=f-jpush]').dblclick();
    await expect(page.getByTestId('flow-detail')).toContainText('Android ID（SHA-256 摘要，位于请求体）');
    await expect(page.getByTestId('response-body-extent')).toContainText('显示前 64 KB');
    found = await findEnglish(page);
    expect(found, describeFindings('network detail', found)).toEqual([]);
    await expectNoPageScroll(page, 'zh detail');
    await screenshot(page, 'network-view-zh');
    await page.getByTestId('flow-filter-stage').selectOption({ label: '拒绝路径' });
    await expect.poll(() => shownIds(page)).toEqual(['f-ads', 'f-own']);
    found = await findEnglish(page);
    expect(found, describeFindings('network filtered', found)).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
