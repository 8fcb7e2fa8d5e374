/**
 * `apprights report-pdf pkg.zip --out report.pdf [--chromium PATH] [--force]`: the PDF of a verified package's
 * report.html, printed by the tester's Chromium, Chrome or Edge, with the report number and page numbers on every
 * page. Made beside the package, never into it (the package's signature covers report.html, not a rendering).
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromiumPrinter } from '../core/evidence/chromium-pdf.js';
import { reportPdf } from '../core/evidence/report-pdf.js';
import { WorkbenchError } from '../core/errors.js';
import type { Fail } from './cli-support.js';
import { own, tty } from './terminal-guard.js';

export async function reportPdfCommand(args: string[], fail: Fail): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' }, chromium: { type: 'string' }, force: { type: 'boolean' } } });
  if (positionals.length !== 1 || !values.out) fail('report-pdf needs one package and --out: apprights report-pdf pkg.zip --out report.pdf', 2);
  const pkg = resolve(positionals[0]!);
  const out = resolve(values.out!);
  if (!existsSync(pkg)) fail(`no such package: ${pkg} / 找不到证据包：${pkg}`, 2);
  if (existsSync(out) && !values.force) fail(`${out} exists: give --force to replace it / ${out} 已存在：如需覆盖请加 --force`, 2);
  try {
    const { pdf, number } = await reportPdf(pkg, chromiumPrinter(values.chromium ? resolve(values.chromium) : null));
    const partial = `${out}.apprights-${process.pid}.partial`;
    writeFileSync(partial, pdf, { mode: 0o600 });
    renameSync(partial, out);
    process.stderr.write(tty`Report ${own(number ?? '(no number: a report from before report numbers)')}: ${own(String(pdf.length))} bytes of PDF / 报告 PDF 已生成\n`);
    process.stdout.write(tty`${out}\n`);
  } catch (err) {
    rmSync(`${out}.apprights-${process.pid}.partial`, { force: true });
    // Said in both languages here: what to do matters more than the code.
    if (err instanceof WorkbenchError && typeof err.details.zh === 'string') fail(`${err.message}\n${err.details.zh}`, 1);
    throw err;
  }
}
