// report.html from a session full of hostile text (a phone model, a log line, a mark label and a note that
// carry HTML, script, terminal escapes, BEL, carriage returns and bidi overrides), opened in Chromium as a
// reader would open it from the unzipped package: nothing runs, the text shows as text, and the page loads
// nothing external.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test, expect } from '@playwright/test';
import { exportSession, makeSession } from '../support/evidence-fixtures';

test('report.html shows hostile text as text and runs nothing', async ({ page }) => {
  const root = mkdtempSync(join(tmpdir(), 'report-e2e-'));
  await makeSession(join(root, 'hostile'), { hostile: true });
  const out = await exportSession(join(root, 'hostile'), join(root, 'pkg.zip'), join(root, 'data'));
  execFileSync('unzip', ['-q', out.path, '-d', join(root, 'x')]);
  const dialogs: string[] = [];
  const requests: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => requests.push(r.url()));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(join(root, 'x', 'report.html')).href);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Evidence report');
  await expect(page.locator('body')).toContainText('<img src=x onerror=alert(1)>Pixel');
  await expect(page.locator('body')).toContainText('<script>alert(1)</script>');
  await expect(page.locator('body')).toContainText('<U+202E>gnp.exe');
  // Escape sequences, BEL and carriage returns are gone; bidi overrides show instead of reordering the text.
  await expect(page.locator('body')).toContainText('<img src=x onerror=alert(1)>Pixel<U+202E>7');
  expect(await page.locator('body').innerText()).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
  expect(await page.locator('script, img[src^="x"], svg').count()).toBe(0);
  await expect(page.locator('img').first()).toHaveAttribute('src', /^data:image\/png;base64,/);
  await page.waitForTimeout(300);
  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
  expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
});
