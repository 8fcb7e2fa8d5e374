/**
 * Apps on the phone: install an APK (chosen or dropped) with live push progress and the real result — a
 * failure explained in the user's language — and launch, force-stop, clear data or uninstall third-party apps.
 */
import type React from 'react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstallProgress, InstallResult } from '../../../src-preload/api';
import { api } from '../api-client';
import { callOrToast, pushToast, useAsync } from '../workbench-state';

const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;

export function AppsTab({ serial }: { serial: string }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const [apps, reload] = useAsync(() => callOrToast('device.packages', { serial }), [serial]);
  const [progress, setProgress] = useState<InstallProgress | null>(null);
  const [result, setResult] = useState<InstallResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => api.subscribe('install', (items) => {
    const mine = items.filter((p) => p.serial === serial);
    if (mine.length) setProgress(mine[mine.length - 1]!);
  }), [serial]);

  const install = async (file: File): Promise<void> => {
    setBusy(true);
    setResult(null);
    setProgress({ serial, fileName: file.name, phase: 'push', bytes: 0, total: file.size });
    try {
      const staged = await api.stageFile(file);
      if (!staged.ok) {
        pushToast({ error: staged.error });
        return;
      }
      const r = await callOrToast('device.install', { serial, fileId: staged.value.fileId });
      if (r) {
        setResult(r);
        reload();
      }
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  const act = async (method: 'device.launch' | 'device.forceStop' | 'device.clearData' | 'device.uninstall', packageName: string, label: string): Promise<void> => {
    if (method === 'device.uninstall' && !confirm(t('device.apps.confirmUninstall', { pkg: packageName }))) return;
    if (method === 'device.clearData' && !confirm(t('device.apps.confirmClear', { pkg: packageName }))) return;
    setBusy(true);
    try {
      if ((await callOrToast(method, { serial, packageName })) !== undefined) {
        pushToast({ error: null, message: t('device.apps.done', { action: label, pkg: packageName }) });
        if (method === 'device.uninstall') reload();
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="apps">
      <div
        className={dragging ? 'dropzone dragging' : 'dropzone'}
        data-testid="apk-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const file = e.dataTransfer.files[0];
          if (file && !busy) void install(file);
        }}
      >
        <p>{t('device.apps.drop')}</p>
        <button disabled={busy} onClick={() => input.current?.click()}>{t('device.apps.install')}</button>
        <input ref={input} type="file" accept=".apk,application/vnd.android.package-archive" hidden data-testid="apk-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void install(file);
          }} />
        <p className="muted">{t('device.apps.noPermissionsGranted')}</p>
      </div>
      {progress && (
        <div className="progress" role="status" data-testid="install-progress" data-phase={progress.phase}>
          <progress max={progress.total || 1} value={progress.phase === 'push' ? progress.bytes : progress.total} />
          <span>{progress.phase === 'push'
            ? t('device.apps.pushing', { name: progress.fileName, done: mib(progress.bytes), total: mib(progress.total) })
            : t('device.apps.installing', { name: progress.fileName })}</span>
        </div>
      )}
      {result && (
        <div className={result.ok ? 'result ok' : 'result bad'} role="status" data-testid="install-result">
          {result.ok
            ? t('device.apps.installed', { pkg: result.packageName ?? '' })
            : <>
                <strong>{t('device.apps.failed', { code: result.failure.code })}</strong>
                <p>{i18n.language.startsWith('zh') ? result.failure.zh : result.failure.en}</p>
                {result.failure.detail && <p className="muted mono">{result.failure.detail}</p>}
              </>}
        </div>
      )}
      <h3>{t('device.apps.list')}</h3>
      {apps && apps.length === 0 && <p className="muted">{t('device.apps.empty')}</p>}
      <ul className="app-list" data-testid="app-list">
        {apps?.map((a) => (
          <li key={a.packageName} data-package={a.packageName}>
            <span className="mono">{a.packageName}</span>
            {a.versionCode !== null && <span className="muted">{t('device.apps.version', { v: a.versionCode })}</span>}
            <span className="spacer" />
            <button disabled={busy} onClick={() => void act('device.launch', a.packageName, t('device.apps.launch'))}>{t('device.apps.launch')}</button>
            <button disabled={busy} onClick={() => void act('device.forceStop', a.packageName, t('device.apps.forceStop'))}>{t('device.apps.forceStop')}</button>
            <button disabled={busy} onClick={() => void act('device.clearData', a.packageName, t('device.apps.clear'))}>{t('device.apps.clear')}</button>
            <button disabled={busy} onClick={() => void act('device.uninstall', a.packageName, t('device.apps.uninstall'))}>{t('device.apps.uninstall')}</button>
          </li>
        ))}
      </ul>
    </div>
  );
}
