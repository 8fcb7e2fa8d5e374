/**
 * Policies built to be slow to read: one unpunctuated "sentence" dense with the PI dictionary's own terms
 * (the red team's page that held the workbench for 13 minutes), as text of a given length or as an HTML page
 * of a given size whose text is that sentence.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DICTIONARY = join(__dirname, '../../resources/knowledge/pi-dictionary.json');

/** `chars` characters of Chinese PI terms, each followed by 您的, with no punctuation at all. */
export function denseSentence(chars: number): string {
  const d = JSON.parse(readFileSync(DICTIONARY, 'utf8')) as { categories: Record<string, { terms: { zh: string[] } }> };
  const terms = Object.values(d.categories).flatMap((c) => c.terms.zh);
  const out: string[] = [];
  for (let n = 0, i = 0; n < chars; i++) {
    // A stride prime to the list's length walks every term in a mixed order.
    const t = terms[(i * 7919) % terms.length]!;
    out.push(t, '您的');
    n += t.length + 2;
  }
  return out.join('').slice(0, chars);
}

/** An HTML page of exactly `bytes` bytes: a style block (dropped when read) and `chars` characters of dense text. */
export function densePage(bytes: number, chars: number): Buffer {
  const head = '<!doctype html><html><head><meta charset="utf-8"><style>';
  const body = `</style></head><body><p>${denseSentence(chars)}</p></body></html>`;
  const pad = bytes - Buffer.byteLength(head + body);
  if (pad < 0) throw new Error(`${chars} characters do not fit in ${bytes} bytes`);
  return Buffer.from(head + 'p{color:red}\n'.repeat(Math.ceil(pad / 13)).slice(0, pad) + body);
}
