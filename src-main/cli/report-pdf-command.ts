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
import type { Fail } from './cli-support.js';
import { failWith } from './cli-errors.js';
import { say } from './cli-language.js';
import { text } from './cli-text.js';
import { tty } from './terminal-guard.js';

export async function reportPdfCommand(args: string[], fail: Fail): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' }, chromium: { type: 'string' }, force: { type: 'boolean' } } });
  if (positionals.length !== 1 || !values.out) fail(say(text.reportPdfNeeds), 2);
  const pkg = resolve(positionals[0]!);
  const out = resolve(values.out!);
  if (!existsSync(pkg)) fail(say(text.noSuchPackage(pkg)), 2);
  if (existsSync(out) && !values.force) fail(say(text.outExists(out)), 2);
  try {
    const { pdf, number } = await reportPdf(pkg, chromiumPrinter(values.chromium ? resolve(values.chromium) : null));
    const partial = `${out}.apprights-${process.pid}.partial`;
    writeFileSync(partial, pdf, { mode: 0o600 });
    renameSync(partial, out);
    process.stderr.write(say(text.reportPdfMade(number ?? null, pdf.length)) + '\n');
    process.stdout.write(tty`${out}\n`);
  } catch (err) {
    rmSync(`${out}.apprights-${process.pid}.partial`, { force: true });
    failWith(err, 1);
  }
}
