/**
 * The guided checklist of open sessions: which template judges a session (the one it recorded, else the
 * default), its findings re-evaluated from a timeline kept in memory as events arrive, the tester's verdicts,
 * evidence captures for an item, the findings as CSV/XLSX, and the checklist part of an evidence export.
 */
import type { Finding, SessionChecklist, TemplateView, Verdict } from '../../../src-preload/checklist.js';
import type { TimelineEvent } from '../../../src-preload/monitor-events.js';
import { WorkbenchError } from '../errors.js';
import type { ReportChecklist } from '../evidence/report-html.js';
import type { SessionManager } from '../session/session-manager.js';
import { refuseLongNote } from '../session/note-length.js';
import { RAW_LOG_FILE } from '../session/session.js';
import { readSessionFileTail } from '../session/session-files.js';
import { findingsCsv, findingsXlsx, networkEvidence } from './findings-export.js';
import type { LoadedTemplate } from './load-template.js';
import { reportPolicy } from '../policy/session-comparison.js';
import { preparePolicyReading } from '../policy/session-policy.js';
import { judgeSession, readEntries, sessionFacts } from './session-findings.js';
import { DEFAULT_TEMPLATE, type StoredTemplate, type TemplateStore } from './template-store.js';
import type { TemplateSummary } from '../../../src-preload/checklist.js';
import type { Entry, TimelineFacts } from './timeline-facts.js';

interface Cached {
  entries: Entry[];
  /** The open session object listened to (a resumed session is a new object). */
  session: object | null;
  /** Stops listening to the live session. */
  release: (() => void) | null;
}

const LOG_EXCERPT_BYTES = 256 * 1024;

export class ChecklistService {
  private cache = new Map<string, Cached>();

  constructor(private sessions: SessionManager, private templates: TemplateStore) {}

  /**
   * The session's timeline, read once and then kept up to date from the live session; its latest policy is
   * read in an analysis child before anything judges it (judging is synchronous, on the main thread).
   */
  private async entries(id: string): Promise<Entry[]> {
    const entries = await this.timeline(id);
    await preparePolicyReading(this.sessions.dirOf(id), entries);
    return entries;
  }

  private async timeline(id: string): Promise<Entry[]> {
    const live = this.sessions.get(id);
    const cached = this.cache.get(id);
    if (cached && cached.session === live) return cached.entries;
    cached?.release?.();
    await live?.writer.flush();
    const entries = readEntries(this.sessions.dirOf(id));
    let release: (() => void) | null = null;
    if (live) {
      const listener = (seq: number, event: TimelineEvent): void => {
        if (seq > (entries[entries.length - 1]?.seq ?? 0)) entries.push({ seq, event });
      };
      live.appended.add(listener);
      release = () => live.appended.delete(listener);
    }
    this.cache.set(id, { entries, release, session: live });
    return entries;
  }

  /** Forgets a session (closed, deleted): the next request reads it from disk. */
  forget(id: string): void {
    this.cache.get(id)?.release?.();
    this.cache.delete(id);
  }

  /** The template the session recorded (by id and version), else the default; `changed` when its bytes differ. */
  private async templateFor(entries: Entry[]): Promise<{ loaded: StoredTemplate; changed: boolean }> {
    const recorded = [...entries].reverse().find((e) => e.event.type === 'checklist.template')?.event as Extract<TimelineEvent, { type: 'checklist.template' }> | undefined;
    if (!recorded) return { loaded: await this.templates.get(DEFAULT_TEMPLATE), changed: false };
    try {
      const loaded = await this.templates.get(recorded.templateId, recorded.version);
      return { loaded, changed: loaded.sha256 !== recorded.sha256 };
    } catch {
      return { loaded: await this.templates.get(DEFAULT_TEMPLATE), changed: true };
    }
  }

  async checklist(id: string): Promise<SessionChecklist> {
    const entries = await this.entries(id);
    const { loaded, changed } = await this.templateFor(entries);
    const judged = judgeSession(this.sessions.dirOf(id), loaded.template, entries);
    const stagesStarted = entries.filter((e) => e.event.type === 'tester.mark' && e.event.mark === 'stage.started' && e.event.label)
      .map((e) => ({ stage: (e.event as Extract<TimelineEvent, { type: 'tester.mark' }>).label!, seq: e.seq }));
    return { template: templateView(loaded), findings: judged.findings, stagesStarted, templateChanged: changed };
  }

