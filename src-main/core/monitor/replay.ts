/**
 * Events from logs captured elsewhere: a field inspector's logcat file (threadtime, with or without year)
 * and, optionally, dumps taken on the same phone (`dumpsys appops`, `dumpsys package`). The same extractors
 * and app focus as the live monitor; app ops become events at the times the dump printed.
 */
import type { MonitorEvent } from '../../../src-preload/monitor-events.js';
import { AppFocus } from './app-focus.js';
import { parseAppOps, parseRuntimePermissions } from './dump-parsers.js';
import { parseLogLine, type LogLine } from './log-line.js';
import { eventParts, type Extracted } from './extractors.js';

export interface ReplayOptions {
  packageName: string | null;
  /** Year for lines without one. */
  year: number;
  /** The phone's UTC offset in minutes, for lines and dumps printed in its local time. */
  offsetMinutes: number;
  dumps?: string[];
  serial?: string;
}

const MAX_LINE = 64 * 1024;

/** Replays a log fed line by line (a 2 GiB file never becomes one string), then the dumps, in time order. */
export class Replayer {
  private focus: AppFocus;
  private events: MonitorEvent[] = [];
  private base: { serial: string; packageName: string | null };
  lines = 0;
  unparsed = 0;

  constructor(private o: ReplayOptions) {
    this.focus = new AppFocus(o.packageName);
    this.base = { serial: o.serial ?? 'replay', packageName: o.packageName };
    for (const dump of o.dumps ?? []) {
      const { uid } = parseRuntimePermissions(dump);
      if (uid !== null) this.focus.uid = uid;
    }
  }

  line(raw: string): void {
    if (raw.startsWith('--------- beginning of')) {
      // Not a log line, but a buffer's banner seen again says logcat restarted: a hole in the evidence.
      this.focus.banner(raw);
      return;
    }
    if (!raw.trim()) return;
    this.lines++;
    const line = raw.length > MAX_LINE ? null : parseLogLine(raw, { year: this.o.year, offsetMinutes: this.o.offsetMinutes });
    if (!line) {
      this.unparsed++;
      return;
    }
    for (const e of this.focus.observe(line)) this.push(e, line);
  }

  private push(e: Extracted, line: LogLine | null): void {
    const { body, raw, time } = eventParts(e, line);
    // Object.assign, not a spread: with a dozen body shapes V8's spread takes its slow path (tens of µs an event).
    this.events.push(Object.assign({ serial: this.base.serial, packageName: this.base.packageName, seq: 0, hostTime: time ?? 0, deviceTime: time, source: 'logcat' as const, raw }, body) as MonitorEvent);
  }

  /** The events found so far, in the order their lines came (finish() sorts them by time). */
  get emitted(): readonly MonitorEvent[] {
    return this.events;
  }

  finish(): { events: MonitorEvent[]; lines: number; unparsed: number } {
    for (const e of this.focus.flush()) this.push(e, null);
    const { o, base, events } = this;
    if (o.packageName) {
      for (const dump of o.dumps ?? []) {
        for (const entry of parseAppOps(dump, o.packageName).entries) {
          const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})$/.exec(entry.printed);
          const at = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!) - o.offsetMinutes * 60_000 : null;
          events.push({
            ...base, seq: 0, hostTime: at ?? 0, deviceTime: at, source: 'appops', raw: [`${entry.op} (${entry.mode}): ${entry.kind === 'access' ? 'Access' : 'Reject'}: [${entry.uidState}${entry.flags ? `-${entry.flags}` : ''}] ${entry.printed}`],
            type: entry.kind === 'access' ? 'appop.access' : 'appop.reject', op: entry.op, uidState: entry.uidState, flags: entry.flags, accessTime: at,
          } as MonitorEvent);
        }
      }
    }
    events.sort((a, b) => (a.deviceTime ?? 0) - (b.deviceTime ?? 0));
    events.forEach((e, i) => (e.seq = i + 1));
    return { events, lines: this.lines, unparsed: this.unparsed };
  }
}

export function replay(logText: string, o: ReplayOptions): { events: MonitorEvent[]; lines: number; unparsed: number } {
  const r = new Replayer(o);
  for (const raw of logText.split('\n')) r.line(raw);
  return r.finish();
}
