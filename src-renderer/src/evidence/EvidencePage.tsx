/**
 * Evidence: export a session as a signed package (identity: a self-signed one created here, or a lab's
 * PKCS#12 imported here; passphrase; national algorithms; optional TSA; with or without the screen recording,
 * the package's size said before it is made) with progress and a download, and
 * verify a package by dropping it — every check green or red with its reason, in the user's language.
 */
import type React from 'react';
import { useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { ExportEstimate, ExportProgress, ExportResult, IdentityInfo, ReportPdfResult, SessionInfo, VerifyReport } from '../../../src-preload/api';
import { visibleText as shown } from '../../../src-preload/visible-text';
import { api } from '../api-client';
import { callOrToast, pushToast, useAsync } from '../workbench-state';

const TSA_KEY = 'apprights.tsaUrl';

export function EvidencePage({ sessions, exportId }: { sessions: SessionInfo[]; exportId: string | null }): React.JSX.Element {
  const { t } = useTranslation();
  return (
    <section className="page evidence-page">
      <h1>{t('evidence.title')}</h1>
      <div className="cards evidence-cards">
        <ExportCard sessions={sessions.filter((s) => !s.problem)} initial={exportId} />
        <VerifyCard />
      </div>
      <p className="muted small"><Trans i18nKey="evidence.stockTools" components={{ code: <code /> }} /></p>
    </section>
  );
}

function ExportCard({ sessions, initial }: { sessions: SessionInfo[]; initial: string | null }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const [identities, reload] = useAsync(() => callOrToast('evidence.identities', {}), []);
  const [info] = useAsync(() => callOrToast('app.info', {}), []);
  const [sessionId, setSessionId] = useState(initial ?? '');
  const [identityId, setIdentityId] = useState('');
  const [newName, setNewName] = useState(() => localStorage.getItem('apprights.tester') ?? '');
  const [passphrase, setPassphrase] = useState('');
  const [national, setNational] = useState(false);
  const [compress, setCompress] = useState(false);
  const [withoutVideo, setWithoutVideo] = useState(false);
  // The lab's TSA is configured once and remembered, like the tester's name.
  const [tsaUrl, setTsaUrl] = useState(() => localStorage.getItem(TSA_KEY) ?? '');
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [pdf, setPdf] = useState<ReportPdfResult | null>(null);
  const [printing, setPrinting] = useState(false);
  const [busy, setBusy] = useState(false);
  const p12Input = useRef<HTMLInputElement>(null);
  const [p12Password, setP12Password] = useState('');

  useEffect(() => {
    if (initial) setSessionId(initial);
  }, [initial]);
  const chosenSession = sessions.some((s) => s.id === sessionId) ? sessionId : sessions[0]?.id ?? '';
  const list: IdentityInfo[] = identities ?? [];
  const chosenIdentity = list.some((i) => i.id === identityId) ? identityId : list[0]?.id ?? 'new';
  const osKeystore = info?.shell === 'electron';
  const estimate = useEstimate(chosenSession, result);

  useEffect(() => api.subscribe('exportProgress', (items) => {
    const mine = items.filter((p) => p.sessionId === chosenSession);
    if (mine.length) setProgress(mine[mine.length - 1]!);
  }), [chosenSession]);

  const run = async (): Promise<void> => {
    setBusy(true);
    setResult(null);
    setPdf(null);
    setProgress(null);
    try {
      let id: string | null = chosenIdentity === 'new' ? null : chosenIdentity;
      if (!id) {
        const created = await callOrToast('evidence.createIdentity', { name: newName.trim(), passphrase });
        if (!created) return;
        id = created.id;
        setIdentityId(id);
        reload();
      }
      localStorage.setItem(TSA_KEY, tsaUrl.trim());
      const r = await callOrToast('evidence.export', { sessionId: chosenSession, identityId: id, passphrase, national, compress, tsaUrl: tsaUrl.trim() || null, video: !withoutVideo });
      if (r) {
        setResult(r);
        for (const w of r.warnings) pushToast({ error: null, message: w });
      }
    } finally {
      setBusy(false);
    }
  };

  const importP12 = async (file: File): Promise<void> => {
    const staged = await api.stageFile(file);
    if (!staged.ok) return pushToast({ error: staged.error });
    const imported = await callOrToast('evidence.importIdentity', { fileId: staged.value.fileId, password: p12Password, passphrase });
    if (imported) {
      pushToast({ error: null, message: t('evidence.imported', { subject: imported.subject }) });
      setIdentityId(imported.id);
      reload();
    }
  };

  // A new identity needs a name and a passphrase of 8+ characters (or, in the desktop window, the OS keystore).
  const newIdentityReady = newName.trim().length > 0 && (passphrase.length >= 8 || (osKeystore && passphrase === ''));
  const ready = !!chosenSession && !busy && (chosenIdentity !== 'new' || newIdentityReady);
  const percent = progress && progress.total ? Math.round((progress.bytes / progress.total) * 100) : 0;
  return (
    <div className="card" data-testid="export-card">
      <h2>{t('evidence.export')}</h2>
      {sessions.length === 0 ? <p className="muted">{t('evidence.noSessions')}</p> : (
        <form className="form" onSubmit={(e) => { e.preventDefault(); if (ready) void run(); }}>
          <label>{t('evidence.session')}
            <select value={chosenSession} onChange={(e) => setSessionId(e.target.value)} data-testid="export-session">
              {sessions.map((s) => <option key={s.id} value={s.id}>{s.app.packageName} · {s.tester} · {new Date(s.startedAt).toLocaleString(i18n.language)} ({t(`session.state.${s.state}`)})</option>)}
            </select>
          </label>
          <label>{t('evidence.identity')}
            <select value={chosenIdentity} onChange={(e) => setIdentityId(e.target.value)} data-testid="export-identity">
              {list.map((i) => <option key={i.id} value={i.id}>{i.subject}{i.selfSigned ? ` — ${t('evidence.selfAsserted')}` : ''}</option>)}
              <option value="new">{t('evidence.newIdentity')}</option>
            </select>
          </label>
          {chosenIdentity === 'new' && (
            <label>{t('evidence.identityName')}
              <input value={newName} onChange={(e) => setNewName(e.target.value)} maxLength={100} data-testid="export-identity-name" />
              <span className="muted small">{t('evidence.selfSignedHint')}</span>
            </label>
          )}
          {chosenIdentity !== 'new' && list.find((i) => i.id === chosenIdentity) && (
            <p className="muted small">SHA-256 <code>{list.find((i) => i.id === chosenIdentity)!.fingerprint}</code></p>
          )}
          <label>{t('evidence.passphrase')}
            <input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="off" data-testid="export-passphrase" />
            <span className="muted small">{osKeystore ? t('evidence.passphraseOs') : <Trans i18nKey="evidence.passphraseHint" components={{ code: <code /> }} />}</span>
          </label>
          <label className="check"><input type="checkbox" checked={national} onChange={(e) => setNational(e.target.checked)} data-testid="export-national" />{t('evidence.national')}</label>
          <label className="check"><input type="checkbox" checked={compress} onChange={(e) => setCompress(e.target.checked)} data-testid="export-compress" />{t('evidence.compress')}</label>
          {estimate && estimate.videoSegments > 0 && (
            <label className="check"><input type="checkbox" checked={withoutVideo} onChange={(e) => setWithoutVideo(e.target.checked)} aria-describedby="export-no-video-hint" data-testid="export-no-video" />{t('evidence.noVideo')}</label>
          )}
          {estimate && estimate.videoSegments > 0 && <span className="muted small" id="export-no-video-hint">{t('evidence.noVideoHint')}</span>}
          {estimate && <PackageSize estimate={estimate} withoutVideo={withoutVideo} />}
          <label>{t('evidence.tsa')}
            <input type="url" value={tsaUrl} onChange={(e) => setTsaUrl(e.target.value)} placeholder="http://tsa.example/tsr" />
            <span className="muted small">{t('evidence.tsaHint')}</span>
          </label>
          <div className="row">
            <button className="primary" type="submit" disabled={!ready} data-testid="export-run">{t('evidence.exportRun')}</button>
            <button type="button" onClick={() => p12Input.current?.click()}>{t('evidence.importP12')}</button>
            <input type="password" placeholder={t('evidence.p12Password')} value={p12Password} onChange={(e) => setP12Password(e.target.value)} aria-label={t('evidence.p12Password')} />
            <input ref={p12Input} type="file" accept=".p12,.pfx" hidden onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void importP12(f); }} />
          </div>
        </form>
      )}
      {busy && progress && (
        <div className="progress" role="status" data-testid="export-progress">
          <progress max={100} value={percent} />
          <span>{t(`evidence.phase.${progress.phase}`)} {percent}% · {(progress.bytes / 1048576).toFixed(1)} / {(progress.total / 1048576).toFixed(1)} MiB</span>
        </div>
      )}
      {result && (
        <div className="result" data-testid="export-result">
          <p>{t('evidence.exported', { size: (result.size / 1024).toFixed(0) })}{result.timestamped ? ` · ${t('evidence.timestamped')}` : ''}</p>
          <p className="small"><code>manifest.json</code> SHA-256 <code>{result.manifestSha256}</code></p>
          {info?.shell === 'electron'
            ? <p className="mono small">{result.path}</p>
            : <a href={`/download?file=${result.fileId}`} download={result.fileName} data-testid="export-download"><Trans i18nKey="evidence.download" values={{ name: result.fileName }} components={{ code: <code /> }} /></a>}
          <p>
            <button type="button" data-testid="report-pdf" disabled={printing} onClick={() => {
              setPrinting(true);
              void callOrToast('evidence.reportPdf', { fileId: result.fileId }).then((r) => r && setPdf(r)).finally(() => setPrinting(false));
            }}>{printing ? t('evidence.pdfPrinting') : t('evidence.reportPdf')}</button>{' '}
            {pdf && (info?.shell === 'electron'
              ? <span className="mono small">{pdf.path}</span>
              : <a href={`/download?file=${pdf.fileId}`} download={pdf.fileName} data-testid="report-pdf-download"><Trans i18nKey="evidence.download" values={{ name: pdf.fileName }} components={{ code: <code /> }} /></a>)}
          </p>
        </div>
      )}
    </div>
  );
}

