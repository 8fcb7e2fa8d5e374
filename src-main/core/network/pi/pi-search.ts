/**
 * The search for the phone's own values in what an app sends: every needle of every value (forms.ts) compiled once
 * per session into one automaton (automaton.ts), then each request's URL (as sent and percent-decoded), header
 * values and body (decoded: gzip/deflate/br with bounded output; as sent, percent-decoded and with JSON's `\/`
 * undone) scanned in one pass each. A body is searched up to SEARCH_CAP_BYTES: past that, or when the proxy kept
 * only its first bytes, `body.searched` is false and `body.note` says why. Matches come out masked (mask.ts); the
 * values themselves stay inside this object.
 */
import type { PiForm, PiKind } from '../../../../src-preload/network.js';
import { PI_FORMS, PI_KINDS } from '../../../../src-preload/network.js';
import type { CapturedBody, PhoneValue, PiMatch } from '../contracts.js';
import { ByteAutomaton } from './automaton.js';
import { decodeBody, type DecodeNote } from './body-decode.js';
import { needlesFor, PACKAGE_LIST_MIN, type Needle, type SkippedValue } from './forms.js';
import { maskPackageList } from './mask.js';

/** A body's first 16 MiB are searched; a larger one is hashed and stored by the proxy, not searched whole. */
export const SEARCH_CAP_BYTES = 16 * 1024 * 1024;

export type Where = PiMatch['where'];

export interface PiRequest {
  url: string;
  headers: ReadonlyArray<readonly [string, string]>;
  /** The body as the proxy kept it (its first bytes and whole size), or the whole body; null: none. */
  body: CapturedBody | Buffer | null;
}

export type BodyNote =
  | 'whole'
  | 'empty'
  /** Larger than the cap: its first SEARCH_CAP_BYTES were searched. */
  | 'over-cap'
  /** The proxy kept only the body's first bytes: those were searched. */
  | 'kept-part'
  /** Decompressed, it is larger than the cap: its first SEARCH_CAP_BYTES were searched, the rest never inflated. */
  | 'decoded-over-cap'
  /** Its compression broke off: what decompressed before the break was searched. */
  | 'broken-encoding'
  /** Compressed in a way not undone here: the bytes as sent were searched. */
  | 'unknown-encoding';

export interface BodySearch {
  /** The whole body was searched. */
  searched: boolean;
  /** Bytes searched, after decompression. */
  searchedBytes: number;
  /** The body's size as sent. */
  size: number;
  /** Content encodings undone, outermost first. */
  encodings: string[];
  note: BodyNote;
}

export interface PiSearchResult {
  matches: PiMatch[];
  body: BodySearch;
}

interface Found {
  plain: Map<string, PiMatch>;
  /** `${valueIndex}|${where}` of values found as sent: a decoded second reading adds nothing for them. */
  valuesAt: Set<string>;
  /** Set while scanning a decoded reading (percent escapes, JSON slashes undone). */
  decodedPass: boolean;
  packages: Map<Where, string[]>;
  /** Location halves found: `${valueIndex}|${precision}|lat` → where first seen. */
  halves: Map<string, Where>;
}

const WHERE_ORDER: Where[] = ['url', 'header', 'body'];

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;
const isHex = (b: number | undefined): boolean => b !== undefined && (isDigit(b) || (b | 0x20) >= 0x61 && (b | 0x20) <= 0x66);

/**
 * A second reading of some bytes with escapes undone, and where in it each undone escape now stands: only there can
 * a value appear that the bytes as sent did not show, so only around those places is the reading searched again.
 */
export interface Reading {
  bytes: Buffer;
  changed: number[];
}

/** Percent-escapes (`%3A`) undone, bytewise; a `%` not followed by two hex digits stays. */
export function percentDecode(bytes: Buffer): Reading {
  return undo(bytes, 0x25, (at) => (isHex(bytes[at + 1]) && isHex(bytes[at + 2]) ? [3, parseInt(bytes.toString('latin1', at + 1, at + 3), 16)] : null));
}

/** JSON's optional `\/` (org.json writes it) turned back into `/`, so base64 and URLs inside JSON match. */
function jsonSlashes(bytes: Buffer): Reading {
  return undo(bytes, 0x5c, (at) => (bytes[at + 1] === 0x2f ? [2, 0x2f] : null));
}

