/** The policy comparison of a judged session, computed once per set of timeline facts (evaluators share it). */
import type { PolicyComparison, PolicySentence } from '../../../src-preload/policy.js';
import type { TimelineFacts } from '../checklist/timeline-facts.js';
import { citedSentences, compare } from './compare.js';
import { observe } from './observed.js';

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

/** The comparison and the policy sentences it cites, for an evidence package; null when the session has neither a policy nor an app type. */
export function reportPolicy(facts: TimelineFacts): { comparison: PolicyComparison; sentences: PolicySentence[] } | null {
  const { policy, appType } = facts.policyInputs;
  if (!policy && !appType) return null;
  const comparison = sessionComparison(facts);
  return { comparison, sentences: citedSentences(comparison, policy?.reading ?? null) };
}
