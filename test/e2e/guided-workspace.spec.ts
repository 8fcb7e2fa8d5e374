// The guided workspace at 1366×768 in zh-CN, from starting a session to the exported package, as a tester on a
// 13-inch laptop works it: at every step the phone's live screen is at least 60 % of the window's height, the
// phone and the current item are both wholly in view with no page scroll, nothing covers the phone, and no
// English is left on the screen (the zh DOM check). Screenshots of each step are kept (the phone's dialog text
// must be readable in them). Then the same at 1920×1080, zoom and fit by keyboard, and the size on a revisit.
import type { Page } from '@playwright/test';
import { expect, screenshot, tapNode, test, waitForNode, type Workbench } from './fixtures';
import { describeFindings, findEnglish } from './zh-dom-check';

/** Device pixel font sizes the virtual phone draws with (screen-render.ts): body text and dialog text. */
const BODY_TEXT_PX = 40;
const DIALOG_TEXT_PX = 44;

interface Layout {
  phoneHeight: number;
  phoneWidth: number;
  /** The phone's body text as drawn on the page, in CSS px. */
  bodyTextPx: number;
  dialogTextPx: number;
}

/** Everything (b) asks at one step, measured with getBoundingClientRect. */
async function checkLayout(page: Page, step: string, item: string | null): Promise<Layout> {
  const m = await page.evaluate((sel) => {
    // The live screen: the video's canvas or the screenshot; data-height is the phone's own height on both.
    const img = document.querySelector<HTMLElement>('[data-testid=live-screen]');
    const r = img?.getBoundingClientRect();
    const status = document.querySelector('.statusbar')!.getBoundingClientRect().top;
    const scroller = document.scrollingElement!;
    const content = document.querySelector('.content')!;
    const it = sel ? document.querySelector(sel) : null;
    const ir = it?.getBoundingClientRect();
    const body = document.querySelector('[data-testid=guided-body]')?.getBoundingClientRect();
    // What is drawn at the phone's centre and near its four corners: the image itself, nothing over it.
    const onTop = r ? [[0.5, 0.5], [0.1, 0.05], [0.9, 0.05], [0.1, 0.95], [0.9, 0.95]].map(([fx, fy]) => document.elementFromPoint(r.left + r.width * fx!, r.top + r.height * fy!) === img) : [];
    return {
      phone: r ? { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height, natural: Number(img!.getAttribute('data-height')) } : null,
      status, innerHeight, innerWidth,
      page: { scrollHeight: scroller.scrollHeight, clientHeight: scroller.clientHeight },
      content: { scrollHeight: content.scrollHeight, clientHeight: content.clientHeight },
      item: ir ? { top: ir.top, bottom: ir.bottom } : null,
      body: body ? { top: body.top, bottom: body.bottom } : null,
      onTop,
    };
  }, item);
  expect(m.phone, `${step}: the live screen is shown`).not.toBeNull();
  const phone = m.phone!;
  expect(phone.height, `${step}: the live screen is ≥ 60 % of the window's height`).toBeGreaterThanOrEqual(0.6 * m.innerHeight);
  expect(phone.top, `${step}: the phone's top is in view`).toBeGreaterThanOrEqual(0);
  expect(phone.bottom, `${step}: the phone ends above the status bar`).toBeLessThanOrEqual(m.status);
  expect(phone.right, `${step}: the phone is in view horizontally`).toBeLessThanOrEqual(m.innerWidth);
  expect(m.onTop, `${step}: nothing covers the phone`).toEqual([true, true, true, true, true]);
  expect(m.page.scrollHeight, `${step}: the page does not scroll`).toBeLessThanOrEqual(m.page.clientHeight);
  expect(m.content.scrollHeight, `${step}: the content area does not scroll`).toBeLessThanOrEqual(m.content.clientHeight);
  if (item) {
    expect(m.item, `${step}: the current item is shown`).not.toBeNull();
    expect(m.item!.top, `${step}: the current item's top is in view`).toBeGreaterThanOrEqual(Math.max(0, m.body!.top));
    expect(m.item!.bottom, `${step}: the current item's bottom is in view`).toBeLessThanOrEqual(Math.min(m.status, m.body!.bottom));
  }
  const scale = phone.height / phone.natural;
  return { phoneHeight: Math.round(phone.height), phoneWidth: Math.round(phone.width), bodyTextPx: Math.round(BODY_TEXT_PX * scale * 10) / 10, dialogTextPx: Math.round(DIALOG_TEXT_PX * scale * 10) / 10 };
}

