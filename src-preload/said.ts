/**
 * A sentence shown to people, kept in parts so every shell can mark what is not in the sentence's language:
 * `text` is in the line's own language; `code` is an identifier quoted as the phone or the app wrote it (a
 * package, an API, a permission, an op, a reason from the log), shown in <code> by the report; `quote` is words
 * of someone else — the tester's note, a policy's sentence, a label on the phone — in whatever language they were
 * written (`lang` when known). Pure and dependency-free: the core, the CLI and the renderer share it.
 */
export type SaidPart = { kind: 'text' | 'code'; text: string } | { kind: 'quote'; text: string; lang?: 'en' };
export type Said = readonly SaidPart[];

/** What a `say` template takes: a number is written as it is, a string is quoted as code, parts go in as they are. */
type Slot = string | number | null | undefined | false | SaidPart | Said;

/** Words in the line's own language (a table lookup such as a translated data kind). */
export function w(text: string): SaidPart {
  return { kind: 'text', text };
}

/** Someone else's words, in their own language (unknown unless given). */
export function q(text: string, lang?: 'en'): SaidPart {
  return lang ? { kind: 'quote', text, lang } : { kind: 'quote', text };
}

/**
 * A sentence from a template: the literal parts are the line's language; an interpolated string is an identifier
 * (code) unless wrapped in w() or q() — so a value from the phone never passes for Chinese by being forgotten.
 */
export function say(strings: TemplateStringsArray, ...slots: Slot[]): Said {
  const out: SaidPart[] = [];
  const push = (p: SaidPart): void => {
    if (!p.text) return;
    const last = out.at(-1);
    if (last && last.kind === p.kind && p.kind !== 'quote') out[out.length - 1] = { kind: p.kind, text: last.text + p.text };
    else out.push(p);
  };
  const slot = (s: Slot): void => {
    if (s === null || s === undefined || s === false) return;
    if (typeof s === 'number') push(w(String(s)));
    else if (typeof s === 'string') push({ kind: 'code', text: s });
    else if (Array.isArray(s)) for (const p of s as Said) push(p);
    else push(s as SaidPart);
  };
  strings.forEach((literal, i) => {
    push(w(literal));
    if (i < slots.length) slot(slots[i]);
  });
  return out;
}

/** The sentence as plain text (a toast, a table cell, the CLI). */
export function saidText(s: Said): string {
  return s.map((p) => p.text).join('');
}
