/**
 * The policy side of a session: get the policy (from the phone's screen, tapping the dialog's link or reading
 * what is open; from a file; from a URL; pasted when a page cannot be read), capture the list pages it only
 * points to, choose the app type, and read the declared-vs-observed matrix, which is re-read as the session's
 * events arrive.
 */
import type React from 'react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BridgeError, SessionInfo } from '../../../src-preload/api';
import type { PolicyComparison, PolicySentence, ReadingView } from '../../../src-preload/policy';
import { api } from '../api-client';
import { errorText } from '../error-text';
import { pushToast, callOrToast } from '../workbench-state';
import { AppTypePicker } from './AppTypePicker';
import { ListPageCapture } from './ListPageCapture';
import { PasteText } from './PasteText';
import { PolicyMatrix } from './PolicyMatrix';

export function PolicyPanel({ session, onEvidence }: { session: SessionInfo; onEvidence?: (seq: number) => void }): React.JSX.Element {
  const { t } = useTranslation();
  const [view, setView] = useState<{ comparison: PolicyComparison; sentences: PolicySentence[]; reading: ReadingView | null } | null>(null);
  /** A page that gave no readable text: said here, beside the box for its text. */
  const [unreadable, setUnreadable] = useState<BridgeError | null>(null);
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
  /** The call's value; a refusal is toasted, and an unreadable page also opens the box for its text. */
  const call = async <T,>(o: Promise<{ ok: true; value: T } | { ok: false; error: BridgeError }>): Promise<T | undefined> => {
    const r = await o;
    if (r.ok) {
      setUnreadable(null);
      return r.value;
    }
    if (r.error.code === 'policy.no-text') setUnreadable(r.error);
    else pushToast({ error: r.error });
    return undefined;
  };
  const capture = (openLink: boolean): Promise<void> => run('capture', async () => {
    const r = await call(api.call('policy.capture', { sessionId: session.id, openLink }));
    if (r) pushToast({ error: null, message: r.problem ? t('policy.capturedWithProblem', { pages: r.pages, problem: r.problem }) : t('policy.captured', { pages: r.pages }) });
  });
  const loadFile = (f: File): Promise<void> => run('file', async () => {
    const staged = await api.stageFile(f);
    if (!staged.ok) return pushToast({ error: staged.error });
    await call(api.call('policy.loadFile', { sessionId: session.id, fileId: staged.value.fileId }));
  });
  const fetchUrl = (): Promise<void> => run('url', async () => {
    await call(api.call('policy.fetch', { sessionId: session.id, url: url.trim() }));
  });
  const paste = async (text: string): Promise<boolean> => {
    let ok = false;
    await run('paste', async () => {
      ok = (await call(api.call('policy.paste', { sessionId: session.id, text }))) !== undefined;
      if (ok) pushToast({ error: null, message: t('policy.pasted') });
    });
    return ok;
  };
  const referenced = (['collected', 'shared'] as const).filter((l) => view?.reading?.twoLists[l].verdict === 'referenced');

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
          {unreadable && <p className="bad small" role="alert" data-testid="policy-unreadable">{errorText(unreadable, t)}</p>}
          {unreadable && <PasteText hint={t('policy.paste.policyHint')} disabled={!!busy} testId="policy-paste" onRead={paste} />}
        </div>
      )}
      {writable && view?.reading && referenced.map((l) => <ListPageCapture key={l} session={session} list={l} reading={view.reading!.twoLists[l]} />)}
      <AppTypePicker value={view?.comparison.appType?.no ?? null} disabled={!writable} onChange={(no) => void callOrToast('policy.setAppType', { sessionId: session.id, typeNo: no })} />
      {view ? <PolicyMatrix comparison={view.comparison} sentences={view.sentences} reading={view.reading} onEvidence={onEvidence} /> : <p className="muted">{t('checklist.loading')}</p>}
    </div>
  );
}
