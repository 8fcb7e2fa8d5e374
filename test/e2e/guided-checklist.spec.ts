// The guided checklist in browser mode against the virtual phone through the real adb server: pick the
// phone and the template, walk the stages (first launch with cleared data, the decline path on the live
// screen), see proposals appear live and jump to their evidence, give verdicts with the keyboard, export the
// findings table as XLSX (read back with exceljs), stop, export the signed package and verify it. A screenshot
// of each stage is kept for the README. Then the template editor: an invalid template shows its error at the
// right line and column; a valid edited copy saves and can be chosen for a new session.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { expect, screenshot, tapNode, test } from './fixtures';

test('a guided session from picking the phone to a verified package, findings exported to XLSX', async ({ page, workbench, consoleErrors }) => {
  test.setTimeout(180_000);
  const phone = await workbench.startPhone('collects-before-consent');
  await page.goto(workbench.url);
  await page.getByTestId('nav-session').click();
  await expect(page.getByTestId('new-session-phone')).toHaveValue(phone.serial, { timeout: 10_000 });
  await expect(page.getByTestId('new-session-template')).toHaveValue('miit-164@1.1.0');
  await page.getByTestId('new-session-package').fill('com.demo.shop');
  await page.getByTestId('new-session-tester').fill('李四 Li Si');
  await page.getByTestId('new-session-start').click();
  const guided = page.getByTestId('guided-session');
  await expect(guided).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('checklist-progress')).toContainText('0 of 35 items decided');

  // Stage: first launch with cleared data, tap nothing.
  await page.getByTestId('stage-first-launch').click();
  await expect(page.getByTestId('stage-instructions')).toContainText('Clear the app\'s data and launch it');
  await page.getByTestId('stage-start').click();
  await page.getByTestId('fresh-launch').click();
  // Proposals appear live: identifiers and location read before the dialog was answered.
  await expect(page.getByTestId('proposal-164-1.1')).toHaveAttribute('data-status', 'violation', { timeout: 20_000 });
  await expect(page.getByTestId('proposal-164-1.2')).toHaveAttribute('data-status', 'violation', { timeout: 20_000 });
  await screenshot(page, 'guided-1-first-launch');

  // Jump to the evidence: the event feed shows it, with the device output it was read from.
  await page.getByTestId('proposal-164-1.1').getByTestId('evidence-link').first().click();
  await expect(page.locator('.feed-row.focus')).toBeVisible();
  await expect(page.getByTestId('event-detail')).toBeVisible();

  // Verdicts with the keyboard: J to the item, 2 = fail.
  await page.locator('.item-card[data-item="164-1.1"]').click();
  await page.keyboard.press('2');
  await expect(page.getByTestId('verdict-164-1.1-fail')).toHaveAttribute('aria-pressed', 'true', { timeout: 5000 });
  await page.keyboard.press('j');
  await page.keyboard.press('2');
  await expect(page.getByTestId('verdict-164-1.2-fail')).toHaveAttribute('aria-pressed', 'true', { timeout: 5000 });

  // The policy stage comes next (its own test: policy.spec.ts); then the decline path, on the live screen
  // (deny the permission asked before consent, then decline).
  await page.keyboard.press('n');
  await expect(page.getByTestId('stage-policy')).toHaveAttribute('aria-current', 'step');
  await page.keyboard.press('n');
  await expect(page.getByTestId('stage-decline')).toHaveAttribute('aria-current', 'step');
  await page.getByTestId('stage-start').click();
  await tapNode(page, '不允许');
  await tapNode(page, '不同意');
  await page.keyboard.press('d');
  await expect(page.getByTestId('proposal-164-1.3')).toHaveAttribute('data-status', 'none-observed', { timeout: 20_000 });
  await page.locator('.item-card[data-item="164-1.3"]').click();
  await page.keyboard.press('1');
  await expect(page.getByTestId('verdict-164-1.3-pass')).toHaveAttribute('aria-pressed', 'true', { timeout: 5000 });
  await screenshot(page, 'guided-2-decline');

  // Going back is always possible.
  await page.keyboard.press('b');
  await page.keyboard.press('b');
  await expect(page.getByTestId('stage-first-launch')).toHaveAttribute('aria-current', 'step');
  await page.getByTestId('stage-manual').click();
  await page.locator('.item-card[data-item="164-9.1"]').click();
  await page.keyboard.press('3');
  await expect(page.getByTestId('verdict-164-9.1-not-applicable')).toHaveAttribute('aria-pressed', 'true', { timeout: 5000 });
  await screenshot(page, 'guided-3-manual');
  await expect(page.getByTestId('checklist-progress')).toContainText('4 of 35 items decided');

  // The findings table: filter, sort, export XLSX and read it back.
  await page.getByTestId('checklist-tab-findings').click();
  await page.getByTestId('findings-status').selectOption('violation');
  await expect(page.locator('[data-testid=findings-table] tbody tr')).toHaveCount(2);
  await page.getByTestId('findings-status').selectOption('');
  await page.getByTestId('findings-filter').fill('164-5');
  await expect(page.locator('[data-testid=findings-table] tbody tr')).toHaveCount(5);
  await page.getByTestId('findings-filter').fill('');
  await screenshot(page, 'guided-4-findings');
  await page.getByTestId('findings-xlsx').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('findings-download').click()]);
  const xlsx = join(test.info().outputDir, 'findings.xlsx');
  await download.saveAs(xlsx);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(xlsx);
  const sheet = book.worksheets[0]!;
  expect(sheet.getRow(2).getCell(1).value).toBe('检测项 (Item)');
  const rows = new Map(Array.from({ length: sheet.rowCount - 2 }, (_, i) => sheet.getRow(i + 3)).map((r) => [String(r.getCell(1).value), r]));
  expect(rows.size).toBe(35);
  expect(rows.get('164-1.1')!.getCell(6).value).toBe('疑似违规 (violation)');
  // Column 10 is the network evidence (none in this session); the verdict follows it.
  expect(sheet.getRow(2).getCell(10).value).toBe('网络证据 (Network evidence)');
  expect(rows.get('164-1.1')!.getCell(11).value).toBe('不通过 (fail)');
  expect(rows.get('164-9.1')!.getCell(11).value).toBe('不适用 (not-applicable)');

  // Stop, export the signed package (it carries the findings) and verify it on the Evidence page.
  await page.getByTestId('session-close').first().click();
  await page.getByTestId('confirm-stop-confirm').click();
  await expect(page.getByTestId('session-bar')).toHaveCount(0);
  await page.getByTestId('session-export').first().click();
  await page.getByTestId('export-identity-name').fill('Li Si');
  await page.getByTestId('export-passphrase').fill('correct horse battery');
  await page.getByTestId('export-run').click();
  await expect(page.getByTestId('export-result')).toContainText('Package signed', { timeout: 60_000 });
  const [pkg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download').click()]);
  const zip = join(test.info().outputDir, 'guided.zip');
  await pkg.saveAs(zip);
  await page.getByTestId('verify-input').setInputFiles(zip);
  await expect(page.getByTestId('verify-verdict')).toHaveText(/guided\.zip: all checks passed/, { timeout: 30_000 });
  expect(readFileSync(zip).includes(Buffer.from('findings.xlsx'))).toBe(true);
  expect(consoleErrors).toEqual([]);
});

