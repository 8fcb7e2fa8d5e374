/**
 * What the session knows is running on the phone, from the monitor's events as they are recorded: the app in the
 * foreground and the processes started and not yet dead. An unattributed connection carries it, so the tester
 * still sees who could have opened it. Bounded: a phone that starts thousands of processes keeps the newest.
 */
import type { TimelineEvent } from '../../../src-preload/monitor-events.js';

const MAX_ALIVE = 256;

export class RunningApps {
  foreground: string | null = null;
  private alive = new Set<string>();

  /** Hears one recorded event. */
  observe(e: TimelineEvent): void {
    if (e.type === 'app.foreground') this.foreground = e.component.split('/')[0] || null;
    else if (e.type === 'process.start') {
      this.alive.delete(e.process);
      this.alive.add(e.process);
      if (this.alive.size > MAX_ALIVE) this.alive.delete(this.alive.values().next().value!);
    } else if (e.type === 'process.death' || (e.type === 'process.killed' && e.process)) this.alive.delete(e.process!);
  }

  /** Process names seen starting — a process name names its app (`com.x` or `com.x:push`). */
  running(): { foreground: string | null; alive: string[] } {
    return { foreground: this.foreground, alive: [...this.alive].sort() };
  }
}
