/** Shown when adb is missing or its server is down: what happened, how to install adb here, and Retry. */
import type React from 'react';
import { useTranslation } from 'react-i18next';
import type { AdbStatus } from '../../../src-preload/api';
import { callOrToast } from '../workbench-state';

export function AdbBanner({ adb }: { adb: AdbStatus | undefined }): React.JSX.Element | null {
  const { t } = useTranslation();
  if (!adb || (adb.state !== 'missing' && adb.state !== 'error')) return null;
  const platform = String(adb.error?.details.platform ?? 'linux');
  return (
    <div className="banner" role="alert" data-testid="adb-banner">
      <strong>{adb.state === 'missing' ? t('adbBanner.missing') : t('adbBanner.error')}</strong>
      {adb.state === 'missing' && <p>{t(`adbBanner.install.${['win32', 'darwin'].includes(platform) ? platform : 'linux'}`)}</p>}
      {adb.state === 'error' && adb.error && <p>{t(adb.error.messageKey, { ...adb.error.details, defaultValue: String(adb.error.details.message ?? '') })}</p>}
      <button onClick={() => void callOrToast('adb.restart', {})}>{t('adbBanner.retry')}</button>
    </div>
  );
}
