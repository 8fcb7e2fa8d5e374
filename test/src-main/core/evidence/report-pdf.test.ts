/**
 * The report's PDF printed by the real Chromium here over the DevTools pipe: a verified package's report.html
 * becomes an A4 PDF with the Chinese font embedded, in bounded time; a package that does not verify is not
 * printed; no browser found is refused with what to do, in both languages.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chromiumPrinter, NO_CHROMIUM } from '../../../../src-main/core/evidence/chromium-pdf.js';
import { findChromium } from '../../../../src-main/core/evidence/chromium-path.js';
import { pageTemplates, printableReport, reportNumberOf, reportPdf } from '../../../../src-main/core/evidence/report-pdf.js';
import { WorkbenchError } from '../../../../src-main/core/errors.js';
import { exportSession, makeSession, readEntries, writeEntries } from '../../../support/evidence-fixtures.js';

/** Page objects of a PDF (its /Type /Page dictionaries), counted in its inflated and plain bytes. */
function pageCount(pdf: Buffer): number {
  const text = pdf.toString('latin1');
  let n = (text.match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
  for (const m of text.matchAll(/stream\r?\n/g)) {
    try {
      n += (inflateSync(pdf.subarray(m.index! + m[0].length)).toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
    } catch { /* not a deflated object stream */ }
  }
  return n;
}

describe('the report as PDF', () => {
  const root = mkdtempSync(join(tmpdir(), 'report-pdf-'));

  it('prints a verified package\'s report with the Chinese font, the report number in the page templates', async () => {
    await makeSession(join(root, 's'), { events: 300 });
    const out = await exportSession(join(root, 's'), join(root, 'pkg.zip'), join(root, 'data'), { signOff: { reviewer: '李四' } });
    const html = new Map(await readEntries(out.path)).get('report.html')!.toString('utf8');
    const number = reportNumberOf(html)!;
    expect(number).toMatch(/^AR-\d{8}-[0-9A-F]{8}$/);
    const t0 = Date.now();
    const { pdf } = await reportPdf(out.path, chromiumPrinter());
    const ms = Date.now() - t0;
    expect(ms).toBeLessThan(60_000);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pageCount(pdf)).toBeGreaterThan(2);
    // The embedded Noto Sans SC drew the Chinese (a subset of it is in the file).
    expect(pdf.toString('latin1')).toMatch(/\/FontName\s*\/[A-Z]{6}\+NotoSansHans-Regular/);
    const { headerTemplate, footerTemplate } = pageTemplates(number);
    expect(headerTemplate).toContain(number);
    expect(footerTemplate).toMatch(/class="pageNumber".*class="totalPages"/);
    mkdirSync('test-results', { recursive: true });
    writeFileSync(join('test-results', 'report-unit.pdf'), pdf);
    console.log(`report PDF: ${pdf.length} bytes, ${pageCount(pdf)} pages, ${ms} ms`);
  });

  it('does not print the report of a package that does not verify', async () => {
    await makeSession(join(root, 't'));
    const out = await exportSession(join(root, 't'), join(root, 't.zip'), join(root, 'data'));
    const entries = await readEntries(out.path);
    const changed = entries.map(([name, data]): [string, Buffer] => [name, name === 'report.html' ? Buffer.from(data.toString('utf8').replace('张三', '王五')) : data]);
    await writeEntries(join(root, 'changed.zip'), changed);
    await expect(reportPdf(join(root, 'changed.zip'), () => Promise.reject(new Error('must not print')))).rejects.toMatchObject({ code: 'evidence.not-a-package', message: /does not verify/ });
  });

  it('says how to get a browser when none is found, in both languages', () => {
    expect(findChromium(join(root, 'no-such-browser'))).toBeNull();
    expect(findChromium(null, { CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' }, 'linux')).not.toBeNull();
    let err: unknown;
    try {
      chromiumPrinter(join(root, 'no-such-browser'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WorkbenchError);
    expect(err).toMatchObject({ code: 'evidence.no-chromium', details: { zh: NO_CHROMIUM.zh } });
    expect((err as Error).message).toMatch(/apt install chromium.*--chromium PATH.*print it to PDF/);
    expect(NO_CHROMIUM.zh).toMatch(/apt install chromium.*APPRIGHTS_CHROMIUM.*打印为 PDF/);
  });

  it('embeds the font and allows only data: fonts in the page it prints', () => {
    const page = printableReport('<html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; style-src \'unsafe-inline\'"></head><body></body></html>', Buffer.from('font'));
    expect(page).toContain("style-src 'unsafe-inline'; font-src data:\"");
    expect(page).toContain('src:url(data:font/otf;base64,Zm9udA==)');
    expect(() => printableReport('<html><head></head></html>', Buffer.from('font'))).toThrow(/not a report this workbench wrote/);
  });
});
