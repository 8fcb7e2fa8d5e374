/**
 * The Explore stage (issue #29): the tester sets the walk's limits and starts the explorer on the session's phone
 * (from a cold start by default: the tap counts are from the app's main screen), watches it on the docked live
 * screen and here — taps, screens, time and the latest steps, read from the session's timeline as every view reads
 * it — stops it at any time, and reads what it found (ExploreFindings). Whether a walk runs is the core's answer
 * (`explore.status`); a refusal of `explore.start` (the session paused, a walk already running) is said here, in
 * the tester's language. It never decides a verdict: the items' cards below take them.
 */
import type React from 'react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BridgeError, SessionInfo } from '../../../src-preload/api';
import { DEFAULT_EXPLORE_LIMITS, EXPLORE_LIMIT_RANGE, type ExploreLimits } from '../../../src-preload/explore';
import { api } from '../api-client';
import { errorText } from '../error-text';
import { callOrToast } from '../workbench-state';
import { SaidLine } from '../logs/EventLine';
import { formatDuration } from '../session/session-state';
import { ExploreFindings } from './ExploreFindings';
import { useSessionExplore } from './use-session-explore';
import { stepLine, stopReason } from './explore-words';
import type { WalkView } from './explore-ledger';

/** How long the app is given to draw its main screen after a cold launch before the walk reads it. */
const LAUNCH_SETTLE_MS = 1500;

type LimitField = 'maxTaps' | 'maxDepth' | 'maxMinutes';
const MINUTE = 60_000;

/** The range of each field as the tester types it (minutes for the wall clock). */
const RANGE: Record<LimitField, [number, number]> = {
  maxTaps: EXPLORE_LIMIT_RANGE.maxTaps,
  maxDepth: EXPLORE_LIMIT_RANGE.maxDepth,
  maxMinutes: [EXPLORE_LIMIT_RANGE.maxMs[0] / MINUTE, EXPLORE_LIMIT_RANGE.maxMs[1] / MINUTE],
};

function fieldValue(field: LimitField, text: string): number | null {
  const n = Number(text.trim());
  const [lo, hi] = RANGE[field];
  if (!text.trim() || !Number.isFinite(n) || n < lo || n > hi) return null;
  return field === 'maxMinutes' ? n : Number.isInteger(n) ? n : null;
}

