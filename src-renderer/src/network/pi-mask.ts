/**
 * The phone's values in a request as the detail pane shows them: each place a `pi.sent` match can be found in a
 * URL, a header or a body is shown as its masked form (what the timeline recorded: enough to recognise, not
 * enough to reuse) and highlighted, so the value itself does not reach the screen where it can be found.
 *
 * The masked forms are the PI search's (src-main/core/network/pi/mask.ts), read back by form:
 * - a digest (MD5, SHA-1, SHA-256) is its first 8 hex digits and "…": the whole digest is those digits and the
 *   rest of its fixed length in hex, either case;
 * - a value as is, upper or lower case is its first 3 and last 2 characters (1 and 1 for 6-8 characters) with a
 *   star for each hidden one: exactly that many characters between them;
 * - hex and URL-encoded forms are masked like the value they encode: its visible ends, encoded, around an encoded
 *   middle of the hidden length.
 * Not located (the match list names them, the text stays as sent): base64 (its alignment is not recorded), values
 * of 5 characters or fewer (all stars), the app list and locations (masked as named apps and rounded degrees),
 * and anything a masked form from another build does not say clearly.
 */
import type { FlowPi } from '../../../src-preload/network-flows';

export interface Segment {
  text: string;
  /** Set on a part that stands for a match: `text` is then the masked form. */
  pi: FlowPi | null;
}

const DIGEST_HEX: Partial<Record<FlowPi['form'], number>> = { md5: 32, sha1: 40, sha256: 64 };
/** The most characters a masked value hides that is searched for (the PI search caps values far below this). */
const MAX_HIDDEN = 512;

/** A literal inside a pattern (syntax characters only: the unicode flag refuses other escapes). */
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const utf8Hex = (s: string): string => [...new TextEncoder().encode(s)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** A masked value's visible ends and how many characters are hidden between them (maskValue's shape), or null. */
export function maskedEnds(masked: string): { first: string; last: string; hidden: number } | null {
  const chars = Array.from(masked);
  const n = chars.length;
  const [head, tail] = n >= 9 ? [3, 2] : n >= 6 ? [1, 1] : [0, 0];
  if (!head) return null;
  const middle = chars.slice(head, n - tail);
  if (middle.length < 1 || middle.length > MAX_HIDDEN || middle.some((c) => c !== '*')) return null;
  return { first: chars.slice(0, head).join(''), last: chars.slice(n - tail).join(''), hidden: middle.length };
}

/** The pattern that finds a match's text from its masked form, or null when the form cannot be located. */
export function maskPattern(pi: Pick<FlowPi, 'kind' | 'form' | 'masked'>): RegExp | null {
  if (pi.kind === 'location' || pi.kind === 'package-list') return null;
  const digest = DIGEST_HEX[pi.form];
  if (digest) {
    const m = /^([0-9a-f]{8})…$/i.exec(pi.masked);
    return m ? new RegExp(`(?<![0-9a-f])${m[1]}[0-9a-f]{${digest - 8}}(?![0-9a-f])`, 'gi') : null;
  }
  const ends = maskedEnds(pi.masked);
  if (!ends) return null;
  const { first, last, hidden } = ends;
  switch (pi.form) {
    case 'plain':
    case 'upper':
    case 'lower':
      return new RegExp(`${escape(first)}[^\\n]{${hidden}}${escape(last)}`, 'gu');
    case 'hex':
      // UTF-8 takes 1 to 4 bytes a character.
      return new RegExp(`${utf8Hex(first)}(?:[0-9a-f]{2}){${hidden},${hidden * 4}}?${utf8Hex(last)}`, 'gi');
    case 'url-encoded':
      // A character encodes to itself or up to four %XX.
      return new RegExp(`${escape(encodeURIComponent(first))}[^\\s"'&<>]{${hidden},${hidden * 12}}?${escape(encodeURIComponent(last))}`, 'gi');
    default:
      return null;
  }
}

/**
 * The text in parts, every located place of each match replaced by its masked form. Overlapping places keep the
 * first found; the search is bounded by the text (64 KB at most is shown) and fixed lengths or MAX_HIDDEN.
 */
export function maskedSegments(text: string, pis: readonly FlowPi[]): Segment[] {
  const hits: Array<{ start: number; end: number; pi: FlowPi }> = [];
  const seen = new Set<string>();
  for (const pi of pis) {
    const key = `${pi.form}|${pi.masked}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pattern = maskPattern(pi);
    if (!pattern) continue;
    for (const m of text.matchAll(pattern)) hits.push({ start: m.index, end: m.index + m[0].length, pi });
  }
  if (!hits.length) return [{ text, pi: null }];
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Segment[] = [];
  let at = 0;
  for (const h of hits) {
    if (h.start < at) continue;
    if (h.start > at) out.push({ text: text.slice(at, h.start), pi: null });
    out.push({ text: h.pi.masked, pi: h.pi });
    at = h.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), pi: null });
  return out;
}
