// The Evidence page with a session that has a screen recording (real fMP4 segments from ffmpeg, named by
// screen.segment events), in browser mode against the real core: the package's size is said before exporting,
// with the video apart; "export without video" is a checkbox reached and ticked with the keyboard; the package
// made then has no video/ and its report says so; with video, the package carries the segments. In Chinese the
// card reads in Chinese.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEntries } from '../support/evidence-fixtures';
import { videoSession } from '../support/video-session';
import { describeFindings, findEnglish } from './zh-dom-check';
import { expect, screenshot, test } from './fixtures';

test('the Evidence page says the package size and exports without video from the keyboard', async ({ page, workbench, consoleErrors }) => {
  const layout = await videoSession(join(workbench.dataDir, 'sessions', 'video-session'));
  const videoMiB = (layout.segments.reduce((n, s) => n + s.size, 0) / 1048576).toFixed(1);
  await page.goto(workbench.url);
  await page.getByTestId('nav-evidence').click();
  await expect(page.getByTestId('export-session')).toHaveValue('video-session');
  const size = page.getByTestId('export-size');
  await expect(size).toContainText(`of which the screen recording ${videoMiB} MiB (2 segments, 10 s)`);

  // Reached by Tab from the control before it, ticked with Space, named by its label.
  await page.getByTestId('export-compress').focus();
  await page.keyboard.press('Tab');
  const noVideo = page.getByRole('checkbox', { name: 'Export without video' });
  await expect(noVideo).toBeFocused();
  await page.keyboard.press('Space');
  await expect(noVideo).toBeChecked();
  await expect(size).toContainText('Package size without video');
  await screenshot(page, 'evidence-video-size');

  await page.getByTestId('export-identity-name').fill('张三');
  await page.getByTestId('export-passphrase').fill('correct horse battery');
  await page.getByTestId('export-run').click();
  await expect(page.getByTestId('export-result')).toContainText('Package signed', { timeout: 30_000 });
  const dir = mkdtempSync(join(tmpdir(), 'e2e-evidence-video-'));
  let downloading = page.waitForEvent('download');
  await page.getByTestId('export-download').click();
  await (await downloading).saveAs(join(dir, 'no-video.zip'));
  const without = new Map(await readEntries(join(dir, 'no-video.zip')));
  expect([...without.keys()].filter((n) => n.startsWith('video/'))).toEqual([]);
  expect(without.get('report.html')!.toString('utf8')).toContain('本包不含录屏');

  // With video (the box unticked): the segments are in the package.
  await noVideo.press('Space');
  await expect(noVideo).not.toBeChecked();
  await page.getByTestId('export-run').click();
  await expect(page.getByTestId('export-result')).toContainText('Package signed', { timeout: 30_000 });
  downloading = page.waitForEvent('download');
  await page.getByTestId('export-download').click();
  await (await downloading).saveAs(join(dir, 'video.zip'));
  const withVideo = new Map(await readEntries(join(dir, 'video.zip')));
  for (const s of layout.segments) expect(withVideo.get(s.file)?.length).toBe(s.size);
  expect(consoleErrors).toEqual([]);
});

test('the export card with a recording reads in Chinese', async ({ page, workbench }) => {
  await videoSession(join(workbench.dataDir, 'sessions', 'video-session'));
  await page.goto(workbench.url);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('language').selectOption('zh-CN');
  await page.getByTestId('nav-evidence').click();
  await expect(page.getByTestId('export-size')).toContainText('其中录屏');
  await expect(page.getByRole('checkbox', { name: '不含录屏' })).toBeVisible();
  const found = await findEnglish(page, undefined, '[data-testid=export-card]');
  expect(found, describeFindings('export card', found)).toEqual([]);
  await screenshot(page, 'evidence-video-size-zh');
});
