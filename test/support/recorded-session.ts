/**
 * A session written to disk with the real Session class, as the workbench writes one while a guided test or a
 * headless run walks the stages: stage marks and actions by the workbench, phone events observed, at given
 * times (ms from a base, on both clocks); judged by the shipped template from the timeline on disk.
 */
import { join } from 'node:path';
import type { TimelineEvent } from '../../src-preload/monitor-events.js';
import { loadTemplateFile } from '../../src-main/core/checklist/load-template.js';
import { judgeSession } from '../../src-main/core/checklist/session-findings.js';
import { Session } from '../../src-main/core/session/index.js';
import { TOOL } from './evidence-fixtures.js';

export const APP = 'com.demo.shop';
export const BASE = Date.UTC(2026, 11, 1, 2, 0, 0);
export const miit164 = loadTemplateFile(join(__dirname, '../../resources/templates/miit-164.yaml')).template;

/** A session on disk, written as the workbench writes one: marks and actions by the workbench, phone events observed. */
export class RecordedSession {
  readonly s: Session;
  private n = 0;

  constructor(root: string) {
    const id = `s${Math.random().toString(36).slice(2, 10)}`;
    this.s = Session.create(join(root, id), {
      id, app: { packageName: APP, versionName: '1.0', versionCode: 1, apkSha256: null },
      device: { serial: 'S', model: 'Pixel 7', manufacturer: 'Google', fingerprint: null, androidVersion: '14', sdk: 34, clockOffsetMs: 0 },
      tester: '张三', caseRef: 'CASE-26', startedAt: BASE, tool: TOOL,
    });
    this.s.append({ type: 'session.started', reason: null }, { hostTime: BASE, deviceTime: BASE });
  }

  private at(ms: number) {
    return { hostTime: BASE + ms, deviceTime: BASE + ms };
  }
  stage(ms: number, id: string): number {
    return this.s.append({ type: 'tester.mark', mark: 'stage.started', label: id }, { source: 'workbench', ...this.at(ms) });
  }
  ran(ms: number, stage: string, outcome: 'done' | 'skipped' | 'failed' = 'done', message: string | null = null): number {
    return this.s.append({ type: 'run.stage', stage, outcome, message }, { hostTime: BASE + ms });
  }
  action(ms: number, action: 'launch' | 'force-stop' | 'clear-data' | 'reboot' | 'home', target = APP): number {
    return this.s.append({ type: 'app.action', action, target }, this.at(ms));
  }
  mark(ms: number, mark: 'consent.given' | 'consent.declined'): number {
    return this.s.append({ type: 'tester.mark', mark, label: null }, { source: 'tester', ...this.at(ms) });
  }
  observed(ms: number, body: Record<string, unknown> & { type: string }, source: TimelineEvent['source'] = 'logcat'): number {
    return this.s.appendObserved({ seq: ++this.n, serial: 'S', packageName: APP, raw: [], source, ...this.at(ms), ...body } as unknown as TimelineEvent);
  }
  processStart(ms: number, hostingType = 'top-activity'): number {
    return this.observed(ms, { type: 'process.start', pid: 4000 + this.n, process: APP, hostingType, component: `${APP}/.Main`, selfStart: hostingType !== 'top-activity', caller: null });
  }
  /** The first launch as the run does it: cleared data, a launch, the app's process. */
  firstLaunch(ms: number): void {
    this.stage(ms, 'first-launch');
    this.action(ms + 1, 'force-stop');
    this.action(ms + 2, 'clear-data');
    this.action(ms + 3, 'launch');
    this.processStart(ms + 10);
  }
  /** Force-stop and wait: 30 s with the app stopped. */
  selfStartWait(ms: number): void {
    this.stage(ms, 'self-start');
    this.action(ms + 1, 'force-stop');
    this.ran(ms + 30_000, 'self-start');
  }

  /** The findings as the service judges them: from the timeline on disk, once the writer has flushed. */
  async findings() {
    await this.s.writer.flush();
    return judgeSession(this.s.dir, miit164).findings;
  }
  async judged(id: string) {
    return (await this.findings()).find((f) => f.item === id)!.proposal;
  }
}