/**
 * English the walk finds in text written by code outside the UI, each reported to its owner in issue #26 and
 * named here exactly, so that anything else fails: a core evaluator's "permission dialog" (checklist
 * evaluators, consent.ts), the "at the tap #N" a mark's label gets in the session manager, and the
 * "(self-asserted / 自声明)" the evidence code writes into a self-signed certificate's subject. Remove each
 * line when its owner's fix lands.
 */
const OWNED_ELSEWHERE = [/^CN=.* \(self-asserted \/ 自声明\)/];

/** English found on each screen, asserted at the end so one run lists all of it. */
const english: string[] = [];
const pending = new Set<string>();

async function noEnglish(page: Page, screen: string): Promise<void> {
  const found = (await findEnglish(page)).filter((f) => {
    const elsewhere = OWNED_ELSEWHERE.some((re) => re.test(f.text));
    if (elsewhere) pending.add(f.text);
    return !elsewhere;
  });
  if (found.length) english.push(describeFindings(screen, found));
}

/** A step of the walk: layout, no English, a screenshot. */
async function step(page: Page, name: string, item: string | null, measured: Record<string, Layout>): Promise<void> {
  // Let the live screen, proposals and toasts settle into this step's state before measuring.
  await expect(page.getByTestId('live-screen')).toBeVisible({ timeout: 10_000 });
  measured[name] = await checkLayout(page, name, item);
  await screenshot(page, `workspace-${name}`);
  await noEnglish(page, name);
}

async function startSession(page: Page, workbench: Workbench): Promise<void> {
  const phone = await workbench.startPhone('collects-before-consent');
  await page.goto(workbench.url);
  await page.getByTestId('nav-session').click();
  await expect(page.getByTestId('new-session-phone')).toHaveValue(phone.serial, { timeout: 10_000 });
  await page.getByTestId('new-session-package').fill('com.demo.shop');
  await page.getByTestId('new-session-tester').fill('王五');
  await page.getByTestId('new-session-start').click();
  await expect(page.getByTestId('guided-session')).toBeVisible({ timeout: 10_000 });
}

test.use({ locale: 'zh-CN' });

