/**
 * Hand-written timelines for evaluator tests: events at given device times (ms from a base), with seq numbers
 * in the order written, for the app under test unless said otherwise.
 */
import type { TimelineEvent } from '../../src-preload/monitor-events.js';
import type { Entry } from '../../src-main/core/checklist/timeline-facts.js';
import { TimelineFacts } from '../../src-main/core/checklist/timeline-facts.js';
import { permissionKnowledge } from '../../src-main/core/checklist/permission-knowledge.js';
import type { UiTree } from '../../src-preload/api.js';

export const APP = 'com.demo.app';
const BASE = Date.UTC(2026, 10, 30, 2, 0, 0);

type Body = Record<string, unknown> & { type: TimelineEvent['type'] };

export class TimelineBuilder {
  readonly entries: Entry[] = [];
  readonly uiDumps = new Map<number, UiTree>();

  at(ms: number, body: Body, extra: { source?: TimelineEvent['source']; packageName?: string | null } = {}): number {
    const seq = this.entries.length + 1;
    const source = extra.source ?? (body.type.startsWith('tester.') ? 'tester' : body.type.startsWith('app.') || body.type.startsWith('capture') || body.type.startsWith('checklist') ? 'workbench' : body.type.startsWith('appop') ? 'appops' : 'logcat');
    const packageName = extra.packageName === undefined ? ('packageName' in body ? (body.packageName as string | null) : APP) : extra.packageName;
    this.entries.push({ seq, event: { seq, serial: 'S', hostTime: BASE + ms, deviceTime: BASE + ms, raw: [], ...body, source, packageName } as unknown as TimelineEvent });
    return seq;
  }

  stage(ms: number, id: string): number {
    return this.at(ms, { type: 'tester.mark', mark: 'stage.started', label: id }, { source: 'workbench' });
  }
  launch(ms: number): number {
    return this.at(ms, { type: 'app.action', action: 'launch', target: APP });
  }
  action(ms: number, action: string, target = APP): number {
    return this.at(ms, { type: 'app.action', action, target });
  }
  mark(ms: number, mark: string, label: string | null = null): number {
    return this.at(ms, { type: 'tester.mark', mark, label });
  }
  access(ms: number, op: string, uidState = 'top', reject = false): number {
    return this.at(ms, { type: reject ? 'appop.reject' : 'appop.access', op, uidState, flags: '', accessTime: BASE + ms });
  }
  result(ms: number, permission: string, resultName: string): number {
    const result = { USER_GRANTED: 4, USER_DENIED: 6, USER_DENIED_WITH_PREJUDICE: 7, IGNORED_USER_FIXED: 2 }[resultName] ?? 6;
    return this.at(ms, { type: 'permission.result', uid: 10234, permission: `android.permission.${permission}`, result, resultName, granted: result === 4 });
  }
  start(ms: number, hostingType: string, process = APP, caller: string | null = null): number {
    return this.at(ms, { type: 'process.start', pid: 4000 + this.entries.length, process, hostingType, component: `${process.split(':')[0]}/.X`, selfStart: !hostingType.includes('activity'), caller, packageName: process.split(':')[0] });
  }
  death(ms: number, process = APP): number {
    return this.at(ms, { type: 'process.death', pid: 4001, process, state: 'cch', packageName: process.split(':')[0] });
  }
  dump(ms: number, nodes: Array<Partial<UiTree['nodes'][number]> & { text: string }>): number {
    const seq = this.at(ms, { type: 'capture', kind: 'ui.dump', blob: { sha256: 'x', size: 1, path: 'blobs/x.xml', mediaType: 'application/xml' }, name: null });
    this.uiDumps.set(seq, { rotation: 0, nodeCount: nodes.length, nodes: nodes.map((n) => ({ resourceId: '', className: 'android.widget.Button', packageName: APP, contentDesc: '', checkable: false, checked: false, clickable: true, enabled: true, bounds: [0, 0, 10, 10], children: [], ...n })) });
    return seq;
  }

  facts(): TimelineFacts {
    return new TimelineFacts({ entries: this.entries, packageName: APP, clockOffsetMs: 0, knowledge: permissionKnowledge(), uiDumps: this.uiDumps });
  }
}
