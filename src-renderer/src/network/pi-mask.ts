/**
 * The phone's own values in a request as the detail pane shows them: each place a `pi.sent` match can be found
 * in a URL, a header or a body is shown as its masked form (what the timeline recorded: enough to recognise,
 * not enough to reuse) and highlighted — the value itself never reaches the screen where it can be located.
 *
 * A masked form keeps the value's first and last characters around a run of mask characters (`a1b2••••c3d4`);
 * a place in the text is the first visible part, a token of hidden characters, and the last visible part. A form
 * with no visible first part (or too little shown to be told apart from other text) is not searched for: the
 * match list still names it.
 */
import type { FlowPi } from './flow-ledger';

export interface Segment {
  text: string;
  /** Set on a part that stands for a match: `text` is then the masked form. */
  pi: FlowPi | null;
}

/** What masking hides with: bullets, asterisks, an ellipsis. */
const MASK_RUN = /[•●*…]+|\.{3,}/;
/** Characters a value's token may hold between its visible ends (no separators of URLs, headers, JSON or forms). */
const TOKEN = `[^\\s"'&,;<>{}\\[\\]()]{1,512}`;
/** The least shown (all visible parts together) to find a masked value by. */
const MIN_VISIBLE = 4;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The pattern that finds a masked value in text, or null when the form cannot be located. */
export function maskPattern(masked: string): RegExp | null {
  const parts = masked.split(new RegExp(`(${MASK_RUN.source})`));
  const visible = parts.filter((_part, i) => i % 2 === 0);
  if (!visible[0] || visible.join('').length < MIN_VISIBLE) return null;
  // Only a form that hides something: one with nothing hidden is the value itself, and shows as it is.
  if (parts.length < 3) return null;
  // Between visible parts the fewest hidden characters; after the last one (a form that ends masked) the whole token.
  const last = visible.length - 1;
  const source = visible.slice(1).reduce((acc, p, i) => acc + (i + 1 === last && p === '' ? TOKEN : `${TOKEN}?${escape(p)}`), escape(visible[0]));
  return new RegExp(source, 'g');
}

/**
 * The text in parts, every located place of each match's masked form replaced by that form. Overlapping places
 * keep the first found; the search is bounded by the text (at most 64 KB is shown) and 512 hidden characters.
 */
export function maskedSegments(text: string, pis: readonly FlowPi[]): Segment[] {
  const hits: Array<{ start: number; end: number; pi: FlowPi }> = [];
  const seen = new Set<string>();
  for (const pi of pis) {
    if (seen.has(pi.masked)) continue;
    seen.add(pi.masked);
    const pattern = maskPattern(pi.masked);
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
