/**
 * One ADB stream as the device sees it. It owns the mandatory flow control: one WRTE in flight until the
 * host's OKAY, chunks no larger than the negotiated maxdata, CLSE only after everything queued was
 * acknowledged. Producers read `write()`'s return value and wait for 'drain', so a slow host reader stalls
 * the producer instead of growing memory. A stream the device opened (adb reverse: OPEN to the host) is
 * pending until the host's OKAY names its id; one that holds acks answers the host's WRTE only when its
 * consumer took the bytes (`ack()`), so a slow consumer stalls the host instead.
 */
import { EventEmitter } from 'node:events';

export interface StreamSink {
  sendWrite(localId: number, remoteId: number, data: Buffer): void;
  sendOkay(localId: number, remoteId: number): void;
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
  /** The host's OKAY was seen (always true for streams the host opened). */
  accepted: boolean;
  /** The host's WRTEs are acknowledged by `ack()`, not on arrival. */
  holdAcks = false;

  constructor(
    readonly localId: number,
    public remoteId: number,
    readonly service: string,
    private sink: StreamSink,
  ) {
    super();
    this.accepted = remoteId !== 0;
  }

  /** The host accepted a stream the device opened. */
  onAccepted(remoteId: number): void {
    if (this.accepted || this.closed) return;
    this.remoteId = remoteId;
    this.accepted = true;
    this.emit('accepted');
    this.pump();
  }

  /** Tells the host the last WRTE was consumed and it may send the next (streams that hold acks). */
  ack(): void {
    if (!this.closed && this.accepted) this.sink.sendOkay(this.localId, this.remoteId);
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
    if (this.closed || this.inFlight || !this.accepted) return;
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
