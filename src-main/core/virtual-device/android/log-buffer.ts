/**
 * The phone's logd: one bounded ring of entries across the main/radio/events/system/crash buffers, read by
 * followers through cursors as logd readers are. A follower that falls behind the ring loses the oldest
 * entries, as on a real phone; a producer that must not outrun its readers (the flood action) awaits
 * `waitForReaders()`. With chatty on (ROMs of Android 8-11) runs of identical lines are folded and pruned
 * lines leave `expire` marks, as logd-chatty.ts describes.
 */
import { ChattyFolder, chattyMessage, type ChattyLine } from './logd-chatty.js';

export const LOG_IDS = { main: 0, radio: 1, events: 2, system: 3, crash: 4 } as const;
export type LogBufferName = keyof typeof LOG_IDS;

const BUFFER_OF_LID = Object.fromEntries(Object.entries(LOG_IDS).map(([name, lid]) => [lid, name])) as Record<number, LogBufferName>;

export const PRIORITY_LETTERS = ['', '', 'V', 'D', 'I', 'W', 'E', 'F', 'S'] as const;

export interface LogEntry {
  seq: number;
  timeMs: number;
  nsec: number;
  pid: number;
  tid: number;
  uid: number;
  priority: number;
  tag: string;
  message: string;
  lid: number;
  /** A chatty `expire` mark: how many pruned lines it stands for. */
  expired?: number;
}

export type NewLogEntry = Omit<LogEntry, 'seq' | 'nsec' | 'lid' | 'tid' | 'uid' | 'timeMs'> &
  Partial<Pick<LogEntry, 'tid' | 'uid' | 'nsec' | 'timeMs'>> & { buffer?: LogBufferName };

/** What an entry costs in memory: two bytes per string character plus the object itself, roughly. */
function entrySize(e: LogEntry): number {
  return (e.tag.length + e.message.length) * 2 + 120;
}

export class LogBuffer {
  private entries: LogEntry[] = [];
  private firstSeq = 1;
  private nextSeq = 1;
  private bytes = 0;
  /** Followers waiting for new entries, and flood producers waiting for a reader to move: woken separately. */
  private appendWaiters: Array<() => void> = [];
  private readerWaiters: Array<() => void> = [];
  private readers = new Map<number, number>();
  private nextReader = 1;
  private lastMs = 0;
  private lastSubMs = 0;
  private clearedBefore: number[] = [];
  private chatty: ChattyFolder | null = null;
  private uidLabel: ((uid: number) => string) | null = null;

  constructor(private now: () => number, private maxBytes = 32 * 1024 * 1024) {}

  /** logd folds identical runs and marks pruned lines (chatty); `uidLabel` names a uid as chatty does (`com.pkg`, `system`). */
  enableChatty(uidLabel: (uid: number) => string): void {
    this.uidLabel = uidLabel;
    this.chatty = new ChattyFolder(uidLabel, LOG_IDS.events);
  }

  /** Appends a line; with chatty on it may be held back in a run of identical lines (then null). */
  append(e: NewLogEntry): LogEntry | null {
    if (!this.chatty) return this.store(e);
    const line: ChattyLine = { lid: LOG_IDS[e.buffer ?? 'main'], pid: e.pid, tid: e.tid ?? e.pid, uid: e.uid ?? 1000, priority: e.priority, tag: e.tag, message: e.message, timeMs: e.timeMs ?? this.now() };
    let last: LogEntry | null = null;
    for (const l of this.chatty.fold(line)) {
      last = this.store({ pid: l.pid, tid: l.tid, uid: l.uid, priority: l.priority, tag: l.tag, message: l.message, timeMs: l.timeMs, buffer: BUFFER_OF_LID[l.lid] });
    }
    return last;
  }

  private store(e: NewLogEntry): LogEntry {
    // Keep device timestamps strictly increasing, as logd's nanosecond clock does.
    let timeMs = Math.max(e.timeMs ?? this.now(), this.lastMs);
    let subMs = timeMs === this.lastMs ? this.lastSubMs + 1000 : 0;
    if (subMs >= 1_000_000) {
      timeMs += 1;
      subMs = 0;
    }
    this.lastMs = timeMs;
    this.lastSubMs = subMs;
    const entry: LogEntry = {
      seq: this.nextSeq++,
      timeMs,
      nsec: (timeMs % 1000) * 1_000_000 + subMs,
      pid: e.pid,
      tid: e.tid ?? e.pid,
      uid: e.uid ?? 1000,
      priority: e.priority,
      tag: e.tag,
      message: e.message,
      lid: LOG_IDS[e.buffer ?? 'main'],
    };
    this.entries.push(entry);
    this.bytes += entrySize(entry);
    if (this.bytes > this.maxBytes) this.trim();
    this.wake('append');
    return entry;
  }

