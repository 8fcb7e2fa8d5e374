/**
 * One checklist item in the guided test: what it checks (clauses, criterion, guidance for this stage), the
 * workbench's live proposal with links to its evidence, and the tester's verdict, note and attachments. A proposal
 * that stands for a verdict can be accepted as it is (its button, or A on the focused card).
 */
import type React from 'react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Finding, ItemView, Verdict } from '../../../src-preload/checklist';
import { callOrToast } from '../workbench-state';
import { acceptedVerdict, loc, STATUS_CLASS } from './checklist-state';
import { NoteLimit, noteTooLong } from '../components/NoteLimit';
import { IdText } from '../components/IdText';

export const VERDICTS: Verdict[] = ['pass', 'fail', 'not-applicable'];

export function ItemCard({ sessionId, item, finding, stage, focused, writable, onFocus, onEvidence }: {
  sessionId: string; item: ItemView; finding: Finding | undefined; stage: string; focused: boolean; writable: boolean;
  onFocus: () => void; onEvidence: (seq: number) => void;
}): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [note, setNote] = useState(finding?.verdictNote ?? '');
  const [attachments, setAttachments] = useState<number[]>(finding?.attachments ?? []);
  useEffect(() => {
    setNote(finding?.verdictNote ?? '');
    setAttachments(finding?.attachments ?? []);
  }, [finding?.verdictSeq, finding?.verdictNote, finding?.attachments]);
  const proposal = finding?.proposal;
  const save = async (verdict: Verdict | null, extra: number[] = attachments): Promise<void> => {
    // A note over the limit is not sent (NoteLimit says so under the field); the tester shortens it first.
    if (noteTooLong(note.trim())) return;
    await callOrToast('checklist.verdict', { sessionId, item: item.id, verdict, note: note.trim() || null, attachments: extra });
  };
  const capture = async (kind: 'screenshot' | 'ui.dump' | 'log'): Promise<void> => {
    const r = await callOrToast('checklist.capture', { sessionId, kind });
    if (!r) return;
    const next = [...attachments, r.seq];
    setAttachments(next);
    await save(finding?.verdict ?? null, next);
  };
  const guidance = item.guidance[stage];
  const accepts = acceptedVerdict(proposal?.status);
  return (
    <article className={`item-card${focused ? ' focused' : ''}`} data-item={item.id} tabIndex={0} onFocus={onFocus} onClick={onFocus} aria-label={`${item.id} ${loc(item.title, lang)}`}>
      <header className="row">
        <strong className="mono">{item.id}</strong>
        <span className="item-title">{loc(item.title, lang)}</span>
        <span className="spacer" />
        <span className={`badge obs-${item.observation}`} title={t(`checklist.observation.${item.observation}`)} data-observation={item.observation}>{t(`checklist.observationShort.${item.observation}`)}</span>
        {item.toVerify && <span className="badge warn" title={t('checklist.toVerifyHint')}>{t('checklist.toVerify')}</span>}
      </header>
      <div className="muted small">{item.clauses.join(' · ')} · {t(`checklist.severity.${item.severity}`)}</div>
      <p className="criterion"><IdText text={loc(item.criterion, lang)} /></p>
      {guidance && <p className="guidance small"><IdText text={loc(guidance, lang)} /></p>}
      {item.appliesWhen && <p className="muted small">{t('checklist.appliesWhen', { when: loc(item.appliesWhen, lang) })}</p>}
      {proposal && (
        <div className={`proposal ${STATUS_CLASS[proposal.status]}`} data-testid={`proposal-${item.id}`} data-status={proposal.status}>
          <strong>{t(`checklist.status.${proposal.status}`)}</strong> — <IdText text={loc(proposal.explanation, lang)} />
          {proposal.evidence.length > 0 && (
            <div className="evidence-links">
              {t('checklist.evidence')}: {proposal.evidence.slice(0, 20).map((seq) => (
                <button key={seq} className="link" onClick={(e) => { e.stopPropagation(); onEvidence(seq); }} data-testid="evidence-link">#{seq}</button>
              ))}{proposal.evidence.length > 20 ? ` (+${proposal.evidence.length - 20})` : ''}
            </div>
          )}
        </div>
      )}
      <div className="verdict-row row" role="group" aria-label={t('checklist.verdictFor', { id: item.id })}>
        {writable && accepts && finding?.verdict !== accepts && (
          <button className="accept" onClick={() => void save(accepts)} title={t('checklist.acceptHint')} data-testid={`accept-${item.id}`}>
            {t('checklist.accept', { verdict: t(`checklist.verdict.${accepts}`) })} <kbd>A</kbd>
          </button>
        )}
        {VERDICTS.map((v, i) => (
          <button key={v} disabled={!writable} className={finding?.verdict === v ? `primary verdict-${v}` : `verdict-${v}`} aria-pressed={finding?.verdict === v} onClick={() => void save(finding?.verdict === v ? null : v)} title={`${i + 1}`} data-testid={`verdict-${item.id}-${v}`}>
            {t(`checklist.verdict.${v}`)} <kbd>{i + 1}</kbd>
          </button>
        ))}
      </div>
      {writable && (
        <div className="row item-tools">
          <input value={note} onChange={(e) => setNote(e.target.value)} onBlur={() => { if (note !== (finding?.verdictNote ?? '')) void save(finding?.verdict ?? null); }} placeholder={t('checklist.note')} aria-invalid={noteTooLong(note.trim())} aria-label={t('checklist.note')} data-testid={`note-${item.id}`} />
          <NoteLimit text={note.trim()} testId={`note-limit-${item.id}`} />
          <button onClick={() => void capture('screenshot')} title={t('checklist.attachScreenshot')}>{t('checklist.screenshot')}</button>
          <button onClick={() => void capture('ui.dump')} title={t('checklist.attachDump')}>{t('checklist.uiDump')}</button>
          <button onClick={() => void capture('log')} title={t('checklist.attachLog')}>{t('checklist.logExcerpt')}</button>
        </div>
      )}
      {attachments.length > 0 && (
        <div className="small muted">{t('checklist.attachments')}: {attachments.map((seq) => <button key={seq} className="link" onClick={() => onEvidence(seq)}>#{seq}</button>)}</div>
      )}
    </article>
  );
}
