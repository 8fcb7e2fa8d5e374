/**
 * The two lists of 工信部信管函〔2021〕292号 in a policy's text: 已收集个人信息清单 (type, purpose, scenario)
 * and 与第三方共享个人信息清单 (type, purpose, scenario, sharing method). Each is:
 * - present: a title, a table header (SDK名称 | 使用目的 | …) or a lead-in ("…SDK 目录如下：") followed by rows
 *   naming SDKs or the list's fields — in the policy or in a list page read with it;
 * - referenced: the text points to it elsewhere — 《…清单/目录/说明》, 附录/附件, 点击查看, a link, a menu path —
 *   with the pointer's words and its URL when the text gives one. A pointer is never taken for the list itself;
 * - absent: neither.
 * Also returns which sentences are the lists' rows and headers: those are the sentences that declare as list rows.
 */
import type { ListReading, PolicySentence } from '../../../src-preload/policy.js';
import type { PiDictionary } from './policy-knowledge.js';
import { isHeading, isTableRow } from './sentence-roles.js';
import { TermMatcher } from './term-matcher.js';

/** How far after its title a list's rows may go. */
const MAX_SECTION = 600;
const CHAPTER = /^([一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十\d]+[章节部分]|#{1,3}\s|\*\*[一二三四五六七八九十]+[、.．])/;
/** Titles the dictionary does not spell: "第三方 SDK 目录", "SDK使用场景列表", "第三方合作清单", "个人信息收集清单". */
const SHARED_TITLE = /SDK\s*(目录|清单|列表|明细|说明|情况|详情|使用场景)|第三方\s*(合作|共享|信息|SDK|服务)?\s*(目录|清单|列表)|合作(方|伙伴)\s*(目录|清单|列表)|共享(个人)?信息\s*(清单|列表)|third[- ]party (sdk|sharing) list/i;
const COLLECTED_TITLE = /(收集|已收集)(的)?个人信息\s*(清单|列表)|个人信息收集\s*(与使用)?\s*(清单|列表)|personal information collect(ed|ion) list/i;
/** The words of a pointer to elsewhere. */
const POINTER = /\]\(|https?:\/\/|详见|请见|查阅|参见|参阅|点击|附件|附录|可在|可以在|可通过|路径|入口|设置\s*[-—>＞]|我的\s*[-—>＞]|see the|available (in|at)|you can view/i;
/** A sentence that announces rows right after it. */
const LEAD_IN = /(如下|以下|下列|下表|列明|列举)[^。]{0,12}[：:]?$|[：:]$|as follows/;
/** "除以下情形外，我们不会与任何第三方共享…：" introduces exceptions, not a list. */
const GENERIC_INTRO = /除以下|除下列|以下情形|下列情形|以下情况|下列情况|以下几种类型/;
/** A link whose words, or the words right after it, point to the sharing list. */
const LINKED_SHARING = /\[[^\]]{0,40}(第三方|共享|SDK|合作)[^\]]{0,40}(清单|目录|列表|说明|详情|情况|情形)[^\]]{0,10}\]\(|\[(点击查看|点击这里|查看详情|点击此处)\]\([^)]{1,500}\)[^。]{0,30}(第三方|共享|SDK)/;
/** A line that is one SDK's entry: its name ("**OPPO推送SDK**", "①微信开放平台SDK") or its company's field. */
const SDK_ENTRY = /^[\s*•·\-\d.、（()）①-⑳]*[^，,。；：:]{1,40}SDK[\s*]*$|^[\s*]*(第三方名称|SDK名称|主体名称|公司名称|插件名称|运营方|第三方 SDK 名称)[\s*]*[：:]/i;
/** What a list's column is called. */
const COLUMN_LABEL = /名称|类型|种类|目的|用途|场景|方式|字段|信息|功能|链接|主体|公司|SDK|权限|时机|说明|期限|必需|purpose|type|name|method|scenario/i;
/** A row that names a third party or its code. */
const PARTY = /SDK|第三方名称|主体名称|公司名称|接收方|合作方名称|提供方|插件名称|有限公司|Inc\.|Ltd/i;

type Field = 'type' | 'purpose' | 'scenario' | 'method';
type Which = 'collected' | 'shared';

/** A sentence without its closing punctuation and Markdown emphasis. */
const trimEnd = (t: string): string => t.replace(/[。.*_\s]+$/, '');

function both(t: { zh: string[]; en: string[] }): string[] {
  return [...t.zh, ...t.en];
}

