/**
 * Event fan-out from the core to every connected UI. Each subscriber receives batches: items queued within
 * one flush interval travel together, and a stream flooding faster than the UI can read is capped per
 * batch (the newest items win for state streams, the count of dropped items is reported).
 */
import type { EventBatch, EventName, WorkbenchEvents } from '../../src-preload/api.js';

type BatchSink = (batch: EventBatch) => void;

const FLUSH_MS = 40;
const MAX_ITEMS_PER_STREAM = 2000;

export class EventHub {
  private sinks = new Set<BatchingSubscriber>();
  private latest = new Map<EventName, unknown>();
  private taps: Array<(event: EventName, item: unknown) => void> = [];

  emit<E extends EventName>(event: E, item: WorkbenchEvents[E]): void {
    this.latest.set(event, item);
    // Taps first and synchronously: a recording session journals the event before any UI sees it.
    for (const tap of this.taps) tap(event, item);
    for (const sink of this.sinks) sink.push(event, item);
  }

  /** Hears every item as it is emitted, unbatched (the session recorder). */
  tap(listener: (event: EventName, item: unknown) => void): void {
    this.taps.push(listener);
  }

  /** The last item of a stream, so a new client starts with the current state. */
  last<E extends EventName>(event: E): WorkbenchEvents[E] | undefined {
    return this.latest.get(event) as WorkbenchEvents[E] | undefined;
  }

  /**
   * Subscribes a transport. `flush` sends what is pending now: a transport calls it before a call's result,
   * so events a call caused (install progress...) never arrive after the call's answer.
   */
  subscribe(sink: BatchSink): { unsubscribe: () => void; flush: () => void } {
    const sub = new BatchingSubscriber(sink);
    this.sinks.add(sub);
    return {
      unsubscribe: () => {
        sub.close();
        this.sinks.delete(sub);
      },
      flush: () => sub.flush(),
    };
  }
}

class BatchingSubscriber {
  private pending = new Map<EventName, unknown[]>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private sink: BatchSink) {}

  push(event: EventName, item: unknown): void {
    let list = this.pending.get(event);
    if (!list) this.pending.set(event, (list = []));
    list.push(item);
    if (list.length > MAX_ITEMS_PER_STREAM) list.shift();
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch: EventBatch = [...this.pending].map(([event, items]) => ({ event, items }));
    this.pending.clear();
    if (batch.length) this.sink(batch);
  }
}
