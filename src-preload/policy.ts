/**
 * What the workbench reads from a privacy policy and how it compares the policy with the app (types only,
 * shared by the core, the CLI and the renderer). Every extracted item keeps the sentences it came from.
 */
import type { Localized } from './checklist.js';

export type PolicySource = 'phone' | 'file' | 'url';

export interface PolicySentence {
  /** Index in `sentences`; evidence refers to sentences by it. */
  index: number;
  /** 1-based line of the policy text. */
  line: number;
  text: string;
}

export interface PiMention {
  sentence: number;
  term: string;
  /** "我们不会收集您的通讯录": the policy says it does not collect it. */
  negated: boolean;
}

export interface DeclaredPi {
  category: string;
  label: Localized;
  /** At least one mention that is not negated. */
  declared: boolean;
  /** Only negated mentions: the policy says it is not collected. */
  denied: boolean;
  /** A purpose is given beside a non-negated mention (a purpose marker in the sentence, or a table row with a purpose column). */
  purposeStated: boolean;
  /** The purposes given beside it: the words from the purpose marker to the end of the clause, or the table row. */
  purposes: Array<{ sentence: number; text: string }>;
  mentions: PiMention[];
}

export interface DeclaredSdk {
  id: string;
  name: Localized;
  vendor: string;
  /** name: the SDK's own name or a product alias; vendor: only its company is named. */
  via: 'name' | 'vendor';
  term: string;
  sentences: number[];
}

export interface ListReading {
  /** The list itself is in this text (a heading followed by rows or items). */
  present: boolean;
  /** The text only points to the list elsewhere (e.g. a menu of the app); capture that page too. */
  referencedOnly: boolean;
  form: 'table' | 'prose' | null;
  sentence: number | null;
  fields: { type: boolean; purpose: boolean; scenario: boolean; method: boolean | null };
}

export interface PolicyReading {
  schemaVersion: 1;
  language: 'zh' | 'en' | 'mixed';
  chars: number;
  sentences: PolicySentence[];
  pi: DeclaredPi[];
  permissions: Array<{ name: string; category: string | null; sentence: number }>;
  sdks: DeclaredSdk[];
  twoLists: { collected: ListReading; shared: ListReading };
}

export interface ComparisonEvidence {
  /** Policy sentences (indexes into the reading's sentences). */
  sentences: number[];
  /** APK analysis entries: "sdk:jpush", "permission:android.permission.READ_CONTACTS". */
  apk: string[];
  /** Timeline seqs of the events that show it at run time. */
  timeline: number[];
}

export type MatrixStatus = 'declared-observed' | 'observed-undeclared' | 'observed-denied' | 'declared-unobserved' | 'declared-unobservable';

export interface MatrixRow {
  kind: 'sdk' | 'pi';
  key: string;
  label: Localized;
  status: MatrixStatus;
  /** Requested or accessed while the app type's necessary PI does not include it. */
  beyondNecessary: boolean;
  /** How it was observed: static (in the APK) and/or at run time. */
  observedBy: Array<'static' | 'runtime'>;
  note: Localized | null;
  evidence: ComparisonEvidence;
}

export interface AppTypeView {
  no: number;
  name: Localized;
  basicFunction: Localized;
  necessaryPi: { zh: string[]; en: string };
  categories: string[];
  noPiNeeded: boolean;
  level: 'A' | 'B' | 'C';
  toVerify: boolean;
}

export interface PolicyComparison {
  schemaVersion: 1;
  policy: { source: PolicySource; origin: string; sha256: string; chars: number; language: PolicyReading['language'] } | null;
  appType: AppTypeView | null;
  rows: MatrixRow[];
  /** The JSON the CLI prints (issue #14's shape). */
  declared: { pi: string[]; sdks: string[]; permissions: string[] };
  observed: { pi: string[]; sdks: string[]; permissions: string[] };
  undeclaredSdks: Array<{ name: string; vendor: string; evidence: ComparisonEvidence }>;
  undeclaredPi: Array<{ category: string; label: Localized; evidence: ComparisonEvidence }>;
  beyondNecessary: Array<{ category: string; label: Localized; evidence: ComparisonEvidence }>;
  twoLists: { collected: boolean; shared: boolean; missingFields: string[]; referencedOnly: string[] };
  /** Declared PI categories with no purpose beside them. */
  withoutPurpose: string[];
}