/** The link a pointer gives: the Markdown link whose words name the list (else the first), or a bare URL. */
export function pointerOf(text: string): { text: string; url: string | null } {
  const links = [...text.matchAll(/\[([^\]]{0,200})\]\(([^)\s]{1,2000})\)/g)];
  const link = links.find((m) => /清单|目录|列表|说明|SDK|详情|查看|合作|共享/.test(m[1]!)) ?? links[0];
  if (link) return { text: link[1]!.slice(0, 200) || text.slice(0, 200), url: link[2]! };
  const bare = /https?:\/\/[^\s)）\]」"'<>，。；]+/.exec(text);
  return { text: text.slice(0, 200), url: bare ? bare[0] : null };
}

export interface TwoListsReading {
  collected: ListReading;
  shared: ListReading;
  /** Sentences inside a present list's section (its rows) and the headers of its tables. */
  rows: Set<number>;
  headers: Set<number>;
}

export function readTwoLists(sentences: PolicySentence[], d: PiDictionary, namesSdk: (text: string) => boolean): TwoListsReading {
  const titles = new TermMatcher<Which>([['shared', both(d.lists.shared)], ['collected', both(d.lists.collected)]]);
  const fields = new TermMatcher<Field>((['type', 'purpose', 'scenario', 'method'] as Field[]).map((f) => [f, both(d.fields[f])]));
  const categories = new TermMatcher(Object.entries(d.categories).map(([k, c]) => [k, both(c.terms)]));
  const purposeMarker = new TermMatcher([[true, both(d.purposeMarkers)]]);
  const noSharing = new TermMatcher([[true, both(d.sharingNegations)]]);
  const rows = new Set<number>();
  const headers = new Set<number>();

  const titleOf = (t: string): Set<Which> => {
    const out = new Set(titles.find(t).map((h) => h.key));
    if (SHARED_TITLE.test(t)) out.add('shared');
    if (COLLECTED_TITLE.test(t)) out.add('collected');
    return out;
  };
  /** A table row most of whose cells are short column labels ("SDK名称 | 使用目的 | 共享方式"). */
  const headerOf = (t: string): Which | null => {
    // Column labels name kinds of things, never a kind of PI or an SDK itself: such a row is data.
    if (!isTableRow(t) || categories.has(t) || namesSdk(t)) return null;
    const cells = t.split(' | ').map((c) => c.trim()).filter(Boolean);
    const labels = cells.filter((c) => c.length <= 14 && COLUMN_LABEL.test(c)).length;
    if (labels < 2 || labels < cells.length * 0.6 || fields.find(t).length + (PARTY.test(t) ? 1 : 0) < 2) return null;
    return PARTY.test(t) || /第三方|合作/.test(t) ? 'shared' : 'collected';
  };

  const read = (which: Which): ListReading => {
    const empty: ListReading = { verdict: 'absent', reference: null, present: false, referencedOnly: false, form: null, sentence: null, fields: { type: false, purpose: false, scenario: false, method: which === 'shared' ? false : null } };
    let referenced: number | null = null;
    let best: ListReading | null = null;
    const sectionRows: number[] = [];
    let scannedTo = -1;
    for (const s of sentences) {
      const header = headerOf(s.text) === which;
      const dictionaryTitle = titles.find(s.text).some((h) => h.key === which);
      const titled = dictionaryTitle || titleOf(s.text).has(which);
      // "…我们可能会接入第三方提供的软件开发包（SDK）实现相关目的，具体详见如下：" may say SDK in the sentence before, on its line.
      const before = sentences[s.index - 1];
      const saysSdk = /SDK/i.test(s.text) || (before?.line === s.line && /SDK/i.test(before.text));
      const leadIn = which === 'shared' && saysSdk && LEAD_IN.test(trimEnd(s.text)) && !GENERIC_INTRO.test(s.text);
      // "[点击查看](https://…)我们向…第三方共享您的个人信息的情形": a link to the sharing list without its title.
      if (which === 'shared' && !titled && LINKED_SHARING.test(s.text)) { referenced ??= s.index; continue; }
      if (!header && !titled && !leadIn) continue;
      // A title inside a list already read is one of its rows: each sentence is scanned for one list at most once.
      if (s.index <= scannedTo) continue;
      const pointer = !header && POINTER.test(s.text) && !LEAD_IN.test(trimEnd(s.text));
      if (pointer) { referenced ??= s.index; continue; }
      const found = new Set<Field>();
      if (header) { for (const f of fields.find(s.text)) found.add(f.key); headers.add(s.index); }
      let listRows = 0, tableRows = 0, mentions = 0, sdkRows = 0, last = s.index;
      const section: number[] = [];
      for (let j = s.index + 1; j < sentences.length && j <= s.index + MAX_SECTION; j++) {
        const t = sentences[j]!.text;
        // A chapter ends the list once it has rows (before them, it is the list's own first part).
        if (listRows >= 2 && CHAPTER.test(t) && !titleOf(t).size && !namesSdk(t)) break;
        // Another title starts another list (the same list's title again: its own section, read on its own).
        const next = titleOf(t);
        if (next.size && isHeading(t) && (listRows || next.has(which))) break;
        // Long prose after the rows ends the list.
        if (listRows && t.length > 160 && !isTableRow(t) && !namesSdk(t) && !fields.has(t) && !/^[^：:]{1,20}[：:]/.test(t)) break;
        const table = isTableRow(t);
        const rowHeader = table ? headerOf(t) : null;
        // A header of this list again starts a new table (read as its own section); of the other list, the other list.
        if ((rowHeader === which && (listRows || header)) || (rowHeader && listRows)) break;
        if (rowHeader) { headers.add(j); for (const f of fields.find(t)) found.add(f.key); continue; }
        const f = fields.find(t);
        // A row that says there is nothing ("未接入任何第三方 SDK") lists nothing.
        if (noSharing.has(t)) { section.push(j); continue; }
        const party = which === 'shared' ? PARTY.test(t) || namesSdk(t) : false;
        if (which === 'shared' && (table || namesSdk(t) || SDK_ENTRY.test(t))) sdkRows++;
        const cat = categories.has(t);
        if (table || f.length || party || (which === 'collected' && cat && t.length <= 160)) {
          listRows++;
          last = j;
          if (table) tableRows++;
        }
        for (const h of f) found.add(h.key);
        if (!table) {
          if (/^[^：:|，,。]{2,14}[：:]/.test(t)) found.add('scenario');
          if (purposeMarker.has(t)) found.add('purpose');
        }
        if (cat) mentions++;
        section.push(j);
      }
      const next = sentences[s.index + 1]?.text ?? '';
      // "本应用未接入第三方SDK，不与第三方共享您的个人信息": an empty list, stated, is a complete one.
      if (which === 'shared' && dictionaryTitle && !mentions && noSharing.has(next)) {
        return { verdict: 'present', reference: null, present: true, referencedOnly: false, form: 'prose', sentence: s.index, fields: { type: true, purpose: true, scenario: true, method: true } };
      }
      // Without a title or a header, only rows naming SDKs make the lead-in a list.
      // A list under its own title may have one row ("附近门店：位置信息，用于…"); one found otherwise needs two.
      if (listRows < (dictionaryTitle && isHeading(s.text) ? 1 : 2) || (!found.size && !mentions) || (which === 'shared' && !dictionaryTitle && !header && sdkRows < 2)) {
        // A title alone, its rows elsewhere ("附录：第三方SDK目录" then a link): a pointer.
        if (titled && isHeading(s.text) && POINTER.test(next)) referenced ??= s.index + 1;
        // "…软件开发包（[SDK](https://…)）…。我们对接入的相关第三方SDK在目录中列明。": the list is behind that link.
        for (let k = s.index - 1; k >= 0 && k >= s.index - 3 && sentences[k]!.line === s.line; k--) {
          if (/\]\(|https?:\/\//.test(sentences[k]!.text)) { referenced ??= k; break; }
        }
        continue;
      }
      const reading: ListReading = {
        verdict: 'present', reference: null, present: true, referencedOnly: false, form: tableRows >= 2 || (tableRows >= 1 && headers.size > 0) ? 'table' : 'prose', sentence: s.index,
        fields: { type: found.has('type') || mentions > 0, purpose: found.has('purpose'), scenario: found.has('scenario'), method: which === 'shared' ? found.has('method') : null },
      };
      const score = (l: ListReading): number => Object.values(l.fields).filter(Boolean).length;
      for (const j of section) if (j <= last) sectionRows.push(j);
      scannedTo = last;
      if (!best || score(reading) > score(best)) best = reading;
    }
    if (best) {
      for (const j of sectionRows) rows.add(j);
      return best;
    }
    if (referenced === null) return empty;
    const p = pointerOf(sentences[referenced]!.text);
    return { ...empty, verdict: 'referenced', referencedOnly: true, sentence: referenced, reference: { sentence: referenced, text: p.text, url: p.url } };
  };
  const collected = read('collected');
  const shared = read('shared');
  return { collected, shared, rows, headers };
}
