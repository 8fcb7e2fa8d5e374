/**
 * The desktop shell prints a report to PDF itself: a hidden, sandboxed window with no preload loads the printable
 * report (a file in a temporary folder, its CSP allowing no script and no network) and webContents.printToPDF
 * prints it with the report number and page numbers in the header and footer templates.
 */
import { BrowserWindow } from 'electron';
import type { PdfPrinter } from '../core/evidence/report-pdf.js';

export function electronPdfPrinter(): PdfPrinter {
  return async (job) => {
    const win = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true } });
    try {
      await win.loadURL(job.url);
      // The page's own scripts are refused by its CSP; this waits for the embedded font before printing.
      await win.webContents.executeJavaScript('document.fonts.ready.then(() => document.fonts.size)');
      return await win.webContents.printToPDF({
        printBackground: true, displayHeaderFooter: true, headerTemplate: job.headerTemplate, footerTemplate: job.footerTemplate,
        pageSize: 'A4', margins: { top: 0.6, bottom: 0.6, left: 0.5, right: 0.5 },
      });
    } finally {
      win.destroy();
    }
  };
}
