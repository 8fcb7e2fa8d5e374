/**
 * Judging a session against a template: every item gets a proposal (its evaluator's, or "needs tester" for a
 * MANUAL item), an evaluator that throws gets "insufficient evidence" with the reason rather than stopping the
 * rest, an evaluator that watches the app says "nothing seen" only over the item's stages that ran and "not
 * tested" when what it needs did not run (stage-coverage.ts), a judgement from the log names the gaps the log has
 * in the item's window (evidence-gaps.ts), and the tester's latest verdict per item (timeline `checklist.verdict`
 * events) joins it as a finding.
 */
import type { Finding, Proposal } from '../../../src-preload/checklist.js';
import { EVALUATORS } from './evaluators/index.js';
import { evaluatorParams } from './load-template.js';
import type { ChecklistTemplate } from './template-schema.js';
import type { TimelineFacts } from './timeline-facts.js';
import { gapsInWindow, withGaps } from './evidence-gaps.js';
import { stageRun, withCoverage } from './stage-coverage.js';

export function propose(template: ChecklistTemplate, facts: TimelineFacts): Proposal[] {
  const titles = new Map(template.stages.map((s) => [s.id as string, s.title]));
  const runs = new Map<string, ReturnType<typeof stageRun>>();
  const run = (id: string) => {
    let r = runs.get(id);
    if (!r) runs.set(id, (r = stageRun(facts, id, titles.get(id) ?? { zh: id, en: id })));
    return r;
  };
  return template.items.map((item): Proposal => {
    if (!item.evaluator) {
      return { item: item.id, status: 'needs-tester', evidence: [], explanation: { zh: '人工检测项：请按指引观察并附上证据。', en: 'Manual item: observe as guided and attach evidence.' } };
    }
    const ev = EVALUATORS.get(item.evaluator.name);
    if (!ev) return { item: item.id, status: 'insufficient-evidence', evidence: [], explanation: { zh: `未知判定器 ${item.evaluator.name}`, en: `Unknown evaluator ${item.evaluator.name}` } };
    try {
      let outcome = ev.evaluate(facts, ev.params().parse(evaluatorParams(item)));
      if (ev.observes) outcome = withCoverage(outcome, item.stages.map(run), ev.observes);
      const proposal: Proposal = { item: item.id, ...outcome };
      // A judgement from the log says where the log has holes in the item's window (not-tested has no window).
      return ev.readsLog && proposal.status !== 'not-tested' ? withGaps(proposal, gapsInWindow(facts, item.stages)) : proposal;
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return { item: item.id, status: 'insufficient-evidence', evidence: [], explanation: { zh: `判定器出错：${why}`, en: `The evaluator failed: ${why}` } };
    }
  });
}

export function findings(template: ChecklistTemplate, proposals: Proposal[], facts: TimelineFacts): Finding[] {
  const verdicts = new Map<string, { seq: number; verdict: Finding['verdict']; note: string | null; attachments: number[] }>();
  for (const v of facts.events('checklist.verdict')) {
    verdicts.set(v.event.item, { seq: v.seq, verdict: v.event.verdict, note: v.event.note, attachments: v.event.attachments });
  }
  const byItem = new Map(proposals.map((p) => [p.item, p]));
  return template.items.map((item) => {
    const v = verdicts.get(item.id);
    return {
      item: item.id, clauses: item.clauses, title: item.title, observation: item.observation, severity: item.severity,
      stages: item.stages, toVerify: item.toVerify, proposal: byItem.get(item.id)!,
      verdict: v?.verdict ?? null, verdictNote: v?.note ?? null, verdictSeq: v?.seq ?? null, attachments: v?.attachments ?? [],
    };
  });
}
