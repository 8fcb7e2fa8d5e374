// The guided Explore stage (issue #29) in browser mode against the real core, a private adb server and the virtual
// phone playing test/fixtures/scenarios/explore-menus.yaml (the policy five taps deep: 我的 › 设置 › 关于我们 ›
// 法律条款 › 《隐私政策》, a personalisation switch that turns itself back on, a launch ad whose close comes late).
// A paused session's refusal is said in the panel; the walk started from the keyboard shows its taps live, is
// stopped midway (the stop recorded as "stopped by hand"), started again and left to finish; the findings show
// the policy's path with its five taps and the screenshots along it, the switch and the ad; 164-1.7 is proposed as
// a violation with the path, and one key (A) confirms it. Then the same panel in Chinese: no English outside
// identifiers, and its picture kept for a look.
import { join } from 'node:path';
import { expect, screenshot, test } from './fixtures';
import { describeFindings, findEnglish } from './zh-dom-check';

const SCENARIO = join(__dirname, '../fixtures/scenarios/explore-menus.yaml');
const PKG = 'com.demo.explore';
const POLICY_PATH = '我的 › 设置 › 关于我们 › 法律条款 › 《隐私政策》';

test('the Explore stage: start, watch, stop, start again, read the policy path and confirm 164-1.7 with one key', async ({ page, workbench, consoleErrors }) => {
  test.setTimeout(240_000);
  const phone = await workbench.startPhone(SCENARIO);
  await page.goto(workbench.url);
  await page.getByTestId('nav-session').click();
  await expect(page.getByTestId('new-session-phone')).toHaveValue(phone.serial, { timeout: 10_000 });
  await page.getByTestId('new-session-package').fill(PKG);
  await page.getByTestId('new-session-tester').fill('Zhao Liu');
  await page.getByTestId('new-session-start').click();
  await expect(page.getByTestId('guided-session')).toBeVisible({ timeout: 10_000 });

  await page.getByTestId('stage-explore').click();
  const panel = page.getByTestId('explore-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('explore-progress')).toHaveAttribute('data-running', 'false');
  await expect(page.getByTestId('explore-progress')).toContainText('has not walked this app');
  // Before a walk, the items wait for one.
  await expect(page.getByTestId('proposal-164-1.7')).toHaveAttribute('data-status', 'needs-tester', { timeout: 20_000 });

  // A paused session cannot be explored: the core's refusal is said in the panel, in words.
  await page.getByTestId('session-pause').click();
  await expect(page.getByTestId('guided-session')).toHaveClass(/no-phone/, { timeout: 10_000 });
  await page.getByTestId('explore-start').click();
  await expect(page.getByTestId('explore-error')).toContainText('is not recording: resume it, then start exploring');
  await page.getByTestId('session-table').getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('live-screen')).toBeVisible({ timeout: 15_000 });

  // Limits from the keyboard; Enter in a field starts the walk (from a cold launch: taps count from the main screen).
  await page.getByTestId('explore-maxDepth').fill('0');
  await expect(page.getByTestId('explore-start')).toBeDisabled();
  await expect(panel).toContainText('Depth (taps from the main screen): from 1 to 12');
  await page.getByTestId('explore-maxDepth').fill('6');
  await page.getByTestId('explore-maxMinutes').fill('3');
  await page.getByTestId('explore-maxTaps').fill('200');
  await expect(page.getByTestId('explore-cold-start')).toBeChecked();
  await page.getByTestId('explore-maxTaps').press('Enter');
  await expect(page.getByTestId('explore-error')).toHaveCount(0);
  const progress = page.getByTestId('explore-progress');
  await expect(progress).toHaveAttribute('data-running', 'true', { timeout: 15_000 });
  // Taps show live (the first comes once the launch ad's close appears, some seconds after launch).
  await expect.poll(async () => Number(await progress.getAttribute('data-taps')), { timeout: 40_000 }).toBeGreaterThanOrEqual(2);
  await expect(progress).toContainText(/Exploring — taps: \d+ · screens: \d+ · time: 00:00:\d\d/);
  await expect(page.getByTestId('explore-steps').locator('li[data-kind=tap]').first()).toBeVisible();
  // Starting moved the keyboard's focus to Stop: Enter stops the walk midway.
  await expect(page.getByTestId('explore-stop')).toBeFocused();
  await page.keyboard.press('Enter');
  const result = page.getByTestId('explore-result');
  await expect(result).toHaveAttribute('data-stopped', 'stopped', { timeout: 30_000 });
  await expect(result).toContainText('The walk ended (stopped by hand)');
  await expect(progress).toHaveCount(0);
  await expect(page.getByTestId('explore-start')).toBeEnabled();

  // Again, to the end. The stopped walk stays listed.
  await expect(page.getByTestId('explore-start')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(progress).toHaveAttribute('data-running', 'true', { timeout: 15_000 });
  await expect(page.getByTestId('explore-earlier')).toContainText('stopped by hand after');
  await expect(result).toHaveAttribute('data-stopped', 'explored', { timeout: 180_000 });
  await expect(page.getByTestId('explore-start')).toBeEnabled();

  const policy = page.getByTestId('explore-target-privacy-policy');
  await expect(policy).toHaveAttribute('data-found', 'true');
  await expect(policy).toHaveAttribute('data-taps', '5');
  await expect(policy.getByTestId('explore-taps')).toHaveText('found, 5 taps from the main screen');
  await expect(policy.getByTestId('explore-path')).toHaveText(POLICY_PATH);
  // A screenshot of every screen along the path, the main screen first, each named by the tap that opened it.
  const shots = policy.getByTestId('explore-shot');
  await expect(shots).toHaveCount(6);
  await expect(policy.locator('.explore-shots > li').first()).toContainText('Main screen');
  await expect(policy.locator('.explore-shots > li').nth(5)).toContainText('After 《隐私政策》');
  await expect.poll(() => shots.first().locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBe(1080);
  await shots.nth(5).click();
  await expect(page.getByTestId('explore-shot-big').locator('img')).toBeVisible();
  await expect(page.getByTestId('explore-target-account-deletion')).toHaveAttribute('data-found', 'true');
  await expect(page.getByTestId('explore-target-consent-withdrawal')).toHaveAttribute('data-found', 'false');
  await expect(page.getByTestId('explore-switch')).toHaveAttribute('data-state', 'back-on');
  await expect(page.getByTestId('explore-ad')).toHaveCount(1);
  await expect(page.getByTestId('explore-ad')).not.toHaveAttribute('data-close-after', 'never');

  // The item's card holds the proposal with the path; the walk's item link focuses it, and A confirms it.
  const proposal = page.getByTestId('proposal-164-1.7');
  await expect(proposal).toHaveAttribute('data-status', 'violation', { timeout: 20_000 });
  await expect(proposal).toContainText(`The privacy policy is 5 taps from the main screen (more than 4): ${POLICY_PATH}`);
  await policy.getByTestId('explore-item-164-1.7').click();
  await expect(page.locator('.item-card.focused')).toHaveAttribute('data-item', '164-1.7');
  await expect(page.getByTestId('accept-164-1.7')).toContainText('Accept: Fail');
  await page.keyboard.press('a');
  await expect(page.getByTestId('verdict-164-1.7-fail')).toHaveAttribute('aria-pressed', 'true', { timeout: 10_000 });
  await expect(page.getByTestId('accept-164-1.7')).toHaveCount(0);
  await expect(page.getByTestId('checklist-progress')).toContainText('1 of 35 items decided');
  // Recorded in the session: the verdict is an event of its timeline, in the feed beside the items.
  await expect(page.getByTestId('event-feed')).toContainText('Verdict 164-1.7: fail', { timeout: 10_000 });
  await screenshot(page, 'explore-en');

  // The same panel in Chinese: the app's words as written, no English outside identifiers.
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('language').selectOption('zh-CN');
  await page.getByTestId('nav-session').click();
  await page.locator('[data-testid=session-table] tr[data-session]').first().getByRole('button', { name: '打开' }).click();
  await page.getByTestId('stage-explore').click();
  await expect(result).toHaveAttribute('data-stopped', 'explored', { timeout: 15_000 });
  await expect(result).toContainText('探索结束（可点击的控件均已尝试）');
  await expect(policy.getByTestId('explore-taps')).toHaveText('已找到，距主界面 5 次点击');
  await expect(policy.getByTestId('explore-path')).toHaveText(POLICY_PATH);
  await expect(page.getByTestId('verdict-164-1.7-fail')).toHaveAttribute('aria-pressed', 'true');
  await expect(policy.getByTestId('explore-shot').first().locator('img')).toBeVisible();
  const english = await findEnglish(page, undefined, '.stage-panel');
  expect(english, describeFindings('explore stage (zh-CN)', english)).toEqual([]);
  await screenshot(page, 'explore-zh');
  // The findings as the tester reads them at 1366×768 (the workspace's column scrolls): from the walk's outcome
  // down, then the switch, ad and untapped controls below the targets.
  const body = page.getByTestId('guided-body');
  await result.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await body.screenshot({ path: '/tmp/explore-zh.png' });
  await page.getByTestId('explore-denied').evaluate((el) => el.scrollIntoView({ block: 'end' }));
  await body.screenshot({ path: '/tmp/explore-zh-checks.png' });
  expect(consoleErrors).toEqual([]);
});
