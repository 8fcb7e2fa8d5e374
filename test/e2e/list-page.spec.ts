// A policy that only points to its two lists, in a guided session in Chinese through browser mode, the real adb
// server and the virtual phone (issue #25): the policy stage captures the policy, shows both lists as only
// referenced with the policy's words and link, taps the sharing list's reference on the phone — the verdict
// becomes "in the policy" and the page is listed; the collected-PI list page is pictures only, so the stage says it
// cannot be read and asks for its text, and the pasted text is read as the list. No English sentence on the way.
import type { Locator } from '@playwright/test';
import { expect, guidedPolicyStage, screenshot, tapNode, test, waitForNode } from './fixtures';

test.use({ locale: 'zh-CN' });

/** Visible text of the panel with Latin letters and no Chinese, outside data (quotes, addresses, origins) and codes. */
async function englishIn(panel: Locator): Promise<string[]> {
  const texts = await panel.evaluate((root) => {
    const out: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('.mono, code, option, [data-i18n-ignore]')) continue;
      if (getComputedStyle(el).display === 'none') continue;
      const text = (n.textContent ?? '').trim();
      if (text) out.push(text);
    }
    for (const el of root.querySelectorAll('input[placeholder], textarea[placeholder], [aria-label], [title]')) {
      for (const attr of ['placeholder', 'aria-label', 'title']) {
        const v = el.getAttribute(attr);
        if (v) out.push(v.trim());
      }
    }
    return out;
  });
  const allowed = [/^(SDK|APK|OK)$/, /^https?:\/\//, /^#\d+$/, /^[\d\s.,:·#()+-]+$/];
  return [...new Set(texts)].filter((t) => /[A-Za-z]/.test(t) && !/[\u4e00-\u9fff]/.test(t) && !allowed.some((re) => re.test(t)));
}

test('the guided policy stage captures the list page a policy points to; an image-only list page asks for its text', async ({ page, workbench, consoleErrors }) => {
  test.setTimeout(180_000);
  await guidedPolicyStage(page, workbench, 'referenced-list', 'com.demo.news');
  const panel = page.getByTestId('policy-panel');
  await panel.getByTestId('policy-capture-link').click();
  await expect(panel.getByTestId('policy-matrix')).toContainText('手机 · ', { timeout: 30_000 });
  await expect(panel.getByTestId('policy-lists')).toContainText('已收集个人信息清单: 仅被引用（请采集该页面） · 第三方共享个人信息清单: 仅被引用（请采集该页面）');
  const shared = panel.getByTestId('list-capture-shared');
  await expect(shared).toContainText('采集第三方共享个人信息清单页面');
  await expect(shared.getByTestId('list-reference-shared')).toContainText('政策原文：“为实现消息推送和统计分析，我们接入了第三方SDK，我们接入的第三方SDK及与其共享的个人信息，详见《第三方信息共享清单》');
  await expect(panel.getByTestId('policy-list-reference-shared')).toContainText('详见《第三方信息共享清单》');

  // Capture that page next: the reference is tapped on the phone, the page read and the verdict changes.
  await shared.getByTestId('list-tap-shared').click();
  await expect(panel.getByTestId('policy-lists')).toContainText('第三方共享个人信息清单: 政策中有', { timeout: 30_000 });
  await expect(page.locator('[data-testid=toast]').filter({ hasText: '已采集清单页面' })).toContainText('第三方共享个人信息清单现为“政策中有”');
  await expect(panel.getByTestId('list-capture-shared')).toHaveCount(0);
  await expect(panel.getByTestId('policy-list-pages')).toContainText('第三方共享个人信息清单 · 手机');
  await expect(panel.getByTestId('policy-list-pages')).toContainText('点击“《第三方信息共享清单》”打开');

  // The collected-PI list page is pictures only: said in Chinese, with a box for its text.
  await tapNode(page, '返回');
  await waitForNode(page, '《已收集个人信息清单》');
  const collected = panel.getByTestId('list-capture-collected');
  await collected.getByTestId('list-tap-collected').click();
  await expect(collected.getByTestId('list-error-collected')).toContainText('页面只有图片（1 处）、没有可读的文字，无法读取，也不作任何推测：请粘贴其文字或载入文本文件。', { timeout: 30_000 });
  await expect(panel.getByTestId('policy-lists')).toContainText('已收集个人信息清单: 仅被引用（请采集该页面）');
  await expect(collected.getByTestId('list-paste-collected')).toBeVisible();
  // The box's heading and the policy's words at the top of the picture, below the session bar.
  await collected.evaluate((el) => { el.scrollIntoView({ block: 'start' }); el.closest('.content')?.scrollBy(0, -110); });
  expect(await englishIn(panel)).toEqual([]);
  await screenshot(page, 'policy-3-list-pages-zh');

  await collected.getByTestId('list-paste-collected-input').fill('已收集个人信息清单\n使用场景 | 个人信息种类 | 使用目的\n浏览资讯 | 设备型号、操作系统版本 | 适配页面显示\n消息推送 | 设备标识符（Android ID、OAID） | 向您推送资讯');
  await collected.getByTestId('list-paste-collected-read').click();
  await expect(panel.getByTestId('policy-lists')).toContainText('已收集个人信息清单: 政策中有 · 第三方共享个人信息清单: 政策中有', { timeout: 30_000 });
  await expect(panel.getByTestId('policy-list-pages')).toContainText('已收集个人信息清单 · 粘贴的文字');
  await expect(page.getByTestId('proposal-191-1.4')).not.toHaveAttribute('data-status', 'needs-tester', { timeout: 20_000 });
  expect(await englishIn(panel)).toEqual([]);
  expect(consoleErrors).toEqual([]);
});
