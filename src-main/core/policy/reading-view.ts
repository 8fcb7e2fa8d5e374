/**
 * What the screens, the report and the CLI show of a policy's reading beside the comparison (issue #25): the
 * two lists with the reference's words and URL, the companies named in other roles, the SDKs the policy
 * denies, the notices about the text, and the list pages read with it — and the sentences those cite.
 * Bounded: a reading of a hostile text names at most so many of each.
 */
import type { PolicyReading, PolicySentence, ReadingView } from '../../../src-preload/policy.js';
import type { ListPageEvent } from './session-policy.js';

const MAX_SHOWN = 200;

export function readingView(reading: PolicyReading, listPages: Array<{ seq: number; event: ListPageEvent }>): ReadingView {
  return {
    twoLists: reading.twoLists,
    companies: reading.companies.slice(0, MAX_SHOWN),
    deniedSdks: reading.deniedSdks.slice(0, MAX_SHOWN),
    operator: reading.operator,
    notices: reading.notices.slice(0, 20),
    listPages: listPages.map(({ seq, event: e }) => ({ seq, list: e.list, from: e.from, origin: e.origin, reference: e.reference, tapped: e.tapped, chars: e.text.size, problem: e.problem })),
  };
}

/** The comparison's cited sentences and those the reading view quotes (list references, companies, denials), by index. */
export function viewSentences(cited: PolicySentence[], reading: PolicyReading | null, view: ReadingView | null): PolicySentence[] {
  if (!reading || !view) return cited;
  const wanted = new Set(cited.map((s) => s.index));
  for (const l of [view.twoLists.collected, view.twoLists.shared]) {
    if (l.sentence !== null) wanted.add(l.sentence);
    if (l.reference) wanted.add(l.reference.sentence);
  }
  for (const c of view.companies) for (const i of c.sentences.slice(0, 3)) wanted.add(i);
  for (const d of view.deniedSdks) wanted.add(d.sentence);
  return [...wanted].sort((a, b) => a - b).map((i) => reading.sentences[i]).filter((s): s is PolicySentence => !!s);
}
