/** The status bar: adb server state and path, device count, and the link to the host when it drops. */
import type React from 'react';
import { useTranslation } from 'react-i18next';
import { useStream } from '../workbench-state';

export function StatusBar(): React.JSX.Element {
  const { t } = useTranslation();
  const adb = useStream('adb', 'adb.status');
  const devices = useStream('devices', 'devices.list');
  const online = devices?.filter((d) => d.state === 'device').length ?? 0;
  return (
    <footer className="statusbar" role="status" data-testid="statusbar">
      <span className={`dot ${adb?.state ?? 'starting'}`} aria-hidden="true" />
      <span data-testid="adb-state">{t(`status.adb.${adb?.state ?? 'starting'}`)}</span>
      {adb?.adbPath && <span className="muted">{adb.adbPath}</span>}
      {adb && <span className="muted">{t('status.port', { port: adb.serverPort })}</span>}
      <span className="spacer" />
      <span data-testid="device-count">{t('status.devices', { count: online })}</span>
    </footer>
  );
}