export function ExplorePanel({ session, stageStarted, onEvidence, onItem }: {
  session: SessionInfo;
  /** Whether the explore stage was marked started (a walk started here marks it first). */
  stageStarted: boolean;
  onEvidence: (seq: number) => void;
  /** Brings the checklist item with this id into focus (its card takes the verdict). */
  onItem: (id: string) => void;
}): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { view, running, error: readError, refreshStatus } = useSessionExplore(session.id, session.timeline.count);
  const [limits, setLimits] = useState<Record<LimitField, string>>({
    maxTaps: String(DEFAULT_EXPLORE_LIMITS.maxTaps), maxDepth: String(DEFAULT_EXPLORE_LIMITS.maxDepth), maxMinutes: String(DEFAULT_EXPLORE_LIMITS.maxMs / MINUTE),
  });
  const [coldStart, setColdStart] = useState(true);
  const [busy, setBusy] = useState<'start' | 'stop' | null>(null);
  const [error, setError] = useState<BridgeError | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const startButton = useRef<HTMLButtonElement>(null);
  const stopButton = useRef<HTMLButtonElement>(null);
  const focusNext = useRef<'start' | 'stop' | null>(null);
  const writable = session.state !== 'closed';
  const recording = session.state === 'recording';
  const walks = view.walks;
  const latest: WalkView | undefined = walks[walks.length - 1];
  const open = latest && !latest.result && !latest.failed ? latest : null;
  const walking = running === true;

  // The elapsed time moves on between steps (a pop-up or the switch is watched for seconds without one).
  useEffect(() => {
    if (!walking) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [walking]);

  const invalid = (Object.keys(limits) as LimitField[]).filter((f) => fieldValue(f, limits[f]) === null);

  const start = async (): Promise<void> => {
    if (invalid.length || busy) return;
    const given: Partial<ExploreLimits> = {
      maxTaps: fieldValue('maxTaps', limits.maxTaps)!, maxDepth: fieldValue('maxDepth', limits.maxDepth)!,
      maxMs: Math.round(fieldValue('maxMinutes', limits.maxMinutes)! * MINUTE),
    };
    setBusy('start');
    setError(null);
    try {
      // A cold start only when a walk can start: a refusal (paused, already walking) must not touch the app first.
      const status = await api.call('explore.status', { sessionId: session.id });
      if (coldStart && recording && status.ok && !status.value.running) {
        const target = { serial: session.device.serial, packageName: session.app.packageName };
        for (const step of ['device.forceStop', 'device.launch'] as const) {
          const o = await api.call(step, target);
          if (!o.ok) return setError(o.error);
        }
        await new Promise((r) => setTimeout(r, LAUNCH_SETTLE_MS));
      }
      // Starting the walk starts the stage (its mark, as Start this stage would write it), once.
      if (!stageStarted && recording) await callOrToast('session.mark', { id: session.id, mark: 'stage.started', label: 'explore' });
      const o = await api.call('explore.start', { sessionId: session.id, limits: given });
      if (!o.ok) return setError(o.error);
      focusNext.current = 'stop';
      setNow(Date.now());
    } finally {
      setBusy(null);
      refreshStatus();
    }
  };

  const stop = async (): Promise<void> => {
    setBusy('stop');
    setError(null);
    try {
      // Resolves once the walk has written its result (at its next step: a watch under way ends first).
      const o = await api.call('explore.stop', { sessionId: session.id });
      if (!o.ok) setError(o.error);
      else focusNext.current = 'start';
    } finally {
      setBusy(null);
      refreshStatus();
    }
  };

  // The control pressed is disabled by what it started: the keyboard's focus goes to the button that undoes it,
  // once the core says the walk runs (or has stopped).
  useEffect(() => {
    if (busy !== null || !focusNext.current) return;
    if (focusNext.current === 'stop' && walking) stopButton.current?.focus();
    else if (focusNext.current === 'start' && running === false) startButton.current?.focus();
    else return;
    focusNext.current = null;
  }, [busy, walking, running]);

  const shown = error ?? readError;
  return (
    <section className="explore-panel" data-testid="explore-panel" aria-label={t('explore.title')}>
      {writable && (
        <form className="explore-controls" onSubmit={(e) => { e.preventDefault(); void start(); }}>
          <fieldset className="explore-limits" disabled={walking || busy !== null}>
            <legend>{t('explore.limits')}</legend>
            {(['maxTaps', 'maxDepth', 'maxMinutes'] as LimitField[]).map((f) => (
              <label key={f}>
                {t(`explore.limit.${f}`)}
                <input type="number" inputMode="decimal" min={RANGE[f][0]} max={RANGE[f][1]} step={f === 'maxMinutes' ? 'any' : 1} value={limits[f]}
                  onChange={(e) => setLimits({ ...limits, [f]: e.target.value })} aria-invalid={invalid.includes(f)} aria-describedby={invalid.includes(f) ? `explore-${f}-range` : undefined}
                  data-testid={`explore-${f}`} />
              </label>
            ))}
            <label className="explore-cold">
              <input type="checkbox" checked={coldStart} onChange={(e) => setColdStart(e.target.checked)} data-testid="explore-cold-start" />
              {t('explore.coldStart')}
            </label>
          </fieldset>
          {invalid.map((f) => (
            <p key={f} id={`explore-${f}-range`} className="bad small">{t('explore.limitRange', { field: t(`explore.limit.${f}`), min: RANGE[f][0], max: RANGE[f][1] })}</p>
          ))}
          <div className="marks">
            <button ref={startButton} type="submit" className="primary" disabled={walking || busy !== null || invalid.length > 0} data-testid="explore-start">{t('explore.start')}</button>
            <button ref={stopButton} type="button" disabled={!walking || busy !== null} onClick={() => void stop()} data-testid="explore-stop">{t('explore.stop')}</button>
            {busy && <span className="muted small" role="status" data-testid="explore-busy">{t(`explore.busy.${busy}`)}</span>}
          </div>
          {!recording && <p className="muted small">{t('explore.notRecording')}</p>}
        </form>
      )}
      {shown && <p className="bad" role="alert" data-testid="explore-error">{errorText(shown, t)}</p>}
      {walking ? (
        <p className="explore-progress" role="status" data-testid="explore-progress" data-running="true" data-taps={open?.taps ?? 0} data-screens={open?.screens ?? 0}>
          {open
            ? t('explore.running', { taps: open.taps, screens: open.screens, elapsed: formatDuration(Math.max(now - open.startedAt, open.lastAt - open.startedAt)) })
            : t('explore.startingWalk')}
        </p>
      ) : !latest ? (
        <p className="muted" data-testid="explore-progress" data-running="false">{t('explore.idle')}</p>
      ) : open && running === false ? (
        <p className="warn" data-testid="explore-progress" data-running="false">{t('explore.noResult', { taps: open.taps, screens: open.screens })}</p>
      ) : null}
      {latest && latest.recent.length > 0 && (
        <div className="explore-steps">
          <h4>{t('explore.recent')}</h4>
          <ol data-testid="explore-steps">
            {latest.recent.map(({ seq, step }) => (
              <li key={seq} data-kind={step.kind}><button type="button" className="link mono small" onClick={() => onEvidence(seq)} title={t('explore.inFeed')}>#{seq}</button> <SaidLine said={stepLine(step, lang)} /></li>
            ))}
          </ol>
        </div>
      )}
      {latest?.failed && (
        <p className="bad" data-testid="explore-failed">{t('explore.failed')} <span lang="en">{latest.failed.message}</span></p>
      )}
      {latest?.result && <ExploreFindings sessionId={session.id} walk={latest} captures={view.captures} onEvidence={onEvidence} onItem={onItem} />}
      {walks.length > 1 && (
        <p className="muted small" data-testid="explore-earlier">
          {t('explore.earlier')}{' '}
          {walks.slice(0, -1).reverse().map((w, i) => (
            <span key={w.startSeq} data-stopped={w.result?.summary.stopped ?? 'none'}>
              {i > 0 && t('explore.listSeparator')}
              {w.result ? t('explore.earlierWalk', { reason: stopReason(w.result.summary.stopped, lang), count: w.taps }) : t('explore.earlierNoResult', { count: w.taps })}
            </span>
          ))}
        </p>
      )}
    </section>
  );
}
