/**
 * One ADB stream as the device sees it. It owns the mandatory flow control: one WRTE in flight until the
 * host's OKAY, chunks no larger than the negotiated maxdata, CLSE only after everything queued was
 * acknowledged. Producers read `write()`'s return value and wait for 'drain', so a slow host reader stalls
 * the producer instead of growing memory.
 */
import { EventEmitter } from 'node:events';

export interface StreamSink {
  sendWrite(localId: number, remoteId: number, data: Buffer): void;
  sendClose(localId: number, remoteId: number): void;
  maxData(): number;
  forget(localId: number): void;
}

const HIGH_WATER = 1024 * 1024;

export class DeviceStream extends EventEmitter {
  private queue: Buffer[] = [];
  private queued = 0;
  private inFlight = false;
  private ending = false;
  closed = false;

  constructor(
    readonly localId: number,
    readonly remoteId: number,
    readonly service: string,
    private sink: StreamSink,
  ) {
    super();
  }

  /** Queues bytes for the host. Returns false when the caller should wait for 'drain'. */
  write(data: Buffer | string): boolean {
    if (this.closed || this.ending) return false;
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (buf.length) {
      this.queue.push(buf);
      this.queued += buf.length;
      this.pump();
    }
    return this.queued < HIGH_WATER;
  }

  /** Resolves once the queue is below the high-water mark, or the stream closed. */
  async waitForDrain(): Promise<void> {
    if (this.closed || this.queued < HIGH_WATER) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.off('drain', done);
        this.off('close', done);
        resolve();
      };
      this.on('drain', done);
      this.on('close', done);
    });
  }

  /** Closes after every queued byte has been acknowledged by the host. */
  end(data?: Buffer | string): void {
    if (data !== undefined) this.write(data);
    if (this.closed || this.ending) return;
    this.ending = true;
    this.pump();
  }

  onAck(): void {
    this.inFlight = false;
    this.pump();
  }

  onData(data: Buffer): void {
    if (!this.closed) this.emit('data', data);
  }

  /** The host closed the stream or the connection dropped: stop producing. */
  onRemoteClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.queued = 0;
    this.sink.forget(this.localId);
    this.emit('drain');
    this.emit('close');
  }

  private pump(): void {
    if (this.closed || this.inFlight) return;
    if (this.queue.length === 0) {
      if (this.ending) {
        this.closed = true;
        this.sink.sendClose(this.localId, this.remoteId);
        this.sink.forget(this.localId);
        this.emit('close');
      }
      return;
    }
    const max = this.sink.maxData();
    let chunk: Buffer;
    const head = this.queue[0]!;
    if (head.length <= max) {
      // Coalesce small writes into one packet up to maxdata.
      const parts: Buffer[] = [];
      let size = 0;
      while (this.queue.length && size + this.queue[0]!.length <= max) {
        const part = this.queue.shift()!;
        parts.push(part);
        size += part.length;
      }
      chunk = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    } else {
      chunk = head.subarray(0, max);
      this.queue[0] = head.subarray(max);
    }
    this.queued -= chunk.length;
    this.inFlight = true;
    this.sink.sendWrite(this.localId, this.remoteId, chunk);
    if (this.queued < HIGH_WATER / 2) this.emit('drain');
  }
}
