/**
 * Splits a phone's log stream into lines, in linear time whatever the phone sends: a line longer than the cap
 * is cut there (the rest of it, up to its newline, is dropped and counted), so a phone that never sends a
 * newline costs a bounded buffer instead of re-scanning a growing string on every chunk. UTF-8 split across
 * chunks is decoded whole.
 */
import { StringDecoder } from 'node:string_decoder';

export const MAX_LINE_CHARS = 64 * 1024;
export const CUT_MARK = ' …[cut]';

export class LineSplitter {
  private decoder = new StringDecoder('utf8');
  private partial = '';
  /** Inside a line already cut: dropping until its newline. */
  private dropping = false;
  readonly cut = { lines: 0, chars: 0 };
  /** The last chunk ended with a newline: nothing of a line (nor of a character) is held. */
  private atLineEnd = true;

  constructor(private maxChars = MAX_LINE_CHARS) {}

  /** Holding no part of a line: the next bytes start a new one. */
  get idle(): boolean {
    return this.atLineEnd && this.partial === '' && !this.dropping;
  }

  push(chunk: Buffer): string[] {
    this.atLineEnd = chunk.length > 0 ? chunk[chunk.length - 1] === 10 : this.atLineEnd;
    const text = this.decoder.write(chunk);
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.take(text.slice(start, nl), true, lines);
      start = nl + 1;
    }
    this.take(text.slice(start), false, lines);
    return lines;
  }

  /** What is left when the stream ends (a last line without its newline). */
  flush(): string[] {
    const lines: string[] = [];
    this.take(this.decoder.end(), false, lines);
    if (this.partial) lines.push(this.partial);
    this.partial = '';
    this.dropping = false;
    this.atLineEnd = true;
    return lines;
  }

  private take(piece: string, ends: boolean, lines: string[]): void {
    if (this.dropping) {
      this.cut.chars += piece.length;
      if (ends) this.dropping = false;
      return;
    }
    if (this.partial.length + piece.length > this.maxChars) {
      const room = this.maxChars - this.partial.length;
      lines.push(this.partial + piece.slice(0, room) + CUT_MARK);
      this.cut.lines++;
      this.cut.chars += piece.length - room;
      this.partial = '';
      this.dropping = !ends;
      return;
    }
    if (ends) {
      lines.push(this.partial + piece);
      this.partial = '';
    } else this.partial += piece;
  }
}
