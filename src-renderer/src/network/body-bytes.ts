/**
 * How an HTTP body is shown in the detail pane: its first 64 KB at most, as text when it is UTF-8 text, else as
 * a hex dump (offset, 16 bytes in hex, the printable ones beside) — never as markup. Says how much is not shown:
 * the part past 64 KB, and the part the proxy did not keep (a body larger than its cap is stored in part).
 */

/** The most of one body the pane shows (and asks the core for). */
export const SHOWN_BYTES = 64 * 1024;

export interface HexDump {
  /** One line per 16 bytes: `00000010  48 54 54 50 …  |HTTP…|`. */
  lines: string[];
  shown: number;
  /** Bytes of the input past the shown ones. */
  more: number;
}

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');

/** The hex dump of at most `limit` bytes (xxd / `hexdump -C` layout). */
export function hexDump(bytes: Uint8Array, limit = SHOWN_BYTES): HexDump {
  const shown = Math.min(bytes.length, Math.max(0, limit));
  const lines: string[] = [];
  for (let at = 0; at < shown; at += 16) {
    const row = bytes.subarray(at, Math.min(at + 16, shown));
    let hex = '';
    let printable = '';
    for (let i = 0; i < 16; i++) {
      if (i === 8) hex += ' ';
      const b = row[i];
      hex += b === undefined ? '   ' : `${hex2(b)} `;
      if (b !== undefined) printable += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    lines.push(`${at.toString(16).padStart(8, '0')}  ${hex} |${printable}|`);
  }
  return { lines, shown, more: bytes.length - shown };
}

/** The end of the last whole UTF-8 character in `bytes` (a cut at 64 KB may split one). */
function wholeCharsEnd(bytes: Uint8Array): number {
  const n = bytes.length;
  // Walk back over at most three continuation bytes to the lead byte of the last character.
  for (let back = 1; back <= 4 && back <= n; back++) {
    const b = bytes[n - back]!;
    if ((b & 0xc0) === 0x80) continue;
    const need = b < 0x80 ? 1 : (b & 0xe0) === 0xc0 ? 2 : (b & 0xf0) === 0xe0 ? 3 : (b & 0xf8) === 0xf0 ? 4 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

/**
 * The bytes as text, or null when they are not text: not UTF-8, or holding control characters text does not
 * (NUL and the other C0 controls but tab, newline, carriage return and form feed). `cut`: the bytes are the
 * first part of a longer body, so a character split at the end is left out rather than called binary.
 */
export function bodyText(bytes: Uint8Array, cut: boolean): string | null {
  const end = cut ? wholeCharsEnd(bytes) : bytes.length;
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes.subarray(0, end));
  } catch {
    return null;
  }
  return /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(decoded) ? null : decoded;
}

/** A byte count in the units people read (B, KB, MB, GB; 1 KB = 1024 B). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}
