/**
 * logd's chatty (Android 8-11, ChattyLogBuffer): a run of identical lines from one thread is held back and, when a
 * different line arrives in that buffer, printed as its first line, `chatty: uid=U(name) identical N lines`, and its
 * last line; lines pruned from a full buffer leave `chatty: uid=U(name) expire N lines` where they were. Android
 * 12 and later (serialized logd) do neither, so only the ROM profiles of older releases switch this on.
 *
 * The forms follow real captures: `I chatty  : uid=10312(com.netease.yanxuan) identical 13 lines` between two of
 * the app's identical lines, with the app's pid/tid (test/fixtures/real-logcat/07, lines 35-37), `identical 1 line`
 * for a run of three (07, line 112), and `I chatty  : uid=1000(system) ActivityManager expire 4 lines` (05, 27).
 * The run's rule is ChattyLogBuffer's: same buffer, uid, pid, tid, priority, tag and message, the previous one
 * less than a minute older. Pruning here is oldest-first (logd prunes the chattiest uid first): a simplification.
 */

/** What chatty compares and what it prints about a line. */
export interface ChattyLine {
  lid: number;
  pid: number;
  tid: number;
  uid: number;
  priority: number;
  tag: string;
  message: string;
  timeMs: number;
}

const SAME_RUN_MS = 60_000;

interface RunState {
  /** The last line this buffer received (printed or held), to compare the next one with. */
  last: ChattyLine;
  /** The run's latest line, held back until the run ends. */
  held: ChattyLine | null;
  /** Lines of the run dropped between its first and its held last line, and when the latest of them came. */
  dropped: number;
  droppedAt: number;
}

function same(a: ChattyLine, b: ChattyLine): boolean {
  return a.lid === b.lid && a.uid === b.uid && a.pid === b.pid && a.tid === b.tid && a.priority === b.priority && a.tag === b.tag && a.message === b.message && a.timeMs - b.timeMs < SAME_RUN_MS;
}

export function chattyMessage(uid: number, uidLabel: string, what: 'identical' | 'expire', count: number): string {
  return `uid=${uid}(${uidLabel}) ${what} ${count} line${count === 1 ? '' : 's'}`;
}

/**
 * Decides, per buffer, what a line turns into: `[]` while it is held in a run, or the lines to print now (the
 * run's chatty summary and held last line, then this one). The events buffer is binary data and never folded.
 */
export class ChattyFolder {
  private runs = new Map<number, RunState>();

  constructor(private uidLabel: (uid: number) => string, private eventsLid: number) {}

  fold(line: ChattyLine): ChattyLine[] {
    if (line.lid === this.eventsLid) return [line];
    const run = this.runs.get(line.lid);
    if (run && same(line, run.last)) {
      if (run.held) {
        run.dropped++;
        run.droppedAt = run.held.timeMs;
      }
      run.held = line;
      run.last = line;
      return [];
    }
    const out = run ? this.flush(run) : [];
    this.runs.set(line.lid, { last: line, held: null, dropped: 0, droppedAt: 0 });
    out.push(line);
    return out;
  }

  private flush(run: RunState): ChattyLine[] {
    const out: ChattyLine[] = [];
    const held = run.held;
    if (!held) return out;
    if (run.dropped > 0) {
      out.push({ ...held, priority: 4, tag: 'chatty', timeMs: run.droppedAt, message: chattyMessage(held.uid, this.uidLabel(held.uid), 'identical', run.dropped) });
    }
    out.push(held);
    return out;
  }
}
