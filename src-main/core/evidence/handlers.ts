/**
 * The evidence slice of the API: signing identities (create self-signed, import PKCS#12), export of a
 * session as a signed package with progress (the package becomes a staged file the UI can download), and
 * verification of a package the user uploads or drops, the PDF of a package's report, and what a package
 * would weigh with and without the screen recording (before it is made).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Handlers } from '../../bridge/dispatcher.js';
import type { EventHub } from '../../bridge/event-hub.js';
import { WorkbenchError } from '../errors.js';
import type { SessionManager } from '../session/session-manager.js';
import type { StagedFiles } from '../staged-files.js';
import type { ReportChecklist } from './report-html.js';
import { MAX_PKCS12_BYTES, type IdentityStore } from './identity-store.js';
import type { PdfPrinter } from './report-pdf.js';

type EvidenceMethods = 'evidence.identities' | 'evidence.createIdentity' | 'evidence.importIdentity' | 'evidence.export' | 'evidence.verify' | 'evidence.reportPdf' | 'evidence.estimate';

export function evidenceHandlers(o: {
  hub: EventHub; files: StagedFiles; sessions: SessionManager; identities: IdentityStore; dataDir: string; tool: { name: string; version: string };
  /** The session's findings by its checklist template, for findings.json/.xlsx and the report's verdicts. */
  checklistFor?: (sessionId: string) => Promise<ReportChecklist & { xlsx: Buffer }>;
  /** Whether the host allows local addresses (a TSA on the lab network); no client decides it. */
  allowLocalAddresses?: () => boolean;
  /** What prints a report to PDF: Electron's own window in the desktop shell; default: the host's Chromium. */
  pdfPrinter?: () => PdfPrinter;
}): Pick<Handlers, EvidenceMethods> {
  return {
    'evidence.identities': async () => o.identities.list(),
    'evidence.createIdentity': async ({ name, passphrase }) => o.identities.createSelfSigned(name, passphrase),
    'evidence.importIdentity': async ({ fileId, password, passphrase }) => {
      const file = o.files.get(fileId);
      if (file.size > MAX_PKCS12_BYTES) throw new WorkbenchError('evidence.bad-pkcs12', 'The PKCS#12 file is larger than 1 MiB; choose the .p12/.pfx your lab issued', {});
      return o.identities.importPkcs12(readFileSync(file.path), password, passphrase);
    },
    'evidence.export': async ({ sessionId, identityId, passphrase, national, compress, tsaUrl, tester, reviewer, video }) => {
      const id = identityId ?? o.identities.list()[0]?.id;
      if (!id) throw new WorkbenchError('evidence.identity-missing', 'No signing identity yet: create one (self-signed) or import your lab\'s PKCS#12', {});
      const identity = await o.identities.unlock(id, passphrase);
      await o.sessions.get(sessionId)?.writer.flush();
      const dir = o.sessions.dirOf(sessionId);
      const outDir = join(o.dataDir, 'exports');
      mkdirSync(outDir, { recursive: true, mode: 0o700 });
      const fileName = `${sessionId}-${new Date().toISOString().replace(/[:.]/g, '-')}.zip`;
      const checklist = o.checklistFor ? await o.checklistFor(sessionId) : undefined;
      // The signing and verifying code (ASN.1, CMS, SM2) loads when first used, not with every start.
      const { exportPackage } = await import('./export-package.js');
      const result = await exportPackage({
        sessionDir: dir, out: join(outDir, fileName), identity, national, compress, tsaUrl, allowLocalTsa: o.allowLocalAddresses?.() ?? false, tool: o.tool, checklist, video: video !== false,
        signOff: { tester: tester || null, reviewer: reviewer || null },
        onProgress: (p) => o.hub.emit('exportProgress', { sessionId, ...p }),
      });
      const staged = o.files.stagePath(result.path, true);
      return { fileId: staged.fileId, fileName, path: result.path, size: result.size, manifestSha256: result.manifestSha256, timestamped: result.timestamped, warnings: result.warnings };
    },
    'evidence.verify': async ({ fileId, caPem, tsaCaPem }) => {
      const [{ verifyPackage }, { pemToDers }] = await Promise.all([import('./verify-package.js'), import('./x509.js')]);
      const roots = (pem: string | null, field: string): Buffer[] | null => {
        const ders = pem ? pemToDers(pem) : null;
        if (pem && !ders?.length) throw new WorkbenchError('bridge.invalid-arguments', 'The certificate file holds no PEM certificate', { field, problem: 'no certificate' });
        return ders;
      };
      return verifyPackage(o.files.get(fileId).path, { ca: roots(caPem, 'caPem'), tsaCa: roots(tsaCaPem, 'tsaCaPem') });
    },
    'evidence.reportPdf': async ({ fileId }) => {
      const file = o.files.get(fileId);
      const [{ reportPdf }, { chromiumPrinter }] = await Promise.all([import('./report-pdf.js'), import('./chromium-pdf.js')]);
      const { pdf, number } = await reportPdf(file.path, o.pdfPrinter ? o.pdfPrinter() : chromiumPrinter());
      const outDir = join(o.dataDir, 'exports');
      mkdirSync(outDir, { recursive: true, mode: 0o700 });
      const fileName = `${(number ?? basename(file.fileName).replace(/\.zip$/i, '')).replace(/[^\w.-]/g, '_')}-${Date.now()}.pdf`;
      const path = join(outDir, fileName);
      writeFileSync(path, pdf, { mode: 0o600 });
      const staged = o.files.stagePath(path, true);
      return { fileId: staged.fileId, fileName, path, size: pdf.length, reportNumber: number };
    },
    'evidence.estimate': async ({ sessionId }) => {
      await o.sessions.get(sessionId)?.writer.flush();
      const dir = o.sessions.dirOf(sessionId);
      const { estimatePackage } = await import('./estimate.js');
      try {
        return estimatePackage(dir);
      } catch (err) {
        if (err instanceof WorkbenchError) throw err;
        throw new WorkbenchError('evidence.estimate-unavailable', `The package size could not be estimated: ${err instanceof Error ? err.message : String(err)}`, {});
      }
    },
  };
}
