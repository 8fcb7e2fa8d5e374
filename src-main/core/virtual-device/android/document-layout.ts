/**
 * A long document on the virtual phone's screen (a policy page in a WebView): its paragraphs wrapped to the
 * node's width and the page that fits from a scroll position, and how far one swipe moves. Paragraph nodes
 * carry whole paragraphs in the UI dump, as a real WebView's accessibility tree does.
 */
export const LINE_HEIGHT = 54;
export const PARAGRAPH_GAP = 20;
export const PAD = 24;

/** Wraps by display width: CJK and full-width characters count 1, others about half (size-40 text). */
export function wrapText(text: string, width: number): string[] {
  // The paragraph sits PAD inside the document and its text PAD inside the paragraph, clipped 8 px early.
  const maxUnits = Math.max(4, (width - 4 * PAD - 16) / 40);
  const lines: string[] = [];
  let line = '', units = 0;
  for (const ch of text) {
    const u = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 1 : 0.55;
    if (units + u > maxUnits && line) {
      lines.push(line);
      line = '';
      units = 0;
    }
    line += ch;
    units += u;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

export interface DocumentPage {
  paragraphs: Array<{ index: number; text: string; wrapped: string[]; top: number; bottom: number }>;
  /** Paragraph index of the first paragraph that does not fit (null: the end is on screen). */
  next: number | null;
}

export function paragraphsOf(text: string): string[] {
  return text.split('\n').map((p) => p.trim()).filter(Boolean);
}

export function layoutPage(paragraphs: string[], from: number, bounds: [number, number, number, number]): DocumentPage {
  const [x1, y1, x2, y2] = bounds;
  const out: DocumentPage['paragraphs'] = [];
  let y = y1 + PAD;
  let i = Math.max(0, Math.min(from, paragraphs.length - 1));
  for (; i < paragraphs.length; i++) {
    const wrapped = wrapText(paragraphs[i]!, x2 - x1);
    const h = wrapped.length * LINE_HEIGHT;
    if (y + h > y2 - PAD && out.length) break;
    // A paragraph taller than the page shows its first lines only.
    const shown = out.length ? wrapped : wrapped.slice(0, Math.max(1, Math.floor((y2 - PAD - y) / LINE_HEIGHT)));
    out.push({ index: i, text: paragraphs[i]!, wrapped: shown, top: y, bottom: y + shown.length * LINE_HEIGHT });
    y += shown.length * LINE_HEIGHT + PARAGRAPH_GAP;
  }
  return { paragraphs: out, next: i < paragraphs.length ? i : null };
}

/** Where a swipe leaves the document: forward by the page less one paragraph (so pages overlap, as a finger's fling does), or back. */
export function scrollAfterSwipe(paragraphs: string[], from: number, bounds: [number, number, number, number], dy: number): number {
  if (Math.abs(dy) < 80) return from;
  if (dy > 0) {
    const page = layoutPage(paragraphs, from, bounds);
    if (page.next === null) return from;
    // As on a phone, the last page ends at the document's end: it is not scrolled past.
    let last = paragraphs.length - 1;
    while (last > from && layoutPage(paragraphs, last - 1, bounds).next === null) last--;
    return Math.max(from + 1, Math.min(page.next - 1, last));
  }
  let back = from;
  while (back > 0 && layoutPage(paragraphs, back - 1, bounds).paragraphs.some((p) => p.index === from - 1) && back > from - 6) back--;
  return Math.max(0, back);
}

/** The whole document laid out from its top (the tall page a WebView scrolls over): each paragraph's lines and top, from the node's top edge. */
export interface FullLayout {
  paragraphs: Array<{ wrapped: string[]; top: number; bottom: number }>;
  height: number;
}

const fullLayouts = new Map<string, FullLayout>();

/** Memoised: the frame clock asks for the screen 60 times a second, and wrapping a long policy is not free. */
export function layoutFull(paragraphs: string[], width: number): FullLayout {
  const key = `${width}\u0000${paragraphs.join('\n')}`;
  const hit = fullLayouts.get(key);
  if (hit) return hit;
  const layout = computeFull(paragraphs, width);
  if (fullLayouts.size >= 16) fullLayouts.delete(fullLayouts.keys().next().value!);
  fullLayouts.set(key, layout);
  return layout;
}

function computeFull(paragraphs: string[], width: number): FullLayout {
  const out: FullLayout['paragraphs'] = [];
  let y = PAD;
  for (const p of paragraphs) {
    const wrapped = wrapText(p, width);
    out.push({ wrapped, top: y, bottom: y + wrapped.length * LINE_HEIGHT });
    y += wrapped.length * LINE_HEIGHT + PARAGRAPH_GAP;
  }
  return { paragraphs: out, height: y + PAD };
}

/** How far down the tall page the view is when paragraph `from` is the first one shown (in pixels). */
export function scrollOffsetPx(layout: FullLayout, from: number): number {
  const p = layout.paragraphs[Math.max(0, Math.min(from, layout.paragraphs.length - 1))];
  return p ? p.top - PAD : 0;
}
