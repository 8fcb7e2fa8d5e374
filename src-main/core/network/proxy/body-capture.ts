/**
 * One HTTP body as the interceptor keeps it, fed chunk by chunk as it streams past: its first `keep` bytes, its
 * whole size and SHA-256. Memory is the kept bytes whatever the body's size; the rest is only counted and hashed.
 */
import { createHash, type Hash } from 'node:crypto';
import type { CapturedBody } from '../contracts.js';

export class BodyCapture {
  private readonly parts: Buffer[] = [];
  private kept = 0;
  private size = 0;
  private readonly hash: Hash = createHash('sha256');

  constructor(private readonly keep: number) {}

  add(chunk: Uint8Array): void {
    if (!chunk.byteLength) return;
    const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.size += b.length;
    this.hash.update(b);
    if (this.kept >= this.keep) return;
    const room = this.keep - this.kept;
    // A copy when only part is kept: a slice would hold the whole (possibly multi-megabyte) chunk alive.
    const part = b.length <= room ? b : Buffer.from(b.subarray(0, room));
    this.parts.push(part);
    this.kept += part.length;
  }

  get bytesSeen(): number {
    return this.size;
  }

  finish(): CapturedBody {
    return { bytes: Buffer.concat(this.parts, this.kept), size: this.size, sha256: this.hash.digest('hex'), truncated: this.size > this.kept };
  }
}
