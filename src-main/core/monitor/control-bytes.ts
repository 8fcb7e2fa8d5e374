/**
 * Whether a chunk of the phone's log (UTF-8 bytes) holds anything the monitor must clean before display:
 * C0 controls but tab and newline, DEL, C1 controls (C2 80–9F), LRM/RLM (E2 80 8E/8F), embeddings and
 * overrides (E2 80 AA–AE), isolates (E2 81 A6–A9). Four bytes at a time: a word with no byte outside printable
 * ASCII is skipped with two bit tests; only the others are looked at byte by byte. The regular expression it
 * replaces (an alternation over the chunk read as Latin-1) was tried at every byte and cost as much as parsing.
 * The same pass gives the byte path its line ends (lineEnds), and replay's the lines to read as text (lineEndsAndControls).
 */
const EMPTY = new Uint32Array(0);

function badAt(b: Uint8Array, i: number): boolean {
  const c = b[i]!;
  if (c >= 0x20 && c < 0x7f) return false;
  if (c < 0x20) return c !== 0x09 && c !== 0x0a;
  if (c === 0x7f) return true;
  if (c === 0xc2) {
    const d = b[i + 1] ?? 0;
    return d >= 0x80 && d <= 0x9f;
  }
  if (c === 0xe2) {
    const d = b[i + 1] ?? 0;
    const e = b[i + 2] ?? 0;
    return (d === 0x80 && (e === 0x8e || e === 0x8f || (e >= 0xaa && e <= 0xae))) || (d === 0x81 && e >= 0xa6 && e <= 0xa9);
  }
  return false;
}

export function hasControlBytes(b: Uint8Array): boolean {
  return scan(b, null) < 0;
}

/**
 * The offsets of a chunk's newlines, written to `ends`, found in the same pass that looks for control and bidi
 * characters: the count, or -1 if the chunk holds one (or more newlines than `ends` has room for).
 */
export function lineEnds(b: Uint8Array, ends: Int32Array): number {
  return scan(b, ends);
}

/**
 * The same pass for a reader that takes clean lines as bytes and the others as text (replay's byte path): every
 * newline recorded in `ends` (which must have room for them all), and `dirty[k]` set to 1 for each line `k` that
 * holds a control or bidi character (0 for the others). The count of newlines.
 */
export function lineEndsAndControls(b: Uint8Array, ends: Int32Array, dirty: Uint8Array): number {
  dirty.fill(0, 0, Math.min(dirty.length, ends.length));
  return scan(b, ends, dirty);
}

/**
 * The word-at-a-time pass: newlines recorded in `ends` (when given), -1 at the first control or bidi character —
 * or, with `dirty`, that line marked there and the pass going on.
 */
function scan(b: Uint8Array, ends: Int32Array | null, dirty: Uint8Array | null = null): number {
  const n = b.length;
  let count = 0;
  let i = 0;
  for (const head = Math.min(n, (4 - (b.byteOffset & 3)) & 3); i < head; i++) if ((count = look(b, i, ends, count, dirty)) < 0) return -1;
  const words = (n - i) >> 2;
  // (No view when there is no whole word: a short chunk's start may not be word-aligned.)
  const u32 = words ? new Uint32Array(b.buffer, b.byteOffset + i, words) : EMPTY;
  for (let k = 0; k < words; k++) {
    const w = u32[k]!;
    // A byte below 0x20, or a byte above 0x7e, somewhere in the word (exact for existence).
    if (((w - 0x20202020) & ~w & 0x80808080) | (((w + 0x01010101) | w) & 0x80808080)) {
      const at = i + k * 4;
      if ((count = look(b, at, ends, count, dirty)) < 0 || (count = look(b, at + 1, ends, count, dirty)) < 0 || (count = look(b, at + 2, ends, count, dirty)) < 0 || (count = look(b, at + 3, ends, count, dirty)) < 0) return -1;
    }
  }
  for (let j = i + words * 4; j < n; j++) if ((count = look(b, j, ends, count, dirty)) < 0) return -1;
  return count;
}

/**
 * One byte of a word that is not all printable ASCII: a newline is recorded (-1 when `ends` is full), a control
 * character gives -1 (or marks its line in `dirty`).
 */
function look(b: Uint8Array, at: number, ends: Int32Array | null, count: number, dirty: Uint8Array | null): number {
  if (b[at] === 10) {
    if (!ends) return count;
    if (count === ends.length) return -1;
    ends[count] = at;
    return count + 1;
  }
  if (!badAt(b, at)) return count;
  if (!dirty) return -1;
  dirty[count] = 1;
  return count;
}
