/**
 * The checklist slice of the API: templates (list, read, JSON Schema, validate, save a version), a session's
 * live findings, the template it is judged by, the tester's verdicts, evidence captures for an item and the
 * findings table as CSV/XLSX to download.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Handlers } from '../../bridge/dispatcher.js';
import type { AdbService } from '../adb/adb-service.js';
import { WorkbenchError } from '../errors.js';
import type { StagedFiles } from '../staged-files.js';
import type { SessionManager } from '../session/session-manager.js';
import { templateView, type ChecklistService } from './checklist-service.js';
import { templateJsonSchema } from './load-template.js';
import type { TemplateStore } from './template-store.js';

type ChecklistMethods = 'checklist.templates' | 'checklist.template' | 'checklist.schema' | 'checklist.validate' | 'checklist.save' | 'checklist.session' |
  'checklist.use' | 'checklist.verdict' | 'checklist.capture' | 'checklist.exportFindings';

export function checklistHandlers(o: { checklist: ChecklistService; templates: TemplateStore; sessions: SessionManager; adb: AdbService; files: StagedFiles; dataDir: string }): Pick<Handlers, ChecklistMethods> {
  let schema: Record<string, unknown> | null = null;
  return {
    'checklist.templates': async () => o.templates.list(),
    'checklist.template': async ({ id, version }) => {
      const t = await o.templates.get(id, version ?? undefined);
      return { view: templateView(t), text: t.text };
    },
    'checklist.schema': async () => ({ schema: (schema ??= templateJsonSchema()) }),
    'checklist.validate': async ({ text }) => {
      try {
        const t = await o.templates.check(text);
        return { problem: null, summary: { id: t.template.id, version: t.template.version, items: t.template.items.length } };
      } catch (err) {
        if (!(err instanceof WorkbenchError)) throw err;
        const d = err.details;
        return { problem: { message: typeof d.problem === 'string' ? d.problem : err.message, line: typeof d.line === 'number' ? d.line : null, column: typeof d.column === 'number' ? d.column : null, field: typeof d.field === 'string' && d.field ? d.field : null }, summary: null };
      }
    },
    'checklist.save': async ({ text }) => o.templates.save(text),
    'checklist.session': async ({ sessionId, templateSha256 }) => {
      // The guided page asks once a second while recording: the template it already holds is not sent again.
      const c = await o.checklist.checklist(sessionId);
      return c.template.summary.sha256 === templateSha256 ? { ...c, template: null } : c;
    },
    'checklist.use': async ({ sessionId, templateId, version }) => o.checklist.use(sessionId, templateId, version),
    'checklist.verdict': async ({ sessionId, item, verdict, note, attachments }) => ({ seq: o.checklist.verdict(sessionId, item, verdict, note, attachments) }),
    'checklist.capture': async ({ sessionId, kind }) => {
      if (kind === 'log') return { seq: o.checklist.logExcerpt(sessionId) };
      const s = o.sessions.get(sessionId);
      if (!s || s.meta.state !== 'recording') throw new WorkbenchError('session.not-recording', `Session ${sessionId} is not recording; resume it to capture from its phone`, { id: sessionId, reason: 'capture-needs-recording' });
      const serial = s.meta.device.serial;
      if (kind === 'screenshot') {
        const shot = await o.adb.onDevice(serial, (c) => c.screenshot(serial));
        return { seq: s.capture('screenshot', shot.png, 'image/png', 'attached to a verdict').seq };
      }
      const xml = await o.adb.onDevice(serial, (c) => c.uiDumpXml(serial));
      return { seq: s.capture('ui.dump', Buffer.from(xml), 'application/xml', 'attached to a verdict').seq };
    },
    'checklist.exportFindings': async ({ sessionId, format }) => {
      const { bytes, fileName } = await o.checklist.exportFindings(sessionId, format);
      const dir = join(o.dataDir, 'exports');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const path = join(dir, fileName);
      writeFileSync(path, bytes, { mode: 0o600 });
      return { fileId: o.files.stagePath(path, true).fileId, fileName, path };
    },
  };
}
