/**
 * Which farm the page reads: the Redis URL (never shown back with its password: the core returns it hidden, so the
 * field starts empty and the connection line says where the page reads) and the farm's name. Enter in a field
 * connects. A refusal is said under the form in the tester's language.
 */
import type React from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BridgeError } from '../../../src-preload/api';
import type { FarmConnectionView } from '../../../src-preload/farm';
import { api } from '../api-client';
import { IdText } from '../components/IdText';
import { errorText } from '../error-text';

export function FarmConnectForm({ connection, onConnected }: { connection: FarmConnectionView | null; onConnected: () => void }): React.JSX.Element {
  const { t } = useTranslation();
  const [url, setUrl] = useState('');
  const [farm, setFarm] = useState(connection?.farm ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BridgeError | null>(null);

  const connect = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    try {
      const o = await api.call('farm.connect', { redisUrl: url.trim(), farm: farm.trim() || null });
      setError(o.ok ? null : o.error);
      if (o.ok) onConnected();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card farm-connect" onSubmit={(e) => void connect(e)} data-testid="farm-connect">
      <h2>{t('farm.connect.title')}</h2>
      {connection && (
        <p data-testid="farm-connection">
          {t('farm.connect.reading')} <code>{connection.redis}</code>
          {connection.farm ? <> · {t('farm.connect.farm')} <code>{connection.farm}</code></> : <> · {t('farm.connect.defaultFarm')}</>}
        </p>
      )}
      <div className="row">
        <label className="grow">
          {t('farm.connect.url')}
          <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="redis://127.0.0.1:6379" spellCheck={false} autoComplete="off" data-testid="farm-url" />
        </label>
        <label>
          {t('farm.connect.name')}
          <input value={farm} onChange={(e) => setFarm(e.target.value)} spellCheck={false} autoComplete="off" data-testid="farm-name" />
        </label>
        <button type="submit" disabled={busy || !url.trim()} data-testid="farm-connect-button">{t('farm.connect.button')}</button>
      </div>
      <p className="muted small">{t('farm.connect.hint')}</p>
      {error && <p className="bad" role="alert" data-testid="farm-connect-error"><IdText text={errorText(error, t)} /></p>}
    </form>
  );
}
