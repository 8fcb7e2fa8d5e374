/**
 * The note limit where the tester types (session bar, a verdict's note): the count once the note nears the
 * limit, and past it the refusal with the limit named — the same sentence the core answers with, so the note is
 * refused before it is sent and never cut. Inputs take no maxLength: a paste would be cut without a word.
 */
import type React from 'react';
import { useTranslation } from 'react-i18next';
import { NOTE_MAX_CHARS, noteLength } from '../../../src-preload/note-limit';

/** The count is shown from here on. */
const SHOW_COUNT_FROM = NOTE_MAX_CHARS * 0.9;

export function noteTooLong(text: string): boolean {
  return text.length > NOTE_MAX_CHARS && noteLength(text) > NOTE_MAX_CHARS;
}

export function NoteLimit({ text, testId }: { text: string; testId?: string }): React.JSX.Element | null {
  const { t } = useTranslation();
  if (text.length < SHOW_COUNT_FROM) return null;
  const length = noteLength(text);
  if (length > NOTE_MAX_CHARS) {
    return <span className="bad small note-limit" role="alert" data-testid={testId}>{t('error.session.note-too-long', { max: NOTE_MAX_CHARS, length })}</span>;
  }
  if (length < SHOW_COUNT_FROM) return null;
  return <span className="muted small note-limit" data-testid={testId}>{t('session.noteCount', { max: NOTE_MAX_CHARS, length })}</span>;
}
