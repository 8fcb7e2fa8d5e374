/** The status bar: adb server state and path, device count, and the link to the host when it drops. */
import type React from 'react';
import { useTranslation } from 'react-i18next';
import { useEffect, useState } from 'react';
import { connection } from '../api-client';
import { useStream } from '../workbench-state';

export function StatusBar(): React.JSX.Element {
  const { t } = useTranslation();
  const adb = useStream('adb', 'adb.status');
  const devices = useStream('devices', 'devices.list');
  const online = devices?.filter((d) => d.state === 'device').length ?? 0;
  const [reachable, setReachable] = useState(connection.online);
  useEffect(() => {
    connection.listeners.add(setReachable);
    return () => {
      connection.listeners.delete(setReachable);
    };
  }, []);
  return (
    <footer className="statusbar" role="status" data-testid="statusbar">
      {!reachable && <strong className="offline" data-testid="host-offline">{t('status.disconnected')}</strong>}
      <span className={`dot ${adb?.state ?? 'starting'}`} aria-hidden="true" />
      <span data-testid="adb-state">{t(`status.adb.${adb?.state ?? 'starting'}`)}</span>
      {adb?.adbPath && <span className="muted">{adb.adbPath}</span>}
      {adb && <span className="muted">{t('status.port', { port: adb.serverPort })}</span>}
      <span className="spacer" />
      <span data-testid="device-count">{t('status.devices', { count: online })}</span>
    </footer>
  );
}
