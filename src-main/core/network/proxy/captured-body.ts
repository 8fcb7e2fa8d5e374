/**
 * A body as it streams through the proxy: its first `keep` bytes kept, its whole size and SHA-256 counted chunk
 * by chunk, so a 1 GB upload passes with at most `keep` bytes held.
 */
import { createHash, type Hash } from 'node:crypto';
import type { CapturedBody } from '../contracts.js';

export class BodyCapture {
  private readonly hash: Hash = createHash('sha256');
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  private size = 0;
  private result: CapturedBody | null | undefined;

  constructor(private readonly keep: number) {}

  add(chunk: Buffer): void {
    this.size += chunk.length;
    this.hash.update(chunk);
    if (this.keptBytes < this.keep) {
      const part = chunk.length <= this.keep - this.keptBytes ? chunk : chunk.subarray(0, this.keep - this.keptBytes);
      this.kept.push(part);
      this.keptBytes += part.length;
    }
  }

  /** null when no body byte passed (a GET, a 204): "no body" rather than an empty one. */
  finish(): CapturedBody | null {
    if (this.result === undefined) {
      this.result = this.size === 0 ? null : { bytes: Buffer.concat(this.kept, this.keptBytes), size: this.size, sha256: this.hash.digest('hex'), truncated: this.size > this.keptBytes };
      this.kept.length = 0;
    }
    return this.result;
  }
}
