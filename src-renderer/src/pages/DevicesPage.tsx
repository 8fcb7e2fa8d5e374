/**
 * Devices: the live list (state, model, Android version, connection) with what to do for unauthorized or
 * unreachable phones, connecting by host:port, and the demo phone with its scenario and ROM-profile pickers.
 */
import type React from 'react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localized } from '../i18n';
import { AdbBanner } from '../components/AdbBanner';
import { DevicePanel } from '../device/DevicePanel';
import { callOrToast, pushToast, useAsync, useStream } from '../workbench-state';
import { phoneName } from '../../../src-preload/phone-name';
import { visibleText as shown } from '../../../src-preload/visible-text';

export function DevicesPage(): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const devices = useStream('devices', 'devices.list');
  const demo = useStream('virtualDevice', 'virtualDevice.status');
  const adb = useStream('adb', 'adb.status');
  const [scenarios] = useAsync(() => callOrToast('virtualDevice.scenarios', {}), []);
  const [profiles] = useAsync(() => callOrToast('virtualDevice.profiles', {}), []);
  const [settings, reloadSettings] = useAsync(() => callOrToast('settings.get', {}), []);
  // Phones offered to the farm, asked again whenever the list changes (a join or leave happens on the Farm page).
  const [farm] = useAsync(() => callOrToast('farm.offered', {}), [devices]);
  const [scenario, setScenario] = useState('');
  const [profile, setProfile] = useState('');
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const openDevice = devices?.find((d) => d.serial === open && d.state === 'device') ? open : null;
  // The running demo's scenario stays picked after it stops (a trainer restarts the same one).
  useEffect(() => {
    if (demo?.running && demo.scenarioId) setScenario(demo.scenarioId);
    if (demo?.running && demo.profileId) setProfile(demo.profileId);
  }, [demo?.running, demo?.scenarioId, demo?.profileId]);
  const chosen = (demo?.running ? demo.scenarioId : null) || scenario || scenarios?.[0]?.id || '';
  const chosenInfo = scenarios?.find((s) => s.id === chosen);
  const chosenProfile = (demo?.running ? demo.profileId : null) || profile || profiles?.[0]?.id || '';
  const chosenProfileInfo = profiles?.find((p) => p.id === chosenProfile);

  const run = async (fn: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page">
      <h1>{t('devices.title')}</h1>
      <AdbBanner adb={adb} />
      {devices === undefined ? (
        <p className="muted" aria-busy="true">{t('devices.loading')}</p>
      ) : devices.length === 0 ? (
        <p className="empty" data-testid="no-devices">{t('devices.empty')}</p>
      ) : (
        <table className="grid" data-testid="device-table">
          <thead>
            <tr>
              <th>{t('devices.serial')}</th><th>{t('devices.state')}</th><th>{t('devices.model')}</th>
              <th>{t('devices.android')}</th><th>{t('devices.transport')}</th><th>{t('devices.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.serial} data-testid="device-row" data-serial={d.serial} data-state={d.state} data-virtual={d.virtual}>
                <td className="mono">{shown(d.serial)}{d.virtual && <span className="tag">{t('devices.virtual')}</span>}{farm?.phones.includes(d.serial) && <span className="tag" title={t('devices.inFarmHint')} data-testid="device-in-farm">{t('devices.inFarm')}</span>}</td>
                <td>
                  <span className={`state ${d.state}`}>{t(`state.${d.state}`)}</span>
                  {d.hintKey && <div className="hint">{t(d.hintKey)}</div>}
                </td>
                <td data-testid="device-model">{phoneName(d.manufacturer, d.model) || '—'}</td>
                <td>{d.androidVersion ? `${d.androidVersion} (SDK ${d.sdk})` : '—'}</td>
                <td>{d.transport === 'tcp' ? 'TCP' : 'USB'}</td>
                <td>
                  <div className="actions">
                  {d.state === 'device' && (
                    <button className={openDevice === d.serial ? 'primary' : undefined} onClick={() => setOpen(openDevice === d.serial ? null : d.serial)} data-testid="open-device">{t('device.open')}</button>
                  )}
                  {d.transport === 'tcp' && !d.virtual && (
                    <button disabled={busy} onClick={() => void run(() => callOrToast('devices.disconnect', { serial: d.serial }))}>{t('devices.disconnect')}</button>
                  )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {openDevice && <DevicePanel key={openDevice} serial={openDevice} onClose={() => setOpen(null)} />}

      <div className="cards">
        <form className="card" onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const r = await callOrToast('devices.connect', { address: address.trim() });
            if (r) {
              pushToast({ error: null, message: t('devices.connected', { serial: r.serial }) });
              reloadSettings();
            }
          });
        }}>
          <h2>{t('devices.connectTitle')}</h2>
          <div className="row">
            <input value={address} onChange={(e) => setAddress(e.target.value)} placeholder="192.168.1.20:5555" aria-label={t('devices.address')} list="remembered" spellCheck={false} data-testid="connect-address" />
            <datalist id="remembered">{settings?.rememberedDevices.map((a) => <option key={a} value={a} />)}</datalist>
            <button type="submit" disabled={busy || !address.trim()}>{t('devices.connect')}</button>
          </div>
        </form>

        <div className="card">
          <h2>{t('devices.demoTitle')}</h2>
          <p className="muted">{t('devices.demoHint')}</p>
          <div className="row">
            <select value={chosen} onChange={(e) => setScenario(e.target.value)} aria-label={t('devices.scenario')} data-testid="scenario-picker" disabled={!!demo?.running}>
              {scenarios?.map((s) => <option key={s.id} value={s.id}>{localized(s.name, i18n.language)}</option>)}
            </select>
            <select value={chosenProfile} onChange={(e) => setProfile(e.target.value)} aria-label={t('devices.romProfile')} title={t('devices.romProfileHint')} data-testid="profile-picker" disabled={!!demo?.running}>
              {profiles?.map((p) => <option key={p.id} value={p.id}>{localized(p.name, i18n.language)}</option>)}
            </select>
            {demo?.running ? (
              <button disabled={busy} onClick={() => void run(() => callOrToast('virtualDevice.stop', {}))} data-testid="stop-demo">{t('devices.stopDemo')}</button>
            ) : (
              <button className="primary" disabled={busy || !chosen} onClick={() => void run(() => callOrToast('virtualDevice.start', { scenario: chosen, ...(chosenProfile ? { profile: chosenProfile } : {}) }))} data-testid="start-demo">{t('devices.startDemo')}</button>
            )}
          </div>
          {chosenInfo && (
            <p className="muted">
              {localized(chosenInfo.description, i18n.language)}
              <br />
              {chosenInfo.violates.length ? t('devices.violates', { items: chosenInfo.violates.join(', ') }) : t('devices.compliant')}
            </p>
          )}
          {chosenProfileInfo && <p className="muted" data-testid="profile-description">{t('devices.romProfile')}: {localized(chosenProfileInfo.description, i18n.language)}</p>}
          {demo?.running && <p data-testid="demo-running">{t('devices.demoRunning', { serial: demo.serial })}</p>}
        </div>
      </div>
    </section>
  );
}
