/**
 * Event fan-out from the core to every connected UI. Each subscriber receives batches: a quiet stream goes out
 * at once (a permission dialog must not wait out a window), under load items queued within one flush interval
 * travel together, and a stream flooding faster than the UI can read is capped per batch (the newest items
 * win for state streams, the count of dropped items is reported).
 */
import type { EventBatch, EventName, WorkbenchEvents } from '../../src-preload/api.js';

type BatchSink = (batch: EventBatch) => void;

/** One display frame: a busy stream costs at most ~60 messages a second, and an event waits at most this long. */
export const FLUSH_MS = 16;
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
  private timeout: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private lastFlush = 0;

  constructor(private sink: BatchSink) {}

  push(event: EventName, item: unknown): void {
    let list = this.pending.get(event);
    if (!list) this.pending.set(event, (list = []));
    list.push(item);
    if (list.length > MAX_ITEMS_PER_STREAM) list.shift();
    if (this.timeout || this.immediate) return;
    // Items of the same tick still travel together (setImmediate); a busy stream waits out the interval.
    const wait = this.lastFlush + FLUSH_MS - Date.now();
    if (wait > 0) this.timeout = setTimeout(() => this.flush(), wait);
    else this.immediate = setImmediate(() => this.flush());
  }

  private cancel(): void {
    if (this.timeout) clearTimeout(this.timeout);
    if (this.immediate) clearImmediate(this.immediate);
    this.timeout = null;
    this.immediate = null;
  }

  close(): void {
    this.cancel();
    this.pending.clear();
  }

  flush(): void {
    this.cancel();
    this.lastFlush = Date.now();
    const batch: EventBatch = [...this.pending].map(([event, items]) => ({ event, items }));
    this.pending.clear();
    if (batch.length) this.sink(batch);
  }
}
