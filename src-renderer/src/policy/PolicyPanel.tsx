/**
 * The policy side of a session: get the policy (from the phone's screen, tapping the dialog's link or reading
 * what is open; from a file; from a URL), choose the app type, and read the declared-vs-observed matrix, which
 * is re-read as the session's events arrive.
 */
import type React from 'react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../src-preload/api';
import type { PolicyComparison, PolicySentence } from '../../../src-preload/policy';
import { api } from '../api-client';
import { pushToast, callOrToast } from '../workbench-state';
import { AppTypePicker } from './AppTypePicker';
import { PolicyMatrix } from './PolicyMatrix';

export function PolicyPanel({ session, onEvidence }: { session: SessionInfo; onEvidence?: (seq: number) => void }): React.JSX.Element {
  const { t } = useTranslation();
  const [view, setView] = useState<{ comparison: PolicyComparison; sentences: PolicySentence[] } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const file = useRef<HTMLInputElement>(null);
  const writable = session.state !== 'closed';
  const recording = session.state === 'recording';

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => void api.call('policy.view', { sessionId: session.id }).then((o) => {
      if (live && o.ok) setView(o.value);
    }), 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [session.id, session.timeline.count]);

  const run = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
    setBusy(what);
    try {
      await fn();
    } finally {
      setBusy(null);
    }
  };
  const capture = (openLink: boolean): Promise<void> => run('capture', async () => {
    const r = await callOrToast('policy.capture', { sessionId: session.id, openLink });
    if (r) pushToast({ error: null, message: r.problem ? t('policy.capturedWithProblem', { pages: r.pages, problem: r.problem }) : t('policy.captured', { pages: r.pages }) });
  });
  const loadFile = (f: File): Promise<void> => run('file', async () => {
    const staged = await api.stageFile(f);
    if (!staged.ok) return pushToast({ error: staged.error });
    await callOrToast('policy.loadFile', { sessionId: session.id, fileId: staged.value.fileId });
  });
  const fetchUrl = (): Promise<void> => run('url', async () => {
    await callOrToast('policy.fetch', { sessionId: session.id, url: url.trim() });
  });

  return (
    <div className="policy-panel" data-testid="policy-panel">
      {writable && (
        <div className="policy-sources">
          <div className="marks">
            <button disabled={!recording || !!busy} onClick={() => void capture(true)} data-testid="policy-capture-link" title={t('policy.captureLinkHint')}>{t('policy.captureLink')}</button>
            <button disabled={!recording || !!busy} onClick={() => void capture(false)} data-testid="policy-capture-screen">{t('policy.captureScreen')}</button>
            <button disabled={!!busy} onClick={() => file.current?.click()} data-testid="policy-file">{t('policy.loadFile')}</button>
            <input ref={file} type="file" accept=".txt,.html,.htm,text/plain,text/html" hidden data-testid="policy-file-input" onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void loadFile(f); }} />
          </div>
          <form className="row" onSubmit={(e) => { e.preventDefault(); if (url.trim()) void fetchUrl(); }}>
            <input type="url" placeholder="https://…/privacy.html" value={url} onChange={(e) => setUrl(e.target.value)} aria-label={t('policy.url')} data-testid="policy-url" />
            <button type="submit" disabled={!!busy || !url.trim()}>{t('policy.fetch')}</button>
          </form>
          {busy && <p className="muted small" role="status" data-testid="policy-busy">{t(`policy.busy.${busy}`)}</p>}
        </div>
      )}
      <AppTypePicker value={view?.comparison.appType?.no ?? null} disabled={!writable} onChange={(no) => void callOrToast('policy.setAppType', { sessionId: session.id, typeNo: no })} />
      {view ? <PolicyMatrix comparison={view.comparison} sentences={view.sentences} onEvidence={onEvidence} /> : <p className="muted">{t('checklist.loading')}</p>}
    </div>
  );
}
