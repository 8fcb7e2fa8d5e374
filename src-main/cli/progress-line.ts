/**
 * One progress line for long batches: done/total, rate, ETA and failures, redrawn in place on a terminal at
 * most 5 times a second; where stderr is not a terminal (a log, CI), a plain line every 10 % instead.
 */
export class ProgressLine {
  private started = Date.now();
  private lastDraw = 0;
  private lastDecile = 0;
  private lastPrinted = -1;

  constructor(private total: number, private out: NodeJS.WriteStream = process.stderr) {}

  update(done: number, failures: number, force = false): void {
    const now = Date.now();
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? (this.total - done) / rate : NaN;
    const text = `${done}/${this.total} (${this.total ? Math.floor((done / this.total) * 100) : 100}%) · ${rate.toFixed(1)} APK/s · ETA ${formatDuration(eta)} · ${failures} refused`;
    if (this.out.isTTY) {
      if (!force && now - this.lastDraw < 200) return;
      this.lastDraw = now;
      this.out.write(`\r\u001b[K${text}`);
      return;
    }
    const decile = Math.floor((done / Math.max(1, this.total)) * 10);
    if (decile > this.lastDecile || (force && done !== this.lastPrinted)) {
      this.lastDecile = decile;
      this.lastPrinted = done;
      this.out.write(`${text}\n`);
    }
  }

  end(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
