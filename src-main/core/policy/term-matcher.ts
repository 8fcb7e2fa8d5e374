/**
 * Finds dictionary terms in text: one case-insensitive alternation per dictionary, longest terms first so
 * "位置信息" wins over "位置", ASCII terms only at word boundaries ("face" is not in "interface").
 */
function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface TermHit<K> {
  key: K;
  term: string;
  index: number;
}

export class TermMatcher<K> {
  private re: RegExp | null;
  private keyOf = new Map<string, K>();

  constructor(entries: Array<[K, string[]]>) {
    const terms: string[] = [];
    for (const [key, list] of entries) {
      for (const t of list) {
        const lower = t.toLowerCase();
        if (this.keyOf.has(lower)) continue;
        this.keyOf.set(lower, key);
        terms.push(lower);
      }
    }
    terms.sort((a, b) => b.length - a.length);
    // ASCII terms share one word-boundary check around their group: a lookbehind on each of hundreds of English SDK
    // names made every text position try them all (a 200 KB policy: 10 s, not 20 ms). Other terms go first, which
    // keeps longest-first: a term with a CJK character is never a prefix of an ASCII-only one.
    const ascii = terms.filter((t) => /^[\x20-\x7e]+$/.test(t)).map(escape);
    const other = terms.filter((t) => !/^[\x20-\x7e]+$/.test(t)).map(escape);
    const parts = ascii.length ? [...other, `(?<![a-z0-9])(?:${ascii.join('|')})(?![a-z0-9])`] : other;
    this.re = parts.length ? new RegExp(parts.join('|'), 'gi') : null;
  }

  find(text: string): Array<TermHit<K>> {
    if (!this.re) return [];
    const hits: Array<TermHit<K>> = [];
    this.re.lastIndex = 0;
    for (let m = this.re.exec(text); m; m = this.re.exec(text)) {
      hits.push({ key: this.keyOf.get(m[0].toLowerCase())!, term: m[0], index: m.index });
    }
    return hits;
  }

  has(text: string): boolean {
    if (!this.re) return false;
    this.re.lastIndex = 0;
    return this.re.test(text);
  }
}
