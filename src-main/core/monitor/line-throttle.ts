/**
 * Keeps the Logs panel alive under a flood: at most `perWindow` lines go to the UI per window, the rest are
 * counted (the raw log file keeps every one). A quiet stream is sent at once (a lone permission-dialog line
 * must not wait out a window); under load, one batch per window.
 */
export class LineThrottle<L> {
  private pending: L[] = [];
  private dropped = 0;
  private timeout: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private lastFlush = 0;

  /** 320 lines per 16 ms window: 20,000 lines a second to the page at most; a line waits at most one frame. */
  constructor(private send: (lines: L[], dropped: number) => void, private perWindow = 320, private windowMs = 16) {}

  push(lines: L[]): void {
    const room = this.perWindow - this.pending.length;
    if (room > 0) this.pending.push(...(lines.length > room ? lines.slice(lines.length - room) : lines));
    if (lines.length > room) this.dropped += lines.length - Math.max(room, 0);
    this.schedule();
  }

  /** How many more lines the current window takes (a producer need not make the others). */
  room(): number {
    return Math.max(0, this.perWindow - this.pending.length);
  }

  /** Lines the producer did not make because the window had no room: counted as dropped. */
  skip(count: number): void {
    if (count <= 0) return;
    this.dropped += count;
    this.schedule();
  }

  private schedule(): void {
    if (this.timeout || this.immediate) return;
    const wait = this.lastFlush + this.windowMs - Date.now();
    if (wait > 0) this.timeout = setTimeout(() => this.flush(), wait);
    else this.immediate = setImmediate(() => this.flush());
  }

  flush(): void {
    this.cancel();
    this.lastFlush = Date.now();
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