test('1366×768 zh-CN: the phone and the current item in view at every step of a guided session, no English, readable', async ({ page, workbench, consoleErrors }) => {
  test.setTimeout(180_000);
  const measured: Record<string, Layout> = {};
  await startSession(page, workbench);
  // The form and the list fold away once the session records: the workspace starts right under the bar.
  await expect(page.getByTestId('new-session-phone')).toHaveCount(0);
  expect((await page.getByTestId('guided-session').boundingBox())!.y).toBeLessThan(120);
  const bar = page.getByTestId('session-bar');
  const barBox = (await bar.boundingBox())!;
  expect(barBox.height, 'the session bar is one row').toBeLessThan(50);

  await page.getByTestId('stage-first-launch').click();
  await page.getByTestId('stage-start').click();
  await page.getByTestId('fresh-launch').click();
  await expect(page.getByTestId('proposal-164-1.1')).toHaveAttribute('data-status', 'violation', { timeout: 20_000 });
  // The fresh launch ends with the first screen's UI dump: the consent dialog is up, the step's state is reached.
  await expect(page.getByTestId('event-feed')).toContainText('已采集界面结构', { timeout: 20_000 });
  await expect(page.getByTestId('proposal-164-1.4')).toHaveAttribute('data-status', /^(none-observed|needs-tester|violation)$/, { timeout: 20_000 });
  await page.locator('.item-card[data-item="164-1.1"]').click();
  await step(page, '1-first-launch', '.item-card.focused', measured);

  await page.keyboard.press('2');
  await expect(page.getByTestId('verdict-164-1.1-fail')).toHaveAttribute('aria-pressed', 'true', { timeout: 5000 });
  // J walks down the items: each one comes into view beside the phone, the phone stays where it is.
  const before = (await page.getByTestId('live-screen').boundingBox())!;
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('j');
    await step(page, `2-item-${i + 1}`, '.item-card.focused', measured);
    expect((await page.getByTestId('live-screen').boundingBox())!.y).toBe(before.y);
  }

  await page.keyboard.press('n');
  await expect(page.getByTestId('stage-policy')).toHaveAttribute('aria-current', 'step');
  await expect(page.getByTestId('policy-panel')).toBeVisible();
  await step(page, '3-policy-stage', '.item-card.focused', measured);
  await page.getByTestId('checklist-tab-policy').click();
  await step(page, '4-policy-tab', null, measured);
  await page.getByTestId('checklist-tab-guide').click();

  await page.keyboard.press('n');
  await expect(page.getByTestId('stage-decline')).toHaveAttribute('aria-current', 'step');
  await page.getByTestId('stage-start').click();
  // Tapped through the UI tree's positions on the live screen (the tree opens beside the phone, then closes).
  await tapNode(page, '不允许');
  await tapNode(page, '不同意');
  await page.getByTestId('ui-tree-toggle').click();
  await expect(page.getByTestId('ui-tree')).toHaveCount(0);
  await page.keyboard.press('d');
  await expect(page.getByTestId('proposal-164-1.3')).toHaveAttribute('data-status', /none-observed|violation/, { timeout: 20_000 });
  await page.locator('.item-card[data-item="164-1.3"]').click();
  await page.keyboard.press('1');
  await step(page, '5-decline', '.item-card.focused', measured);

  await page.getByTestId('stage-manual').click();
  await page.locator('.item-card[data-item="164-9.1"]').click();
  await page.keyboard.press('3');
  await expect(page.getByTestId('verdict-164-9.1-not-applicable')).toHaveAttribute('aria-pressed', 'true', { timeout: 5000 });
  await step(page, '6-manual', '.item-card.focused', measured);

  await page.getByTestId('checklist-tab-findings').click();
  await expect(page.getByTestId('findings-table')).toBeVisible();
  await step(page, '7-findings', null, measured);
  await page.getByTestId('checklist-tab-timeline').click();
  await expect(page.getByTestId('session-timeline')).toBeVisible();
  await step(page, '8-timeline', null, measured);

  // Stop from the bar, export from the workspace header, and the Evidence page in Chinese.
  await page.getByTestId('session-stop').click();
  // Stop asks first (the dialog is in Chinese too).
  await noEnglish(page, '9-confirm-stop');
  await page.getByTestId('confirm-stop-confirm').click();
  await expect(bar).toHaveCount(0);
  await expect(page.getByTestId('session-table').locator('tr[data-session]')).toContainText('已结束');
  await noEnglish(page, '9-closed');
  await page.getByTestId('session-export').click();
  await page.getByTestId('export-identity-name').fill('王五');
  await page.getByTestId('export-passphrase').fill('correct horse battery');
  await page.getByTestId('export-run').click();
  await expect(page.getByTestId('export-download')).toBeVisible({ timeout: 60_000 });
  await noEnglish(page, '10-exported');
  await screenshot(page, 'workspace-10-exported');

  // What the phone's text measures on this screen (the report's figure), and the rules over every step.
  const heights = Object.values(measured).map((m) => m.phoneHeight);
  expect(Math.max(...heights) - Math.min(...heights), 'the phone keeps its size through the walk').toBeLessThanOrEqual(1);
  test.info().annotations.push({ type: 'measured', description: JSON.stringify(measured['1-first-launch']) });
  console.log('1366×768 measured:', JSON.stringify(measured['1-first-launch']));
  expect(english.join('\n'), 'no English on any zh screen of the walk').toBe('');
  if (pending.size) console.log(`English owned elsewhere (issue #26), still shown: ${[...pending].join(' | ')}`);
  expect(consoleErrors).toEqual([]);
});

