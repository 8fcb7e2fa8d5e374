/**
 * Time for the virtual phone. Demos run on the real clock; tests run on a VirtualClock whose `advance()`
 * fires due timers in order, so an "every 30 s" scenario plays in milliseconds and deterministically.
 */
export interface Clock {
  now(): number;
  setTimer(fn: () => void, ms: number): number;
  clearTimer(id: number): void;
  sleep(ms: number): Promise<void>;
}

export class RealClock implements Clock {
  private timers = new Map<number, NodeJS.Timeout>();
  private next = 1;
  now(): number {
    return Date.now();
  }
  setTimer(fn: () => void, ms: number): number {
    const id = this.next++;
    this.timers.set(id, setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, ms));
    return id;
  }
  clearTimer(id: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(resolve, ms));
  }
}

/**
 * Wall-clock time whose waits run `factor` times faster: a scenario's "every 30 s" fires every 1.5 s at 20×,
 * while every timestamp the phone shows stays true (the evidence of a fast demo keeps real times).
 */
export class CompressedClock extends RealClock {
  constructor(readonly factor: number) {
    super();
  }
  override setTimer(fn: () => void, ms: number): number {
    return super.setTimer(fn, ms / this.factor);
  }
}

interface VirtualTimer {
  id: number;
  at: number;
  fn: () => void;
}

export class VirtualClock implements Clock {
  private current: number;
  private timers: VirtualTimer[] = [];
  private next = 1;

  constructor(start = Date.UTC(2026, 10, 29, 2, 0, 0)) {
    this.current = start;
  }
  now(): number {
    return this.current;
  }
  setTimer(fn: () => void, ms: number): number {
    const id = this.next++;
    this.timers.push({ id, at: this.current + Math.max(0, ms), fn });
    this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
    return id;
  }
  clearTimer(id: number): void {
    this.timers = this.timers.filter((t) => t.id !== id);
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(resolve, ms));
  }
  /** Moves time forward, firing every timer that falls due, and lets the work they start settle. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      const due = this.timers[0];
      if (!due || due.at > target) break;
      this.timers.shift();
      this.current = due.at;
      due.fn();
      await settle();
    }
    this.current = target;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
