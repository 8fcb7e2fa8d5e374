/**
 * Text that mixes the user's language with identifiers (package, class, permission and method names, event
 * and stage ids, paths, attribute=value pairs): the identifiers are set in <code>, so they read as names, not
 * as words, and a Chinese screen holds no English outside them. Only the shape of a token decides; the text
 * itself is shown unchanged.
 */
import type React from 'react';

/**
 * A token is an identifier when it has Latin letters and a sign no word has: a dot, slash, underscore or
 * colon between characters, an inner capital (getImeiForSlot), a hyphen between lowercase parts
 * (force-stop), or an attribute="value" pair.
 */
const ID = /[A-Za-z][\w$]*="[^"]*"|[\w$]*[A-Za-z][\w$]*(?:[./:@\\-]+[\w$]+)+\/?|\.[A-Z][\w$]+|[A-Za-z]*[a-z][A-Z][\w$]*|[A-Za-z0-9]+_[\w$]+/g;

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;
/** A stretch of plain ASCII between Chinese characters (spaces at its ends left outside). */
const ASCII_RUN = /[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?/g;

function isId(token: string): boolean {
  return /[A-Za-z]/.test(token) && !/^[A-Z][a-z]*(-[A-Z][a-z]*)+$/.test(token);
}

/**
 * In a Chinese line, a stretch of ASCII that holds an identifier is device or program text as a whole (an
 * Android reason such as "stop com.demo.shop due to from pid 4321"): it is set in <code> entire. In other
 * text only the identifiers are.
 */
export function idParts(text: string): Array<{ id: boolean; text: string }> {
  if (!CJK.test(text)) return tokenParts(text);
  const out: Array<{ id: boolean; text: string }> = [];
  let last = 0;
  for (const m of text.matchAll(ASCII_RUN)) {
    const run = m[0];
    const hasId = [...run.matchAll(ID)].some((x) => isId(x[0]));
    if (!hasId) continue;
    if (m.index! > last) out.push({ id: false, text: text.slice(last, m.index) });
    out.push({ id: true, text: run });
    last = m.index! + run.length;
  }
  if (last < text.length) out.push({ id: false, text: text.slice(last) });
  return out;
}

function tokenParts(text: string): Array<{ id: boolean; text: string }> {
  const out: Array<{ id: boolean; text: string }> = [];
  let last = 0;
  for (const m of text.matchAll(ID)) {
    const token = m[0];
    // A hyphenated pair of capitalised words (Wi-Fi) or a bare number range is not an identifier.
    if (!isId(token)) continue;
    if (m.index! > last) out.push({ id: false, text: text.slice(last, m.index) });
    out.push({ id: true, text: token });
    last = m.index! + token.length;
  }
  if (last < text.length) out.push({ id: false, text: text.slice(last) });
  return out;
}

export function IdText({ text }: { text: string }): React.JSX.Element {
  return <>{idParts(text).map((p, i) => (p.id ? <code key={i}>{p.text}</code> : p.text))}</>;
}
