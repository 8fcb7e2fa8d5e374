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
    const parts = terms.map((t) => (/^[\x20-\x7e]+$/.test(t) ? `(?<![a-z0-9])${escape(t)}(?![a-z0-9])` : escape(t)));
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
