// The report of a demo package as a lab hands it over (issue #26), opened in Chromium at 1366×768 as a reader
// opens it from the unzipped package: every event line has its Chinese (no English word in text marked zh-CN
// outside <code> and elements marked with another language), the sign-off block is there; then its PDF, made by
// `apprights report-pdf` with this machine's Chromium, opened in Chromium's PDF viewer. Screenshots of both are
// kept in test-results/report-handover/ to be looked at.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test, expect } from '@playwright/test';
import { startAdbServer, type TestAdbServer } from '../support/adb-server';
import { runCli } from '../support/cli';
import { englishWords } from '../support/zh-text';

const SHOTS = resolve('test-results', 'report-handover');

let adb: TestAdbServer;
test.beforeAll(async () => {
  adb = await startAdbServer();
});
test.afterAll(async () => {
  await adb?.kill();
});

test('report.html and its PDF of a demo package: Chinese in every event line, a sign-off block, readable at 1366×768', async ({ browser }) => {
  test.setTimeout(300_000);
  mkdirSync(SHOTS, { recursive: true });
  const root = mkdtempSync(join(tmpdir(), 'report-handover-'));
  const demo = await runCli(['demo', '--scenario', 'collects-before-consent', '--fast', '--out', join(root, 'demo.zip'), '--data-dir', join(root, 'data'), '--tester', '张三'], adb.env);
  expect(demo.code, demo.stderr).toBe(0);
  execFileSync('unzip', ['-q', join(root, 'demo.zip'), '-d', join(root, 'x')]);

  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(pathToFileURL(join(root, 'x', 'report.html')).href);
  await expect(page.locator('.number').first()).toHaveText(/^AR-\d{8}-[0-9A-F]{8}$/);

  // Every event line: a Chinese line marked zh-CN and an English one marked en.
  const rows = page.locator('table.timeline tr[id^="e"]');
  const count = await rows.count();
  expect(count).toBeGreaterThan(20);
  // (The line's own spans are the cell's children; a "play from here" link beside it has an English span of its own.)
  expect(await page.locator('table.timeline tr[id^="e"] td > span.zh[lang="zh-CN"]').count()).toBe(count);
  expect(await page.locator('table.timeline tr[id^="e"] td > span.en[lang="en"]').count()).toBe(count);
  // The demo recorded its screen: events inside the video can be played from.
  expect(await page.locator('table.timeline tr[id^="e"] a.play').count()).toBeGreaterThan(0);
  // The DOM check over the whole report: text whose nearest lang is zh-CN, outside <code>, holds no English word.
  const zhText: Array<{ text: string; where: string }> = await page.evaluate(() => {
    const out: Array<{ text: string; where: string }> = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement!;
      if (el.closest('code, style, script')) continue;
      if ((el.closest('[lang]')?.getAttribute('lang') ?? '') !== 'zh-CN') continue;
      if (n.textContent!.trim()) out.push({ text: n.textContent!, where: (el.closest('tr, h1, h2, p, li')?.textContent ?? '').slice(0, 120) });
    }
    return out;
  });
  const english = zhText.flatMap(({ text, where }) => englishWords(text).map((word) => `${word} — in: ${where}`));
  expect(english, english.slice(0, 20).join('\n')).toEqual([]);
  // Each event line's Chinese has Chinese in it (not only identifiers).
  const lines = await page.locator('table.timeline tr[id^="e"] span.zh').allInnerTexts();
  expect(lines.filter((l) => !/[\u4e00-\u9fff]/.test(l))).toEqual([]);

  // The sign-off block: tester named, reviewer left to fill in, a signature and a date line for each.
  const signOff = page.locator('table.signoff');
  await expect(signOff.locator('tr')).toHaveCount(2);
  await expect(signOff.locator('tr').first()).toContainText('张三');
  await expect(signOff.locator('td.line')).toHaveCount(4);
  // Item ids are readable: at least 13 px.
  const itemSize = await page.locator('code.item').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(itemSize).toBeGreaterThanOrEqual(13);

  await page.screenshot({ path: join(SHOTS, '1-report-top.png') });
  await page.locator('#findings').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, '2-report-findings.png') });
  await page.locator('#timeline').evaluate((el) => el.scrollIntoView());
  await page.screenshot({ path: join(SHOTS, '3-report-timeline.png') });
  await page.locator('#sign-off').evaluate((el) => el.scrollIntoView());
  await page.screenshot({ path: join(SHOTS, '4-report-sign-off.png') });

  // The PDF, printed by the CLI with this machine's Chromium, opened in Chromium's PDF viewer.
  const pdf = await runCli(['report-pdf', join(root, 'demo.zip'), '--out', join(root, 'report.pdf')], adb.env);
  expect(pdf.code, pdf.stderr).toBe(0);
  expect(readFileSync(join(root, 'report.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  const again = await runCli(['report-pdf', join(root, 'demo.zip'), '--out', join(root, 'report.pdf')], adb.env);
  expect(again.code).toBe(2);
  expect(again.stderr).toMatch(/already exists|已存在/);
  copyFileSync(join(root, 'report.pdf'), join(SHOTS, 'report.pdf'));
  await page.goto(pathToFileURL(join(root, 'report.pdf')).href);
  await page.waitForTimeout(3000);
  await page.screenshot({ path: join(SHOTS, '5-pdf-first-page.png') });
  await context.close();
});
