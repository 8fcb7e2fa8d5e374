/**
 * Text the tester pastes when a page cannot be read as text (an image-only policy or list page): bounded here
 * as in the core (longer text goes in as a file), nothing read from the page is guessed instead.
 */
import type React from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** The core's bound (policy-service.ts MAX_PASTED_CHARS); checked here so the tester is told before sending. */
const MAX_PASTED_CHARS = 200_000;

export function PasteText({ hint, disabled, onRead, testId }: { hint: string; disabled: boolean; onRead: (text: string) => Promise<boolean>; testId: string }): React.JSX.Element {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const tooLong = text.length > MAX_PASTED_CHARS;
  return (
    <div className="paste-text" data-testid={testId}>
      <p className="muted small">{hint}</p>
      <textarea rows={4} value={text} placeholder={t('policy.paste.placeholder')} aria-label={t('policy.paste.title')} onChange={(e) => setText(e.target.value)} data-testid={`${testId}-input`} />
      {tooLong && <p className="bad small" role="alert">{t('policy.paste.tooLong', { max: MAX_PASTED_CHARS.toLocaleString() })}</p>}
      <button disabled={disabled || !text.trim() || tooLong} onClick={() => void onRead(text).then((ok) => { if (ok) setText(''); })} data-testid={`${testId}-read`}>{t('policy.paste.read')}</button>
    </div>
  );
}
