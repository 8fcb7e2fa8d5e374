/**
 * JAR manifests (META-INF/MANIFEST.MF and the signers' .SF files): sections separated by blank lines, each
 * kept with its exact bytes (the .SF signs them), attributes with continuation lines joined. Line endings
 * may be CRLF, LF or CR, as the JAR specification allows.
 */
export interface ManifestSection {
  /** The section's bytes including the blank line that ends it, as the .SF digests them. */
  bytes: Buffer;
  attributes: Map<string, string>;
  name: string | null;
}

const MAX_SECTIONS = 200_000;

/** Where the line starting at `p` ends (the index after its line break), and where its text ends. */
function lineEnd(buf: Buffer, p: number): [number, number] {
  let q = p;
  while (q < buf.length && buf[q] !== 0x0a && buf[q] !== 0x0d) q++;
  if (q >= buf.length) return [q, q];
  if (buf[q] === 0x0d && buf[q + 1] === 0x0a) return [q, q + 2];
  return [q, q + 1];
}

export function parseManifest(buf: Buffer): { main: ManifestSection; entries: ManifestSection[] } {
  const sections: ManifestSection[] = [];
  let p = 0;
  while (p < buf.length) {
    const start = p;
    const lines: string[] = [];
    while (p < buf.length) {
      const [textEnd, next] = lineEnd(buf, p);
      const text = buf.toString('utf8', p, textEnd);
      p = next;
      if (text === '') break;
      if (text.startsWith(' ') && lines.length) lines[lines.length - 1] += text.slice(1);
      else lines.push(text);
    }
    if (!lines.length && sections.length) continue; // extra blank lines between sections
    const attributes = new Map<string, string>();
    for (const line of lines) {
      const colon = line.indexOf(': ');
      if (colon > 0) attributes.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 2));
    }
    sections.push({ bytes: buf.subarray(start, p), attributes, name: attributes.get('name') ?? null });
    if (sections.length > MAX_SECTIONS) throw new Error('manifest has too many sections');
  }
  const [main = { bytes: Buffer.alloc(0), attributes: new Map(), name: null }, ...entries] = sections;
  return { main, entries };
}

const DIGESTS: Record<string, string> = { sha1: 'sha1', 'sha-1': 'sha1', 'sha-256': 'sha256', 'sha-384': 'sha384', 'sha-512': 'sha512' };

/** The digests a section carries under `<alg><suffix>` (e.g. "SHA-256-Digest"), as [Node hash name, base64]. */
export function digestAttributes(section: ManifestSection, suffix: string): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  const tail = suffix.toLowerCase();
  for (const [key, value] of section.attributes) {
    if (!key.endsWith(tail)) continue;
    const hash = DIGESTS[key.slice(0, -tail.length)];
    if (hash) found.push([hash, value.trim()]);
  }
  return found;
}
