/**
 * Every way an app may write one of the phone's values into a request, as byte strings to search for ("needles"):
 * the value as read, upper and lower case, URL-encoded, base64 (standard and URL-safe, at each of the three byte
 * alignments so a value inside a longer base64 blob — base64 of a JSON body — is found too), hex of its UTF-8
 * bytes, and MD5/SHA-1/SHA-256 digests (hex, either case). MAC addresses are spelt with and without colons,
 * Chinese mobile numbers with and without +86 and in 3-4-4 groups. Two kinds are found only together with others:
 * a location is its latitude AND longitude (2, 3 and 4 decimals, truncated or rounded) in one request, and the
 * package list is at least PACKAGE_LIST_MIN of the phone's third-party package names in one request — the list
 * as the app encodes it (order, separators, JSON) cannot be predicted, its names can.
 *
 * Values shorter than MIN_VALUE_CHARS, and placeholders (all one character, 02:00:00:00:00:00, "unknown"), are not
 * searched: they would be "found" in any body. Each is reported back as skipped, with why.
 */
import { createHash } from 'node:crypto';
import type { PiForm, PiKind } from '../../../../src-preload/network.js';
import type { PiSkipReason } from '../../../../src-preload/pi-reading.js';
import type { PhoneValue } from '../contracts.js';
import { maskDigest, maskLocation, maskValue } from './mask.js';

/** Values shorter than this are not searched: six characters of digits or hex turn up in ordinary traffic. */
export const MIN_VALUE_CHARS = 6;
/** A base64 rendering shorter than this (its stable characters) is not searched: too likely in random data. */
export const MIN_BASE64_CHARS = 8;
/** How many of the phone's third-party package names in one request make it the package list. */
export const PACKAGE_LIST_MIN = 3;
/** Caps on what one session searches for: the automaton's size stays bounded whatever the phone lists. */
export const MAX_VALUE_CHARS = 256;
export const MAX_PACKAGES = 2000;
export const MAX_OTHER_VALUES = 200;

/** What must sit next to a match: an IP address inside a longer number (10.0.2.15 in 110.0.2.150) is not one. */
export type Boundary = 'none' | 'ipv4' | 'ipv6' | 'digit-before';

export interface Needle {
  bytes: Buffer;
  /** Exact bytes; otherwise ASCII letters match either case (hex digits, digests, URL escapes). */
  caseSensitive: boolean;
  boundary: Boundary;
  kind: PiKind;
  form: PiForm;
  /** Index of the value in the list given to the search. */
  valueIndex: number;
  masked: string;
  /** Location halves and package names are matches only together (pi-search.ts pairs them). */
  part: { type: 'lat' | 'lon'; precision: number; masked: string } | { type: 'package'; name: string } | null;
}

export type SkipReason = PiSkipReason;

export interface SkippedValue {
  kind: PiKind;
  masked: string;
  reason: SkipReason;
}

const HASHES = [['md5', 'md5'], ['sha1', 'sha1'], ['sha256', 'sha256']] as const;

function isPlaceholder(kind: PiKind, value: string): boolean {
  const core = value.replace(/[:.\-\s]/g, '').toLowerCase();
  if (!core || /^(.)\1*$/.test(core)) return true;
  if (['null', 'unknown', 'none', 'undefined', 'n/a'].includes(value.toLowerCase())) return true;
  // Android answers apps asking for a MAC with this constant since 6.0: it names no phone.
  return (kind === 'wifi-mac' || kind === 'bluetooth-mac') && core === '020000000000';
}

/** The characters of the base64 of `bytes` placed at byte offset `shift` that do not depend on their neighbours. */
export function stableBase64(bytes: Buffer, shift: number, urlSafe: boolean): string {
  const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString(urlSafe ? 'base64url' : 'base64');
  const from = Math.ceil((8 * shift) / 6);
  const to = Math.floor((8 * (shift + bytes.length)) / 6);
  return encoded.slice(from, to);
}

/** The spellings of a value an app may start from (before encoding or hashing). */
function spellings(kind: PiKind, value: string): string[] {
  if (kind === 'wifi-mac' || kind === 'bluetooth-mac') {
    const colons = value.toLowerCase();
    return [colons, colons.replace(/:/g, '')];
  }
  if (kind === 'phone-number') {
    const digits = value.replace(/[\s\-()]/g, '');
    const national = /^(?:\+?86)?(1\d{10})$/.exec(digits)?.[1];
    if (!national) return [digits];
    const grouped = `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;
    return [national, `+86${national}`, `86${national}`, grouped, grouped.replace(/ /g, '-')];
  }
  return [value];
}

class NeedleSet {
  readonly needles: Needle[] = [];
  private seen = new Set<string>();

  add(n: Omit<Needle, 'bytes'> & { text: string }, minChars = MIN_VALUE_CHARS): void {
    const bytes = Buffer.from(n.text, 'utf8');
    if (bytes.length < minChars) return;
    const key = `${n.valueIndex}|${n.caseSensitive ? n.text : n.text.toLowerCase()}|${n.part ? JSON.stringify(n.part) : ''}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const { text: _text, ...rest } = n;
    this.needles.push({ ...rest, bytes });
  }
}

