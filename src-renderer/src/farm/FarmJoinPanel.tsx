/**
 * "Work for the farm": the workbench becomes one of the farm's workers while the tester says so. Analyses run on
 * this computer; phones are offered only when the tester ticks them (none is by default), and an offered phone
 * starts no session until the workbench leaves. Checks sign their packages with the tester's identity: its
 * passphrase is asked here, sent once to the core and never kept in the page. Leave lets running jobs finish.
 */
import type React from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BridgeError } from '../../../src-preload/api';
import type { FarmMembership } from '../../../src-preload/farm';
import { phoneName } from '../../../src-preload/phone-name';
import { visibleText as shown } from '../../../src-preload/visible-text';
import { api } from '../api-client';
import { IdText } from '../components/IdText';
import { errorText } from '../error-text';
import { callOrToast, useAsync, useStream } from '../workbench-state';

export function FarmJoinPanel({ member, onChanged }: { member: FarmMembership | null; onChanged: () => void }): React.JSX.Element {
  const { t } = useTranslation();
  const devices = useStream('devices', 'devices.list');
  const [identities] = useAsync(() => callOrToast('evidence.identities', {}), []);
  const [phones, setPhones] = useState<string[]>([]);
  const [storeDir, setStoreDir] = useState('');
  const [analyze, setAnalyze] = useState('1');
  const [identityId, setIdentityId] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [dwell, setDwell] = useState('30');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BridgeError | null>(null);
  const ready = (devices ?? []).filter((d) => d.state === 'device');
  const analyses = Number(analyze);
  const analysesOk = analyze.trim() !== '' && Number.isInteger(analyses) && analyses >= 0 && analyses <= 64;
  const dwellSeconds = Number(dwell);
  const dwellOk = dwell.trim() !== '' && Number.isInteger(dwellSeconds) && dwellSeconds >= 1 && dwellSeconds <= 3600;

  const run = async (fn: () => Promise<{ ok: boolean; error?: BridgeError }>): Promise<void> => {
    setBusy(true);
    try {
      const o = await fn();
      setError(o.ok ? null : o.error ?? null);
      onChanged();
    } finally {
      setBusy(false);
    }
  };
  const join = (e: React.FormEvent): void => {
    e.preventDefault();
    const chosen = phones.filter((s) => ready.some((d) => d.serial === s));
    void run(async () => {
      const o = await api.call('farm.join', { phones: chosen, storeDir: storeDir.trim(), analyze: analyses, identityId: chosen.length ? identityId || null : null, passphrase: chosen.length ? passphrase : '', ...(chosen.length ? { dwellSeconds } : {}) });
      // The passphrase leaves the page with the request, and only then.
      setPassphrase('');
      return o;
    });
  };
  const leave = (): void => void run(() => api.call('farm.leave', {}));

  if (member) {
    return (
      <section className="card" data-testid="farm-join" data-member="true">
        <h2>{t('farm.join.title')}</h2>
        <p data-testid="farm-membership">
          {t('farm.join.working')} <code>{shown(member.name)}</code> · {t('farm.join.analyses', { count: member.analyze })} · {t('farm.join.store')} <code>{shown(member.storeDir)}</code>
        </p>
        <p>
          {member.phones.length === 0 ? t('farm.join.noPhonesOffered') : <>{t('farm.join.phonesOffered')} {member.phones.map((s, i) => <span key={s}>{i > 0 && ' '}<code>{shown(s)}</code></span>)}</>}
        </p>
        {member.phones.length > 0 && <p className="muted small">{t('farm.join.phonesHeld')}</p>}
        {error && <p className="bad" role="alert" data-testid="farm-join-error"><IdText text={errorText(error, t)} /></p>}
        <button onClick={leave} disabled={busy} data-testid="farm-leave">{busy ? t('farm.join.leaving') : t('farm.join.leave')}</button>
      </section>
    );
  }
  return (
    <form className="card form farm-join" onSubmit={join} data-testid="farm-join" data-member="false">
      <h2>{t('farm.join.title')}</h2>
      <p className="muted small">{t('farm.join.intro')}</p>
      <fieldset>
        <legend>{t('farm.join.phones')}</legend>
        {ready.length === 0 ? <p className="empty">{t('farm.join.noPhones')}</p> : ready.map((d) => (
          <label key={d.serial} className="check">
            <input type="checkbox" checked={phones.includes(d.serial)} onChange={(e) => setPhones((p) => (e.target.checked ? [...p, d.serial] : p.filter((s) => s !== d.serial)))} data-testid="farm-offer-phone" data-serial={d.serial} />
            <code>{shown(d.serial)}</code> <span translate="no">{phoneName(d.manufacturer, d.model)}</span>
          </label>
        ))}
      </fieldset>
      <label>
        {t('farm.join.storeDir')}
        <input value={storeDir} onChange={(e) => setStoreDir(e.target.value)} spellCheck={false} autoComplete="off" data-testid="farm-store" />
      </label>
      <label>
        {t('farm.join.analyze')}
        <input type="number" min={0} max={64} value={analyze} onChange={(e) => setAnalyze(e.target.value)} data-testid="farm-analyze" aria-invalid={!analysesOk} />
      </label>
      {phones.length > 0 && (
        <>
          <label>
            {t('farm.join.identity')}
            <select value={identityId} onChange={(e) => setIdentityId(e.target.value)} data-testid="farm-identity">
              <option value="">{t('farm.join.firstIdentity')}</option>
              {(identities ?? []).map((i) => <option key={i.id} value={i.id} translate="no">{shown(i.subject)}</option>)}
            </select>
          </label>
          <label>
            {t('farm.join.dwell')}
            <input type="number" min={1} max={3600} value={dwell} onChange={(e) => setDwell(e.target.value)} data-testid="farm-dwell" aria-invalid={!dwellOk} />
          </label>
          <label>
            {t('farm.join.passphrase')}
            <input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="off" data-testid="farm-passphrase" />
          </label>
        </>
      )}
      {error && <p className="bad" role="alert" data-testid="farm-join-error"><IdText text={errorText(error, t)} /></p>}
      <div className="row">
        <button type="submit" disabled={busy || !storeDir.trim() || !analysesOk || (phones.length > 0 && !dwellOk) || (analyses === 0 && phones.length === 0)} data-testid="farm-join-button">{busy ? t('farm.join.joining') : t('farm.join.join')}</button>
      </div>
    </form>
  );
}
