/**
 * Whether a negation governs a dictionary term in a sentence: "我们不会收集您的通讯录、短信或通话记录" denies all
 * three, "…，除非您使用地图功能" does not deny. Everything the question needs is found in one pass over the
 * sentence (its clause boundaries, negations, exceptions, commas, and what is left between the terms once
 * enumeration fillers are dropped), so each term's question is a few binary searches and a sentence of a
 * million characters dense with terms reads in linear time. Asking each term afresh from its clause's start
 * made such a sentence quadratic: 2.85 MB of one unpunctuated "sentence" took 13 minutes.
 */
import type { TermHit, TermMatcher } from './term-matcher.js';

/** A clause ends at these; a negation before a term in its clause negates it. */
const CLAUSE_END = /[。；;！？!?]|但是|但|然而|\bhowever\b|\bbut\b/gi;
/** "…，除非您使用地图功能": a negation with an exception after the term is a conditional declaration. */
const EXCEPTION_AT = /(?=除非|除外|仅在|只有在|unless|except)/gi;
/** What an enumeration's parts hold besides the things enumerated ("your contacts, SMS or call log"). */
const ENUMERATION_FILLER = /\b(your|their|the|and|or|nor|any|other|such as|including|e\.g\.)\b|我们|您的|你的|以及|或者|和|及|或|与|也不|等|包括|例如|[\s()（）、/.]/gi;
const COMMA = /[，,]/g;

/** The index of the last element of sorted `a` that is < `x` (or <= with `orEqual`), -1 when none. */
function lastBefore(a: ArrayLike<number>, x: number, orEqual = false): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x || (orEqual && a[mid] === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function positions(re: RegExp, text: string): number[] {
  const out: number[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(m.index);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/** One sentence's clause boundaries and exceptions, shared by every negation question asked of it. */
export class SentenceClauses {
  /** Each clause end's start and end, in order. */
  private endStarts: number[] = [];
  private endEnds: number[] = [];
  /** Where the last exception starts (-1: none). */
  readonly lastException: number;

  constructor(readonly text: string) {
    CLAUSE_END.lastIndex = 0;
    for (let m = CLAUSE_END.exec(text); m; m = CLAUSE_END.exec(text)) {
      this.endStarts.push(m.index);
      this.endEnds.push(m.index + m[0].length);
    }
    const exceptions = positions(EXCEPTION_AT, text);
    this.lastException = exceptions.length ? exceptions[exceptions.length - 1]! : -1;
  }

  /** The start of the clause that holds position `at`: after the last clause end that starts before it. */
  clauseStart(at: number): number {
    const i = lastBefore(this.endStarts, at);
    return i < 0 ? 0 : this.endEnds[i]!;
  }
}

/**
 * The negations of one kind (collection, sharing) over one sentence and one kind of term: `governs(at)` says
 * whether the term hit at `at` is negated — a negation earlier in its clause, no exception after the term,
 * and after the negation's own comma-part only parts that hold nothing but terms and fillers (an enumeration).
 */
export class NegationIndex<K> {
  private negStarts: number[] = [];
  private negEnds: number[] = [];
  private commas: number[] = [];
  /** Stretches between terms and commas: their starts, ends, and running sums of what is left without fillers. */
  private segStarts: number[] = [];
  private segEnds: number[] = [];
  private leftSums: number[] = [0];
  /** Running count of the comma-parts (between two commas) that are more than an enumeration. */
  private badParts: number[] = [0];

  constructor(private clauses: SentenceClauses, negation: TermMatcher<true>, terms: Array<TermHit<K>>) {
    const text = clauses.text;
    for (const h of negation.find(text)) {
      this.negStarts.push(h.index);
      this.negEnds.push(h.index + h.term.length);
    }
    if (!this.negStarts.length) return;
    this.commas = positions(COMMA, text);
    // A comma splits what is around it into parts even inside a term ("Meta Platforms, Inc."): such a term
    // is read as the text it is made of.
    const removed = terms.filter((h) => !/[，,]/.test(h.term));
    let pos = 0, hit = 0, comma = 0;
    const addStretch = (end: number): void => {
      if (end > pos) {
        this.segStarts.push(pos);
        this.segEnds.push(end);
        this.leftSums.push(this.leftSums[this.leftSums.length - 1]! + text.slice(pos, end).replace(ENUMERATION_FILLER, '').length);
      }
    };
    while (pos < text.length) {
      const nextHit = hit < removed.length ? removed[hit]!.index : text.length;
      const nextComma = comma < this.commas.length ? this.commas[comma]! : text.length;
      if (nextComma < nextHit) {
        addStretch(nextComma);
        pos = nextComma + 1;
        comma++;
      } else if (nextHit < text.length) {
        addStretch(nextHit);
        pos = nextHit + removed[hit]!.term.length;
        hit++;
        while (comma < this.commas.length && this.commas[comma]! < pos) comma++;
      } else {
        addStretch(text.length);
        pos = text.length;
      }
    }
    for (let i = 0; i + 1 < this.commas.length; i++) {
      const bad = this.leftBetween(this.commas[i]!, this.commas[i + 1]!) > 1 ? 1 : 0;
      this.badParts.push(this.badParts[i]! + bad);
    }
  }

  /** What is left of the text strictly between positions `from` and `to` once terms and fillers are dropped. */
  private leftBetween(from: number, to: number): number {
    const first = lastBefore(this.segStarts, from, true) + 1;
    const last = lastBefore(this.segEnds, to, true);
    return last < first ? 0 : this.leftSums[last + 1]! - this.leftSums[first]!;
  }

  governs(at: number): boolean {
    if (!this.negStarts.length) return false;
    // The last negation that ends before the term, if it lies in the term's clause.
    const n = lastBefore(this.negEnds, at, true);
    if (n < 0 || this.negStarts[n]! < this.clauses.clauseStart(at)) return false;
    if (this.clauses.lastException >= at) return false;
    // The negation's own comma-part may hold anything; each later part up to the term only an enumeration.
    const first = lastBefore(this.commas, this.negEnds[n]!) + 1;
    const last = lastBefore(this.commas, at);
    if (last < first) return true;
    if (this.badParts[last]! - this.badParts[first]! > 0) return false;
    return this.leftBetween(this.commas[last]!, at) <= 1;
  }
}
