/**
 * The sessions the UI knows: listed once, then kept current by the `session` event stream (a start, pause,
 * close or a change of counts anywhere — another tab, the session bar, the Sessions page).
 */
import { useEffect, useState } from 'react';
import type { PhoneLink, SessionInfo, TimelineEvent } from '../../../src-preload/api';
import type { TFunction } from 'i18next';
import { api } from '../api-client';
import { actText, eventSummary } from '../logs/event-text';

export function useSessions(): [SessionInfo[], () => void] {
  const [list, setList] = useState<SessionInfo[]>([]);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    void api.call('session.list', {}).then((o) => live && o.ok && setList(o.value));
    const off = api.subscribe('session', (items) => setList((current) => {
      let next = current;
      for (const s of items) next = [s, ...next.filter((x) => x.id !== s.id)];
      return next.sort((a, b) => b.startedAt - a.startedAt);
    }));
    return () => {
      live = false;
      off();
    };
  }, [tick]);
  return [list, () => setTick((t) => t + 1)];
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** How long the session's phone has been away in all, the absence under way included (ms). */
export function interruptedMs(link: PhoneLink | null | undefined, now: number): number {
  if (!link) return 0;
  return link.interruptedMs + (link.lostAt === null ? 0 : Math.max(0, now - link.lostAt));
}

/**
 * One line per timeline event in the user's language. `stageTitle` names a template stage by its id (a
 * stage-started mark's label), where the template is at hand.
 */
export function timelineText(e: TimelineEvent, t: TFunction, stageTitle?: (id: string) => string | undefined): string {
  switch (e.type) {
    case 'tester.mark': case 'tester.input': case 'workbench.step-failed': {
      const title = e.type === 'tester.mark' && e.mark === 'stage.started' && e.label ? stageTitle?.(e.label) : undefined;
      return actText(e.type === 'tester.mark' && title ? { ...e, label: title } : e, t);
    }
    case 'tester.note': return t('session.ev.note', { text: e.text });
    case 'capture': return t('session.ev.capture', { kind: t(`session.capture.${e.kind}`), path: e.blob.path });
    case 'app.installed': return e.ok ? t('session.ev.installed', { pkg: e.installedPackage ?? '' }) : t('session.ev.installFailed', { code: e.failureCode ?? '' });
    case 'app.action': return t('session.ev.action', { action: t(`session.action.${e.action}`, { defaultValue: e.action }), pkg: e.target });
    case 'checklist.template': return t('session.ev.template', { id: e.templateId, version: e.version });
    case 'policy.captured': return t('session.ev.policy', { source: t(`policy.source.${e.from}`), origin: e.origin, pages: e.pages.length });
    case 'policy.list-captured': return t('session.ev.listPage', { list: t(`policy.${e.list}List`), source: t(`policy.source.${e.from}`), origin: e.origin, reference: e.reference, pages: e.pages.length });
    case 'app.type': return t('session.ev.appType', { name: e.name });
    case 'checklist.verdict': return t('session.ev.verdict', { item: e.item, verdict: e.verdict ? t(`checklist.verdict.${e.verdict}`) : t('checklist.verdict.none'), note: e.note ?? '' });
    case 'run.stage': return t('session.ev.runStage', { stage: e.stage, outcome: e.outcome, message: e.message ?? '' });
    case 'session.started': case 'session.paused': case 'session.resumed': case 'session.closed':
      return t(`session.ev.${e.type.slice(8)}`) + (e.reason ? ` — ${e.reason}` : '');
    case 'session.recovered': return t('session.ev.recovered', { bytes: e.tornBytes });
    case 'session.problem': return t('session.ev.problem', { message: e.message });
    default: return eventSummary(e, t);
  }
}
