/**
 * The declared-vs-observed matrix as a tester reads it in a minute: the policy and app type at the top, the
 * two lists (with the words and link of a list the policy only points to, and the list pages read with it),
 * then one row per SDK or kind of personal information (problems first) with the policy sentence, the APK
 * entries and links to the session events that show it; below, what the reading leaves to the tester:
 * companies named in other roles, SDKs the policy denies, notices about the text.
 */
import type React from 'react';
import { useTranslation } from 'react-i18next';
import type { MatrixRow, PolicyComparison, PolicySentence, ReadingView } from '../../../src-preload/policy';
import { visibleText as shown } from '../../../src-preload/visible-text';
import { loc } from '../checklist/checklist-state';

const STATUS_CLASS: Record<MatrixRow['status'], string> = {
  'observed-denied': 'bad', 'observed-undeclared': 'bad', 'declared-observed': 'ok', 'declared-unobserved': 'muted', 'declared-unobservable': 'muted',
};

export function PolicyMatrix({ comparison: c, sentences, reading, onEvidence }: { comparison: PolicyComparison; sentences: PolicySentence[]; reading?: ReadingView | null; onEvidence?: (seq: number) => void }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const sentence = new Map(sentences.map((s) => [s.index, s]));
  const quote = (i: number): React.JSX.Element | null => {
    const s = sentence.get(i);
    return s ? <span className="quote" data-i18n-ignore>“{shown(s.text.slice(0, 160))}{s.text.length > 160 ? '…' : ''}”<span className="muted"> {t('policy.line', { line: s.line })}</span></span> : null;
  };
  const list = (present: boolean, referenced: boolean): string => (present ? t('policy.list.present') : referenced ? t('policy.list.referenced') : t('policy.list.absent'));
  return (
    <div className="policy-matrix" data-testid="policy-matrix">
      <dl className="details">
        <div><dt>{t('policy.source.label')}</dt><dd data-i18n-ignore>{c.policy ? `${t(`policy.source.${c.policy.source}`)} · ${shown(c.policy.origin)} · ${t('policy.chars', { count: c.policy.chars })}` : t('policy.noPolicy')}</dd></div>
        <div><dt>{t('policy.appType')}</dt><dd>{c.appType ? `${c.appType.no} ${loc(c.appType.name, lang)} — ${c.appType.noPiNeeded ? t('policy.noPiNeeded') : c.appType.necessaryPi.zh.join('；')}` : t('policy.typeNotChosen')}{c.appType?.toVerify && <span className="badge warn"> {t('policy.toVerify')}</span>}</dd></div>
        <div><dt>{t('policy.lists')}</dt><dd data-testid="policy-lists">{t('policy.collectedList')}: {list(c.twoLists.collected, c.twoLists.referencedOnly.includes('collected'))} · {t('policy.sharedList')}: {list(c.twoLists.shared, c.twoLists.referencedOnly.includes('shared'))}{c.twoLists.missingFields.length > 0 && <span className="warn"> · {t('policy.missingFields', { fields: c.twoLists.missingFields.map((f) => t(`policy.field.${f}`)).join('、') })}</span>}</dd></div>
        {reading && (['collected', 'shared'] as const).filter((l) => reading.twoLists[l].verdict === 'referenced' && reading.twoLists[l].reference).map((l) => {
          const ref = reading.twoLists[l].reference!;
          return (
            <div key={l} data-testid={`policy-list-reference-${l}`}><dt>{t(`policy.${l}List`)}</dt><dd>
              <span className="warn">{t('policy.list.referenced')}</span> · <span data-i18n-ignore>{t('policy.reference.words', { text: ref.text.slice(0, 200) })}</span>
              {' · '}{t('policy.reference.url')}{ref.url ? <span className="mono" data-i18n-ignore>{shown(ref.url)}</span> : <span className="muted">{t('policy.reference.noUrl')}</span>}
            </dd></div>
          );
        })}
        {reading && reading.listPages.length > 0 && (
          <div><dt>{t('policy.listPages')}</dt><dd data-testid="policy-list-pages">{reading.listPages.map((p) => (
            <div key={p.seq}>
              {onEvidence ? <button className="link" onClick={() => onEvidence(p.seq)}>#{p.seq}</button> : <span className="mono">#{p.seq}</span>}{' '}
              {t('policy.listPageRow', { list: t(`policy.${p.list}List`), source: t(`policy.source.${p.from}`) })} · <span data-i18n-ignore>{shown(p.origin)}</span>
              {p.tapped && <> · {t('policy.tapped', { label: p.tapped })}</>}
              {p.problem && <span className="warn small" data-i18n-ignore> · {shown(p.problem)}</span>}
            </div>
          ))}</dd></div>
        )}
        {reading?.operator && <div><dt>{t('policy.operator')}</dt><dd data-i18n-ignore>{shown(reading.operator)}</dd></div>}
        {c.withoutPurpose.length > 0 && <div><dt>{t('policy.withoutPurpose')}</dt><dd className="warn">{c.withoutPurpose.map((k) => loc(c.rows.find((r) => r.kind === 'pi' && r.key === k)?.label, lang) || k).join('、')}</dd></div>}
      </dl>
      <p className="small" data-testid="policy-summary">{t('policy.summary', { sdks: c.undeclaredSdks.length, pi: c.undeclaredPi.length, beyond: c.beyondNecessary.length })}</p>
      <table className="grid">
        <thead><tr><th>{t('policy.kind')}</th><th>{t('policy.item')}</th><th>{t('policy.status')}</th><th>{t('policy.evidence')}</th></tr></thead>
        <tbody>
          {c.rows.map((r) => (
            <tr key={`${r.kind}:${r.key}`} data-row={`${r.kind}:${r.key}`} data-status={r.status}>
              <td>{r.kind === 'sdk' ? 'SDK' : t('policy.pi')}</td>
              <td>{loc(r.label, lang)}</td>
              <td>
                <span className={STATUS_CLASS[r.status]}>{t(`policy.rowStatus.${r.status}`)}</span>
                {r.observedBy.length > 0 && <span className="muted small"> ({r.observedBy.map((b) => t(`policy.by.${b}`)).join(' + ')})</span>}
                {r.beyondNecessary && <div className="bad small" data-testid="beyond-necessary">{t('policy.beyond')}</div>}
                {r.note && <div className="warn small">{loc(r.note, lang)}</div>}
              </td>
              <td className="small">
                {r.evidence.sentences.slice(0, 2).map((i) => sentence.get(i)).filter(Boolean).map((s) => <div key={s!.index} className="quote">“{shown(s!.text.slice(0, 160))}{s!.text.length > 160 ? '…' : ''}” <span className="muted">{t('policy.line', { line: s!.line })}</span></div>)}
                {r.evidence.apk.length > 0 && <div className="mono">{shown(r.evidence.apk.slice(0, 3).join(', '))}{r.evidence.apk.length > 3 ? ' …' : ''}</div>}
                {r.evidence.timeline.length > 0 && <div>{r.evidence.timeline.slice(0, 8).map((seq) => onEvidence ? <button key={seq} className="link" onClick={() => onEvidence(seq)}>#{seq}</button> : <span key={seq} className="mono">#{seq} </span>)}</div>}
              </td>
            </tr>
          ))}
          {c.rows.length === 0 && <tr><td colSpan={4} className="muted">{t('policy.nothing')}</td></tr>}
        </tbody>
      </table>
      {reading && reading.companies.length > 0 && (
        <div className="policy-companies" data-testid="policy-companies">
          <h4>{t('policy.companies')}</h4>
          <p className="muted small">{t('policy.companiesHint')}</p>
          <ul>{reading.companies.map((co, i) => (
            <li key={`${co.vendor}:${i}`} data-role={co.role}><strong data-i18n-ignore>{shown(co.term)}</strong>{co.term !== co.vendor && <span className="muted" data-i18n-ignore> ({shown(co.vendor)})</span>} · {t(`policy.companyRole.${co.role}`)}{co.sentences[0] !== undefined && <> · {quote(co.sentences[0])}</>}</li>
          ))}</ul>
        </div>
      )}
      {reading && reading.deniedSdks.length > 0 && (
        <div className="policy-denied" data-testid="policy-denied">
          <h4>{t('policy.deniedSdks')}</h4>
          <ul>{reading.deniedSdks.map((d) => <li key={`${d.id}:${d.sentence}`}><strong data-i18n-ignore>{shown(d.term)}</strong> · {quote(d.sentence)}</li>)}</ul>
        </div>
      )}
      {reading && reading.notices.length > 0 && (
        <div className="policy-notices" data-testid="policy-notices">
          <h4>{t('policy.notices')}</h4>
          <ul>{reading.notices.map((n) => <li key={n.code} className="warn" data-notice={n.code}>{loc(n.message, lang)}</li>)}</ul>
        </div>
      )}
    </div>
  );
}
