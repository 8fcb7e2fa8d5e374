/**
 * A step of the workbench's automation that did not reach its outcome (a capture that read nothing, a tap the
 * phone did not answer), recorded as its own `workbench.step-failed` event: the step, a stable reason code and
 * the words shown to the tester in both languages. It never writes a mark — a mark claims an outcome.
 */
import type { EventBase, WorkbenchStep } from '../../../src-preload/monitor-events.js';
import type { Session } from './session.js';

export interface StepFailure {
  step: WorkbenchStep;
  reason: string;
  zh: string;
  en: string;
}

/** Longest words kept in the event: a reason quotes the phone's screen, which is untrusted and unbounded. */
const MAX_WORDS = 2000;

export function recordStepFailure(session: Session, f: StepFailure, base: Partial<EventBase> = {}): number {
  const cut = (s: string): string => (s.length > MAX_WORDS ? `${s.slice(0, MAX_WORDS)}…` : s);
  return session.append({ type: 'workbench.step-failed', step: f.step, reason: f.reason.slice(0, 100), message: { zh: cut(f.zh), en: cut(f.en) } }, { source: 'workbench', ...base });
}
