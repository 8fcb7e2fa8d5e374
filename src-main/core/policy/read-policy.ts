/**
 * Reads a privacy policy's text with the PI dictionary and rules (no network service): sentences, the
 * personal-information categories it declares or denies, the permissions it names, the third-party SDKs and
 * companies it names (matched to the SDK knowledge base), whether each declared category has a purpose
 * beside it, and the two lists of 292号 with their fields. Linear in the text (each sentence is scanned once
 * per dictionary; see negation.ts), and the text is already bounded.
 */
import type { DeclaredPi, DeclaredSdk, PolicyReading, PolicySentence } from '../../../src-preload/policy.js';
import { loadKnowledge } from '../apk/knowledge.js';
import { readTwoLists } from './two-lists.js';
import { NegationIndex, SentenceClauses } from './negation.js';
import { policyKnowledge, type PiDictionary } from './policy-knowledge.js';
import { TermMatcher } from './term-matcher.js';

const PERMISSION_NAME = /android\.permission\.[A-Z_]{3,60}/g;
/** Permissions kept from one policy (the first ones named). */
const MAX_PERMISSIONS = 500;

interface Readers {
  dictionary: PiDictionary;
  pi: TermMatcher<string>;
  negation: TermMatcher<true>;
  sharingNegation: TermMatcher<true>;
  purpose: TermMatcher<true>;
  sdkByName: TermMatcher<string>;
  sdkByVendor: TermMatcher<string>;
}

let readers: Readers | null = null;

function both(t: { zh: string[]; en: string[] }): string[] {
  return [...t.zh, ...t.en];
}

