/**
 * The PDF of report.html: the report of a package that verifies, printed by a Chromium (Electron's own window, or
 * the tester's Chromium/Chrome/Edge over the DevTools pipe), A4, with the report number and "page / pages" in
 * every page's header and footer (Chromium's print ignores CSS @page margin boxes; its header and footer templates
 * fill them). The PDF is made beside the signed package, not inside it: it is a rendering of report.html, which
 * the package signs, and making it needs a browser the export must not depend on.
 *
 * The page printed is report.html with one change: the workbench's Chinese font (Noto Sans SC, OFL) embedded as
 * a data: font and allowed by the page's CSP, so Chinese prints on a machine with no CJK font. The header and
 * footer carry only the report number and digits: the templates cannot load a font.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { VerifyReport } from '../../../src-preload/api.js';
import { WorkbenchError } from '../errors.js';
import { PackageReader } from './package-reader.js';

export interface PrintJob {
  /** file: URL of the page to print. */
  url: string;
  headerTemplate: string;
  footerTemplate: string;
}

/** Prints a page to PDF bytes: Electron's webContents.printToPDF or Chromium's Page.printToPDF. */
export type PdfPrinter = (job: PrintJob) => Promise<Buffer>;

const MAX_REPORT_BYTES = 256 * 1024 * 1024;
const REPORT_CSP = `default-src 'none'; img-src data:; style-src 'unsafe-inline'`;

/** The Noto Sans SC file the renderer and the virtual phone use too. */
function cjkFont(): Buffer {
  const require = createRequire(import.meta.url);
  return readFileSync(join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts', 'NotoSansHans-Regular.otf'));
}

/** report.html with the Chinese font embedded (and allowed by its CSP), everything else as signed. */
export function printableReport(html: string, font: Buffer): string {
  if (!html.includes(REPORT_CSP)) throw new WorkbenchError('evidence.not-a-package', 'report.html is not a report this workbench wrote (its content security policy differs)', { message: 'report.html not recognised' });
  const face = `<style>@font-face{font-family:"AppRights CJK";src:url(data:font/otf;base64,${font.toString('base64')}) format("opentype")}body{font-family:"AppRights CJK","Noto Sans SC",sans-serif}</style>`;
  return html.replace(REPORT_CSP, `${REPORT_CSP}; font-src data:`).replace('</head>', `${face}\n</head>`);
}

/** The report number report.html names (report-number.ts), or null for a report from before it had one. */
export function reportNumberOf(html: string): string | null {
  return /<meta name="apprights-report-number" content="(AR-\d{8}-[0-9A-F]{8})">/.exec(html)?.[1] ?? null;
}

/** Header and footer: the report number on every page, and the page of the total; digits and Latin only. */
export function pageTemplates(number: string | null): { headerTemplate: string; footerTemplate: string } {
  const style = 'font-family:sans-serif;font-size:8px;color:#555;width:100%;margin:0 12mm;display:flex;justify-content:space-between';
  const id = number ?? '';
  return {
    headerTemplate: `<div style="${style}"><span>AppRights Workbench</span><span>${id}</span></div>`,
    footerTemplate: `<div style="${style}"><span>${id}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`,
  };
}

/**
 * The PDF of a package's report: the package is verified first (a report whose package does not verify is not
 * printed — the PDF would carry a claim nothing backs), then its report.html is printed.
 */
export async function reportPdf(pkg: string, print: PdfPrinter): Promise<{ pdf: Buffer; number: string | null }> {
  const { verifyPackage } = await import('./verify-package.js');
  const verdict: VerifyReport = await verifyPackage(pkg);
  if (!verdict.ok) {
    const failed = verdict.checks.filter((c) => !c.ok);
    const message = `The package does not verify (${failed.map((c) => c.en).join('; ').slice(0, 500)}): its report is not printed`;
    throw new WorkbenchError('evidence.not-a-package', message, { message, zh: `证据包验证不通过（${failed.map((c) => c.zh).join('；').slice(0, 500)}），不生成其报告的 PDF` });
  }
  const reader = new PackageReader(pkg);
  let html: string;
  try {
    html = (await reader.readSmall('report.html', MAX_REPORT_BYTES)).toString('utf8');
  } finally {
    reader.close();
  }
  const number = reportNumberOf(html);
  const dir = mkdtempSync(join(tmpdir(), 'apprights-pdf-'));
  try {
    const page = join(dir, 'report.html');
    writeFileSync(page, printableReport(html, cjkFont()), { mode: 0o600 });
    return { pdf: await print({ url: pathToFileURL(page).href, ...pageTemplates(number) }), number };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
