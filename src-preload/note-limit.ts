/**
 * How long a tester's note may be (a session note, a verdict's note): one limit for the core that refuses a
 * longer one and the page that counts as the tester types, so a pasted 57,000-character text is refused with
 * the limit named instead of being cut without a word. Counted in characters as a person counts them (code
 * points: a Chinese character or an emoji is one), not in UTF-16 units.
 */
export const NOTE_MAX_CHARS = 10_000;

/** The note's length in characters. */
export function noteLength(text: string): number {
  let n = 0;
  // Counting without an array: a note may be a megabyte pasted by mistake.
  for (const _ of text) n++;
  return n;
}
