/**
 * A request body as the app meant it, for searching: the Content-Encoding layers (gzip, deflate, br) undone — or a
 * gzip stream sniffed by its magic bytes, as SDKs often send with no header — with the OUTPUT bounded: decoding
 * stops at `maxBytes` however small the input, so a zip bomb costs at most that much memory and the time to inflate
 * it. A body cut short (the proxy kept only its first bytes) gives what decoded before the cut.
 */
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw, type Gunzip } from 'node:zlib';

export type DecodeNote =
  /** Decoded whole, or nothing to decode. */
  | 'whole'
  /** The decoded body is larger than the cap: its first `maxBytes` are given, the rest was never inflated. */
  | 'over-cap'
  /** The encoded data ended early or broke: what decoded before is given. */
  | 'broken'
  /** An encoding this search cannot undo (zstd, compress…): the bytes as sent are given. */
  | 'unknown-encoding';

export interface DecodedBody {
  bytes: Buffer;
  /** The encodings undone, outermost first (`gzip` also when sniffed). */
  encodings: string[];
  note: DecodeNote;
}

/** At most this many layers (`gzip, gzip, gzip…` is a bomb of its own). */
const MAX_LAYERS = 3;

type Layer = 'gzip' | 'deflate' | 'br';

function decoder(layer: Layer, raw: boolean): Gunzip | ReturnType<typeof createBrotliDecompress> {
  // Finishing flushes (the default): a stream that ends early gives its output so far, then an error that says so.
  if (layer === 'br') return createBrotliDecompress();
  if (layer === 'gzip') return createGunzip();
  return raw ? createInflateRaw() : createInflate();
}

/** Inflates `input` through one layer, stopping as soon as `maxBytes` came out. */
function inflate(input: Buffer, layer: Layer, maxBytes: number): Promise<{ bytes: Buffer; note: DecodeNote }> {
  // "deflate" is zlib-wrapped by the standard and raw in some clients: the first byte of a zlib header says which.
  const raw = layer === 'deflate' && (input.length < 2 || (input[0]! & 0x0f) !== 8 || ((input[0]! << 8) | input[1]!) % 31 !== 0);
  return new Promise((resolve) => {
    const z = decoder(layer, raw);
    const parts: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (note: DecodeNote): void => {
      if (done) return;
      done = true;
      z.removeAllListeners('data');
      z.destroy();
      const bytes = Buffer.concat(parts, size);
      resolve({ bytes: bytes.length > maxBytes ? bytes.subarray(0, maxBytes) : bytes, note });
    };
    z.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      size += chunk.length;
      if (size >= maxBytes) finish('over-cap');
    });
    z.on('end', () => finish('whole'));
    z.on('error', () => finish('broken'));
    z.end(input);
  });
}

const GZIP_MAGIC = (b: Buffer): boolean => b.length >= 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08;

/** Undoes `contentEncoding` (the header's value, or null) on `body`; never more than `maxBytes` of output. */
export async function decodeBody(body: Buffer, contentEncoding: string | null, maxBytes: number): Promise<DecodedBody> {
  const declared = (contentEncoding ?? '').toLowerCase().split(',').map((e) => e.trim()).filter((e) => e && e !== 'identity');
  // The last encoding applied is listed last: undo from the end.
  const layers = [...declared].reverse();
  const sniffed = !layers.length && GZIP_MAGIC(body);
  if (sniffed) layers.push('gzip');
  let bytes = body;
  const encodings: string[] = [];
  for (const layer of layers.slice(0, MAX_LAYERS)) {
    const known: Layer | null = layer === 'gzip' || layer === 'x-gzip' ? 'gzip' : layer === 'deflate' ? 'deflate' : layer === 'br' ? 'br' : null;
    if (!known) return { bytes: bytes.subarray(0, maxBytes), encodings, note: 'unknown-encoding' };
    const out = await inflate(bytes, known, maxBytes);
    encodings.push(known);
    // Magic bytes that begin no gzip stream: the body is what was sent.
    if (sniffed && out.note === 'broken' && !out.bytes.length) return { bytes: body.subarray(0, maxBytes), encodings: [], note: body.length > maxBytes ? 'over-cap' : 'whole' };
    bytes = out.bytes;
    if (out.note !== 'whole') return { bytes, encodings, note: out.note };
  }
  if (layers.length > MAX_LAYERS) return { bytes: bytes.subarray(0, maxBytes), encodings, note: 'unknown-encoding' };
  return { bytes: bytes.length > maxBytes ? bytes.subarray(0, maxBytes) : bytes, encodings, note: bytes.length > maxBytes ? 'over-cap' : 'whole' };
}
