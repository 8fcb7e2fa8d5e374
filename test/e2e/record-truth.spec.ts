// The record says only what happened (issue #26), in the zh-CN UI through the real adb server: on the guided policy
// stage, "从手机采集（点击政策链接）" on an app whose 《隐私政策》 link opens nothing shows the failure in Chinese,
// and the session's events hold the workbench's own tap and its failed step — and no mark that the policy opened,
// and nothing called the tester's.
import { join } from 'node:path';
import { expect, guidedPolicyStage, screenshot, test } from './fixtures';

const SCENARIO = join(__dirname, '../fixtures/scenarios/policy-links.yaml');

test.use({ locale: 'zh-CN' });

test('a failed capture leaves a failure event in Chinese and no mark', async ({ page, workbench, consoleErrors }) => {
  test.setTimeout(120_000);
  await guidedPolicyStage(page, workbench, SCENARIO, 'com.demo.deadlink');
  const feed = page.getByTestId('event-feed');
  const rows = feed.locator('.feed-text');
  const panel = page.getByTestId('policy-panel');
  await panel.getByTestId('policy-capture-link').click();

  const failure = '点击“《隐私政策》”后手机屏幕没有任何变化：该链接可能无效（164-1.6）。请自行在手机上打开该页面后采集当前屏幕，或改用网址、文件。';
  await expect(page.getByRole('alert').locator('span')).toHaveText(failure, { timeout: 30_000 });
  await expect(rows.filter({ hasText: `工作台自动操作未完成（从手机采集隐私政策）：${failure}` })).toHaveCount(1, { timeout: 15_000 });
  await expect(rows.filter({ hasText: '工作台自动操作：点击 330,1065' })).toHaveCount(1);

  const texts = await rows.allTextContents();
  expect(texts.filter((t) => /标记|隐私政策已打开|已打开隐私政策/.test(t)), 'no mark at all, least of all "policy reached"').toEqual([]);
  expect(texts.filter((t) => t.includes('检测人员')), 'nothing here was the tester\'s doing').toEqual([]);
  expect(texts.filter((t) => /tap|Tester|Workbench/.test(t)), 'every line in Chinese').toEqual([]);
  await feed.scrollIntoViewIfNeeded();
  await screenshot(page, 'record-failed-capture-zh');
  expect(consoleErrors).toEqual([]);
});
