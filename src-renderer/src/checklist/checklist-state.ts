/**
 * The checklist in the renderer: a session's live findings (re-read when its event count changes), the text
 * of a localized string in the UI language, and the look of proposal statuses and verdicts.
 */
import { useEffect, useRef, useState } from 'react';
import type { Localized, ProposalStatus, SessionChecklist, TemplateView, Verdict } from '../../../src-preload/checklist';
import { api } from '../api-client';

export function loc(l: Localized | null | undefined, lang: string): string {
  if (!l) return '';
  return lang.startsWith('zh') ? l.zh : l.en;
}

/** Green only for "none observed", which the core says only over stages that ran; "not tested" is neutral. */
export const STATUS_CLASS: Record<ProposalStatus, string> = {
  violation: 'bad', 'none-observed': 'ok', 'insufficient-evidence': 'muted', 'needs-tester': 'warn', 'not-tested': 'muted',
};

/**
 * The verdict a proposal stands for when the tester accepts it (key A): a proposed violation fails the item, "none
 * observed" passes it; the other statuses ask the tester to look, so there is nothing to accept.
 */
export function acceptedVerdict(status: ProposalStatus | undefined): Verdict | null {
  return status === 'violation' ? 'fail' : status === 'none-observed' ? 'pass' : null;
}

/**
 * The session's findings, re-evaluated by the core as events arrive (the count changes once a second at most).
 * The template comes once: later answers leave it out while its SHA-256 is the one already held.
 */
export function useSessionChecklist(sessionId: string, eventCount: number): [SessionChecklist | null, string | null, () => void] {
  const [value, setValue] = useState<SessionChecklist | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const held = useRef<{ sessionId: string; template: TemplateView } | null>(null);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      const template = held.current?.sessionId === sessionId ? held.current.template : null;
      void api.call('checklist.session', { sessionId, templateSha256: template?.summary.sha256 ?? null }).then((o) => {
        if (!live) return;
        if (!o.ok) return setError(o.error.messageKey);
        const full = o.value.template ?? template;
        if (!full) return setError('error.internal');
        held.current = { sessionId, template: full };
        setValue({ ...o.value, template: full });
        setError(null);
      });
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [sessionId, eventCount, tick]);
  return [value, error, () => setTick((t) => t + 1)];
}

/** Keys typed into a form are the form's, not shortcuts. */
export function isTyping(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || !!el.closest('.monaco-editor'));
}