function buildReaders(): Readers {
  const { dictionary } = policyKnowledge();
  const sdks = loadKnowledge().sdks.sdks;
  const names: Array<[string, string[]]> = sdks.map((s) => {
    const base = [s.name.zh, s.name.en].flatMap((n) => [n, n.replace(/\s+/g, ''), n.split(/\s*[（(/]/)[0]!.trim()]).filter((n) => n.length >= 3);
    return [s.id, [...new Set([...base, ...(dictionary.sdkAliases[s.id] ?? [])])]];
  });
  const vendors: Array<[string, string[]]> = [...new Set(sdks.map((s) => s.vendor))].map((v) => [v, [v, ...(dictionary.vendorAliases[v] ?? [])]]);
  return {
    dictionary,
    pi: new TermMatcher(Object.entries(dictionary.categories).map(([k, c]) => [k, both(c.terms)])),
    negation: new TermMatcher([[true, both(dictionary.negations)]]),
    sharingNegation: new TermMatcher([[true, both(dictionary.sharingNegations)]]),
    purpose: new TermMatcher([[true, both(dictionary.purposeMarkers)]]),
    sdkByName: new TermMatcher(names),
    sdkByVendor: new TermMatcher(vendors),
  };
}

/** Lines, then sentences at 。！？； (and ". " in English); a table row stays one sentence. */
export function splitSentences(text: string): PolicySentence[] {
  const out: PolicySentence[] = [];
  text.split('\n').forEach((line, i) => {
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
  /** The texts of the policy's separate list pages (a referenced 清单 captured after it), read as part of it. */
  lists?: string[];
}

export function readPolicy(policyText: string, options: ReadOptions = {}): PolicyReading {
  const text = [policyText, ...(options.lists ?? [])].join('\n');
  readers ??= buildReaders();
  const r = readers;
  const sentences = splitSentences(text);
  const tableRowsWithPurpose = purposeColumns(sentences, r);
  const pi = new Map<string, DeclaredPi>();
  const sdks = new Map<string, DeclaredSdk>();
  const vendorHits = new Map<string, { term: string; sentences: number[] }>();
  const permissions: PolicyReading['permissions'] = [];
  const sdkDb = loadKnowledge().sdks.sdks;
  const sdkById = new Map(sdkDb.map((d) => [d.id, d]));

  for (const s of sentences) {
    const hasPurpose = tableRowsWithPurpose.has(s.index) || r.purpose.has(s.text);
    const clauses = new SentenceClauses(s.text);
    let purpose: string | null = null;
    const piHits = r.pi.find(s.text);
    const piNegated = new NegationIndex(clauses, r.negation, piHits);
    for (const hit of piHits) {
      const c = r.dictionary.categories[hit.key]!;
      const entry: DeclaredPi = pi.get(hit.key) ?? { category: hit.key, label: { zh: c.zh, en: c.en }, declared: false, denied: false, purposeStated: false, purposes: [], mentions: [] };
      const negated = piNegated.governs(hit.index);
      if (entry.mentions.length < 50) entry.mentions.push({ sentence: s.index, term: hit.term, negated });
      if (!negated) {
        entry.declared = true;
        if (hasPurpose) {
          entry.purposeStated = true;
          purpose ??= purposeOf(r, s.text);
          const text = purpose;
          if (entry.purposes.length < 10 && !entry.purposes.some((p) => p.text === text)) entry.purposes.push({ sentence: s.index, text });
        }
      }
      pi.set(hit.key, entry);
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
    const named = r.sdkByName.find(s.text);
    const namedVendors = new Set(named.map((h) => sdkById.get(h.key)!.vendor));
    const nameShared = new NegationIndex(clauses, r.sharingNegation, named);
    for (const hit of named) {
      if (nameShared.governs(hit.index)) continue;
      const db = sdkById.get(hit.key)!;
      const entry = sdks.get(hit.key) ?? { id: db.id, name: db.name, vendor: db.vendor, via: 'name' as const, term: hit.term, sentences: [] };
      if (!entry.sentences.includes(s.index) && entry.sentences.length < 20) entry.sentences.push(s.index);
      sdks.set(hit.key, entry);
    }
    const vendors = r.sdkByVendor.find(s.text);
    const vendorShared = new NegationIndex(clauses, r.sharingNegation, vendors);
    for (const hit of vendors) {
      // The company beside one of its SDKs' names ("腾讯Bugly | 深圳市腾讯…") belongs to that SDK, not to all of them.
      if (namedVendors.has(hit.key) || vendorShared.governs(hit.index)) continue;
      const entry = vendorHits.get(hit.key) ?? { term: hit.term, sentences: [] };
      if (!entry.sentences.includes(s.index) && entry.sentences.length < 20) entry.sentences.push(s.index);
      vendorHits.set(hit.key, entry);
    }
  }
  // An SDK not named itself is declared through its company when the policy names the company.
  for (const db of sdkDb) {
    const v = vendorHits.get(db.vendor);
    if (!sdks.has(db.id) && v) sdks.set(db.id, { id: db.id, name: db.name, vendor: db.vendor, via: 'vendor', term: v.term, sentences: v.sentences });
  }
  for (const p of permissions) {
    if (p.category) continue;
    const kb = loadKnowledge().permissions.permissions.find((k) => k.name === p.name);
    const cat = kb ? Object.entries(r.dictionary.categories).find(([, c]) => c.permissionCategories.includes(kb.category))?.[0] : undefined;
    p.category = p.name.endsWith('READ_PHONE_NUMBERS') ? 'phoneNumber' : p.name.endsWith('READ_PHONE_STATE') ? 'deviceId' : cat ?? null;
  }
  for (const e of pi.values()) e.denied = !e.declared;
  return {
    schemaVersion: 1,
    language: language(text),
    chars: text.length,
    sentences,
    pi: [...pi.values()].sort((a, b) => a.category.localeCompare(b.category)),
    permissions,
    sdks: [...sdks.values()].sort((a, b) => a.id.localeCompare(b.id)),
    companies: [],
    deniedSdks: [],
    operator: null,
    twoLists: readTwoLists(sentences, r.dictionary),
    notices: [],
  };
}
