/**
 * Setting up the session CA on the phone, so HTTPS can be read: the certificate (its SHA-256, to compare with
 * what the phone shows, and a file to keep), copied to the phone's Download folder, the phone's security
 * settings opened, and what to tap there — Android 11+ installs a CA only from Settings, never from an app or
 * the shell. Then whether the app under test would trust it, as the APK analysis in the session says.
 */
import type React from 'react';
import { useEffect, useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { SessionCaFile, SessionInfo } from '../../../src-preload/api';
import { api } from '../api-client';
import { errorText } from '../error-text';
import { callOrToast, pushToast } from '../workbench-state';
import type { AppCaTrust } from './app-ca-trust';
import { readAppCaTrust } from './read-app-ca-trust';
import { NetworkDialog } from './NetworkDialog';

/** Settings' security page: where Android 11+ lets the user install a CA (the installer asked directly refuses). */
const OPEN_SECURITY_SETTINGS = 'am start -a android.settings.SECURITY_SETTINGS';

export function CaSetupDialog({ session, onDone }: { session: SessionInfo; onDone: () => void }): React.JSX.Element {
  const { t } = useTranslation();
  const [ca, setCa] = useState<SessionCaFile | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [trust, setTrust] = useState<AppCaTrust | null>(null);
  const [opened, setOpened] = useState(false);
  useEffect(() => {
    let live = true;
    void api.call('network.ca', { sessionId: session.id }).then((o) => live && (o.ok ? setCa(o.value) : setProblem(errorText(o.error, t))));
    void readAppCaTrust(session.id).then((x) => live && setTrust(x));
    return () => {
      live = false;
    };
  }, [session.id, t]);
  const download = useMemo(() => (ca ? URL.createObjectURL(new Blob([ca.pem], { type: 'application/x-x509-ca-cert' })) : null), [ca]);
  useEffect(() => () => {
    if (download) URL.revokeObjectURL(download);
  }, [download]);

  const push = async (): Promise<void> => {
    const pushed = await callOrToast('network.pushCa', { sessionId: session.id });
    if (pushed) setCa(pushed);
  };
  const open = async (): Promise<void> => {
    if ((await callOrToast('device.shell', { serial: session.device.serial, command: OPEN_SECURITY_SETTINGS })) === undefined) return;
    setOpened(true);
    pushToast({ error: null, key: 'network.ca.openedToast' });
  };

  return (
    <NetworkDialog title={t('network.ca.title')} onClose={onDone} testId="ca-setup">
      {problem && <p className="bad">{problem}</p>}
      {ca && (
        <ol className="ca-steps">
          <li>
            <Trans i18nKey="network.ca.file" values={{ name: ca.fileName }} components={{ code: <code /> }} />{' '}
            {download && <a href={download} download={ca.fileName} data-testid="ca-download">{t('network.ca.download')}</a>}
            <div className="small">SHA-256 <code className="fingerprint" data-testid="ca-sha256">{ca.sha256}</code></div>
          </li>
          <li>
            <button onClick={() => void push()} data-testid="ca-push"><Trans i18nKey="network.ca.push" components={{ code: <code /> }} /></button>{' '}
            {ca.phonePath && <span className="ok" data-testid="ca-pushed"><Trans i18nKey="network.ca.pushed" values={{ path: ca.phonePath }} components={{ code: <code /> }} /></span>}
          </li>
          <li>
            <button onClick={() => void open()} disabled={!ca.phonePath} data-testid="ca-open-settings">{t('network.ca.openSettings')}</button>
            {opened && <span className="muted small"> {t('network.ca.opened')}</span>}
          </li>
          <li data-testid="ca-taps"><Trans i18nKey="network.ca.taps" values={{ name: ca.fileName }} components={{ b: <strong />, code: <code /> }} /></li>
        </ol>
      )}
      <h3>{t('network.ca.appTrust')}</h3>
      <p data-testid="ca-app-trust" data-trust={trust?.known ? trust.trust.trusts : trust ? trust.why : 'reading'}>{trustText(trust, t)}</p>
      {trust?.known && trust.trust.trusts === 'some-domains' && <p className="small">{trust.trust.domains.map((d) => <code key={d}>{d} </code>)}</p>}
      <div className="row"><span className="spacer" /><button className="primary" onClick={onDone} data-testid="ca-close">{t('network.ca.close')}</button></div>
    </NetworkDialog>
  );
}

function trustText(trust: AppCaTrust | null, t: (key: string, o?: Record<string, unknown>) => string): string {
  if (!trust) return t('checklist.loading');
  if (!trust.known) return t(`network.ca.trust.${trust.why}`);
  return t(`network.ca.trust.${trust.trust.trusts}`, { reason: t(`network.ca.reason.${trust.trust.reason}`) });
}
