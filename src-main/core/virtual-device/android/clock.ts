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
 * The factor may change while the phone runs (`setFactor`): a wait under way keeps the phone time it has left.
 */
export class CompressedClock implements Clock {
  private timers = new Map<number, { fn: () => void; handle: NodeJS.Timeout; leftMs: number; armedAt: number }>();
  private next = 1;

  constructor(private speed: number) {}

  get factor(): number {
    return this.speed;
  }

  now(): number {
    return Date.now();
  }

  setTimer(fn: () => void, ms: number): number {
    const id = this.next++;
    this.arm(id, fn, Math.max(0, ms));
    return id;
  }

  clearTimer(id: number): void {
    clearTimeout(this.timers.get(id)?.handle);
    this.timers.delete(id);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(resolve, ms));
  }

  /** From now on the phone's waits run `factor` times faster; each pending one is re-timed by the phone time it has left. */
  setFactor(factor: number): void {
    if (!(factor > 0) || factor === this.speed) return;
    const at = Date.now();
    const pending = [...this.timers].map(([id, t]) => ({ id, fn: t.fn, left: Math.max(0, t.leftMs - (at - t.armedAt) * this.speed) }));
    for (const { id } of pending) clearTimeout(this.timers.get(id)!.handle);
    this.speed = factor;
    for (const { id, fn, left } of pending) this.arm(id, fn, left);
  }

  /** `leftMs` of the phone's time, at the current factor. */
  private arm(id: number, fn: () => void, leftMs: number): void {
    const handle = setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, leftMs / this.speed);
    this.timers.set(id, { fn, handle, leftMs, armedAt: Date.now() });
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
