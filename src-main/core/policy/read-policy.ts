/**
 * Reads a privacy policy's text (with the texts of its separate list pages, when captured) with the PI
 * dictionary and rules (no network service): sentences and what each does (sentence-roles.ts), the
 * personal-information categories it declares or denies — only collecting and sharing sentences and list rows
 * declare — the permissions it names, the SDKs it names or denies (matched to the SDK knowledge base, URLs
 * blanked out), the companies it names in other roles and its operator (company-roles.ts), purposes, the two
 * lists of 292号 (two-lists.ts) and what the tester must know about the text (policy-notices.ts). Linear in the
 * text (each sentence is scanned once per dictionary, whole-sentence facts asked once; see negation.ts).
 */
import type { DeclaredPi, DeclaredSdk, DeniedSdk, NamedCompany, PolicyReading, PolicySentence, SentenceRole } from '../../../src-preload/policy.js';
import { loadKnowledge } from '../apk/knowledge.js';
import { readTwoLists } from './two-lists.js';
import { blankUrls, companyRole, findOperator, functionsNamed, vendorSdkFor } from './company-roles.js';
import { policyNotices, toSimplified } from './policy-notices.js';
import { assignRoles, DECLARING, SentenceFacts, termMeansCategory } from './sentence-roles.js';
import { NegationIndex, SentenceClauses } from './negation.js';
import { policyKnowledge, type PiDictionary } from './policy-knowledge.js';
import { TermMatcher } from './term-matcher.js';

