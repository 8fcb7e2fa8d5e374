/**
 * The session bar, on every page while a session records: the app and phone, the elapsed time (with the time
 * the phone was away), the marks (buttons and Alt+C consent given, Alt+D declined, Alt+P policy reached, Alt+S
 * stage started), a note field (Alt+N, refused over the note limit before it is sent) and pause / stop (asked
 * first). A phone lost mid-session shows at once, with the time since, until it is back. Network capture: its
 * state on the phone (mode, address, HTTPS decrypted or not) or the button that starts it.
 */
import type React from 'react';
import { useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { SessionInfo, TesterMark } from '../../../src-preload/api';
import { callOrToast, pushToast } from '../workbench-state';
import { formatDuration, interruptedMs } from './session-state';
import { phoneName } from '../../../src-preload/phone-name';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { NoteLimit, noteTooLong } from '../components/NoteLimit';
import { ProxyIndicator } from '../network/ProxyIndicator';

const SHORTCUTS: Array<[string, TesterMark]> = [['KeyC', 'consent.given'], ['KeyD', 'consent.declined'], ['KeyP', 'policy.reached'], ['KeyS', 'stage.started']];

export function SessionBar({ sessions }: { sessions: SessionInfo[] }): React.JSX.Element | null {
  const recording = sessions.filter((s) => s.state === 'recording' && !s.problem);
  if (!recording.length) return null;
  return <div className="session-bars">{recording.map((s, i) => <Bar key={s.id} session={s} shortcuts={i === 0} />)}</div>;
}

function Bar({ session, shortcuts }: { session: SessionInfo; shortcuts: boolean }): React.JSX.Element {
  const { t } = useTranslation();
  const [now, setNow] = useState(Date.now());
  const [note, setNote] = useState('');
  const [asking, setAsking] = useState(false);
  const noteInput = useRef<HTMLInputElement>(null);
  const lostAt = session.phoneLink?.lostAt ?? null;
  const away = interruptedMs(session.phoneLink, now);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const mark = async (m: TesterMark): Promise<void> => {
    const r = await callOrToast('session.mark', { id: session.id, mark: m, label: null });
    if (r) pushToast({ error: null, message: t('session.marked', { mark: t(`session.marks.${m}`), seq: r.seq }) });
  };

  useEffect(() => {
    if (!shortcuts) return;
    const onKey = (e: KeyboardEvent): void => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const hit = SHORTCUTS.find(([code]) => code === e.code);
      if (hit) {
        e.preventDefault();
        void mark(hit[1]);
      } else if (e.code === 'KeyN') {
        e.preventDefault();
        noteInput.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const addNote = async (): Promise<void> => {
    if (!note.trim() || noteTooLong(note.trim())) return;
    if (await callOrToast('session.note', { id: session.id, text: note.trim() })) setNote('');
  };

  return (
    <div className="session-bar" role="region" aria-label={t('session.bar')} data-testid="session-bar">
      <span className={lostAt === null ? 'rec-dot' : 'rec-dot lost'} aria-hidden="true" />
      <strong><code>{session.app.packageName}</code></strong>
      <span className="muted" translate="no">{phoneName(session.device.manufacturer, session.device.model) || session.device.serial}</span>
      {lostAt !== null && <strong className="bad" role="status" title={t('session.phoneLostHint')} data-testid="session-phone-lost">{t('session.phoneLost', { duration: formatDuration(now - lostAt) })}</strong>}
      <span className="mono" data-testid="session-elapsed">{formatDuration(now - session.startedAt)}</span>
      {away > 0 && <span className="muted" data-testid="session-interrupted">{t('session.interrupted', { duration: awayText(away, t) })}</span>}
      <span className="muted">{t('session.events', { count: session.timeline.count })}</span>
      <button className="primary" onClick={() => void mark('consent.given')} title="Alt+C" data-testid="mark-consent-given">{t('session.marks.consent.given')}</button>
      <button onClick={() => void mark('consent.declined')} title="Alt+D" data-testid="mark-consent-declined">{t('session.marks.consent.declined')}</button>
      <select aria-label={t('session.moreMarks')} value="" onChange={(e) => e.target.value && void mark(e.target.value as TesterMark)} data-testid="mark-menu">
        <option value="">{t('session.moreMarks')}</option>
        {(['policy.reached', 'stage.started', 'permission.denied-by-tester', 'app.backgrounded', 'other'] as TesterMark[]).map((m) => <option key={m} value={m}>{t(`session.marks.${m}`)}</option>)}
      </select>
      <input ref={noteInput} placeholder={t('session.notePlaceholder')} value={note} aria-invalid={noteTooLong(note.trim())} onChange={(e) => setNote(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void addNote()} title="Alt+N" data-testid="session-note" />
      <NoteLimit text={note.trim()} testId="session-note-limit" />
      <button onClick={() => void callOrToast('session.pause', { id: session.id })} data-testid="session-pause">{t('session.pause')}</button>
      <button onClick={() => setAsking(true)} data-testid="session-stop">{t('session.stop')}</button>
      {asking && <ConfirmStop session={session} onDone={() => setAsking(false)} />}
      <ProxyIndicator session={session} />
    </div>
  );
}

/** How long the phone was away, in words: seconds, or minutes and seconds. */
function awayText(ms: number, t: TFunction): string {
  // Whole seconds gone by, as the bar's clocks count them.
  const s = Math.floor(ms / 1000);
  return s < 60 ? t('session.seconds', { count: s }) : t('session.minutes', { m: Math.floor(s / 60), s: s % 60 });
}

/** The stop button's question; stopping twice is harmless anyway (the core answers a second stop with the first's result). */
export function ConfirmStop({ session, onDone }: { session: SessionInfo; onDone: () => void }): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <ConfirmDialog
      title={t('session.confirmStop.title')}
      body={<Trans i18nKey="session.confirmStop.body" values={{ id: session.id, app: session.app.packageName }} components={{ code: <code /> }} />}
      confirmLabel={t('session.confirmStop.confirm')}
      cancelLabel={t('session.confirmStop.cancel')}
      onConfirm={() => {
        onDone();
        void callOrToast('session.close', { id: session.id });
      }}
      onCancel={onDone}
      testId="confirm-stop"
    />
  );
}