/** Copies `bytes` with each escape starting with `mark` replaced as `escape` says (its length, the byte it stands for). */
function undo(bytes: Buffer, mark: number, escape: (at: number) => [number, number] | null): Reading {
  const out = Buffer.allocUnsafe(bytes.length);
  const changed: number[] = [];
  let from = 0, o = 0;
  for (let at = bytes.indexOf(mark); at >= 0; at = bytes.indexOf(mark, at + 1)) {
    const e = escape(at);
    if (!e) continue;
    o += bytes.copy(out, o, from, at);
    changed.push(o);
    out[o++] = e[1];
    from = at + e[0];
    at += e[0] - 1;
  }
  o += bytes.copy(out, o, from);
  return { bytes: out.subarray(0, o), changed };
}

export class PiSearch {
  private readonly automaton: ByteAutomaton;
  /** Needle indices of each automaton pattern (needles whose bytes fold to the same pattern). */
  private readonly patternNeedles: number[][];
  private readonly packageThreshold: number;
  private readonly longestNeedle: number;

  private constructor(private readonly needles: Needle[], readonly skipped: SkippedValue[]) {
    const byPattern = new Map<string, number>();
    const patterns: Buffer[] = [];
    this.patternNeedles = [];
    needles.forEach((n, i) => {
      const key = n.bytes.toString('latin1').toLowerCase();
      let id = byPattern.get(key);
      if (id === undefined) {
        id = patterns.length;
        byPattern.set(key, id);
        patterns.push(n.bytes);
        this.patternNeedles.push([]);
      }
      this.patternNeedles[id]!.push(i);
    });
    this.automaton = new ByteAutomaton(patterns);
    this.longestNeedle = Math.max(1, ...needles.map((n) => n.bytes.length));
    const names = new Set(needles.flatMap((n) => (n.part?.type === 'package' ? [n.part.name] : [])));
    this.packageThreshold = Math.min(PACKAGE_LIST_MIN, names.size);
  }

  /** Compiles the needles of `values` (read from the phone and typed by the tester) once for a session. */
  static compile(values: readonly PhoneValue[]): PiSearch {
    const { needles, skipped } = needlesFor(values);
    return new PiSearch(needles, skipped);
  }

  get needleCount(): number {
    return this.needles.length;
  }

  /** Searches one request; the body is decompressed (bounded) first. */
  async search(req: PiRequest): Promise<PiSearchResult> {
    const found: Found = { plain: new Map(), valuesAt: new Set(), decodedPass: false, packages: new Map(), halves: new Map() };
    const url = Buffer.from(req.url, 'utf8');
    this.scanPart(url, 'url', found);
    this.scanReading(percentDecode(url), 'url', found);
    if (req.headers.length) {
      const headers = Buffer.from(req.headers.map(([, v]) => v).join('\n'), 'utf8');
      this.scanPart(headers, 'header', found);
      this.scanReading(percentDecode(headers), 'header', found);
    }
    const body = await this.scanBody(req, found);
    return { matches: this.collect(found), body };
  }

  private async scanBody(req: PiRequest, found: Found): Promise<BodySearch> {
    const b = req.body;
    const kept = b === null ? Buffer.alloc(0) : Buffer.isBuffer(b) ? b : b.bytes;
    const size = b === null ? 0 : Buffer.isBuffer(b) ? b.length : b.size;
    const cut = b !== null && !Buffer.isBuffer(b) && (b.truncated || b.size > b.bytes.length);
    if (!kept.length) return { searched: size === 0, searchedBytes: 0, size, encodings: [], note: size === 0 ? 'empty' : 'kept-part' };
    const encoding = req.headers.find(([n]) => n.toLowerCase() === 'content-encoding')?.[1] ?? null;
    const decoded = await decodeBody(kept, encoding, SEARCH_CAP_BYTES);
    const bytes = decoded.bytes;
    this.scanPart(bytes, 'body', found);
    this.scanReading(percentDecode(bytes), 'body', found);
    this.scanReading(jsonSlashes(bytes), 'body', found);
    const note = bodyNote(decoded.note, decoded.encodings.length > 0, cut);
    return { searched: note === 'whole', searchedBytes: bytes.length, size, encodings: decoded.encodings, note };
  }

  /** Scans a decoded reading only within a needle's length of each undone escape (merged windows). */
  private scanReading(reading: Reading, where: Where, found: Found): void {
    const { bytes, changed } = reading;
    if (!changed.length) return;
    const reach = this.longestNeedle;
    let i = 0;
    while (i < changed.length) {
      const from = Math.max(0, changed[i]! - reach + 1);
      let to = Math.min(bytes.length, changed[i]! + reach);
      while (++i < changed.length && changed[i]! - reach + 1 <= to) to = Math.min(bytes.length, changed[i]! + reach);
      this.scanPart(bytes, where, found, true, from, to);
    }
  }

