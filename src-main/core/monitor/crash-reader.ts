/**
 * Crashes, which a phone logs over several lines: a Java crash is `FATAL EXCEPTION: THREAD` then `Process: PKG,
 * PID: N` then the exception (the package is on the second line); a native crash is `Fatal signal N (SIG…)` from
 * libc, named by pid and a cut process name (`pid 3387 (droid.bluetooth)`) or only later by the tombstone's
 * `>>> PKG <<<`; an ANR is `ANR in PROCESS` then `PID: N` and `Reason: …`. Each becomes one event carrying its
 * lines, timed at its first. A crash left open (the next line never came) is closed by time or at the end.
 */
import type { LogLine } from './log-line.js';
import type { Extracted } from './extractors.js';

/** How long a crash waits for its next line (the tombstone comes within about a second of the signal). */
const OPEN_MS = 5000;
const MAX_OPEN = 64;
/** What most lines give: nothing, without an array made for it. */
const NONE: readonly Extracted[] = Object.freeze([]);
/** The tags a crash line can carry. */
const CRASH_TAGS = new Set(['AndroidRuntime', 'libc', 'DEBUG', 'ActivityManager', 'am_crash', 'am_anr']);

interface Open {
  kind: 'java' | 'native' | 'anr';
  /** The pid whose lines complete it (the crashing process for Java and native, the system for an ANR). */
  linePid: number;
  at: number;
  raw: string[];
  pid: number | null;
  process: string | null;
  packageName: string | null;
  detail: string;
  /** Java: after the Process line, the next line is the exception. */
  stage: number;
}

function close(o: Open): Extracted {
  return { type: 'app.crash', crash: o.kind, pid: o.pid, process: o.process, detail: o.detail, packageName: o.packageName, raw: o.raw, time: o.at };
}

export class CrashReader {
  private open: Open[] = [];

  /** The tags a crash line can carry. */
  static readonly TAGS = [...CRASH_TAGS];

  /** No crash is waiting for its next line: a line of another tag changes nothing. */
  get idle(): boolean {
    return this.open.length === 0;
  }

  /**
   * Crashes this line completes or starts; crashes it makes too old are closed first. `packageOfPid`: a native
   * crash of a process already known needs no tombstone to name it, so it is reported at once.
   */
  observe(l: LogLine, packageOfPid: (pid: number) => string | null = () => null): readonly Extracted[] {
    if (!this.open.length && !CRASH_TAGS.has(l.tag)) return NONE;
    const out = this.expire(l.time);
    const msg = l.message;
    if (l.tag === 'AndroidRuntime') {
      const o = this.open.find((x) => x.kind === 'java' && x.linePid === l.pid);
      if (o) {
        o.raw.push(l.raw);
        const m = /^Process: ([^,\s]+), PID: (\d+)/.exec(msg);
        if (m && o.stage === 0) {
          o.process = m[1]!;
          o.pid = Number(m[2]);
          o.stage = 1;
          return out;
        }
        if (!msg.startsWith('\tat ') && !msg.startsWith('at ')) o.detail = msg.slice(0, 300);
        out.push(this.take(o));
        return out;
      }
      const m = /^FATAL EXCEPTION: (.*)$/.exec(msg);
      if (m) this.start({ kind: 'java', linePid: l.pid, at: l.time, raw: [l.raw], pid: l.pid, process: null, packageName: null, detail: `thread ${m[1]!.trim()}`, stage: 0 });
      return out;
    }
    if (l.tag === 'libc') {
      const m = /^Fatal signal (\d+) \((\w+)\)(?:,? code -?\d+(?: \(\w+\))?)?(?:,? fault addr \S+)? in tid \d+ \(([^)]*)\)(?:, pid (\d+) \(([^)]*)\))?/.exec(msg);
      if (!m) return out;
      const pid = m[4] ? Number(m[4]) : l.pid;
      const o: Open = { kind: 'native', linePid: pid, at: l.time, raw: [l.raw], pid, process: m[5] ?? null, packageName: packageOfPid(pid), detail: `signal ${m[1]} (${m[2]}) in thread ${m[3]}`, stage: 0 };
      if (o.packageName) out.push(close(o));
      else this.start(o);
      return out;
    }
    if (l.tag === 'DEBUG') {
      // The tombstone: `pid: 14367, tid: 14401, name: Debugger agent  >>> com.companyname.app <<<`
      const m = /^pid: (\d+), tid: \d+, name: .*?>>> ([^<\s]+) <<</.exec(msg);
      const o = m && this.open.find((x) => x.kind === 'native' && x.pid === Number(m[1]));
      if (o && m) {
        o.raw.push(l.raw);
        o.process = m[2]!;
        out.push(this.take(o));
      }
      return out;
    }
    if (l.tag === 'ActivityManager') {
      const o = this.open.find((x) => x.kind === 'anr' && x.linePid === l.pid);
      if (o) {
        const pid = /^PID: (\d+)/.exec(msg);
        const reason = /^Reason: (.*)$/.exec(msg);
        if (pid) {
          o.pid = Number(pid[1]);
          o.raw.push(l.raw);
        } else if (reason) {
          o.detail = reason[1]!.slice(0, 300);
          o.raw.push(l.raw);
          out.push(this.take(o));
        } else out.push(this.take(o));
        if (pid || reason) return out;
      }
      const m = /^ANR in (\S+)(?: \(([\w.]+)\/[\w.$]+\))?/.exec(msg);
      if (m) this.start({ kind: 'anr', linePid: l.pid, at: l.time, raw: [l.raw], pid: null, process: m[1]!, packageName: m[2] ?? null, detail: '', stage: 0 });
      return out;
    }
    if (l.tag === 'am_crash') {
      // [pid,uid,process,flags,exception,message,file,line] (older builds: no uid)
      const m = /^\[(\d+),(?:-?\d+,)?([^,\]]+),-?\d+,([^,\]]+),([^\]]*)\]$/.exec(msg);
      if (m) out.push({ type: 'app.crash', crash: 'java', pid: Number(m[1]), process: m[2]!, detail: `${m[3]}: ${m[4]!.replace(/,[^,]*,-?\d+$/, '')}`.slice(0, 300), packageName: null });
      return out;
    }
    if (l.tag === 'am_anr') {
      // [user,pid,process,flags,reason]
      const m = /^\[\d+,(\d+),([^,\]]+),-?\d+,([^\]]*)\]$/.exec(msg);
      if (m) out.push({ type: 'app.crash', crash: 'anr', pid: Number(m[1]), process: m[2]!, detail: m[3]!.slice(0, 300), packageName: null });
      return out;
    }
    return out;
  }

  /** Closes every crash still waiting (the end of a replay, a monitor stopping). */
  flush(): Extracted[] {
    return this.open.splice(0).map(close);
  }

  private start(o: Open): void {
    if (this.open.length >= MAX_OPEN) this.open.shift();
    this.open.push(o);
  }

  private take(o: Open): Extracted {
    this.open.splice(this.open.indexOf(o), 1);
    return close(o);
  }

  private expire(now: number): Extracted[] {
    const out: Extracted[] = [];
    for (let i = 0; i < this.open.length;) {
      const o = this.open[i]!;
      // Time going back (a reboot, another buffer) also closes what was open.
      if (now - o.at > OPEN_MS || now < o.at - OPEN_MS) out.push(close(this.open.splice(i, 1)[0]!));
      else i++;
    }
    return out;
  }
}
