/**
 * Reads the kernel's socket tables as a phone's shell prints them (`cat /proc/net/tcp` and `/proc/net/tcp6`):
 * one line per socket with its addresses in the kernel's hex (each 32-bit word in the phone's byte order — little
 * endian on every Android CPU), its state and the uid that owns it. Device text is untrusted: a bounded number of
 * lines is read, a line that is not a socket is skipped, never thrown on.
 */

export interface ProcNetSocket {
  family: 4 | 6;
  /** Dotted quad for IPv4 and IPv4-mapped IPv6 (`::ffff:127.0.0.1` → `127.0.0.1`), else IPv6 hex groups. */
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** The kernel's TCP state: 1 ESTABLISHED, 2 SYN_SENT, 10 LISTEN… */
  state: number;
  uid: number;
  inode: number;
}

export interface ProcNetTable {
  /** The phone let the shell read at least one of the tables (a header line was printed). */
  readable: boolean;
  sockets: ProcNetSocket[];
  /** Lines that were not sockets (or past the cap). */
  skipped: number;
}

/** More sockets than any phone holds: a hostile or broken table is cut here. */
export const MAX_SOCKETS = 20_000;
/** A socket line is about 150 characters; anything much longer is not one. */
const MAX_LINE = 512;

export const ESTABLISHED = 1;
export const SYN_SENT = 2;

const LINE = /^\s*\d+:\s+([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})\s+([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})\s+([0-9A-Fa-f]{2})\s+\S+\s+\S+\s+\S+\s+(\d{1,10})\s+\d+\s+(\d{1,20})/;
const HEADER = /^\s*sl\s+local_address\s+rem(?:ote)?_address\s+st\b/;

/** Parses the output of `cat /proc/net/tcp /proc/net/tcp6` (either or both; error lines are skipped). */
export function parseProcNet(text: string): ProcNetTable {
  const sockets: ProcNetSocket[] = [];
  let readable = false;
  let skipped = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const length = end - start;
    const line = length > MAX_LINE ? '' : text.slice(start, end);
    start = end + 1;
    if (!line.trim()) {
      if (length > MAX_LINE) skipped++;
      continue;
    }
    if (HEADER.test(line)) {
      readable = true;
      continue;
    }
    if (sockets.length >= MAX_SOCKETS) {
      // Full: the rest is only counted (a line at a time would cost a regex each).
      skipped++;
      for (let at = start; at < text.length; skipped++) {
        const next = text.indexOf('\n', at);
        if (next < 0) break;
        at = next + 1;
      }
      break;
    }
    const m = LINE.exec(line);
    if (!m) {
      skipped++;
      continue;
    }
    const local = kernelAddress(m[1]!);
    const remote = kernelAddress(m[3]!);
    sockets.push({
      family: m[1]!.length === 8 ? 4 : 6, localAddress: local, localPort: parseInt(m[2]!, 16), remoteAddress: remote, remotePort: parseInt(m[4]!, 16),
      state: parseInt(m[5]!, 16), uid: Number(m[6]), inode: Number(m[7]),
    });
  }
  return { readable, sockets, skipped };
}

/** The kernel's hex address: 32-bit words in little-endian byte order. */
export function kernelAddress(hex: string): string {
  const bytes: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    const word = hex.slice(w, w + 8);
    for (let b = 6; b >= 0; b -= 2) bytes.push(parseInt(word.slice(b, b + 2), 16));
  }
  if (bytes.length === 4) return bytes.join('.');
  // IPv4-mapped (::ffff:a.b.c.d): an IPv6 socket talking to an IPv4 address, as Java's sockets on Android are.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return compressV6(groups);
}

/** `0:0:0:0:0:0:0:1` → `::1`: the longest run of zero groups folded, as addresses are written. */
function compressV6(groups: string[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** Loopback as a socket table names it (`127.x.x.x`, `::1`). */
export function isLoopback(address: string): boolean {
  return address === '::1' || /^127\./.test(address);
}
