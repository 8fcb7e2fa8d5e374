/**
 * The live monitors of the workbench, one per phone: started from the Logs page (raw log under logs/) or by
 * a session (raw log in the session), events to the event hub, log lines throttled for the UI. Each keeps the
 * last 50,000 lines it sent to pages and its events, so a page opened later (navigation, reload) shows what it has seen. Its
 * slice of the API is monitor.start/stop/status/recent.
 */
import { join } from 'node:path';
import type { LogLineView, MonitorEvent, MonitorStatus } from '../../../src-preload/api.js';
import { WorkbenchError, toBridgeError } from '../errors.js';
import type { EventHub } from '../../bridge/event-hub.js';
import type { Handlers } from '../../bridge/dispatcher.js';
import type { AdbService } from '../adb/adb-service.js';
import { DeviceMonitor, lineView, type MonitoredLine } from './device-monitor.js';
import { LineThrottle } from './line-throttle.js';

export const RECENT_LINES = 50_000;
export const RECENT_EVENTS = 100_000;

/** The last `size` items, in order, in fixed memory. */
class Ring<T> {
  private items: T[] = [];
  private start = 0;

  constructor(private size: number) {}

  push(item: T): void {
    if (this.items.length < this.size) this.items.push(item);
    else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.size;
    }
  }

  toArray(): T[] {
    return this.start === 0 ? this.items.slice() : [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }
}

interface Running {
  monitor: DeviceMonitor;
  status: Omit<MonitorStatus, 'lines' | 'events' | 'reconnects'>;
  throttle: LineThrottle<MonitoredLine>;
  lines: Ring<LogLineView>;
  events: Ring<MonitorEvent>;
}

export class Monitors {
  private running = new Map<string, Running>();

  /** `onStopped`: a monitor stopped on its own (its raw log hit a limit) — the recording session must know. */
  constructor(private hub: EventHub, private adb: AdbService, private dataDir: string, private onStopped?: (serial: string, reason: string) => void) {}

  status(serial: string): MonitorStatus {
    const m = this.running.get(serial)!;
    return { ...m.status, lines: m.monitor.stats.lines, events: m.monitor.stats.events, reconnects: m.monitor.stats.reconnects };
  }

  /** Starts (or restarts) the phone's monitor; `rawLogPath` defaults to a new file under logs/. */
  async start(serial: string, packageName: string | null, rawLogPath?: string): Promise<MonitorStatus> {
    await this.stop(serial);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const path = rawLogPath ?? join(this.dataDir, 'logs', `${serial.replace(/[^\w.-]/g, '_')}-${stamp}.log`);
    // A page opened later sees what a page open all along was sent: the ring keeps the lines the throttle sent
    // (under a flood, keeping every line made each one survive into the old generation, for no reader).
    const recentLines = new Ring<LogLineView>(RECENT_LINES);
    const throttle = new LineThrottle<MonitoredLine>((lines, dropped) => {
      const views = lines.map(lineView);
      for (const v of views) recentLines.push(v);
      this.hub.emit('logLines', { serial, lines: views, dropped });
    });
    const recentEvents = new Ring<MonitorEvent>(RECENT_EVENTS);
    const monitor = new DeviceMonitor({
      bridge: this.adb.requireBridge(), serial, packageName, rawLogPath: path,
      onEvent: (e) => {
        recentEvents.push(e);
        this.hub.emit('monitorEvent', e);
      },
      onLines: (lines) => throttle.push(lines),
      // Under a flood only the lines the window has room for are made at all; the others are counted.
      linesWanted: () => throttle.room(),
      onLinesSkipped: (count) => throttle.skip(count),
      onStopped: (reason) => {
        if (this.running.get(serial)?.monitor !== monitor) return;
        this.running.delete(serial);
        this.hub.emit('problem', toBridgeError(new WorkbenchError('monitor.stopped', `Monitoring ${serial} stopped: ${reason}. What was recorded is kept.`, { serial, reason })));
        this.onStopped?.(serial, reason);
      },
    });
    this.running.set(serial, { monitor, status: { serial, packageName, rawLogPath: path }, throttle, lines: recentLines, events: recentEvents });
    try {
      await monitor.start();
    } catch (err) {
      this.running.delete(serial);
      await monitor.stop();
      throw err;
    }
    return this.status(serial);
  }

  async stop(serial: string): Promise<void> {
    const m = this.running.get(serial);
    if (!m) return;
    this.running.delete(serial);
    await m.monitor.stop();
    m.throttle.flush();
  }

  async stopAll(): Promise<void> {
    for (const serial of [...this.running.keys()]) await this.stop(serial);
  }

  /** `recording` names the session recording on a phone: its monitor keeps writing into the session. */
  handlers(recording: (serial: string) => { id: string; rawLogPath: string; packageName: string } | null): Pick<Handlers, 'monitor.start' | 'monitor.stop' | 'monitor.status' | 'monitor.recent'> {
    return {
      'monitor.start': async ({ serial, packageName }) => {
        const session = recording(serial);
        if (session && this.running.has(serial)) return this.status(serial);
        return this.adb.onDevice(serial, () => this.start(serial, session?.packageName ?? packageName, session?.rawLogPath));
      },
      'monitor.stop': async ({ serial }) => {
        const session = recording(serial);
        if (session) throw new WorkbenchError('session.busy', `Session ${session.id} is recording on ${serial}; pause or stop the session to stop its monitor`, { serial, session: session.id, reason: 'session-monitor' });
        await this.stop(serial);
        return null;
      },
      'monitor.status': async () => [...this.running.keys()].map((s) => this.status(s)),
      'monitor.recent': async ({ serial }) => {
        const m = this.running.get(serial);
        return m ? { status: this.status(serial), lines: m.lines.toArray(), events: m.events.toArray() } : { status: null, lines: [], events: [] };
      },
    };
  }
}
