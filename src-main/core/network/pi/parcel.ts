/**
 * Reads the reply `service call` prints — `Result: Parcel(` then 32-bit words in hex (with `0x…:` offsets and an
 * ASCII column when it spans lines) — as the binder reply it is: a status word (0, or a negative exception code:
 * -1 SecurityException, -4 NullPointerException…) then, for a String16, its length in UTF-16 units (-1: null) and the
 * units two to a word, low half first. Device text: anything else, or words that do not add up, is malformed.
 */

export type ParcelReply =
  | { type: 'string'; value: string | null }
  | { type: 'exception'; code: number; message: string | null }
  | { type: 'malformed' };

/** A String16 longer than this is not an identifier; it is not decoded. */
const MAX_UNITS = 4096;

function words(text: string): number[] | null {
  const at = text.indexOf('Parcel(');
  if (at < 0) return null;
  const out: number[] = [];
  for (const raw of text.slice(at + 'Parcel('.length).split('\n')) {
    // Offsets first, ASCII column (which may hold any character, a ')' too) last: only the words between are data.
    const line = raw.replace(/^\s*0x[0-9a-fA-F]+:/, '');
    const quote = line.indexOf("'");
    let data = quote < 0 ? line : line.slice(0, quote);
    const close = data.indexOf(')');
    const last = close >= 0 || (quote >= 0 && /'\)\s*$/.test(line));
    if (close >= 0) data = data.slice(0, close);
    for (const w of data.trim().split(/\s+/)) {
      if (!w) continue;
      if (!/^[0-9a-fA-F]{8}$/.test(w)) return null;
      out.push(parseInt(w, 16) | 0);
    }
    if (last) return out;
  }
  return null;
}

function string16(w: number[], at: number): { ok: true; value: string | null } | { ok: false } {
  const len = w[at];
  if (len === undefined) return { ok: false };
  if (len === -1) return { ok: true, value: null };
  if (len < 0 || len > MAX_UNITS || w.length < at + 1 + Math.ceil(len / 2)) return { ok: false };
  const units: number[] = [];
  for (let k = 0; k < len; k++) {
    const word = w[at + 1 + (k >> 1)]! >>> 0;
    units.push(k % 2 === 0 ? word & 0xffff : word >>> 16);
  }
  return { ok: true, value: String.fromCharCode(...units) };
}

/** A `service call` reply carrying a String16 (or the exception thrown instead). */
export function parseParcelString(text: string): ParcelReply {
  const w = words(text);
  if (!w || !w.length) return { type: 'malformed' };
  if (w[0] !== 0) {
    const message = string16(w, 1);
    return { type: 'exception', code: w[0]!, message: message.ok ? message.value : null };
  }
  const s = string16(w, 1);
  return s.ok ? { type: 'string', value: s.value } : { type: 'malformed' };
}
