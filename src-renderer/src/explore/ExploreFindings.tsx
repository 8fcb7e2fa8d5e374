/**
 * What a finished walk found, for the tester to check before confirming the items: each target found (its tap
 * count from the main screen, the path of the app's own labels, and the screenshot of every screen along it) or
 * not found (within the limits, or after trying everything), the personalisation switch's check, the ads watched
 * for a close control, and why the walk stopped. The app's labels are its words, quoted as written (never
 * translated); the item ids lead to the item cards, which take the verdicts.
 */
import type React from 'react';
import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { BlobRef } from '../../../src-preload/api';
import type { TargetResult } from '../../../src-preload/explore';
import { api } from '../api-client';
import { evidenceScreens, type EvidenceScreen, type ExploreCapture, type WalkView } from './explore-ledger';
import { stopReason, targetName } from './explore-words';

/** A screenshot larger than this is linked, not shown (session.blob's own limit is 1 MiB). */
const MAX_PICTURE_BYTES = 1024 * 1024;
/** Screens shown per finding (a path is at most the depth limit, 12, long). */
const MAX_SCREENS = 14;

const seconds = (ms: unknown): string => (typeof ms === 'number' && Number.isFinite(ms) ? (ms / 1000).toFixed(1) : '?');

/** The app's words: quoted as written, marked as never translated. */
function AppWords({ children }: { children?: React.ReactNode }): React.JSX.Element {
  return <span className="app-words" translate="no">{children}</span>;
}

/** "我的 › 设置 › 隐私政策": the labels tapped, then the target's own label when the last tap was not on it. */
function pathLabels(t: Extract<TargetResult, { found: true }>): string[] {
  const steps = (Array.isArray(t.path) ? t.path : []).map((p) => (typeof p?.label === 'string' && p.label ? p.label : '?'));
  const label = typeof t.label === 'string' ? t.label : '?';
  if (!steps.length || steps[steps.length - 1] !== label) steps.push(label);
  return steps;
}

/** A picture the session keeps (blobs/…), as an object URL for as long as it is shown; null while it loads or when it cannot be shown. */
function usePicture(sessionId: string, blob: BlobRef | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  const path = blob?.path;
  const mediaType = blob?.mediaType ?? 'image/png';
  useEffect(() => {
    if (!path) return;
    let made: string | null = null;
    let live = true;
    void api.call('session.blob', { id: sessionId, path, maxBytes: MAX_PICTURE_BYTES }).then((o) => {
      if (!live || !o.ok || o.value.size > MAX_PICTURE_BYTES) return;
      const bytes = Uint8Array.from(atob(o.value.base64), (c) => c.charCodeAt(0));
      made = URL.createObjectURL(new Blob([bytes], { type: mediaType }));
      setUrl(made);
    });
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
      setUrl(null);
    };
  }, [sessionId, path, mediaType]);
  return url;
}

function screenCaption(s: EvidenceScreen): React.ReactNode {
  if (s.taps === 0) return <Trans i18nKey="explore.mainScreen" />;
  if (s.taps > 0) return <Trans i18nKey="explore.afterTap" values={{ label: s.afterTap ?? '?' }} components={{ app: <AppWords /> }} />;
  return `#${s.screenshot ?? s.uiDump}`;
}

