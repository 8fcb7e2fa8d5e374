/**
 * Just enough ASN.1 to read a v1 signature block (PKCS#7 SignedData): elements with their tag and byte span,
 * definite and (as some old signing tools write) indefinite lengths, nesting bounded, every length checked
 * against its parent. Loading a full ASN.1 library cost each analysis process ~60 ms before any work.
 */
export interface Element {
  tag: number;
  /** First byte of the header. */
  start: number;
  /** First byte of the contents. */
  body: number;
  /** The byte after the element (after the end-of-contents octets of an indefinite length). */
  end: number;
  /** Where the contents end. */
  bodyEnd: number;
}

const MAX_DEPTH = 32;

export class DerError extends Error {}

export function element(buf: Buffer, offset: number, limit = buf.length, depth = 0): Element {
  if (depth > MAX_DEPTH) throw new DerError('ASN.1 nested too deeply');
  if (offset + 2 > limit) throw new DerError('ASN.1 element is truncated');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('ASN.1 high tag numbers are not used in signatures');
  let p = offset + 1;
  const first = buf[p++]!;
  if (first === 0x80) {
    if (!(tag & 0x20)) throw new DerError('indefinite length on a primitive ASN.1 element');
    let q = p;
    for (;;) {
      if (q + 2 > limit) throw new DerError('ASN.1 indefinite length has no end');
      if (buf[q] === 0 && buf[q + 1] === 0) return { tag, start: offset, body: p, bodyEnd: q, end: q + 2 };
      q = element(buf, q, limit, depth + 1).end;
    }
  }
  let len = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n > 4 || p + n > limit) throw new DerError('ASN.1 length is out of range');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
  }
  if (p + len > limit) throw new DerError('ASN.1 element runs past its parent');
  return { tag, start: offset, body: p, bodyEnd: p + len, end: p + len };
}

export function children(buf: Buffer, parent: Element): Element[] {
  const list: Element[] = [];
  for (let p = parent.body; p < parent.bodyEnd;) {
    const e = element(buf, p, parent.bodyEnd);
    list.push(e);
    p = e.end;
  }
  return list;
}

export function bytes(buf: Buffer, e: Element): Buffer {
  return buf.subarray(e.start, e.end);
}

export function contents(buf: Buffer, e: Element): Buffer {
  return buf.subarray(e.body, e.bodyEnd);
}

export function oid(buf: Buffer, e: Element): string {
  if (e.tag !== 0x06) throw new DerError('expected an ASN.1 object identifier');
  const b = contents(buf, e);
  if (!b.length) throw new DerError('empty object identifier');
  const parts = [Math.min(2, Math.floor(b[0]! / 40)), b[0]! - Math.min(2, Math.floor(b[0]! / 40)) * 40];
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (!(b[i]! & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** The n-th child, which must exist and carry `tag` (when given). */
export function child(buf: Buffer, parent: Element, n: number, tag?: number): Element {
  const c = children(buf, parent)[n];
  if (!c || (tag !== undefined && c.tag !== tag)) throw new DerError('unexpected ASN.1 structure');
  return c;
}
