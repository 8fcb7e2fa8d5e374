/**
 * `logcat` on the simulated phone: buffers (-b), dump (-d), clear (-c), tail from a count or a time (-t/-T),
 * text formats (-v) or binary (-B), filter specs (`*:I`, `Tag:V *:S`), --pid. Following readers pull from
 * the ring at their own pace and respect the stream's flow control.
 */
import type { CommandFn } from '../shell/interpreter.js';
import type { AndroidSystem } from '../android/android-system.js';
import { LOG_IDS, type LogEntry } from '../android/log-buffer.js';
import { formatBinary, formatText, type TextFormat } from '../android/log-format.js';

interface LogcatOptions {
  dump: boolean;
  clear: boolean;
  binary: boolean;
  lids: number[];
  format: TextFormat;
  tail: { count?: number; sinceMs?: number } | null;
  pid: number | null;
  regex: RegExp | null;
  defaultLevel: number;
  tagLevels: Map<string, number>;
}

const LEVELS: Record<string, number> = { V: 2, D: 3, I: 4, W: 5, E: 6, F: 7, S: 9, '*': 2 };

/** `MM-DD hh:mm:ss.mmm`, `YYYY-MM-DD hh:mm:ss.mmm` or `sec.nsec`, in the device's time zone. */
function parseLogTime(s: string, offsetMinutes: number, now: number): number | null {
  const epoch = /^(\d{9,})(?:\.(\d{1,9}))?$/.exec(s);
  if (epoch) return Number(epoch[1]) * 1000 + Math.floor(Number((epoch[2] ?? '0').padEnd(9, '0')) / 1e6);
  const m = /^(?:(\d{4})-)?(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(s.trim());
  if (!m) return null;
  const year = m[1] ? Number(m[1]) : new Date(now + offsetMinutes * 60_000).getUTCFullYear();
  return Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number((m[7] ?? '0').padEnd(3, '0'))) - offsetMinutes * 60_000;
}

function parseOptions(argv: string[], sys: AndroidSystem): LogcatOptions | string {
  const o: LogcatOptions = {
    dump: false, clear: false, binary: false, lids: [], pid: null, regex: null, tail: null, defaultLevel: 2,
    format: { style: 'threadtime', utc: false, year: false }, tagLevels: new Map(),
  };
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string | undefined => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i]);
    if (a === '-d') o.dump = true;
    else if (a === '-c' || a === '--clear') o.clear = true;
    else if (a === '-B' || a === '--binary') o.binary = true;
    else if (a === '-s') o.defaultLevel = 9;
    else if (a === '-b' || a.startsWith('--buffer')) {
      for (const name of (value() ?? '').split(',')) {
        if (name === 'all' || name === 'default') o.lids.push(...(name === 'all' ? Object.values(LOG_IDS) : [0, 3, 4]));
        else if (name in LOG_IDS) o.lids.push(LOG_IDS[name as keyof typeof LOG_IDS]);
        else if (name === 'kernel' || name === 'security' || name === 'stats') continue;
        else return `Unknown buffer '${name}'`;
      }
    } else if (a === '-v' || a.startsWith('--format')) {
      for (const word of (value() ?? '').split(/[,\s]+/)) {
        if (['threadtime', 'brief', 'time', 'epoch', 'tag', 'raw'].includes(word)) o.format.style = word as TextFormat['style'];
        else if (word === 'UTC') o.format.utc = true;
        else if (word === 'year') o.format.year = true;
        else if (word === 'uid' || word === 'usec' || word === 'printable' || word === 'color' || word === 'long') continue;
        else return `Unknown format '${word}'`;
      }
    } else if (a === '-t' || a === '-T') {
      const v = value() ?? '';
      if (/^\d+$/.test(v)) o.tail = { count: Number(v) };
      else {
        const t = parseLogTime(v, sys.device.timezoneOffsetMinutes, sys.clock.now());
        if (t === null) return `Invalid time '${v}'`;
        o.tail = { sinceMs: t };
      }
      if (a === '-t') o.dump = true;
    } else if (a === '--pid' || a.startsWith('--pid=')) {
      o.pid = Number(value());
      if (!Number.isInteger(o.pid)) return 'Invalid --pid';
    } else if (a === '-e' || a.startsWith('--regex')) {
      try {
        o.regex = new RegExp(value() ?? '');
      } catch {
        return 'Invalid regex';
      }
    } else if (/^[^-].*:[VDIWEFS*]$/.test(a)) {
      const tag = a.slice(0, a.lastIndexOf(':'));
      const level = LEVELS[a[a.length - 1]!]!;
      if (tag === '*') o.defaultLevel = level;
      else o.tagLevels.set(tag, level);
    } else if (a.startsWith('-')) {
      return `Unknown option '${a}'`;
    } else if (/^[^\s:]+$/.test(a)) {
      // A bare tag is a filter spec at Verbose, as in `logcat -s MyTag`.
      o.tagLevels.set(a, LEVELS.V!);
    }
  }
  if (!o.lids.length) o.lids = [LOG_IDS.main, LOG_IDS.system, LOG_IDS.crash];
  return o;
}

