/**
 * How to capture what leaves the phone, asked before network capture starts for a recording session: over USB
 * (`adb reverse`, the proxy on this computer's loopback) or Wi-Fi (on a LAN address, the phone alone allowed),
 * whether HTTPS is decrypted with the session's own CA, and values the tester types to look for (the phone
 * number, the OAID) beside those the workbench reads from the phone.
 */
import type React from 'react';
import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { LanAddress, NetworkStatus, SessionInfo, TypedValue } from '../../../src-preload/api';
import { api } from '../api-client';
import { callOrToast } from '../workbench-state';
import { NetworkDialog } from './NetworkDialog';

const TYPED: Array<TypedValue['kind']> = ['phone-number', 'oaid', 'other'];

export function NetworkStartDialog({ session, onStarted, onDone }: { session: SessionInfo; onStarted: (s: NetworkStatus) => void; onDone: () => void }): React.JSX.Element {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'usb' | 'wifi'>('usb');
  const [intercept, setIntercept] = useState(true);
  const [lan, setLan] = useState('');
  const [lans, setLans] = useState<LanAddress[]>([]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (mode !== 'wifi') return;
    void api.call('network.lanAddresses', {}).then((o) => o.ok && setLans(o.value));
  }, [mode]);

  const start = async (): Promise<void> => {
    setBusy(true);
    const typed = TYPED.map((kind) => ({ kind, value: (values[kind] ?? '').trim() })).filter((v) => v.value);
    const status = await callOrToast('network.start', { sessionId: session.id, choice: { mode, intercept, lanAddress: mode === 'wifi' && lan ? lan : null, values: typed } });
    setBusy(false);
    if (!status) return;
    onStarted(status);
    onDone();
  };

  return (
    <NetworkDialog title={t('network.start.title')} onClose={onDone} testId="network-start-dialog">
      <form className="network-form" onSubmit={(e) => { e.preventDefault(); void start(); }}>
        <fieldset>
          <legend>{t('network.start.mode')}</legend>
          <label className="check"><input type="radio" name="mode" checked={mode === 'usb'} onChange={() => setMode('usb')} data-testid="network-mode-usb" /> <Trans i18nKey="network.start.usb" components={{ code: <code /> }} /></label>
          <label className="check"><input type="radio" name="mode" checked={mode === 'wifi'} onChange={() => setMode('wifi')} data-testid="network-mode-wifi" /> {t('network.start.wifi')}</label>
          {mode === 'wifi' && (
            <select value={lan} onChange={(e) => setLan(e.target.value)} aria-label={t('network.start.lan')} data-testid="network-lan">
              <option value="">{t('network.start.lanAuto')}</option>
              {lans.map((a) => <option key={a.address} value={a.address} translate="no">{a.address} ({a.interfaceName})</option>)}
            </select>
          )}
        </fieldset>
        <label className="check"><input type="checkbox" checked={intercept} onChange={(e) => setIntercept(e.target.checked)} data-testid="network-intercept" /> {t('network.start.intercept')}</label>
        <p className="muted small">{t('network.start.interceptHint')}</p>
        <fieldset>
          <legend>{t('network.start.values')}</legend>
          <p className="muted small">{t('network.start.valuesHint')}</p>
          {TYPED.map((kind) => (
            <label key={kind} className="typed-value">{t(`network.start.value.${kind}`)}
              <input value={values[kind] ?? ''} onChange={(e) => setValues({ ...values, [kind]: e.target.value })} minLength={4} maxLength={200} spellCheck={false} autoComplete="off" data-testid={`network-value-${kind}`} />
            </label>
          ))}
        </fieldset>
        <div className="row">
          <span className="spacer" />
          <button type="button" onClick={onDone}>{t('network.start.cancel')}</button>
          <button type="submit" className="primary" disabled={busy} data-testid="network-start">{t('network.start.start')}</button>
        </div>
      </form>
    </NetworkDialog>
  );
}