test('template editor: an invalid template shows its error at the line and column; a valid copy saves and is offered for new sessions', async ({ page, workbench, consoleErrors }) => {
  test.setTimeout(120_000);
  await workbench.startPhone('compliant-app');
  await page.goto(workbench.url);
  await page.getByTestId('nav-templates').click();
  await page.locator('[data-template="miit-164@1.1.0"]').getByTestId('template-copy').click();
  const editor = page.getByTestId('template-monaco');
  await expect(editor.locator('.view-lines')).toContainText('miit-164-lab', { timeout: 30_000 });

  // Break one evaluator name: go to its line (Ctrl+G) and replace the line.
  const shipped = readFileSync(join(__dirname, '../../resources/templates/miit-164.yaml'), 'utf8').split('\n');
  const line = shipped.findIndex((l) => l.includes('evaluator: { name: after-decline }')) + 1;
  const replaceLine = async (text: string, at = line): Promise<void> => {
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+g');
    // Monaco's go-to-line box: wait for it, so the number is not typed into the template instead.
    const goTo = page.locator('.quick-input-widget input');
    await expect(goTo).toBeVisible();
    await goTo.fill(`:${at}`);
    await goTo.press('Enter');
    await expect(goTo).toBeHidden();
    await page.keyboard.press('Home');
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.insertText(text);
    await expect(editor.locator('.view-lines')).toContainText(text.trim().replace(/ /g, '\u00a0'));
  };
  await replaceLine('    evaluator: { name: after-declne }');
  await page.getByTestId('template-check').click();
  const problem = page.getByTestId('template-problem');
  await expect(problem).toContainText('unknown evaluator "after-declne"');
  await expect(problem).toHaveAttribute('data-line', String(line));
  await expect(problem).toHaveAttribute('data-column', /^\d+$/);
  await expect(problem).toContainText(`Line ${line}, column`);
  // The editor marks it too (monaco-yaml's schema check and the workbench's own).
  await expect(editor.locator('.squiggly-error').first()).toBeVisible({ timeout: 10_000 });
  await screenshot(page, 'template-editor-error');
  // Saving is refused while the error stands.
  await page.getByTestId('template-save').click();
  await expect(problem).toBeVisible();

  // Fix it. Under the shipped id the copy is refused, in words: it would become every new session's template.
  await replaceLine('    evaluator: { name: after-decline }');
  const idLine = shipped.findIndex((l) => l.startsWith('id: ')) + 1;
  await replaceLine('id: miit-164', idLine);
  await page.getByTestId('template-save').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'miit-164 is the id of a shipped template; give your copy an id of its own (such as miit-164-lab)' })).toBeVisible({ timeout: 10_000 });
  await replaceLine('id: miit-164-lab', idLine);

  // Save: the copy becomes a version of its own.
  await page.getByTestId('template-check').click();
  await expect(page.getByTestId('template-ok')).toContainText('miit-164-lab 1.2.0');
  await page.getByTestId('template-save').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Saved miit-164-lab 1.2.0' })).toBeVisible({ timeout: 10_000 });
  await expect(page.locator('[data-template="miit-164-lab@1.2.0"]')).toBeVisible();

  await page.getByTestId('nav-session').click();
  await expect(page.getByTestId('new-session-template').locator('option')).toContainText(['miit-164 1.1.0 (shipped)', 'miit-164-lab 1.2.0 (saved)']);
  expect(consoleErrors).toEqual([]);
});
