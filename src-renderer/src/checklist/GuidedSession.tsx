/**
 * The guided test of one session, a workspace that fills the window: on the left the template's stages as
 * steps (any can be reopened), the current stage's instructions, big consent marks and its items with live
 * proposals and verdicts, then the session's events — this column scrolls on its own; on the right the phone's
 * live screen, as tall as the window allows, on every tab (the policy comparison, the findings table, the
 * connections that left the phone and the raw timeline too), so the phone never scrolls away. Keyboard: C / D
 * consent given / declined, P policy reached, N / B next / previous stage, J / K next / previous item,
 * 1 / 2 / 3 pass / fail / not applicable for the focused item, A accept its proposal (fail a proposed violation,
 * pass "none observed"): on the Explore stage, one key confirms what the walk found.
 */
import type React from 'react';
import { useEffect, useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { SessionInfo, TesterMark } from '../../../src-preload/api';
import type { SessionChecklist } from '../../../src-preload/checklist';
import { ScreenTab } from '../device/ScreenTab';
import { callOrToast } from '../workbench-state';
import { acceptedVerdict, isTyping, loc, useSessionChecklist } from './checklist-state';
import { EventFeed } from './EventFeed';
import { FindingsTable } from './FindingsTable';
import { ItemCard, VERDICTS } from './ItemCard';
import { PolicyPanel } from '../policy/PolicyPanel';
import { ExplorePanel } from '../explore/ExplorePanel';
import { NetworkView } from '../network/NetworkView';
import { StageTitles } from './stage-titles';

type Tab = 'guide' | 'policy' | 'findings' | 'network' | 'timeline';

const noTitles = (): undefined => undefined;

export function GuidedSession({ session, timeline, header }: { session: SessionInfo; timeline: React.ReactNode; header?: React.ReactNode }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const [checklist, error] = useSessionChecklist(session.id, session.timeline.count);
  const [tab, setTab] = useState<Tab>('guide');
  const [focusSeq, setFocusSeq] = useState<number | null>(null);
  // The stage shown is kept here, not in the guide tab: a look at the findings or the policy returns to it.
  const [stageId, setStageId] = useState<string | null>(null);
  const recording = session.state === 'recording';
  const phone = (
    <aside className="guided-phone" aria-label={t('checklist.phone')} data-testid="guided-phone">
      {recording ? <ScreenTab serial={session.device.serial} variant="docked" /> : <p className="muted">{t('checklist.notRecording')}</p>}
    </aside>
  );
  // The same element tree while the checklist loads, so the live screen is not mounted twice.
  if (!checklist) {
    return (
      <StageTitles.Provider value={noTitles}>
        <section className="guided" data-testid="guided-loading">
          <div className="guided-top">{header}</div>
          <div className="guided-body">{error ? <p className="bad">{t(error)}</p> : <p className="muted">{t('checklist.loading')}</p>}</div>
          {phone}
        </section>
      </StageTitles.Provider>
    );
  }
  const done = checklist.findings.filter((f) => f.verdict !== null).length;
  const proposed = checklist.findings.filter((f) => f.proposal.status === 'violation').length;
  const jump = (seq: number): void => {
    setFocusSeq(seq);
    setTab('guide');
  };
  const stageTitle = (id: string): string | undefined => {
    const s = checklist.template.stages.find((x) => x.id === id);
    return s ? loc(s.title, i18n.language) : undefined;
  };
  return (
    <StageTitles.Provider value={stageTitle}>
    <section className={`guided${recording ? '' : ' no-phone'}`} data-testid="guided-session">
      <div className="guided-top">
        {header}
        <div className="row guided-head">
          <h2>{loc(checklist.template.summary.title, i18n.language)} <code className="muted small">{checklist.template.summary.id} {checklist.template.summary.version}</code></h2>
          <span className="spacer" />
          <span className="small" data-testid="checklist-progress">{t('checklist.progress', { done, total: checklist.findings.length, proposed })}</span>
          <progress max={checklist.findings.length} value={done} aria-label={t('checklist.progressLabel')} />
        </div>
        {checklist.templateChanged && <p className="warn small">{t('checklist.templateChanged')}</p>}
        <div className="tabs" role="tablist">
          {(['guide', 'policy', 'findings', 'network', 'timeline'] as Tab[]).map((x) => (
            <button key={x} role="tab" aria-selected={tab === x} className={tab === x ? 'tab active' : 'tab'} onClick={() => setTab(x)} data-testid={`checklist-tab-${x}`}>{t(`checklist.tab.${x}`)}</button>
          ))}
        </div>
      </div>
      <div className="guided-body" data-testid="guided-body">
        {tab === 'guide' && <Guide session={session} checklist={checklist} focusSeq={focusSeq} onEvidence={jump} chosenStage={stageId} onStage={setStageId} />}
        {tab === 'policy' && <PolicyPanel session={session} onEvidence={jump} />}
        {tab === 'findings' && <FindingsTable sessionId={session.id} findings={checklist.findings} onEvidence={jump} />}
        {tab === 'network' && <NetworkView session={session} stageOrder={checklist.template.stages.map((s) => s.id)} />}
        {tab === 'timeline' && timeline}
      </div>
      {phone}
    </section>
    </StageTitles.Provider>
  );
}

function Guide({ session, checklist, focusSeq, onEvidence, chosenStage, onStage }: {
  session: SessionInfo; checklist: SessionChecklist; focusSeq: number | null; onEvidence: (seq: number) => void; chosenStage: string | null; onStage: (id: string) => void;
}): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const stages = checklist.template.stages;
  const started = checklist.stagesStarted;
  const lastStarted = started[started.length - 1]?.stage;
  const stageId = chosenStage ?? lastStarted ?? stages[0]!.id;
  const setStageId = onStage;
  const stage = stages.find((s) => s.id === stageId) ?? stages[0]!;
  const items = useMemo(() => checklist.template.items.filter((i) => i.stages.includes(stage.id)), [checklist.template.items, stage.id]);
  const [focused, setFocused] = useState(0);
  const writable = session.state !== 'closed';
  const recording = session.state === 'recording';
  const stageIndex = stages.indexOf(stage);

  const mark = async (m: TesterMark, label: string | null = null): Promise<void> => {
    await callOrToast('session.mark', { id: session.id, mark: m, label });
  };
  const startStage = async (): Promise<void> => mark('stage.started', stage.id);
  const target = { serial: session.device.serial, packageName: session.app.packageName };
  /** First launch: nothing remembered (each step is recorded in the session by the device handlers). */
  const freshLaunch = async (): Promise<void> => {
    if ((await callOrToast('device.forceStop', target)) === undefined) return;
    if ((await callOrToast('device.clearData', target)) === undefined) return;
    if ((await callOrToast('device.launch', target)) === undefined) return;
    // The first screen, before any tap: a screenshot and a UI dump for the consent-dialog items (164-1.4/1.5/1.6).
    await new Promise((r) => setTimeout(r, 1500));
    await callOrToast('checklist.capture', { sessionId: session.id, kind: 'screenshot' });
    await callOrToast('checklist.capture', { sessionId: session.id, kind: 'ui.dump' });
  };
  const go = (delta: number): void => {
    const next = stages[Math.min(stages.length - 1, Math.max(0, stageIndex + delta))]!;
    setStageId(next.id);
    setFocused(0);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      const key = e.key.toLowerCase();
      const item = items[focused];
      if (writable && key === 'c') void mark('consent.given');
      else if (writable && key === 'd') void mark('consent.declined');
      else if (writable && key === 'p') void mark('policy.reached');
      else if (key === 'n') go(1);
      else if (key === 'b') go(-1);
      else if (key === 'j') setFocused((f) => Math.min(items.length - 1, f + 1));
      else if (key === 'k') setFocused((f) => Math.max(0, f - 1));
      else if (writable && item && ['1', '2', '3'].includes(key)) {
        const finding = checklist.findings.find((f) => f.item === item.id);
        const v = VERDICTS[Number(key) - 1]!;
        void callOrToast('checklist.verdict', { sessionId: session.id, item: item.id, verdict: finding?.verdict === v ? null : v, note: finding?.verdictNote ?? null, attachments: finding?.attachments ?? [] });
      } else if (writable && item && key === 'a') {
        // Accepting sets the proposal's verdict (never toggles it off): a second A changes nothing.
        const finding = checklist.findings.find((f) => f.item === item.id);
        const v = acceptedVerdict(finding?.proposal.status);
        if (!v || finding?.verdict === v) return;
        void callOrToast('checklist.verdict', { sessionId: session.id, item: item.id, verdict: v, note: finding?.verdictNote ?? null, attachments: finding?.attachments ?? [] });
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  useEffect(() => {
    document.querySelector<HTMLElement>(`.item-card[data-item="${items[focused]?.id}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [focused, items]);

  return (
    <div className="guide">
      <div className="guide-main">
        <ol className="stage-rail" aria-label={t('checklist.stages')}>
          {stages.map((s, i) => {
            const was = started.some((x) => x.stage === s.id);
            const verdicts = checklist.findings.filter((f) => f.stages.includes(s.id));
            return (
              <li key={s.id}>
                <button className={`stage-step${s.id === stage.id ? ' active' : ''}${was ? ' started' : ''}`} onClick={() => { setStageId(s.id); setFocused(0); }} aria-current={s.id === stage.id ? 'step' : undefined} data-testid={`stage-${s.id}`}>
                  <span className="step-no">{was ? '✓' : i + 1}</span> {loc(s.title, lang)}
                  <span className="muted small"> {verdicts.filter((f) => f.verdict).length}/{verdicts.length}</span>
                </button>
              </li>
            );
          })}
        </ol>
        <div className="stage-panel">
          <div className="row">
            <h3>{loc(stage.title, lang)}</h3>
            <span className="spacer" />
            <button onClick={() => go(-1)} disabled={stageIndex === 0} title="B">{t('checklist.back')}</button>
            <button onClick={() => go(1)} disabled={stageIndex === stages.length - 1} title="N">{t('checklist.next')}</button>
          </div>
          <p className="instructions" data-testid="stage-instructions">{loc(stage.instructions, lang)}</p>
          {stage.automated && <p className="muted small"><Trans i18nKey="checklist.automatedHint" components={{ code: <code /> }} /></p>}
          {writable && (
            <div className="marks">
              <button onClick={() => void startStage()} data-testid="stage-start">{started.some((x) => x.stage === stage.id) ? t('checklist.restartStage') : t('checklist.startStage')}</button>
              {recording && <button onClick={() => void freshLaunch()} data-testid="fresh-launch" title={t('checklist.freshLaunchHint')}>{t('checklist.freshLaunch')}</button>}
              {recording && <button onClick={() => void callOrToast('device.launch', target)}>{t('checklist.launch')}</button>}
              {recording && <button onClick={() => void callOrToast('device.forceStop', target)}>{t('checklist.forceStop')}</button>}
              <button className="big-mark consent-given" onClick={() => void mark('consent.given')} data-testid="mark-consent-given">{t('checklist.consentGiven')} <kbd>C</kbd></button>
              <button className="big-mark consent-declined" onClick={() => void mark('consent.declined')} data-testid="mark-consent-declined">{t('checklist.consentDeclined')} <kbd>D</kbd></button>
              <button onClick={() => void mark('policy.reached')}>{t('session.marks.policy.reached')} <kbd>P</kbd></button>
              <button onClick={() => void mark('consent.withdrawn')}>{t('session.marks.consent.withdrawn')}</button>
            </div>
          )}
          {stage.id === 'policy' && <PolicyPanel session={session} onEvidence={onEvidence} />}
          {stage.id === 'explore' && (
            <ExplorePanel session={session} stageStarted={started.some((x) => x.stage === 'explore')} onEvidence={onEvidence}
              onItem={(id) => { const i = items.findIndex((x) => x.id === id); if (i >= 0) setFocused(i); }} />
          )}
          <div className="items" data-testid="stage-items">
            {items.map((item, i) => (
              <ItemCard key={item.id} sessionId={session.id} item={item} finding={checklist.findings.find((f) => f.item === item.id)} stage={stage.id}
                focused={i === focused} writable={writable} onFocus={() => setFocused(i)} onEvidence={onEvidence} />
            ))}
            {items.length === 0 && <p className="muted">{t('checklist.noItems')}</p>}
          </div>
          <p className="muted small">{t('checklist.keys')}</p>
        </div>
      </div>
      <EventFeed sessionId={session.id} count={session.timeline.count} focusSeq={focusSeq} />
    </div>
  );
}
