/**
 * The two lists of 工信部信管函〔2021〕292号 in a policy's text: 已收集个人信息清单 (type, purpose, scenario)
 * and 与第三方共享个人信息清单 (type, purpose, scenario, sharing method). A list is present when its title is
 * followed by rows (a table) or items (prose) naming those fields; a title only inside a sentence that points
 * elsewhere ("可在“我的-设置”中查看") means the list lives in the app's menu, not in this text.
 */
import type { ListReading, PolicySentence } from '../../../src-preload/policy.js';
import type { PiDictionary } from './policy-knowledge.js';
import { TermMatcher } from './term-matcher.js';

/** How far after its title a list's rows may go. */
const MAX_SECTION = 400;
const CHAPTER = /^([一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十\d]+[章节部分]|[0-9]{1,2}[、.．]\s*[^\d|]{2,20}$)/;

type Field = 'type' | 'purpose' | 'scenario' | 'method';

function both(t: { zh: string[]; en: string[] }): string[] {
  return [...t.zh, ...t.en];
}

export function readTwoLists(sentences: PolicySentence[], d: PiDictionary): { collected: ListReading; shared: ListReading } {
  const titles = new TermMatcher<'collected' | 'shared'>([['shared', both(d.lists.shared)], ['collected', both(d.lists.collected)]]);
  const reference = new TermMatcher([[true, both(d.lists.referenceMarkers)]]);
  const fields = new TermMatcher<Field>((['type', 'purpose', 'scenario', 'method'] as Field[]).map((f) => [f, both(d.fields[f])]));
  const categories = new TermMatcher(Object.entries(d.categories).map(([k, c]) => [k, both(c.terms)]));
  const purposeMarker = new TermMatcher([[true, both(d.purposeMarkers)]]);
  const noSharing = new TermMatcher([[true, both(d.sharingNegations)]]);

  const read = (which: 'collected' | 'shared'): ListReading => {
    const empty: ListReading = { verdict: 'absent', reference: null, present: false, referencedOnly: false, form: null, sentence: null, fields: { type: false, purpose: false, scenario: false, method: which === 'shared' ? false : null } };
    let referenced: number | null = null;
    let best: ListReading | null = null;
    for (const s of sentences) {
      const hit = titles.find(s.text).find((h) => h.key === which);
      if (!hit) continue;
      const headingLike = s.text.length <= 40 && !/[，,。]/.test(s.text.replace(/[。：:]$/, ''));
      if (!headingLike) {
        if (reference.has(s.text)) referenced ??= s.index;
        continue;
      }
      const found = new Set<Field>();
      let rows = 0, tableRows = 0, mentions = 0;
      for (let j = s.index + 1; j < sentences.length && j <= s.index + MAX_SECTION; j++) {
        const t = sentences[j]!.text;
        if (titles.has(t) && t.length <= 40) break;
        if (CHAPTER.test(t) && !categories.has(t)) break;
        rows++;
        if (t.includes(' | ')) tableRows++;
        for (const f of fields.find(t)) found.add(f.key);
        // Prose items: "注册登录：收集您的手机号码，用于创建账号。" name the scenario before the colon and the purpose after "用于".
        if (!t.includes(' | ')) {
          if (/^[^：:|，,。]{2,14}[：:]/.test(t)) found.add('scenario');
          if (purposeMarker.has(t)) found.add('purpose');
        }
        if (categories.has(t)) mentions++;
      }
      // "本应用未接入第三方SDK，不与第三方共享您的个人信息": an empty list, stated, is a complete one.
      const next = sentences[s.index + 1]?.text ?? '';
      if (which === 'shared' && rows && !mentions && noSharing.has(next)) {
        return { verdict: 'present', reference: null, present: true, referencedOnly: false, form: 'prose', sentence: s.index, fields: { type: true, purpose: true, scenario: true, method: true } };
      }
      if (!rows || (!found.size && !mentions)) {
        referenced ??= s.index;
        continue;
      }
      const reading: ListReading = {
        verdict: 'present', reference: null, present: true, referencedOnly: false, form: tableRows >= 2 ? 'table' : 'prose', sentence: s.index,
        fields: { type: found.has('type') || mentions > 0, purpose: found.has('purpose'), scenario: found.has('scenario'), method: which === 'shared' ? found.has('method') : null },
      };
      const score = (l: ListReading): number => Object.values(l.fields).filter(Boolean).length;
      if (!best || score(reading) > score(best)) best = reading;
    }
    if (best) return best;
    return referenced !== null ? { ...empty, verdict: 'referenced', referencedOnly: true, sentence: referenced, reference: { sentence: referenced, text: sentences[referenced]!.text.slice(0, 200), url: null } } : empty;
  };
  return { collected: read('collected'), shared: read('shared') };
}
