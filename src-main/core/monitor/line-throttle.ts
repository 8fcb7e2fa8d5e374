/**
 * Keeps the Logs panel alive under a flood: at most `perWindow` lines go to the UI per window, the rest are
 * counted (the raw log file keeps every one). Lines are sent in one batch per window.
 */
import type { LogLineView } from '../../../src-preload/api.js';

export class LineThrottle {
  private pending: LogLineView[] = [];
  private dropped = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private send: (lines: LogLineView[], dropped: number) => void, private perWindow = 1000, private windowMs = 50) {}

  push(lines: LogLineView[]): void {
    const room = this.perWindow - this.pending.length;
    if (room > 0) this.pending.push(...(lines.length > room ? lines.slice(lines.length - room) : lines));
    if (lines.length > room) this.dropped += lines.length - Math.max(room, 0);
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length || this.dropped) this.send(this.pending, this.dropped);
    this.pending = [];
    this.dropped = 0;
  }
}