  /** Entries with seq >= cursor, at most `max`. A cursor older than the ring starts at its oldest entry. */
  read(cursor: number, max: number): LogEntry[] {
    const start = Math.max(0, cursor - this.firstSeq);
    return this.entries.slice(start, start + max);
  }

  get headSeq(): number {
    return this.nextSeq;
  }

  get oldestSeq(): number {
    return this.firstSeq;
  }

  all(): readonly LogEntry[] {
    return this.entries;
  }

  /** `logcat -c`: entries of these buffers logged so far are no longer read (seq stays contiguous). */
  clear(lids: number[]): void {
    for (const lid of lids) this.clearedBefore[lid] = this.nextSeq;
  }

  isCleared(e: LogEntry): boolean {
    return e.seq < (this.clearedBefore[e.lid] ?? 0);
  }

  waitForAppend(): Promise<void> {
    return new Promise((resolve) => this.appendWaiters.push(resolve));
  }

  /** Calls `fn` once, at the next append (a follower that also waits for its client to go away). */
  onNextAppend(fn: () => void): void {
    this.appendWaiters.push(fn);
  }

  /** Registers a follower's cursor so flood producers can pace themselves to the slowest reader. */
  registerReader(): { update: (cursor: number) => void; close: () => void } {
    const id = this.nextReader++;
    this.readers.set(id, this.nextSeq);
    return {
      // A reader moving wakes only flood producers: waking the other followers too made two idle
      // `adb logcat`s wake each other forever (2 GB in 8 s).
      update: (cursor) => {
        this.readers.set(id, cursor);
        this.wake('reader');
      },
      close: () => {
        this.readers.delete(id);
        this.wake('reader');
      },
    };
  }

  /** Resolves when every follower is within `lag` entries of the head. */
  async waitForReaders(lag: number): Promise<void> {
    for (;;) {
      let slowest = this.nextSeq;
      for (const c of this.readers.values()) slowest = Math.min(slowest, c);
      if (this.nextSeq - slowest <= lag) return;
      await new Promise<void>((resolve) => this.readerWaiters.push(resolve));
    }
  }

  /** Wakes followers (new entries) or flood producers (a reader moved). */
  private wake(which: 'append' | 'reader'): void {
    const waiters = which === 'append' ? this.appendWaiters : this.readerWaiters;
    if (which === 'append') this.appendWaiters = [];
    else this.readerWaiters = [];
    for (const w of waiters) w();
  }

  private trim(): void {
    let drop = 0;
    let freed = 0;
    const target = this.bytes - this.maxBytes * 0.9;
    while (drop < this.entries.length && freed < target) {
      const e = this.entries[drop++]!;
      freed += entrySize(e);
    }
    const removed = this.entries.splice(0, drop);
    this.bytes -= freed;
    if (this.uidLabel) this.markExpired(removed);
    this.firstSeq = this.entries[0]?.seq ?? this.nextSeq;
  }

  /**
   * Chatty: the pruned lines leave one `expire N lines` mark per thread (and buffer) that lost lines, in the last
   * slots of the pruned run, so sequence numbers stay contiguous for the readers' cursors.
   */
  private markExpired(removed: LogEntry[]): void {
    const byThread = new Map<string, { last: LogEntry; count: number }>();
    for (const e of removed) {
      const key = `${e.lid}/${e.uid}/${e.pid}/${e.tid}`;
      const n = e.expired ?? 1;
      const m = byThread.get(key);
      if (m) {
        m.count += n;
        m.last = e;
      } else byThread.set(key, { last: e, count: n });
    }
    const marks = [...byThread.values()].sort((a, b) => a.last.seq - b.last.seq);
    const slots = removed.slice(removed.length - marks.length);
    const kept = marks.map(({ last, count }, i): LogEntry => ({
      ...last, seq: slots[i]!.seq, timeMs: slots[i]!.timeMs, nsec: slots[i]!.nsec, priority: 4, tag: 'chatty',
      message: chattyMessage(last.uid, this.uidLabel!(last.uid), 'expire', count), expired: count,
    }));
    this.entries.unshift(...kept);
    for (const e of kept) this.bytes += entrySize(e);
  }
}