test('1366×768: zoom and fit by keyboard, taps still land, the size is the same on a revisit', async ({ page, workbench }) => {
  test.setTimeout(120_000);
  await startSession(page, workbench);
  await page.getByTestId('stage-first-launch').click();
  await page.getByTestId('fresh-launch').click();
  const screen = page.getByTestId('live-screen');
  await expect(screen).toHaveAttribute('data-height', '2400', { timeout: 10_000 });
  const fitted = (await screen.boundingBox())!;

  // Keyboard only: Tab to the zoom buttons and the phone's viewport; + zooms, 0 fits.
  await page.getByTestId('zoom-in').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('zoom-fit')).toHaveText('125%');
  const zoomed = (await screen.boundingBox())!;
  expect(zoomed.height / fitted.height).toBeCloseTo(1.25, 1);
  await page.getByTestId('screen-viewport').focus();
  await page.keyboard.press('+');
  await expect(page.getByTestId('zoom-fit')).toHaveText('150%');
  const viewport = page.getByTestId('screen-viewport');
  // Zoomed, the phone's frame scrolls inside its viewport; the page still does not.
  expect(await viewport.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
  expect(await page.locator('.content').evaluate((el) => el.scrollHeight <= el.clientHeight)).toBe(true);
  const text150 = (await screen.boundingBox())!.height / 2400 * BODY_TEXT_PX;
  console.log(`1366×768 at 150 %: body text ${text150.toFixed(1)} px`);
  expect(text150, 'zoomed, the phone\'s body text is at least 12 px').toBeGreaterThanOrEqual(12);
  // A tap on the zoomed, scrolled image lands where the button is drawn: the permission dialog goes away.
  const deny = page.locator('[data-testid=ui-node][data-text="不允许"]');
  await waitForNode(page, '不允许');
  const [l, t, r, b] = (await deny.getAttribute('data-bounds'))!.split(',').map(Number) as [number, number, number, number];
  const shownHeight = (await screen.boundingBox())!.height;
  const y = ((t + b) / 2 / 2400) * shownHeight;
  await viewport.evaluate((el, at) => { el.scrollTop = at - el.clientHeight / 2; }, y);
  expect(await viewport.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  await screen.click({ position: { x: ((l + r) / 2 / 1080) * (await screen.boundingBox())!.width, y } });
  await expect(deny).toHaveCount(0, { timeout: 10_000 });
  await page.getByTestId('ui-tree-toggle').click();
  await page.getByTestId('screen-viewport').focus();
  await page.keyboard.press('0');
  await expect(page.getByTestId('zoom-fit')).toHaveText('适应');
  expect((await screen.boundingBox())!.height).toBeCloseTo(fitted.height, 0);

  // Another page and back, and a reload: the phone comes back at the same size.
  await page.getByTestId('nav-devices').click();
  await page.getByTestId('nav-session').click();
  await page.locator('[data-testid=session-table] tr[data-session]').first().getByRole('button', { name: '打开' }).click();
  await expect(screen).toHaveAttribute('data-height', '2400', { timeout: 10_000 });
  await expect(page.getByTestId('screen-source')).toBeVisible({ timeout: 10_000 });
  expect((await screen.boundingBox())!.height).toBeCloseTo(fitted.height, 0);
  await page.reload();
  await page.getByTestId('nav-session').click();
  await page.locator('[data-testid=session-table] tr[data-session]').first().getByRole('button', { name: '打开' }).click();
  await expect(screen).toHaveAttribute('data-height', '2400', { timeout: 10_000 });
  await expect(page.getByTestId('screen-source')).toBeVisible({ timeout: 10_000 });
  expect((await screen.boundingBox())!.height).toBeCloseTo(fitted.height, 0);

  // Detached: the screen-only route opens in a window of its own, the phone filling it, in Chinese.
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('screen-detach').click()]);
  await expect(popup.getByTestId('screen-window')).toBeVisible({ timeout: 10_000 });
  const detached = popup.getByTestId('live-screen');
  await expect(detached).toHaveAttribute('data-height', '2400', { timeout: 10_000 });
  // Measured once its source is settled: the first screenshot's image gives way to the video's canvas when it paints.
  await expect(popup.getByTestId('screen-source')).toBeVisible({ timeout: 10_000 });
  const box = (await detached.boundingBox())!;
  const inner = await popup.evaluate(() => ({ width: innerWidth, height: innerHeight }));
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(inner.height);
  expect(box.x + box.width).toBeLessThanOrEqual(inner.width);
  // As large as the window allows: its height, or its width beside the control strip in a narrow window.
  expect(Math.max(box.height / inner.height, (box.width + 140) / inner.width)).toBeGreaterThanOrEqual(0.85);
  expect(new URL(popup.url()).hash).toMatch(/^#screen\//);
  await expect(popup.getByTestId('live-toggle')).toHaveText('暂停实时画面');
  const found = await findEnglish(popup);
  expect(found, describeFindings('detached', found)).toEqual([]);
  await popup.close();
});

