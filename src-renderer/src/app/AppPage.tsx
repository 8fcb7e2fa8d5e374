/**
 * App: drop or choose an APK and read what it declares and embeds — identity and hashes, permissions with the
 * personal information they reach, third-party SDKs with what they are known to collect, signing
 * certificates with the signatures' verdict, and the risk context (self-start receivers, exported components, cleartext, backup...);
 * then the APK against its privacy policy and app type.
 */
import type React from 'react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApkAnalysis, BridgeError } from '../../../src-preload/api';
import { api } from '../api-client';
import { errorText } from '../error-text';
import { localized } from '../i18n';
import { PolicyCheck } from '../policy/PolicyCheck';
import { SignatureVerdict } from './SignatureVerdict';
import { visibleText as shown } from '../../../src-preload/visible-text';

export function AppPage(): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const [analysis, setAnalysis] = useState<ApkAnalysis | null>(null);
  const [step, setStep] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [refused, setRefused] = useState<{ name: string; error: BridgeError } | null>(null);
  const fileId = useRef<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const lang = i18n.language;

  useEffect(() => api.subscribe('analysis', (items) => {
    const mine = items.filter((i) => i.fileId === fileId.current);
    if (mine.length) setStep(mine[mine.length - 1]!.step);
  }), []);

  // A refused file is reported with its name beside the drop zone; the analysis on screen stays.
  const analyze = async (file: File): Promise<void> => {
    setRefused(null);
    setStep('upload');
    try {
      const staged = await api.stageFile(file);
      if (!staged.ok) return setRefused({ name: file.name, error: staged.error });
      fileId.current = staged.value.fileId;
      const a = await api.call('apk.analyze', { fileId: staged.value.fileId });
      if (a.ok) setAnalysis(a.value);
      else setRefused({ name: file.name, error: a.error });
    } finally {
      setStep(null);
    }
  };

  const dangerous = analysis?.permissions.filter((p) => p.dangerous) ?? [];
  return (
    <section className="page app-page">
      <h1>{t('nav.app')}</h1>
      <div className={dragging ? 'dropzone dragging' : 'dropzone'} data-testid="app-drop"
        onDragOver={(e) => { e.preventDefault(); setDragging(true); }} onDragLeave={() => setDragging(false)}
        onDrop={(e) => { e.preventDefault(); setDragging(false); const f = e.dataTransfer.files[0]; if (f && !step) void analyze(f); }}>
        <p>{t('apk.drop')}</p>
        <button disabled={!!step} onClick={() => input.current?.click()}>{t('apk.choose')}</button>
        <input ref={input} type="file" accept=".apk" hidden data-testid="app-input" onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void analyze(f); }} />
        {step && <p className="muted" role="status" data-testid="analysis-step">{t('apk.step', { step: t(`apk.steps.${step}`, { defaultValue: step }) })}</p>}
        {refused && (
          <p className="result bad" role="alert" data-testid="analysis-refused">
            {t('apk.refusedFile', { name: refused.name })} {errorText(refused.error, t)}
          </p>
        )}
      </div>
      {analysis && (
        <div className="analysis" data-testid="analysis">
          <div className="card">
            <h2 data-testid="app-identity"><span data-i18n-ignore>{shown(analysis.label[lang.startsWith('zh') ? 'zhCN' : 'en'] ?? analysis.label.default ?? analysis.packageName)}</span> <span className="muted mono">{shown(analysis.packageName)}</span></h2>
            <dl className="details">
              <div><dt>{t('apk.version')}</dt><dd>{shown(analysis.versionName ?? '—')} ({analysis.versionCode ?? '—'})</dd></div>
              <div><dt>{t('apk.sdk')}</dt><dd>{t('apk.sdkLevels', { min: analysis.minSdk ?? '—', target: analysis.targetSdk ?? '—', compile: analysis.compileSdk ?? '—' })}</dd></div>
              <div><dt>{t('apk.file')}</dt><dd>{shown(analysis.file.name)} · {(analysis.file.size / 1048576).toFixed(1)} MiB · {t('apk.classes', { dex: analysis.dex.files, classes: analysis.dex.classes })}</dd></div>
              <div><dt>SHA-256</dt><dd className="mono">{analysis.file.sha256}</dd></div>
              <div><dt>SM3</dt><dd className="mono">{analysis.file.sm3}</dd></div>
              <div><dt>MD5</dt><dd className="mono">{analysis.file.md5}</dd></div>
            </dl>
          </div>
          <h2>{t('apk.permissions', { count: analysis.permissions.length, dangerous: dangerous.length })}</h2>
          <table className="grid" data-testid="permission-table">
            <thead><tr><th>{t('apk.permission')}</th><th>{t('apk.category')}</th><th>{t('apk.protection')}</th></tr></thead>
            <tbody>
              {[...analysis.permissions].sort((a, b) => Number(b.dangerous) - Number(a.dangerous)).map((p) => (
                <tr key={p.name} data-permission={p.name} className={p.dangerous ? 'danger' : undefined}>
                  <td><span className="mono">{shown(p.name.replace(/^android\.permission\./, ''))}</span>{p.label && <div className="muted small">{localized(p.label, lang)}</div>}</td>
                  <td>{p.category ? t(`apk.cat.${p.category}`, { defaultValue: p.category }) : '—'}</td>
                  <td>{p.protectionLevel ? p.protectionLevel.split('|').map((l) => t(`apk.level.${l}`, { defaultValue: l })).join(' | ') : t('apk.unknownPermission')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('apk.sdks', { count: analysis.sdks.length })}</h2>
          {analysis.sdks.length === 0 ? <p className="muted" data-testid="no-sdks">{t('apk.noSdks')}</p> : (
            <table className="grid" data-testid="sdk-table">
              <thead><tr><th>SDK</th><th>{t('apk.vendor')}</th><th>{t('apk.category')}</th><th>{t('apk.collects')}</th><th>{t('apk.evidence')}</th></tr></thead>
              <tbody>
                {analysis.sdks.map((s) => (
                  <tr key={s.id} data-sdk={s.id}>
                    <td>{localized(s.name, lang)}</td><td>{s.vendor}</td><td>{t(`apk.sdkCat.${s.category}`, { defaultValue: s.category })}</td>
                    <td>{s.collects.map((c) => t(`apk.pi.${c}`, { defaultValue: c })).join('、')}</td>
                    <td className="small"><span className="mono">{shown([...s.evidence.exampleClasses, ...s.evidence.components, ...s.evidence.nativeLibraries].slice(0, 2).join(', '))}</span>{s.evidence.classes > 2 && ` +${s.evidence.classes - 2}`} · <span className="muted" title={s.source}>{t('apk.source')}: {new URL(s.source).host}</span></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>{t('apk.signing')}</h2>
          <div className="card" data-testid="signing">
            <p>{t('apk.schemes')}: {analysis.signatures.schemes.join(' + ') || t('apk.unsigned')}</p>
            <SignatureVerdict verification={analysis.signatures.verification} />
            {analysis.signatures.certificates.map((c) => (
              <dl className="details" key={c.sha256}>
                <div><dt>{t('apk.subject')}</dt><dd>{shown(c.subject)}</dd></div>
                <div><dt>{t('apk.validity')}</dt><dd>{c.notBefore.slice(0, 10)} — {c.notAfter.slice(0, 10)}</dd></div>
                <div><dt>SHA-256</dt><dd className="mono">{c.sha256}</dd></div>
              </dl>
            ))}
          </div>
          <h2>{t('apk.risks')}</h2>
          <ul className="risks" data-testid="risks">
            {analysis.risks.map((r, i) => <li key={i} className={`risk ${r.severity}`}><strong>{t(`apk.risk.${r.code}`, { defaultValue: r.code })}</strong> <span className="muted small">{t(`apk.riskDetail.${r.code}`, { ...r.params, kind: r.params?.kind ? t(`apk.kind.${r.params.kind}`, { defaultValue: r.params.kind }) : '', defaultValue: shown(r.detail) })}</span></li>)}
            {analysis.findings.map((f, i) => <li key={`f${i}`} className="risk info">{shown(f)}</li>)}
          </ul>
          <PolicyCheck key={analysis.file.sha256} apkFileId={fileId.current} />
        </div>
      )}
    </section>
  );
}
