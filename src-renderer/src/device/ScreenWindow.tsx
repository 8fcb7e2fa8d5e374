/**
 * The detached live-screen window (`#screen/<serial>`): only the phone, filling the window, in the language
 * and theme of the workbench's settings. It drives the phone through the same API as the main window.
 */
import type React from 'react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api-client';
import { systemLanguage } from '../i18n';
import { ScreenTab } from './ScreenTab';

export function ScreenWindow({ serial }: { serial: string }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  useEffect(() => {
    void api.call('settings.get', {}).then((o) => {
      if (!o.ok) return;
      const lang = o.value.language === 'auto' ? systemLanguage() : o.value.language;
      void i18n.changeLanguage(lang);
      document.documentElement.lang = lang;
      const dark = o.value.theme === 'dark' || (o.value.theme !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
      document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    });
  }, [i18n]);
  useEffect(() => {
    document.title = `${t('device.screen.windowTitle')} · ${serial}`;
  }, [t, serial]);
  return (
    <main className="screen-window" data-testid="screen-window">
      <ScreenTab serial={serial} variant="window" />
    </main>
  );
}
