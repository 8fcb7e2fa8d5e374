/**
 * Bytes a stream carried each way. A net.Socket counts them itself; any other Duplex (a test's or the
 * demo's in-memory connector) is counted where bytes enter it (`write`) and leave it (`push`), so counting
 * never changes how or when the stream is read.
 */
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface ByteCount {
  /** Bytes written into the stream (towards its far end). */
  written: number;
  /** Bytes read out of it. */
  read: number;
}

const size = (chunk: unknown, encoding?: unknown): number =>
  typeof chunk === 'string' ? Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : chunk instanceof Uint8Array ? chunk.length : 0;

export function meter(s: Duplex): () => ByteCount {
  if (s instanceof Socket) return () => ({ written: s.bytesWritten, read: s.bytesRead });
  const count: ByteCount = { written: 0, read: 0 };
  const write = s.write.bind(s) as (...args: unknown[]) => boolean;
  const push = s.push.bind(s) as (...args: unknown[]) => boolean;
  s.write = ((chunk: unknown, ...rest: unknown[]) => {
    count.written += size(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as Duplex['write'];
  s.push = ((chunk: unknown, encoding?: unknown) => {
    count.read += size(chunk, encoding);
    return push(chunk, encoding);
  }) as Duplex['push'];
  return () => ({ ...count });
}
