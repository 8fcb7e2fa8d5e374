/**
 * Settings: language, theme, the adb path and whether policy pages and the TSA may be on local addresses, saved
 * through the API (validated and written atomically in main). The last two only from the desktop window.
 */
import type React from 'react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../src-preload/api';
import { callOrToast, pushToast, useAsync, useStream } from '../workbench-state';

export function SettingsPage({ onSaved }: { onSaved: () => void }): React.JSX.Element {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Settings>();
  const adb = useStream('adb', 'adb.status');
  // The adb path names a program the host runs: only the desktop window may change it.
  const [info] = useAsync(() => callOrToast('app.info', {}), []);
  const desktop = info?.shell === 'electron';
  useEffect(() => {
    void callOrToast('settings.get', {}).then((s) => s && setDraft(s));
  }, []);
  if (!draft) return <section className="page" />;
  const save = async (patch: Partial<Settings>): Promise<void> => {
    const next = await callOrToast('settings.update', patch);
    if (next) {
      setDraft(next);
      onSaved();
      // Translated when shown, so it reads in the language just chosen, not the one being left.
      pushToast({ error: null, key: 'settings.saved' });
    }
  };
  return (
    <section className="page">
      <h1>{t('settings.title')}</h1>
      <div className="form">
        <label>
          {t('settings.language')}
          <select value={draft.language} onChange={(e) => void save({ language: e.target.value as Settings['language'] })} data-testid="language">
            <option value="auto">{t('settings.auto')}</option>
            <option value="zh-CN">简体中文</option>
            <option value="en">English</option>
          </select>
        </label>
        <label>
          {t('settings.theme')}
          <select value={draft.theme} onChange={(e) => void save({ theme: e.target.value as Settings['theme'] })} data-testid="theme">
            <option value="system">{t('settings.system')}</option>
            <option value="light">{t('settings.light')}</option>
            <option value="dark">{t('settings.dark')}</option>
          </select>
        </label>
        <form onSubmit={(e) => {
          e.preventDefault();
          const value = new FormData(e.currentTarget).get('adbPath')?.toString().trim();
          void save({ adbPath: value ? value : null });
        }}>
          <label>
            {t('settings.adbPath')}
            <input name="adbPath" defaultValue={draft.adbPath ?? ''} placeholder="/usr/bin/adb" spellCheck={false} disabled={!desktop} data-testid="adb-path" />
          </label>
          <p className="muted">{desktop ? t('settings.adbPathHint') : t('settings.adbPathDesktopOnly')}</p>
          {adb?.adbPath && <p className="muted">{t('settings.adbFound', { path: adb.adbPath, source: t(`settings.source.${adb.source ?? 'path'}`) })}</p>}
          {desktop && <button type="submit">{t('settings.save')}</button>}
        </form>
        <div>
          <label>
            <input type="checkbox" checked={draft.allowLocalAddresses} disabled={!desktop} onChange={(e) => void save({ allowLocalAddresses: e.target.checked })} data-testid="allow-local" />{' '}
            {t('settings.allowLocal')}
          </label>
          <p className="muted">{desktop ? t('settings.allowLocalHint') : t('settings.allowLocalDesktopOnly')}</p>
        </div>
      </div>
    </section>
  );
}