function Shot({ sessionId, screen, capture, onOpen }: { sessionId: string; screen: EvidenceScreen; capture: ExploreCapture | undefined; onOpen: () => void }): React.JSX.Element {
  const { t } = useTranslation();
  const url = usePicture(sessionId, capture?.blob);
  return (
    <button type="button" className="explore-shot" onClick={onOpen} aria-label={t('explore.openScreenshot', { seq: screen.screenshot })} data-testid="explore-shot" data-seq={screen.screenshot}>
      {url ? <img src={url} alt="" /> : <span className="explore-shot-empty muted small">#{screen.screenshot}</span>}
    </button>
  );
}

function BigShot({ sessionId, seq, capture, caption, onEvidence, onClose }: {
  sessionId: string; seq: number; capture: ExploreCapture | undefined; caption: React.ReactNode; onEvidence: (seq: number) => void; onClose: () => void;
}): React.JSX.Element {
  const { t } = useTranslation();
  const url = usePicture(sessionId, capture?.blob);
  return (
    <figure className="explore-shot-big" data-testid="explore-shot-big">
      {url ? <img src={url} alt={t('explore.screenshotOf', { seq })} /> : <p className="muted">{t('explore.noPicture')}</p>}
      <figcaption className="row small">
        <span>{caption}</span>
        <button type="button" className="link" onClick={() => onEvidence(seq)}>{t('explore.inFeedSeq', { seq })}</button>
        <span className="spacer" />
        <button type="button" onClick={onClose} aria-label={t('explore.closePicture')}>×</button>
      </figcaption>
    </figure>
  );
}

function TargetRow({ sessionId, target, walkedAll, captures, onEvidence, onItem }: {
  sessionId: string; target: TargetResult; walkedAll: boolean; captures: ReadonlyMap<number, ExploreCapture>;
  onEvidence: (seq: number) => void; onItem: (id: string) => void;
}): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const [big, setBig] = useState<EvidenceScreen | null>(null);
  const item = typeof target.item === 'string' ? target.item : '';
  const head = (
    <div className="row explore-target-head">
      <strong>{targetName(target.target, i18n.language)}</strong>
      {target.found
        ? <span data-testid="explore-taps">{t('explore.foundAt', { count: target.taps })}</span>
        : <span className="muted">{walkedAll ? t('explore.notInApp') : t('explore.notReached')}</span>}
      <span className="spacer" />
      {item && <button type="button" className="link" onClick={() => onItem(item)} title={t('explore.toItem', { id: item })} data-testid={`explore-item-${item}`}><code>{item}</code></button>}
    </div>
  );
  if (!target.found) return <li className="explore-target" data-testid={`explore-target-${target.target}`} data-found="false">{head}</li>;
  const labels = pathLabels(target);
  const screens = evidenceScreens(target, captures).slice(0, MAX_SCREENS);
  return (
    <li className="explore-target" data-testid={`explore-target-${target.target}`} data-found="true" data-taps={target.taps}>
      {head}
      <p className="explore-path" data-testid="explore-path">
        {labels.length > 1 || target.taps > 0
          ? labels.map((l, i) => <span key={i}>{i > 0 && ' › '}<AppWords>{l}</AppWords></span>)
          : <Trans i18nKey="explore.onMainScreen" values={{ label: labels[0] }} components={{ app: <AppWords /> }} />}
      </p>
      {screens.length > 0 && (
        <ol className="explore-shots" aria-label={t('explore.screensAlong')}>
          {screens.map((s) => (
            <li key={`${s.screenshot}-${s.uiDump}`}>
              {s.screenshot !== null && <Shot sessionId={sessionId} screen={s} capture={captures.get(s.screenshot)} onOpen={() => setBig(big?.screenshot === s.screenshot ? null : s)} />}
              <span className="small">{screenCaption(s)}</span>
              {s.uiDump !== null && <button type="button" className="link small" onClick={() => onEvidence(s.uiDump!)} data-testid="explore-dump-link">{t('explore.uiDump', { seq: s.uiDump })}</button>}
            </li>
          ))}
        </ol>
      )}
      {big !== null && big.screenshot !== null && (
        <BigShot sessionId={sessionId} seq={big.screenshot} capture={captures.get(big.screenshot)} caption={screenCaption(big)} onEvidence={onEvidence} onClose={() => setBig(null)} />
      )}
    </li>
  );
}

export function ExploreFindings({ sessionId, walk, captures, onEvidence, onItem }: {
  sessionId: string; walk: WalkView; captures: ReadonlyMap<number, ExploreCapture>; onEvidence: (seq: number) => void; onItem: (id: string) => void;
}): React.JSX.Element | null {
  const { t, i18n } = useTranslation();
  const result = walk.result;
  if (!result) return null;
  const s = result.summary;
  const targets = s.targets.filter((x) => x && typeof x.target === 'string');
  const ads = Array.isArray(s.ads) ? s.ads : [];
  const closed = Array.isArray(s.popups) ? s.popups.length : 0;
  const leftApp = Array.isArray(s.leftApp) ? s.leftApp.length : 0;
  return (
    <section className="explore-findings" data-testid="explore-result" data-stopped={s.stopped}>
      <h4>
        {t('explore.finished', { reason: stopReason(s.stopped, i18n.language), taps: walk.taps, screens: walk.screens, seconds: seconds(s.elapsedMs) })}{' '}
        <button type="button" className="link small" onClick={() => onEvidence(result.seq)}>{t('explore.inFeedSeq', { seq: result.seq })}</button>
      </h4>
      <ul className="explore-targets">
        {targets.map((x) => <TargetRow key={x.target} sessionId={sessionId} target={x} walkedAll={s.stopped === 'explored'} captures={captures} onEvidence={onEvidence} onItem={onItem} />)}
      </ul>
      <ul className="explore-checks small">
        <li data-testid="explore-switch" data-state={s.switch?.state ?? 'none'}>
          {s.switch
            ? <Trans i18nKey="explore.switch" values={{ label: s.switch.label, state: t(`explore.switchState.${s.switch.state}`), seconds: seconds(s.switch.watchedMs) }} components={{ app: <AppWords /> }} />
            : t('explore.switchNone')}
        </li>
        {ads.map((a, i) => (
          <li key={i} data-testid="explore-ad" data-close-after={a.closeAfterMs ?? 'never'}>
            {a.closeAfterMs === null
              ? <Trans i18nKey="explore.adNever" values={{ words: a.words, seconds: seconds(a.waitedMs) }} components={{ app: <AppWords /> }} />
              : <Trans i18nKey="explore.adLate" values={{ words: a.words, seconds: seconds(a.closeAfterMs) }} components={{ app: <AppWords /> }} />}
            {Array.isArray(a.evidence) && a.evidence.filter((seq) => captures.get(seq)?.kind === 'screenshot').map((seq) => (
              <button key={seq} type="button" className="link" onClick={() => onEvidence(seq)}>{t('explore.screenshotSeq', { seq })}</button>
            ))}
          </li>
        ))}
        {ads.length === 0 && <li data-testid="explore-ad-none">{t('explore.adsNone')}</li>}
        <li>{t('explore.popups', { count: closed })}</li>
        <li data-testid="explore-denied">{t('explore.denied', { count: typeof s.denied === 'number' ? s.denied : 0 })}</li>
        {leftApp > 0 && <li>{t('explore.leftApp', { count: leftApp })}</li>}
      </ul>
    </section>
  );
}
