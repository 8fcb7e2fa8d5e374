/**
 * The App page's policy check, before any phone: the analysed APK against a privacy policy file or URL and
 * the app type (SDKs the policy does not name, permissions beyond the type's necessary PI, the two lists).
 */
import type React from 'react';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PolicyComparison, PolicySentence, ReadingView } from '../../../src-preload/policy';
import { api } from '../api-client';
import { errorText } from '../error-text';
import type { BridgeError } from '../../../src-preload/api';
import { AppTypePicker } from './AppTypePicker';
import { PolicyMatrix } from './PolicyMatrix';

type Source = { fileId: string; name: string } | { url: string };

export function PolicyCheck({ apkFileId }: { apkFileId: string | null }): React.JSX.Element {
  const { t } = useTranslation();
  const [source, setSource] = useState<Source | null>(null);
  const [typeNo, setTypeNo] = useState<number | null>(null);
  const [url, setUrl] = useState('');
  const [result, setResult] = useState<{ comparison: PolicyComparison; sentences: PolicySentence[]; reading: ReadingView | null } | null>(null);
  const [error, setError] = useState<BridgeError | null>(null);
  const [busy, setBusy] = useState(false);
  const file = useRef<HTMLInputElement>(null);

  const check = async (src: Source, type: number | null): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const o = await api.call('policy.check', {
        policyFileId: 'fileId' in src ? src.fileId : null, url: 'url' in src ? src.url : null, apkFileId, typeNo: type,
      });
      if (o.ok) setResult(o.value);
      else setError(o.error);
    } finally {
      setBusy(false);
    }
  };
  const choose = (src: Source): void => {
    setSource(src);
    void check(src, typeNo);
  };
  const chooseFile = async (f: File): Promise<void> => {
    const staged = await api.stageFile(f);
    if (!staged.ok) return setError(staged.error);
    choose({ fileId: staged.value.fileId, name: f.name });
  };

  return (
    <section className="card policy-check" data-testid="policy-check">
      <h2>{t('policy.checkTitle')}</h2>
      <p className="muted small">{t('policy.checkHint')}</p>
      <div className="marks">
        <button disabled={busy} onClick={() => file.current?.click()} data-testid="policy-check-file">{t('policy.loadFile')}</button>
        <input ref={file} type="file" accept=".txt,.html,.htm,text/plain,text/html" hidden data-testid="policy-check-file-input" onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void chooseFile(f); }} />
      </div>
      <form className="row" onSubmit={(e) => { e.preventDefault(); if (url.trim()) choose({ url: url.trim() }); }}>
        <input type="url" placeholder="https://…/privacy.html" value={url} onChange={(e) => setUrl(e.target.value)} aria-label={t('policy.url')} data-testid="policy-check-url" />
        <button type="submit" disabled={busy || !url.trim()}>{t('policy.fetch')}</button>
      </form>
      <AppTypePicker value={typeNo} onChange={(no) => { setTypeNo(no); if (source) void check(source, no); }} />
      {busy && <p className="muted small" role="status">{t('policy.busy.check')}</p>}
      {error && <p className="bad" role="alert" data-testid="policy-check-error">{errorText(error, t)}</p>}
      {result && <PolicyMatrix comparison={result.comparison} sentences={result.sentences} reading={result.reading} />}
    </section>
  );
}
