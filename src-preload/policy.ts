/**
 * What the workbench reads from a privacy policy and how it compares the policy with the app (types only,
 * shared by the core, the CLI and the renderer). Every extracted item keeps the sentences it came from.
 */
import type { Localized } from './checklist.js';

/** paste: text the tester pasted (a page the workbench could not read, an image-only page). */
export type PolicySource = 'phone' | 'file' | 'url' | 'paste';

/** Which of the two lists of 292号 a captured list page is for. */
export type ListKind = 'collected' | 'shared';

/**
 * What a sentence does (issue #25): only `collects` and `shares` sentences and `list-row`s declare personal
 * information or SDKs; `negates` declares that the app does NOT; the others only mention.
 */
export type SentenceRole = 'collects' | 'shares' | 'list-row' | 'list-header' | 'defines' | 'negates' | 'example' | 'contact' | 'link' | 'notification' | 'heading' | 'other';

export interface PolicySentence {
  /** Index in `sentences`; evidence refers to sentences by it. */
  index: number;
  /** 1-based line of the policy text. */
  line: number;
  text: string;
  role: SentenceRole;
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
  /**
   * name: the SDK's own name or a product alias, in a sharing sentence or a list row; vendor: only its company
   * is named, and named as a third party receiving data (an SDK list row, a sharing sentence).
   */
  via: 'name' | 'vendor';
  term: string;
  sentences: number[];
}

/**
 * A company the policy names without naming any of its SDKs: as a third party receiving data (a list row or
 * sharing sentence that names the company but no SDK of it), the provider of one function with a link to its
 * own policy, a link, an address, the operator itself. It declares none of its SDKs (a company has many; the
 * corpus of real policies shows naming it is not naming them): the comparison shows "company named, SDK not
 * named" for the tester to judge, except the operator's own SDKs, which are first party.
 */
export interface NamedCompany {
  vendor: string;
  term: string;
  role: 'third-party' | 'service-provider' | 'link' | 'address' | 'operator' | 'other';
  sentences: number[];
}

/** "我们不会接入/使用 X SDK": the policy says the SDK is not there; observed, it is a finding quoting this. */
export interface DeniedSdk {
  id: string;
  term: string;
  sentence: number;
}

/** Something about the text itself the tester must know (nothing is guessed from it), in both languages. */
export interface PolicyNotice {
  code: 'links-only' | 'english-only' | 'traditional-chinese' | 'no-text' | 'tables-only' | 'truncated';
  message: Localized;
}

export interface ListReading {
  /** present: the list itself is in this text; referenced: the text points to it elsewhere; absent: neither. */
  verdict: 'present' | 'referenced' | 'absent';
  /** The list itself is in this text (a heading followed by rows or items). */
  present: boolean;
  /** The text only points to the list elsewhere (e.g. a menu of the app); capture that page too. */
  referencedOnly: boolean;
  /** Where it points: the reference's words (《…清单》, 点击查看…) and its URL when the text gives one. */
  reference: { sentence: number; text: string; url: string | null } | null;
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
  /** Companies named in other roles than receiving data: they declare nothing (issue #25). */
  companies: NamedCompany[];
  /** SDKs the policy says it does not use or share with. */
  deniedSdks: DeniedSdk[];
  /** The company operating the app as the policy names it (its SDKs are first party), when found. */
  operator: string | null;
  twoLists: { collected: ListReading; shared: ListReading };
  notices: PolicyNotice[];
}

/** A separate list page captured for the session's policy (read with it, as its list). */
export interface ListPageView {
  seq: number;
  list: ListKind;
  from: PolicySource;
  origin: string;
  /** The policy's words that point to it. */
  reference: string;
  /** The label tapped on the phone to open it; null when the tester opened it, or it came from a URL, file or paste. */
  tapped: string | null;
  chars: number;
  problem: string | null;
}

/**
 * What the screens show of a reading beside the comparison (issue #25): each list's verdict with the reference's
 * words and URL, companies named in other roles (they declare nothing: the tester checks), SDKs the policy
 * denies, notices about the text, and the list pages captured for it.
 */
export interface ReadingView {
  twoLists: PolicyReading['twoLists'];
  companies: NamedCompany[];
  deniedSdks: DeniedSdk[];
  operator: string | null;
  notices: PolicyNotice[];
  listPages: ListPageView[];
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
