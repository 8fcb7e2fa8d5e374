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
  // Phones that are attached but not usable yet are counted by state, so the bar agrees with the table.
  const waiting = Object.entries((devices ?? []).filter((d) => d.state !== 'device').reduce<Record<string, number>>((acc, d) => ((acc[d.state] = (acc[d.state] ?? 0) + 1), acc), {}));
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
      {adb?.adbPath && <code className="muted">{adb.adbPath}</code>}
      {adb && <span className="muted">{t('status.port', { port: adb.serverPort })}</span>}
      <span className="spacer" />
      <span data-testid="device-count">{waiting.length ? [t('status.ready', { count: online }), ...waiting.map(([state, n]) => `${n} ${t(`state.${state}`)}`)].join(t('status.separator')) : t('status.devices', { count: online })}</span>
    </footer>
  );
}