  /** The session's timeline facts (what the policy comparison reads), from the live timeline; no evaluator runs. */
  async facts(id: string): Promise<TimelineFacts> {
    return sessionFacts(this.sessions.dirOf(id), await this.entries(id));
  }

  /** Judges the session by this template from now on (recorded in its timeline). */
  async use(id: string, templateId: string, version: string | null): Promise<TemplateSummary> {
    this.requireOpen(id);
    const t = await this.templates.get(templateId, version ?? undefined);
    this.requireOpen(id).append({ type: 'checklist.template', templateId: t.template.id, version: t.template.version, origin: t.summary.origin, sha256: t.sha256 });
    return t.summary;
  }

  verdict(id: string, item: string, verdict: Verdict | null, note: string | null, attachments: number[]): number {
    refuseLongNote(note);
    return this.requireOpen(id).append({ type: 'checklist.verdict', item, verdict, note, attachments });
  }

  /** The last lines of the session's raw log as an attachment (what the log showed when the tester decided). */
  logExcerpt(id: string): number {
    const s = this.requireOpen(id);
    let text = '';
    try {
      // Through the session's files: a raw log that is a link (a folder from elsewhere) is not read.
      const tail = readSessionFileTail(s.dir, RAW_LOG_FILE, LOG_EXCERPT_BYTES);
      text = tail.bytes.toString('utf8');
      if (tail.cut) text = text.slice(text.indexOf('\n') + 1);
    } catch {
      text = '';
    }
    if (!text) throw new WorkbenchError('session.not-recording', 'The session has no log yet', { id, reason: 'no-log-yet' });
    return s.capture('attachment', Buffer.from(text), 'text/plain', 'logcat excerpt').seq;
  }

  async exportFindings(id: string, format: 'csv' | 'xlsx'): Promise<{ bytes: Buffer; fileName: string }> {
    const c = await this.checklist(id);
    const network = networkEvidence(await this.timeline(id));
    const fileName = `${id}-findings.${format}`;
    if (format === 'csv') return { bytes: Buffer.from(findingsCsv(c.findings, network)), fileName };
    return { bytes: await findingsXlsx(c.findings, `${c.template.summary.title.zh} — ${id}`, network), fileName };
  }

  /** The checklist part of an evidence package: findings by the session's template, XLSX included. */
  async forExport(id: string): Promise<ReportChecklist & { xlsx: Buffer }> {
    const entries = await this.entries(id);
    const { loaded } = await this.templateFor(entries);
    const judged = judgeSession(this.sessions.dirOf(id), loaded.template, entries);
    const findings: Finding[] = judged.findings;
    const t = loaded.template;
    return { template: { id: t.id, version: t.version, sha256: loaded.sha256, title: t.title }, findings, incomplete: null, policy: reportPolicy(judged.facts), xlsx: await findingsXlsx(findings, `${t.title.zh} — ${id}`, networkEvidence(entries)) };
  }

  private requireOpen(id: string) {
    const s = this.sessions.get(id);
    if (!s || s.meta.state === 'closed') throw new WorkbenchError('session.not-recording', `Session ${id} is not open; resume it to change its checklist`, { id, reason: 'not-open' });
    return s;
  }
}

/** What the guided page shows of a template; built once per parsed template (kept while the store keeps it). */
const views = new WeakMap<object, Omit<TemplateView, 'summary'>>();

export function templateView(t: LoadedTemplate & { summary: TemplateSummary }): TemplateView {
  let view = views.get(t.template);
  if (!view) {
    view = {
      stages: t.template.stages.map((s) => ({ id: s.id, title: s.title, instructions: s.instructions, automated: s.automated })),
      items: t.template.items.map((i) => ({
        id: i.id, clauses: i.clauses, title: i.title, criterion: i.criterion, observation: i.observation, severity: i.severity, stages: i.stages,
        guidance: i.guidance as Record<string, { zh: string; en: string }>, evidence: i.evidence, toVerify: i.toVerify, appliesWhen: i.appliesWhen ?? null,
      })),
    };
    views.set(t.template, view);
  }
  return { summary: t.summary, ...view };
}
