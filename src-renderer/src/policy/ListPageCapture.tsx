/**
 * The policy stage's offer for a list the policy only points to (issue #25): the reference's words and URL,
 * then "capture that page next" — tap the reference on the phone, capture the page the tester opened, fetch
 * its URL, load a file, or paste its text when the page cannot be read. The page is read with the policy and
 * the verdict shown changes with it; what the core refused is said here, beside the ways left.
 */
import type React from 'react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BridgeError, ListPageSource, SessionInfo } from '../../../src-preload/api';
import type { ListKind, ListReading } from '../../../src-preload/policy';
import { visibleText as shown } from '../../../src-preload/visible-text';
import { api } from '../api-client';
import { errorText } from '../error-text';
import { pushToast } from '../workbench-state';
import { PasteText } from './PasteText';

export function ListPageCapture({ session, list, reading }: { session: SessionInfo; list: ListKind; reading: ListReading }): React.JSX.Element {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BridgeError | null>(null);
  const [url, setUrl] = useState(reading.reference?.url ?? '');
  const file = useRef<HTMLInputElement>(null);
  const recording = session.state === 'recording';
  const name = t(`policy.${list}List`);

  const capture = async (source: ListPageSource): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      const o = await api.call('policy.captureList', { sessionId: session.id, list, source });
      if (!o.ok) {
        setError(o.error);
        return false;
      }
      const { pages, problem, verdict } = o.value;
      pushToast({ error: null, message: t(problem ? 'policy.listPage.capturedWithProblem' : 'policy.listPage.captured', { pages, list: name, verdict: t(`policy.list.${verdict}`), problem }) });
      return true;
    } finally {
      setBusy(false);
    }
  };
  const loadFile = async (f: File): Promise<void> => {
    const staged = await api.stageFile(f);
    if (!staged.ok) return setError(staged.error);
    await capture({ kind: 'file', fileId: staged.value.fileId });
  };

  return (
    <div className="list-page-capture" data-testid={`list-capture-${list}`}>
      <h4>{t('policy.listPage.title', { list: name })}</h4>
      {reading.reference && (
        <p className="small" data-testid={`list-reference-${list}`}>
          <span data-i18n-ignore>{t('policy.reference.words', { text: shown(reading.reference.text) })}</span>
          <br />
          {t('policy.reference.url')}{reading.reference.url ? <span className="mono" data-i18n-ignore>{shown(reading.reference.url)}</span> : <span className="muted">{t('policy.reference.noUrl')}</span>}
        </p>
      )}
      <div className="marks">
        <button disabled={!recording || busy || !reading.reference} onClick={() => void capture({ kind: 'tap' })} title={t('policy.listPage.tapHint')} data-testid={`list-tap-${list}`}>{t('policy.listPage.tap')}</button>
        <button disabled={!recording || busy} onClick={() => void capture({ kind: 'screen' })} title={t('policy.listPage.screenHint')} data-testid={`list-screen-${list}`}>{t('policy.listPage.screen')}</button>
        <button disabled={busy} onClick={() => file.current?.click()} data-testid={`list-file-${list}`}>{t('policy.listPage.file')}</button>
        <input ref={file} type="file" accept=".txt,.html,.htm,text/plain,text/html" hidden data-testid={`list-file-input-${list}`} onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void loadFile(f); }} />
      </div>
      <form className="row" onSubmit={(e) => { e.preventDefault(); if (url.trim()) void capture({ kind: 'url', url: url.trim() }); }}>
        <input type="url" placeholder="https://…/sdk-list.html" value={url} onChange={(e) => setUrl(e.target.value)} aria-label={t('policy.listPage.url')} data-testid={`list-url-${list}`} />
        <button type="submit" disabled={busy || !url.trim()}>{t('policy.fetch')}</button>
      </form>
      {busy && <p className="muted small" role="status" data-testid={`list-busy-${list}`}>{t('policy.busy.list')}</p>}
      {error && <p className="bad small" role="alert" data-testid={`list-error-${list}`}>{errorText(error, t)}</p>}
      {error?.code === 'policy.no-text' && (
        <PasteText hint={t('policy.paste.listHint')} disabled={busy} testId={`list-paste-${list}`} onRead={(text) => capture({ kind: 'text', text })} />
      )}
    </div>
  );
}
