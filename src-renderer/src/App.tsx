/** The shell of the UI: navigation, the current page, the status bar and toasts; applies language and theme. */
import type React from 'react';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DevicesPage } from './pages/DevicesPage';
import { SettingsPage } from './pages/SettingsPage';
import { SessionsPage } from './session/SessionsPage';
import { SessionBar } from './session/SessionBar';
import { useSessions } from './session/session-state';
import { EvidencePage } from './evidence/EvidencePage';
import { TemplatesPage } from './checklist/TemplatesPage';
import { LogsPage } from './logs/LogsPage';
import { AppPage } from './app/AppPage';
import { FarmPage } from './farm/FarmPage';
import { StatusBar } from './components/StatusBar';
import { Toasts } from './components/Toasts';
import { StaleProxyOffer } from './network/StaleProxyOffer';
import { dismissErrorToasts, useProblems } from './workbench-state';
import { systemLanguage } from './i18n';
import { api } from './api-client';

// The Farm page is last: the pages before it keep their Alt+number keys.
const PAGES = ['devices', 'app', 'session', 'logs', 'evidence', 'templates', 'settings', 'farm'] as const;
type Page = (typeof PAGES)[number];

/** The page is kept in the URL (#logs…), so a reload returns to it. */
function pageFromUrl(): Page {
  const wanted = location.hash.slice(1);
  return (PAGES as readonly string[]).includes(wanted) ? (wanted as Page) : 'devices';
}

export function App(): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const [page, setPageState] = useState<Page>(pageFromUrl);
  const setPage = useCallback((next: Page): void => {
    setPageState(next);
    history.replaceState(null, '', `${location.pathname}${location.search}#${next}`);
    // An error belongs to the page it happened on.
    dismissErrorToasts();
  }, []);
  const [osDark, setOsDark] = useState(() => matchMedia('(prefers-color-scheme: dark)').matches);
  useEffect(() => {
    const query = matchMedia('(prefers-color-scheme: dark)');
    const follow = (e: MediaQueryListEvent): void => setOsDark(e.matches);
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, []);
  const [settingsVersion, setSettingsVersion] = useState(0);
  const [sessions] = useSessions();
  const [exportId, setExportId] = useState<string | null>(null);
  useProblems();
  const settings = useSettingsEffect(settingsVersion);

  // Settings alone decide the language and theme (re-running on a language change, with settings not yet
  // reloaded, would switch straight back).
  useEffect(() => {
    const lang = !settings || settings.language === 'auto' ? systemLanguage() : settings.language;
    if (i18n.language !== lang) void i18n.changeLanguage(lang);
    document.documentElement.lang = lang;
    const dark = settings?.theme === 'dark' || (settings?.theme !== 'light' && osDark);
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  }, [settings, i18n, osDark]);
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  return (
    <div className="shell">
      <nav className="sidebar" aria-label={t('app.title')}>
        <div className="brand">
          <strong>{t('app.title')}</strong>
          <span>{t('app.subtitle')}</span>
        </div>
        {PAGES.map((p, i) => (
          <button key={p} className={p === page ? 'nav-item active' : 'nav-item'} onClick={() => setPage(p)} aria-current={p === page ? 'page' : undefined} title={`Alt+${i + 1}`} data-testid={`nav-${p}`}>
            {t(`nav.${p}`)}
          </button>
        ))}
      </nav>
      <main className="content">
        <SessionBar sessions={sessions} />
        <KeyboardNav onPage={(i) => setPage(PAGES[i]!)} />
        {page === 'devices' && <DevicesPage />}
        {page === 'settings' && <SettingsPage onSaved={() => setSettingsVersion((v) => v + 1)} />}
        {page === 'logs' && <LogsPage />}
        {page === 'app' && <AppPage />}
        {page === 'session' && <SessionsPage sessions={sessions} onExport={(id) => { setExportId(id); setPage('evidence'); }} />}
        {page === 'evidence' && <EvidencePage sessions={sessions} exportId={exportId} />}
        {page === 'templates' && <TemplatesPage />}
        {page === 'farm' && <FarmPage />}
      </main>
      <StatusBar />
      <Toasts />
      <StaleProxyOffer />
    </div>
  );
}

function KeyboardNav({ onPage }: { onPage: (i: number) => void }): null {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.altKey && e.key >= '1' && e.key <= String(PAGES.length)) {
        e.preventDefault();
        onPage(Number(e.key) - 1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onPage]);
  return null;
}

function useSettingsEffect(version: number) {
  const [settings, setSettings] = useState<import('../../src-preload/api').Settings>();
  useEffect(() => {
    void api.call('settings.get', {}).then((o) => o.ok && setSettings(o.value));
  }, [version]);
  return settings;
}


