/**
 * The one check on a tester's note before it enters a timeline (session notes, verdict notes): a note over
 * NOTE_MAX_CHARS is refused whole, naming the limit and its length — never cut, since a cut note says less than
 * the tester wrote and nobody would know.
 */
import { NOTE_MAX_CHARS, noteLength } from '../../../src-preload/note-limit.js';
import { WorkbenchError } from '../errors.js';

export function refuseLongNote(text: string | null): void {
  if (text === null || text.length <= NOTE_MAX_CHARS) return;
  const length = noteLength(text);
  if (length <= NOTE_MAX_CHARS) return;
  throw new WorkbenchError('session.note-too-long',
    `A note may be at most ${NOTE_MAX_CHARS.toLocaleString('en')} characters; this one has ${length.toLocaleString('en')}. Shorten it, or attach the text as a file.`,
    { max: NOTE_MAX_CHARS, length });
}
