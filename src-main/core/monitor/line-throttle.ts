/**
 * Keeps the Logs panel alive under a flood: at most `perWindow` lines go to the UI per window (windows follow
 * each other: any stretch of one window's length sees at most two windows' worth), the rest are counted (the
 * raw log file keeps every one). Lines go on at once (those of one tick together) while the
 * window has room — a permission-dialog line under ordinary background chatter must not wait out a window —
 * and only a window already full makes the next lines wait for the next window.
 */
export class LineThrottle<L> {
  private pending: L[] = [];
  private dropped = 0;
  private timeout: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private windowStart = -Infinity;
  private sentInWindow = 0;

  /** 320 lines per 16 ms window: 20,000 lines a second to the page at most. */
  constructor(private send: (lines: L[], dropped: number) => void, private perWindow = 320, private windowMs = 16) {}

  push(lines: L[]): void {
    const room = this.perWindow - this.pending.length;
    if (room > 0) this.pending.push(...(lines.length > room ? lines.slice(lines.length - room) : lines));
    if (lines.length > room) this.dropped += lines.length - Math.max(room, 0);
    this.schedule();
  }

  /** How many more lines the next batch takes (a producer need not make the others). */
  room(): number {
    return Math.max(0, this.perWindow - this.pending.length);
  }

  /** Lines the producer did not make because the batch had no room: counted as dropped. */
  skip(count: number): void {
    if (count <= 0) return;
    this.dropped += count;
    this.schedule();
  }

  private schedule(): void {
    if (this.timeout || this.immediate) return;
    const now = Date.now();
    const full = now - this.windowStart < this.windowMs && this.sentInWindow + this.pending.length > this.perWindow;
    if (full) this.timeout = setTimeout(() => this.tick(true), this.windowStart + this.windowMs - now);
    else this.immediate = setImmediate(() => this.tick());
  }

  /**
   * Sends what the window has room for; the rest waits for the next window. A timer set for the window's end
   * starts the next window even when Date.now() says it is a millisecond short (timers run on the monotonic
   * clock and fire up to 1 ms early by Date.now()): otherwise the waiting lines went out split in two.
   */
  private tick(windowEnded = false): void {
    this.cancel();
    const now = Date.now();
    if (windowEnded || now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.sentInWindow = 0;
    }
    const room = this.perWindow - this.sentInWindow;
    const batch = this.pending.length > room ? this.pending.splice(0, room) : this.pending.splice(0);
    this.sentInWindow += batch.length;
    const dropped = this.dropped;
    this.dropped = 0;
    if (batch.length || dropped) this.send(batch, dropped);
    if (this.pending.length) this.schedule();
  }

  /** Sends everything pending now (the monitor is stopping). */
  flush(): void {
    this.cancel();
    this.sentInWindow += this.pending.length;
    if (this.pending.length || this.dropped) this.send(this.pending, this.dropped);
    this.pending = [];
    this.dropped = 0;
  }

  private cancel(): void {
    if (this.timeout) clearTimeout(this.timeout);
    if (this.immediate) clearImmediate(this.immediate);
    this.timeout = null;
    this.immediate = null;
  }
}