function valueNeedles(set: NeedleSet, kind: PiKind, value: string, valueIndex: number, boundary: Boundary): void {
  const variants = spellings(kind, value);
  const cased = [...new Set(variants.flatMap((s) => [s, s.toUpperCase(), s.toLowerCase()]))];
  const base = { kind, valueIndex, boundary, part: null };
  // Order matters: the first form added for the same bytes is the one reported (plain before upper/lower).
  for (const s of variants) set.add({ ...base, text: s, form: 'plain', caseSensitive: true, masked: maskValue(s) });
  for (const s of variants) set.add({ ...base, text: s.toUpperCase(), form: 'upper', caseSensitive: true, masked: maskValue(s.toUpperCase()) });
  for (const s of variants) set.add({ ...base, text: s.toLowerCase(), form: 'lower', caseSensitive: true, masked: maskValue(s.toLowerCase()) });
  for (const s of cased) {
    const encoded = encodeURIComponent(s);
    if (encoded !== s) set.add({ ...base, boundary: 'none', text: encoded, form: 'url-encoded', caseSensitive: false, masked: maskValue(s) });
  }
  for (const s of cased) {
    const bytes = Buffer.from(s, 'utf8');
    set.add({ ...base, boundary: 'none', text: bytes.toString('hex'), form: 'hex', caseSensitive: false, masked: maskValue(s) });
    for (const urlSafe of [false, true]) {
      for (const shift of [0, 1, 2]) {
        const b64 = stableBase64(bytes, shift, urlSafe);
        if (b64.length >= MIN_BASE64_CHARS) set.add({ ...base, boundary: 'none', text: b64, form: 'base64', caseSensitive: true, masked: maskValue(s) });
      }
    }
    for (const [form, algo] of HASHES) {
      const digest = createHash(algo).update(bytes).digest('hex');
      set.add({ ...base, boundary: 'none', text: digest, form, caseSensitive: false, masked: maskDigest(digest) });
    }
  }
}

/** Latitude and longitude at 2–4 decimals, truncated and rounded: the halves pi-search.ts pairs. */
function locationNeedles(set: NeedleSet, value: string, valueIndex: number): boolean {
  const m = /^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$/.exec(value);
  if (!m) return false;
  const lat = Number(m[1]), lon = Number(m[2]);
  if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) return false;
  for (const precision of [2, 3, 4]) {
    // Truncated on the decimal string (31.29 must not become 31.28 through 31.29 * 100), and rounded; sign dropped.
    const forms = (v: number): string[] => {
      const long = Math.abs(v).toFixed(10);
      return [...new Set([long.slice(0, long.indexOf('.') + 1 + precision), Math.abs(v).toFixed(precision)])];
    };
    const masked = maskLocation(Math.abs(lat).toFixed(precision), Math.abs(lon).toFixed(precision));
    for (const [type, list] of [['lat', forms(lat)], ['lon', forms(lon)]] as const) {
      // A half is short (31.17): it counts only beside its other half, and never inside a longer number.
      for (const text of list) set.add({ text, kind: 'location', form: 'plain', valueIndex, caseSensitive: true, boundary: 'digit-before', masked, part: { type, precision, masked } }, 1);
    }
  }
  return true;
}

/**
 * The needles of every value given, and the values not searched with why. Package names count only
 * PACKAGE_LIST_MIN together; with fewer names than that on the phone the package list cannot be told apart.
 */
export function needlesFor(values: readonly PhoneValue[]): { needles: Needle[]; skipped: SkippedValue[] } {
  const set = new NeedleSet();
  const skipped: SkippedValue[] = [];
  let packages = 0;
  let others = 0;
  const packageValues = values.filter((v) => v.kind === 'package-list').length;
  values.forEach((v, valueIndex) => {
    const value = v.value.trim();
    const skip = (reason: SkipReason): void => {
      skipped.push({ kind: v.kind, masked: maskValue(value.slice(0, MAX_VALUE_CHARS)), reason });
    };
    if (value.length > MAX_VALUE_CHARS) return skip('too-long');
    if (v.kind === 'location') {
      if (++others > MAX_OTHER_VALUES) return skip('too-many');
      if (!locationNeedles(set, value, valueIndex)) skip('malformed');
      return;
    }
    if (isPlaceholder(v.kind, value)) return skip('placeholder');
    if (value.length < MIN_VALUE_CHARS) return skip('too-short');
    if (v.kind === 'package-list') {
      if (++packages > MAX_PACKAGES) return skip('too-many');
      if (packageValues < 2) return skip('too-few-packages');
      set.add({ text: value, kind: 'package-list', form: 'plain', valueIndex, caseSensitive: true, boundary: 'none', masked: value, part: { type: 'package', name: value } });
      return;
    }
    if (++others > MAX_OTHER_VALUES) return skip('too-many');
    const boundary: Boundary = v.kind !== 'ip-address' ? 'none' : value.includes(':') ? 'ipv6' : 'ipv4';
    valueNeedles(set, v.kind, value, valueIndex, boundary);
  });
  return { needles: set.needles, skipped };
}