export function logcatCommand(sys: AndroidSystem): CommandFn {
  return async ({ argv, out, err }) => {
    const o = parseOptions(argv, sys);
    if (typeof o === 'string') {
      err.write(`logcat: ${o}\n`);
      return 1;
    }
    if (o.clear) {
      sys.log.clear(o.lids);
      return 0;
    }
    const tz = sys.device.timezoneOffsetMinutes;
    const matches = (e: LogEntry): boolean => {
      if (!o.lids.includes(e.lid) || sys.log.isCleared(e)) return false;
      if (o.pid !== null && e.pid !== o.pid) return false;
      if (e.priority < (o.tagLevels.get(e.tag) ?? o.defaultLevel)) return false;
      return !o.regex || o.regex.test(e.message);
    };
    const render = (e: LogEntry): Buffer | string => (o.binary ? formatBinary(e) : formatText(e, sys.logcatFormat ?? o.format, tz));

    let cursor = sys.log.oldestSeq;
    if (o.tail?.count !== undefined) {
      const wanted = o.tail.count;
      const all = sys.log.all();
      let seen = 0;
      cursor = sys.log.headSeq;
      for (let i = all.length - 1; i >= 0 && seen < wanted; i--) {
        if (matches(all[i]!)) {
          seen++;
          cursor = all[i]!.seq;
        }
      }
    } else if (o.tail?.sinceMs !== undefined) {
      const since = o.tail.sinceMs;
      cursor = sys.log.all().find((e) => e.timeMs >= since)?.seq ?? sys.log.headSeq;
    }

    const reader = o.dump ? null : sys.log.registerReader();
    // One wake-up per wait, whichever comes first: a new entry or the client leaving. (A Promise.race with
    // the same "closed" promise on every wait added a handler to it each time.)
    let wakeUp: (() => void) | null = null;
    void out.whenClosed().then(() => wakeUp?.());
    try {
      const stopAt = o.dump ? sys.log.headSeq : Infinity;
      while (!out.closed) {
        const batch = sys.log.read(cursor, 512);
        if (!batch.length || cursor >= stopAt) {
          if (o.dump) break;
          reader!.update(cursor);
          await new Promise<void>((resolve) => {
            let done = false;
            wakeUp = () => {
              if (done) return;
              done = true;
              resolve();
            };
            sys.log.onNextAppend(wakeUp);
          });
          wakeUp = null;
          continue;
        }
        const parts: Array<Buffer | string> = [];
        for (const e of batch) {
          if (e.seq >= stopAt) break;
          if (matches(e)) parts.push(render(e));
          cursor = e.seq + 1;
        }
        if (parts.length) {
          const chunk = o.binary ? Buffer.concat(parts as Buffer[]) : (parts as string[]).join('');
          if (!out.write(chunk)) await out.waitForDrain();
        }
        reader?.update(cursor);
      }
    } finally {
      reader?.close();
    }
    return 0;
  };
}
