/**
 * Refusals as the observer hears them: every one is counted, but a flood (10,000 connections at once, a LAN
 * host retrying, an app hammering a dead host) becomes one event per reason, client and subject per second
 * saying how many, so the session's timeline stays readable and bounded while nothing goes unreported.
 */
import type { ProxyObserver, ProxyRefusal } from '../contracts.js';

interface Burst {
  since: number;
  suppressed: number;
  last: ProxyRefusal;
}

export class RefusalReporter {
  /** Every refusal, reported or folded into a later summary. */
  total = 0;
  private readonly bursts = new Map<string, Burst>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly report: ProxyObserver['refused'],
    private readonly windowMs = 1000,
  ) {}

  /** `subject`: what refusals fold by besides reason and client (an unreachable host:port is its own subject). */
  refuse(r: ProxyRefusal, subject = ''): void {
    this.total++;
    const key = `${r.reason}\u0000${r.client}\u0000${subject}`;
    const now = Date.now();
    const burst = this.bursts.get(key);
    if (burst && now - burst.since < this.windowMs) {
      burst.suppressed++;
      burst.last = r;
      return;
    }
    if (burst?.suppressed) this.summarise(burst);
    this.bursts.set(key, { since: now, suppressed: 0, last: r });
    this.timer ??= setTimeout(() => this.flush(false), this.windowMs).unref();
    this.report(r);
  }

  /** Reports the refusals folded so far (`all`: every one, at stop; otherwise those whose second is over). */
  flush(all = true): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const now = Date.now();
    for (const [key, burst] of this.bursts) {
      if (!all && now - burst.since < this.windowMs) continue;
      if (burst.suppressed) this.summarise(burst);
      this.bursts.delete(key);
    }
    if (this.bursts.size > 0) this.timer = setTimeout(() => this.flush(false), this.windowMs).unref();
  }

  private summarise(burst: Burst): void {
    this.report({ ...burst.last, detail: `${burst.suppressed} more within ${this.windowMs} ms; the last: ${burst.last.detail}` });
    burst.suppressed = 0;
  }
}