/** What the chosen session's package would weigh, asked again after each export (the session may have grown). */
function useEstimate(sessionId: string, after: unknown): ExportEstimate | null {
  const [estimate, setEstimate] = useState<ExportEstimate | null>(null);
  useEffect(() => {
    let live = true;
    setEstimate(null);
    if (!sessionId) return;
    // No estimate is no reason for a toast: the size line is simply not shown.
    void api.call('evidence.estimate', { sessionId }).then((r) => live && setEstimate(r.ok ? r.value : null));
    return () => {
      live = false;
    };
  }, [sessionId, after]);
  return estimate;
}

/** MiB with one decimal; a package under 0.1 MiB would read "0.0". */
const mib = (bytes: number): string => (bytes > 0 && bytes < 104858 ? '< 0.1' : (bytes / 1048576).toFixed(1));

function PackageSize({ estimate: e, withoutVideo }: { estimate: ExportEstimate; withoutVideo: boolean }): React.JSX.Element {
  const { t } = useTranslation();
  const text = e.videoSegments === 0
    ? t('evidence.size', { size: mib(e.bytes) })
    : withoutVideo
      ? t('evidence.sizeWithoutVideo', { size: mib(e.bytes) })
      : t('evidence.sizeVideo', { size: mib(e.bytes + e.videoBytes), video: mib(e.videoBytes), segments: e.videoSegments, seconds: Math.round(e.videoSeconds) });
  return <span className="small" role="status" data-testid="export-size">{text}</span>;
}