test('1920×1080: the same workspace, the phone larger, events beside the items', async ({ page, workbench }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1920, height: 1080 });
  const measured: Record<string, Layout> = {};
  await startSession(page, workbench);
  await page.getByTestId('stage-first-launch').click();
  await page.getByTestId('fresh-launch').click();
  await expect(page.getByTestId('proposal-164-1.1')).toHaveAttribute('data-status', 'violation', { timeout: 20_000 });
  await expect(page.getByTestId('proposal-164-1.4')).toHaveAttribute('data-status', /^(none-observed|needs-tester|violation)$/, { timeout: 20_000 });
  await page.locator('.item-card[data-item="164-1.1"]').click();
  await step(page, '1920-first-launch', '.item-card.focused', measured);
  console.log('1920×1080 measured:', JSON.stringify(measured['1920-first-launch']));
  expect(english.join('\n'), 'no English at 1920×1080').toBe('');
  expect(measured['1920-first-launch']!.bodyTextPx, 'at 1920×1080 the body text is at least 12 px at fit').toBeGreaterThanOrEqual(12);
  const feed = (await page.getByTestId('event-feed').boundingBox())!;
  const item = (await page.locator('.item-card.focused').boundingBox())!;
  expect(feed.x, 'the events sit beside the items').toBeGreaterThan(item.x + item.width);
});

test('the Devices page: the phone fills the window\'s height at 1366×768, the same on every visit', async ({ page, workbench }) => {
  const phone = await workbench.startPhone('collects-before-consent');
  await page.goto(workbench.url);
  const sizes: number[] = [];
  for (let visit = 0; visit < 3; visit++) {
    await page.locator(`[data-testid=device-row][data-serial="${phone.serial}"]`).getByTestId('open-device').click();
    await page.getByTestId('tab-screen').click();
    const screen = page.getByTestId('live-screen');
    await expect(screen).toHaveAttribute('data-height', '2400', { timeout: 10_000 });
    const box = (await screen.boundingBox())!;
    const status = (await page.locator('.statusbar').boundingBox())!.y;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(status);
    expect(box.height).toBeGreaterThanOrEqual(0.6 * 768);
    sizes.push(Math.round(box.height));
    if (visit === 0) await screenshot(page, 'workspace-devices-1366');
    await page.getByTestId('tab-details').click();
    await page.getByTestId('nav-app').click();
    await page.getByTestId('nav-devices').click();
  }
  expect(new Set(sizes).size, `sizes over three visits: ${sizes.join(', ')}`).toBe(1);
});