/** Where naming an SDK declares it: also "我们使用个推为您推送通知" (the channel is the SDK) and examples. */
const SDK_DECLARING: ReadonlySet<SentenceRole> = new Set<SentenceRole>([...DECLARING, 'notification', 'example', 'other']);
/** A login name ("抖音登录") … */
const LOGIN_VERB = /登录$/;
/** … followed by what is logged into ("当当网", "多闪"), not by 功能/服务/方式 or a conjunction. */
const LOGIN_OBJECT = /^[\u4e00-\u9fff]/u;
const LOGIN_NOT_OBJECT = /^(功能|服务|方式|按钮|入口|页面|界面|授权|等|时|后|的|或|及|和|与|SDK)/i;
/** "位置服务提供商（高德地图）": a product named as the provider of a service. */
const PROVIDER_BEFORE = /(提供商|服务商|提供方)[（(]$/;
/** A line that is only an SDK's name: one entry of a list laid out one cell per line. */
const SDK_ENTRY_HEADING = /^[\s*•·\-\d.、（()）①-⑳#]*[^，,。；：:]{1,40}SDK[\s*]*$/i;

/**
 * A maps product named by its brand ("高德地图：为了提供定位…", "位置服务提供商（高德地图）"), not as "…地图SDK",
 * in a sentence about locating the user and not about maps (`locatingOnly`, asked of the sentence once): the
 * vendor's location SDK is meant.
 */
function locationMeant<T extends { id: string; category: string }>(db: T, after: string, locationSdk: T | undefined, locatingOnly: () => boolean): T {
  if (db.category !== 'maps' || /location/.test(db.id) || !locationSdk || /^\s*SDK/i.test(after)) return db;
  return locatingOnly() ? locationSdk : db;
}

/**
 * The sentence with the SDK names found in it blanked: "消费功能通过华为SDK、…支付宝SDK、银联SDK实现" names no
 * payment function — 支付 there is part of a product's name, not what the company's SDK does.
 */
function withoutNames(text: string, named: ReadonlyArray<{ index: number; term: string }>): string {
  let out = '', from = 0;
  for (const h of named) { out += text.slice(from, h.index) + ' '.repeat(h.term.length); from = h.index + h.term.length; }
  return out + text.slice(from);
}

const PERMISSION_NAME = /android\.permission\.[A-Z_]{3,60}/g;
/** Permissions kept from one policy (the first ones named). */
const MAX_PERMISSIONS = 500;

interface Readers {
  dictionary: PiDictionary;
  pi: TermMatcher<string>;
  /** Negations of collecting and of sharing or using ("不会收集", "不会将…共享", "未接入"): PI and SDKs alike. */
  negation: TermMatcher<true>;
  purpose: TermMatcher<true>;
  sdkByName: TermMatcher<string>;
  sdkByVendor: TermMatcher<string>;
}

let readers: Readers | null = null;

function both(t: { zh: string[]; en: string[] }): string[] {
  return [...t.zh, ...t.en];
}

/**
 * The forms policies write a product name in besides the knowledge base's: without its spaces ("友盟+SDK"),
 * a vendor's push as "华为PUSH" / "华为通道" / "华为消息推送", a carrier's login without "中国" ("移动一键登录").
 * Only names with a vendor word before the function (at least two characters) are varied, so no bare "PUSH"
 * or "通道" is ever a name.
 */
function writtenForms(name: string): string[] {
  const out = [name, name.replace(/\s+/g, '')];
  const push = /^(.{2,12}?)\s*推送$/.exec(name);
  if (push) out.push(...['PUSH', 'Push', '通道', '消息推送', '推送服务'].map((w) => `${push[1]}${w}`), `${push[1]} PUSH`);
  if (/^中国(移动|联通|电信)/.test(name)) out.push(name.slice(2));
  return out;
}

function buildReaders(): Readers {
  const { dictionary } = policyKnowledge();
  const sdks = loadKnowledge().sdks.sdks;
  const names: Array<[string, string[]]> = sdks.map((s) => {
    const base = [s.name.zh, s.name.en].flatMap((n) => [n, n.replace(/\s+/g, ''), n.split(/\s*[（(/]/)[0]!.trim()]).filter((n) => n.length >= 3);
    return [s.id, [...new Set([...base, ...(dictionary.sdkAliases[s.id] ?? [])].flatMap(writtenForms))]];
  });
  const vendors: Array<[string, string[]]> = [...new Set(sdks.map((s) => s.vendor))].map((v) => [v, [v, ...(dictionary.vendorAliases[v] ?? [])]]);
  return {
    dictionary,
    pi: new TermMatcher(Object.entries(dictionary.categories).map(([k, c]) => [k, both(c.terms)])),
    // "我们不会共享用于识别您身份的信息（如姓名…）" says the kinds are not handed on: no declaration either.
    negation: new TermMatcher([[true, [...both(dictionary.negations), ...both(dictionary.sharingNegations)]]]),
    purpose: new TermMatcher([[true, both(dictionary.purposeMarkers)]]),
    sdkByName: new TermMatcher(names),
    sdkByVendor: new TermMatcher(vendors),
  };
}

/** Lines, then sentences at 。！？； (and ". " in English); a table row stays one sentence. */
export function splitSentences(text: string): PolicySentence[] {
  const out: PolicySentence[] = [];
  text.split('\n').forEach((line, i) => {
    // A Markdown table's rule line ("---|:---|---") carries no text.
    if (/^[\s|:-]+$/.test(line)) return;
    if (line.includes(' | ')) {
      out.push({ index: out.length, line: i + 1, text: line, role: 'other' });
      return;
    }
    for (const s of line.split(/(?<=[。！？；;!?])|(?<=\.)\s+(?=[A-Z“"])/)) {
      const t = s.trim();
      if (t) out.push({ index: out.length, line: i + 1, text: t, role: 'other' });
    }
  });
  return out;
}

/** "…，用于创建账号和验证身份。" → "用于创建账号和验证身份"; a table row is its own purpose. */
function purposeOf(r: Readers, sentence: string): string {
  if (sentence.includes(' | ')) return sentence.slice(0, 200);
  const hit = r.purpose.find(sentence)[0];
  if (!hit) return sentence.slice(0, 200);
  const rest = sentence.slice(hit.index);
  const end = rest.search(/[，,。；;！？!?]/);
  return (end < 0 ? rest : rest.slice(0, end)).slice(0, 200);
}

function language(text: string): PolicyReading['language'] {
  const sample = text.slice(0, 200_000);
  const cjk = (sample.match(/[\u4e00-\u9fff]/g) ?? []).length;
  const latin = (sample.match(/[A-Za-z]+/g) ?? []).length;
  if (cjk > latin * 2) return 'zh';
  if (cjk * 4 < latin) return 'en';
  return 'mixed';
}

/** Table rows of a list whose header names a purpose column count as giving a purpose. */
function purposeColumns(sentences: PolicySentence[], r: Readers): Set<number> {
  const purposeHeader = new TermMatcher([[true, both(r.dictionary.fields.purpose)]]);
  const rows = new Set<number>();
  let inTableWithPurpose = false;
  for (const s of sentences) {
    if (!s.text.includes(' | ')) { inTableWithPurpose = false; continue; }
    const cells = s.text.split(' | ');
    const isHeader = cells.every((c) => c.length <= 16) && cells.some((c) => purposeHeader.has(c));
    if (isHeader) { inTableWithPurpose = true; continue; }
    if (inTableWithPurpose) rows.add(s.index);
  }
  return rows;
}

export interface ReadOptions {
  /**
   * The texts of the policy's separate list pages (a referenced 清单 or SDK 目录 captured after it): read as
   * part of the policy, so a list it only pointed to becomes present.
   */
  lists?: string[];
}

function entryOf(r: Readers, pi: Map<string, DeclaredPi>, key: string): DeclaredPi {
  const c = r.dictionary.categories[key]!;
  const e = pi.get(key) ?? { category: key, label: { zh: c.zh, en: c.en }, declared: false, denied: false, purposeStated: false, purposes: [], mentions: [] };
  pi.set(key, e);
  return e;
}

function addSentence(list: number[], index: number): void {
  if (!list.includes(index) && list.length < 20) list.push(index);
}

export function readPolicy(policyText: string, options: ReadOptions = {}): PolicyReading {
  const text = [policyText, ...(options.lists ?? [])].join('\n');
  readers ??= buildReaders();
  const r = readers;
  // Traditional characters are read as their Simplified forms (one to one: the sentences split alike), and
  // the sentences shown keep the original.
  const simplified = toSimplified(text);
  const shown = splitSentences(text);
  const sentences = simplified.replaced ? splitSentences(simplified.text) : shown;
  const masked = sentences.map((s) => blankUrls(s.text));
  const twoLists = readTwoLists(sentences, r.dictionary, (t) => r.sdkByName.has(blankUrls(t)));
  assignRoles(sentences, twoLists.rows, twoLists.headers);
  const tableRowsWithPurpose = purposeColumns(sentences, r);
  const pi = new Map<string, DeclaredPi>();
  const sdks = new Map<string, DeclaredSdk>();
  const companies = new Map<string, NamedCompany>();
  const deniedSdks: DeniedSdk[] = [];
  const permissions: PolicyReading['permissions'] = [];
  const sdkDb = loadKnowledge().sdks.sdks;
  const sdkById = new Map(sdkDb.map((d) => [d.id, d]));
  const locationSdkOf = new Map(sdkDb.filter((d) => d.category === 'maps' && /location/.test(d.id)).map((d) => [d.vendor, d]));
  const operator = findOperator(sentences);
  const operatorVendors = new Set(operator ? r.sdkByVendor.find(operator.name).map((h) => h.key) : []);
  const nameCompany = (vendor: string, term: string, role: NamedCompany['role'], sentence: number): void => {
    const key = `${vendor}\u0000${role}`;
    const c = companies.get(key) ?? { vendor, term, role, sentences: [] };
    addSentence(c.sentences, sentence);
    companies.set(key, c);
  };
  if (operator) for (const v of operatorVendors) nameCompany(v, operator.name, 'operator', operator.sentence);

  for (const s of sentences) {
    const declaring = DECLARING.has(s.role);
    const hasPurpose = tableRowsWithPurpose.has(s.index) || r.purpose.has(s.text);
    const clauses = new SentenceClauses(s.text);
    const facts = new SentenceFacts(s.text);
    let purpose: string | null = null;
    let declaredHere = 0, negatedHere = 0;
    const piHits = r.pi.find(s.text);
    const piNegated = new NegationIndex(clauses, r.negation, piHits);
    for (const hit of piHits) {
      const negated = piNegated.governs(hit.index);
      if (negated) {
        negatedHere++;
        if (s.role === 'defines') continue;
        const entry = entryOf(r, pi, hit.key);
        if (entry.mentions.length < 50) entry.mentions.push({ sentence: s.index, term: hit.term, negated });
        continue;
      }
      if (!declaring || !termMeansCategory(hit.key, hit.term, facts, hit.index)) continue;
      declaredHere++;
      const entry = entryOf(r, pi, hit.key);
      if (entry.mentions.length < 50) entry.mentions.push({ sentence: s.index, term: hit.term, negated });
      entry.declared = true;
      if (hasPurpose) {
        entry.purposeStated = true;
        purpose ??= purposeOf(r, s.text);
        const text = purpose;
        if (entry.purposes.length < 10 && !entry.purposes.some((p) => p.text === text)) entry.purposes.push({ sentence: s.index, text });
      }
    }
    for (const m of s.text.matchAll(PERMISSION_NAME)) {
      if (permissions.length < MAX_PERMISSIONS) permissions.push({ name: m[0], category: null, sentence: s.index });
    }
    // "…位置权限": the dictionary term that ends right before 权限 names the permission.
    for (let at = s.text.indexOf('权限'); at >= 0 && permissions.length < MAX_PERMISSIONS; at = s.text.indexOf('权限', at + 2)) {
      const before = s.text.slice(Math.max(0, at - 8), at);
      const hit = r.pi.find(before).filter((h) => h.index + h.term.length === before.length).pop();
      if (hit) permissions.push({ name: `${hit.term}权限`, category: hit.key, sentence: s.index });
    }

    // SDKs and companies are matched on the text with its URLs blanked out.
    const plain = masked[s.index]!;
    const named = r.sdkByName.find(plain);
    const vendors = r.sdkByVendor.find(plain);
    if (!named.length && !vendors.length) {
      if (negatedHere && !declaredHere && s.role !== 'defines') s.role = 'negates';
      continue;
    }
    const nameDenied = new NegationIndex(clauses, r.negation, named);
    // Facts of the whole sentence that its names ask, each computed once (a dense sentence has many names).
    let unnamedText: string | undefined, saysSdk: boolean | undefined, locatingOnly: boolean | undefined;
    const unnamed = (): string => (unnamedText ??= withoutNames(plain, named));
    for (const hit of named) {
      if (nameDenied.governs(hit.index)) {
        negatedHere++;
        if (deniedSdks.length < 200 && !deniedSdks.some((d) => d.id === hit.key)) deniedSdks.push({ id: hit.key, term: hit.term, sentence: s.index });
        continue;
      }
      let db = sdkById.get(hit.key)!;
      const after = plain.slice(hit.index + hit.term.length, hit.index + hit.term.length + 4);
      // "使用抖音登录多闪", "使用第三方账户如微信、QQ登录当当网": 登录 is the user's verb with its object, the
      // account is named, not the login SDK ("微信登录功能", "“微信登录”" stay the SDK's names).
      if (LOGIN_VERB.test(hit.term) && LOGIN_OBJECT.test(after) && !LOGIN_NOT_OBJECT.test(after)) { nameCompany(db.vendor, hit.term, 'other', s.index); continue; }
      // "交由定位服务提供商（高德地图）" with no SDK in the sentence: a provider that receives data on its servers.
      if (s.role !== 'list-row' && PROVIDER_BEFORE.test(plain.slice(Math.max(0, hit.index - 6), hit.index)) && !(saysSdk ??= /SDK/i.test(plain))) {
        nameCompany(db.vendor, hit.term, 'service-provider', s.index);
        continue;
      }
      db = locationMeant(db, after, locationSdkOf.get(db.vendor), () => (locatingOnly ??= /定位|位置/.test(unnamed()) && !/地图/.test(unnamed())));
      // A heading that is one SDK's entry in a list laid out cell by cell ("VIVO-联运SDK", "OAID SDK") names it.
      const entryHeading = s.role === 'heading' && SDK_ENTRY_HEADING.test(plain);
      // Named in passing (a heading, a link to its policy, an address) it is not declared; the operator's own SDK
      // outside a list is first party.
      if (!(SDK_DECLARING.has(s.role) || entryHeading) || (operatorVendors.has(db.vendor) && s.role !== 'list-row')) {
        if (operatorVendors.has(db.vendor)) nameCompany(db.vendor, hit.term, 'operator', s.index);
        continue;
      }
      declaredHere++;
      const entry = sdks.get(db.id) ?? { id: db.id, name: db.name, vendor: db.vendor, via: 'name' as const, term: hit.term, sentences: [] };
      addSentence(entry.sentences, s.index);
      sdks.set(db.id, entry);
    }
    // A company named without one of its SDKs (beside it, or on the lines of the same list entry) declares none.
    const nearbyVendors = new Set<string>();
    for (let j = Math.max(0, s.index - (s.role === 'list-row' ? 3 : 0)); j <= Math.min(sentences.length - 1, s.index + (s.role === 'list-row' ? 3 : 0)); j++) {
      for (const h of j === s.index ? named : r.sdkByName.find(masked[j]!)) nearbyVendors.add(sdkById.get(h.key)!.vendor);
    }
    const vendorDenied = new NegationIndex(clauses, r.negation, vendors);
    let sentenceCompanyRole: ReturnType<typeof companyRole> | undefined;
    let functions: Set<string> | undefined;
    for (const hit of vendors) {
      if (vendorDenied.governs(hit.index) || nearbyVendors.has(hit.key)) continue;
      sentenceCompanyRole ??= companyRole(s.text, s.role);
      const role = operatorVendors.has(hit.key) ? 'operator' : sentenceCompanyRole;
      // In a sharing sentence the company must be named as the SDK's ("高德、百度、滴滴SDK", "友盟的SDK").
      // In a list, the company must head its row, where the SDK's name stands ("极光 | … | 消息推送", "（1）友盟：…").
      const asSdk = s.role === 'list-row'
        ? /^[\s*•·\-\d.、（()）①-⑳#]*$/.test(plain.slice(Math.max(0, hit.index - 8), hit.index)) && hit.index <= 8
        : /^[^，,。；;（）()]{0,12}?SDK/i.test(plain.slice(hit.index + hit.term.length, hit.index + hit.term.length + 16));
      const meant = role === 'receives' && asSdk ? vendorSdkFor(sdkDb, hit.key, s.text, functions ??= functionsNamed(unnamed()), plain.slice(Math.max(0, hit.index - 12), hit.index)) : null;
      if (meant && !sdks.has(meant.id) && !deniedSdks.some((d) => d.id === meant.id)) {
        sdks.set(meant.id, { id: meant.id, name: meant.name, vendor: meant.vendor, via: 'vendor', term: hit.term, sentences: [s.index] });
        continue;
      }
      if (meant) continue;
      nameCompany(hit.key, hit.term, role === 'receives' ? 'third-party' : role, s.index);
    }
    if (negatedHere && !declaredHere && s.role !== 'defines') s.role = 'negates';
  }
  for (const p of permissions) {
    if (p.category) continue;
    const kb = loadKnowledge().permissions.permissions.find((k) => k.name === p.name);
    const cat = kb ? Object.entries(r.dictionary.categories).find(([, c]) => c.permissionCategories.includes(kb.category))?.[0] : undefined;
    p.category = p.name.endsWith('READ_PHONE_NUMBERS') ? 'phoneNumber' : p.name.endsWith('READ_PHONE_STATE') ? 'deviceId' : cat ?? null;
  }
  for (const e of pi.values()) e.denied = !e.declared;
  const lang = language(text);
  return {
    schemaVersion: 1,
    language: lang,
    chars: text.length,
    sentences: sentences === shown ? sentences : shown.map((s, i) => ({ ...s, role: sentences[i]?.role ?? s.role })),
    pi: [...pi.values()].sort((a, b) => a.category.localeCompare(b.category)),
    permissions,
    sdks: [...sdks.values()].sort((a, b) => a.id.localeCompare(b.id)),
    companies: [...companies.values()],
    deniedSdks,
    operator: operator?.name ?? null,
    twoLists: { collected: twoLists.collected, shared: twoLists.shared },
    notices: policyNotices(text, sentences, lang, simplified.replaced, { pi: [...pi.values()].filter((p) => p.declared).length, sdks: sdks.size }),
  };
}