function VerifyCard(): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [name, setName] = useState('');
  const [caPem, setCaPem] = useState<string | null>(null);
  const [tsaCaPem, setTsaCaPem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const caInput = useRef<HTMLInputElement>(null);
  const tsaInput = useRef<HTMLInputElement>(null);
  const zh = i18n.language.startsWith('zh');

  const verify = async (file: File): Promise<void> => {
    setBusy(true);
    setReport(null);
    setName(file.name);
    try {
      const staged = await api.stageFile(file);
      if (!staged.ok) return pushToast({ error: staged.error });
      const r = await callOrToast('evidence.verify', { fileId: staged.value.fileId, caPem, tsaCaPem });
      if (r) setReport(r);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card" data-testid="verify-card">
      <h2>{t('evidence.verify')}</h2>
      <div className={dragging ? 'dropzone dragging' : 'dropzone'} data-testid="verify-drop"
        onDragOver={(e) => { e.preventDefault(); setDragging(true); }} onDragLeave={() => setDragging(false)}
        onDrop={(e) => { e.preventDefault(); setDragging(false); const f = e.dataTransfer.files[0]; if (f && !busy) void verify(f); }}>
        <p><Trans i18nKey="evidence.drop" components={{ code: <code /> }} /></p>
        <div className="row">
          <button disabled={busy} onClick={() => input.current?.click()}>{t('evidence.choose')}</button>
          <button onClick={() => caInput.current?.click()}>{caPem ? t('evidence.caChosen') : t('evidence.chooseCa')}</button>
          {caPem && <button onClick={() => setCaPem(null)}>{t('evidence.noCa')}</button>}
          <button onClick={() => tsaInput.current?.click()}>{tsaCaPem ? t('evidence.tsaCaChosen') : t('evidence.chooseTsaCa')}</button>
          {tsaCaPem && <button onClick={() => setTsaCaPem(null)}>{t('evidence.noTsaCa')}</button>}
        </div>
        <input ref={input} type="file" accept=".zip" hidden data-testid="verify-input" onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void verify(f); }} />
        <input ref={caInput} type="file" accept=".pem,.crt,.cer" hidden data-testid="verify-ca-input" onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void f.text().then(setCaPem); }} />
        <input ref={tsaInput} type="file" accept=".pem,.crt,.cer" hidden data-testid="verify-tsa-input" onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void f.text().then(setTsaCaPem); }} />
        {busy && <p className="muted" role="status">{t('evidence.verifying', { name })}</p>}
      </div>
      {report && (
        <div data-testid="verify-report">
          <p className={report.ok ? 'verdict ok' : 'verdict bad'} data-testid="verify-verdict">{report.ok ? t('evidence.verified', { name }) : t('evidence.failed', { name })}</p>
          {report.signer && <p className="small">{t('evidence.signedBy', { subject: report.signer.subject })} <span>SHA-256 <code>{report.signer.fingerprint}</code></span>{report.signer.selfAsserted && <strong className="warn"> — {t('evidence.selfAssertedLong')}</strong>}</p>}
          <ul className="checks">
            {report.checks.map((c) => (
              <li key={c.id} className={c.neutral ? 'check-neutral' : c.ok ? 'check-ok' : 'check-bad'} data-check={c.id} data-ok={c.ok} data-neutral={c.neutral ?? false}>
                <span aria-hidden="true">{c.neutral ? '–' : c.ok ? '✓' : '✗'}</span> <strong>{t(`evidence.check.${c.id}`, { defaultValue: c.id })}</strong> — {shown(zh ? c.zh : c.en)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
