/**
 * The intents of the last two seconds (activity starts, Huawei's allowed starts), so that a process start can be
 * tied to the intent that asked for it: the newest intent whose text names the started package as `cmp=PKG/`.
 * An index by every `cmp=X/` an intent names answers that at once; scanning up to 512 intents per process start
 * was a twentieth of a replay.
 */
export interface RecentIntent {
  at: number;
  text: string;
}

const MAX_INTENTS = 512;
const WINDOW_MS = 2000;
/** The index forgets and is rebuilt from the window when it names this many packages (a log naming thousands). */
const MAX_INDEXED = 4096;

export class RecentIntents {
  private items: Array<RecentIntent & { id: number }> = [];
  private nextId = 0;
  /** The newest intent naming each `cmp=X/`. */
  private byTarget = new Map<string, RecentIntent & { id: number }>();

  /** An intent seen at `at`; those older than two seconds, or later than it (the clock went back), are let go. */
  add(intent: RecentIntent): void {
    const item = { at: intent.at, text: intent.text, id: this.nextId++ };
    this.items.push(item);
    this.index(item);
    const t = intent.at;
    while (this.items.length && (this.items[0]!.at < t - WINDOW_MS || this.items[0]!.at > t || this.items.length > MAX_INTENTS)) this.items.shift();
    if (this.byTarget.size > MAX_INDEXED) {
      this.byTarget.clear();
      for (const i of this.items) this.index(i);
    }
  }

  /** The newest intent still held whose text holds `cmp=TARGET/` (`target` holds no `/`). */
  newestFor(target: string): RecentIntent | undefined {
    const i = this.byTarget.get(target);
    return i && this.items.length && i.id >= this.items[0]!.id ? i : undefined;
  }

  private index(item: RecentIntent & { id: number }): void {
    const text = item.text;
    for (let p = text.indexOf('cmp='); p >= 0; p = text.indexOf('cmp=', p + 1)) {
      const slash = text.indexOf('/', p + 4);
      if (slash < 0) break;
      this.byTarget.set(text.slice(p + 4, slash), item);
    }
  }
}