  /** Scans `hay[from, to)` and records what is found there; exact bytes and boundaries are checked per needle. */
  private scanPart(hay: Buffer, where: Where, found: Found, decodedPass = false, from = 0, to = hay.length): void {
    const needles = this.needles;
    found.decodedPass = decodedPass;
    this.automaton.scan(hay, (pattern, end) => {
      for (const i of this.patternNeedles[pattern]!) {
        const n = needles[i]!;
        const start = end - n.bytes.length;
        if (n.caseSensitive && hay.compare(n.bytes, 0, n.bytes.length, start, end) !== 0) continue;
        if (!boundaryHolds(n, hay, start, end)) continue;
        this.record(n, where, found);
      }
    }, from, to);
  }

  private record(n: Needle, where: Where, found: Found): void {
    const part = n.part;
    if (!part) {
      // An occurrence already found as sent (%3A, \/) is not found again in its decoded reading.
      const at = `${n.valueIndex}|${where}`;
      if (found.decodedPass && found.valuesAt.has(at)) return;
      if (!found.decodedPass) found.valuesAt.add(at);
      const key = `${where}|${n.kind}|${n.form}|${n.masked}`;
      if (!found.plain.has(key)) found.plain.set(key, { kind: n.kind, form: n.form, where, masked: n.masked });
    } else if (part.type === 'package') {
      const names = found.packages.get(where) ?? [];
      if (!names.includes(part.name)) names.push(part.name);
      found.packages.set(where, names);
    } else {
      const key = `${n.valueIndex}|${part.precision}|${part.type}`;
      if (!found.halves.has(key)) found.halves.set(key, where);
    }
  }

  private collect(found: Found): PiMatch[] {
    const matches = [...found.plain.values()];
    for (const [where, names] of found.packages) {
      if (this.packageThreshold >= 2 && names.length >= this.packageThreshold) matches.push({ kind: 'package-list', form: 'plain', where, masked: maskPackageList(names) });
    }
    // A location is its two halves in one request: reported once per value, at the finest precision found.
    const located = new Map<number, { where: Where; precision: number; masked: string }>();
    for (const n of this.needles) {
      if (n.part?.type !== 'lat') continue;
      const lat = found.halves.get(`${n.valueIndex}|${n.part.precision}|lat`);
      const lon = found.halves.get(`${n.valueIndex}|${n.part.precision}|lon`);
      const best = located.get(n.valueIndex);
      if (lat && lon && (!best || n.part.precision > best.precision)) located.set(n.valueIndex, { where: lat, precision: n.part.precision, masked: n.part.masked });
    }
    for (const l of located.values()) matches.push({ kind: 'location', form: 'plain', where: l.where, masked: l.masked });
    const rank = <T>(list: readonly T[], v: T): number => list.indexOf(v);
    return matches.sort((a, b) => rank(WHERE_ORDER, a.where) - rank(WHERE_ORDER, b.where) || rank<PiKind>(PI_KINDS, a.kind) - rank<PiKind>(PI_KINDS, b.kind) || rank<PiForm>(PI_FORMS, a.form) - rank<PiForm>(PI_FORMS, b.form) || a.masked.localeCompare(b.masked));
  }
}

function boundaryHolds(n: Needle, hay: Buffer, start: number, end: number): boolean {
  const before = hay[start - 1], after = hay[end];
  switch (n.boundary) {
    case 'none':
      return true;
    case 'digit-before':
      return !isDigit(before);
    case 'ipv4':
      // 10.0.2.15 is not in 110.0.2.150 nor in 10.0.2.15.7; a full stop after it ends a sentence.
      return !isDigit(before) && !(before === 0x2e && isDigit(hay[start - 2])) && !isDigit(after) && !(after === 0x2e && isDigit(hay[end + 1]));
    case 'ipv6':
      return !isHex(before) && before !== 0x3a && !isHex(after) && after !== 0x3a;
  }
}

function bodyNote(decode: DecodeNote, decompressed: boolean, cut: boolean): BodyNote {
  if (decode === 'over-cap') return decompressed ? 'decoded-over-cap' : 'over-cap';
  if (decode === 'broken') return cut ? 'kept-part' : 'broken-encoding';
  if (decode === 'unknown-encoding') return 'unknown-encoding';
  return cut ? 'kept-part' : 'whole';
}
