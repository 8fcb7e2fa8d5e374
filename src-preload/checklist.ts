/**
 * What the guided checklist shows and exchanges (types only, shared by the core, the CLI and the renderer):
 * an evaluator's proposal for an item, the tester's verdict, and the finding that joins them.
 */
export interface Localized {
  zh: string;
  en: string;
}

/** `not-tested`: what the item needs (a stage, the app running, a reboot) did not happen in the session. */
export type ProposalStatus = 'violation' | 'none-observed' | 'insufficient-evidence' | 'needs-tester' | 'not-tested';
export type Verdict = 'pass' | 'fail' | 'not-applicable';
export type Observation = 'AUTO' | 'ASSISTED' | 'MANUAL';

export interface Proposal {
  item: string;
  status: ProposalStatus;
  /** Timeline seq numbers of the events that show it. */
  evidence: number[];
  explanation: Localized;
}

export interface Finding {
  item: string;
  clauses: string[];
  title: Localized;
  observation: Observation;
  severity: 'high' | 'medium' | 'low';
  stages: string[];
  toVerify: boolean;
  proposal: Proposal;
  verdict: Verdict | null;
  verdictNote: string | null;
  /** Timeline seq of the tester's latest verdict event, and the evidence they attached (captures, notes). */
  verdictSeq: number | null;
  attachments: number[];
}

export interface TemplateSummary {
  id: string;
  version: string;
  title: Localized;
  items: number;
  /** shipped: part of the workbench; saved: a copy the user edited (data dir). */
  origin: 'shipped' | 'saved';
  sha256: string;
  savedAt: number | null;
  /** The template a session uses when none is chosen: always a shipped one (saved copies take ids of their own). */
  isDefault: boolean;
}

export interface StageInfo {
  id: string;
  title: Localized;
  instructions: Localized;
  automated: boolean;
}

export interface ItemView {
  id: string;
  clauses: string[];
  title: Localized;
  criterion: Localized;
  observation: Observation;
  severity: 'high' | 'medium' | 'low';
  stages: string[];
  guidance: Record<string, Localized>;
  evidence: string[];
  toVerify: boolean;
  appliesWhen: Localized | null;
}

/** A template as the guided test shows it. */
export interface TemplateView {
  summary: TemplateSummary;
  stages: StageInfo[];
  items: ItemView[];
}

/** A session judged live: the template, each item's finding, and where each stage began on the timeline. */
export interface SessionChecklist {
  template: TemplateView;
  findings: Finding[];
  stagesStarted: Array<{ stage: string; seq: number }>;
  /** The template the session recorded differs from the one stored under that id and version. */
  templateChanged: boolean;
}

/** `checklist.session`'s answer: the template left out (null) when the caller already holds it (same SHA-256). */
export type SessionChecklistUpdate = Omit<SessionChecklist, 'template'> & { template: TemplateView | null };

export interface TemplateProblem {
  message: string;
  line: number | null;
  column: number | null;
  field: string | null;
}
