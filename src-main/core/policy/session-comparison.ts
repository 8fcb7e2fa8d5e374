/** The policy comparison of a judged session, computed once per set of timeline facts (evaluators share it). */
import type { PolicyComparison, PolicySentence, ReadingView } from '../../../src-preload/policy.js';
import type { TimelineFacts } from '../checklist/timeline-facts.js';
import { citedSentences, compare } from './compare.js';
import { observe } from './observed.js';
import { readingView, viewSentences } from './reading-view.js';

const memo = new WeakMap<TimelineFacts, PolicyComparison>();

export function sessionComparison(facts: TimelineFacts): PolicyComparison {
  const cached = memo.get(facts);
  if (cached) return cached;
  const { policy, analysis, appType } = facts.policyInputs;
  const result = compare({
    reading: policy?.reading ?? null,
    policy: policy ? { source: policy.event.from, origin: policy.event.origin, sha256: policy.event.text.sha256, chars: policy.reading.chars, language: policy.reading.language } : null,
    observed: observe(analysis?.analysis ?? null, facts),
    appType: appType?.type ?? null,
  });
  memo.set(facts, result);
  return result;
}

/**
 * The comparison, the reading's lists, companies, denials and notices, and the policy sentences they cite, for
 * an evidence package; null when the session has neither a policy nor an app type.
 */
export function reportPolicy(facts: TimelineFacts): { comparison: PolicyComparison; sentences: PolicySentence[]; reading: ReadingView | null } | null {
  const { policy, appType } = facts.policyInputs;
  if (!policy && !appType) return null;
  const comparison = sessionComparison(facts);
  const reading = policy ? readingView(policy.reading, policy.listPages ?? []) : null;
  return { comparison, sentences: viewSentences(citedSentences(comparison, policy?.reading ?? null), policy?.reading ?? null, reading), reading };
}
