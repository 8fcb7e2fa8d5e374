/**
 * The file lines of the last entries replay read, by their text, so an event names every line it was read
 * from (a crash's lines, a record's header, the line before a clock jump). A ring of the last `size` entries:
 * remembering costs two array writes, and a line the byte path passed over only takes its place in the count
 * (its text, made later if a gap quotes it, is put back where it was counted). An event's text is looked for
 * from the newest entry back: almost always it is the line just read, found at once. (A Map keyed by every
 * line's text cost a hash and an insertion and a deletion per line: 0.8 s of a million-line replay.)
 */
export class RecentLines {
  private texts: Array<string | null>;
  private lines: Array<number[] | null>;
  /** Entries counted so far (remembered or passed over). */
  private count = 0;

  constructor(private size: number) {
    this.texts = new Array<string | null>(size).fill(null);
    this.lines = new Array<number[] | null>(size).fill(null);
  }

  remember(text: string, lines: number[]): void {
    const i = this.count++ % this.size;
    this.texts[i] = text;
    this.lines[i] = lines;
  }

  /** An entry counted but not kept; its place in the count, for putBack. */
  pass(): number {
    const at = this.count++;
    this.texts[at % this.size] = null;
    return at;
  }

  /** The text of an entry passed over, kept where it was counted (if that is still among the last `size`). */
  putBack(at: number, text: string, lines: number[]): void {
    if (at < this.count - this.size) return;
    this.texts[at % this.size] = text;
    this.lines[at % this.size] = lines;
  }

  /** The lines of the newest entry with this text among the last `size`, if any. */
  recall(text: string): number[] | undefined {
    const { texts, size } = this;
    for (let n = this.count - 1, stop = Math.max(0, this.count - size); n >= stop; n--) {
      if (texts[n % size] === text) return this.lines[n % size]!;
    }
    return undefined;
  }
}
