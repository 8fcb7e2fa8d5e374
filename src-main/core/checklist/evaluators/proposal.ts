/** How an evaluator is declared and the small constructors of its proposals. */
import type { z } from 'zod';
import type { Localized, Proposal, ProposalStatus } from '../../../../src-preload/checklist.js';
import type { TimelineFacts } from '../timeline-facts.js';
import type { CoverageNeed } from '../stage-coverage.js';
import { builtOnce } from '../../built-once.js';

export type Outcome = Omit<Proposal, 'item'>;

export interface EvaluatorDef<P extends z.ZodType = z.ZodType> {
  name: string;
  /** What it reads and decides, for the template editor's hover help. */
  summary: Localized;
  /**
   * It judges from what the phone logged: a hole in the log (log.gap) in the item's window leaves "nothing seen"
   * unproven (see evidence-gaps.ts).
   */
  readsLog?: boolean;
  /**
   * It watches the app in the item's stages: its "nothing seen" holds only where they ran ('any' one of them, or
   * 'all'), and says so (stage-coverage.ts). Evaluators over the policy, the APK or a UI dump leave it out.
   */
  observes?: CoverageNeed;
  /** Its parameters' schema, built on first use (building every evaluator's at load slowed each start). */
  params: () => P;
  evaluate(facts: TimelineFacts, params: z.infer<P>): Outcome;
}

export function defineEvaluator<P extends z.ZodType>(def: EvaluatorDef<P>): EvaluatorDef<P> {
  return { ...def, params: builtOnce(def.params) };
}

function outcome(status: ProposalStatus, evidence: number[], zh: string, en: string): Outcome {
  return { status, evidence: [...new Set(evidence)].sort((a, b) => a - b), explanation: { zh, en } };
}

export const violation = (evidence: number[], zh: string, en: string): Outcome => outcome('violation', evidence, zh, en);
export const noneObserved = (zh: string, en: string, evidence: number[] = []): Outcome => outcome('none-observed', evidence, zh, en);
export const insufficient = (zh: string, en: string, evidence: number[] = []): Outcome => outcome('insufficient-evidence', evidence, zh, en);
export const needsTester = (evidence: number[], zh: string, en: string): Outcome => outcome('needs-tester', evidence, zh, en);

/** "FINE_LOCATION, READ_PHONE_STATE" from the things an evaluator saw, at most a few. */
export function listOf(things: string[], max = 6): string {
  const unique = [...new Set(things)];
  return unique.slice(0, max).join(', ') + (unique.length > max ? ` (+${unique.length - max})` : '');
}

/** Seconds with one decimal, for explanations. */
export function secs(ms: number): string {
  return (ms / 1000).toFixed(ms < 10_000 ? 1 : 0);
}

