/**
 * A phone left pointing at a workbench proxy that is gone (the workbench was killed mid-session): it has no
 * internet until its setting is put back. Offered as a question on any page, one phone at a time, as the core
 * finds them (at start, when a phone connects): which phone, what it points at, what clearing restores — clear
 * it or leave it (asked again only if the workbench finds it again with another setting).
 */
import type React from 'react';
import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { StaleProxy } from '../../../src-preload/api';
import { api } from '../api-client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { callOrToast, pushToast } from '../workbench-state';

const left = (s: StaleProxy): string => `${s.serial}|${s.current ?? ''}`;

export function StaleProxyOffer(): React.JSX.Element | null {
  const { t, i18n } = useTranslation();
  const [stale, setStale] = useState<StaleProxy[]>([]);
  const [leftAlone, setLeftAlone] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    let live = true;
    // Found at start before this page subscribed: asked for once (the adb server may not be up yet; the stream follows).
    void api.call('network.staleProxies', {}).then((o) => live && o.ok && setStale(o.value));
    const off = api.subscribe('staleProxies', (items) => setStale(items[items.length - 1] ?? []));
    return () => {
      live = false;
      off();
    };
  }, []);
  const phone = stale.find((s) => s.connected && !leftAlone.has(left(s)));
  if (!phone) return null;
  const leave = (): void => setLeftAlone(new Set([...leftAlone, left(phone)]));
  const clear = async (): Promise<void> => {
    const still = await callOrToast('network.clearStale', { serial: phone.serial });
    if (!still) return leave();
    setStale(still);
    if (!still.some((s) => s.serial === phone.serial)) pushToast({ error: null, key: 'network.stale.cleared', values: { serial: phone.serial } });
  };
  const lease = phone.lease;
  // Chinese sentences follow each other with no space between them.
  const gap = i18n.language.startsWith('zh') ? '' : ' ';
  return (
    <ConfirmDialog
      title={t('network.stale.title')}
      body={
        <span data-testid="stale-proxy-body" data-serial={phone.serial}>
          <Trans i18nKey="network.stale.body" values={{ serial: phone.serial, current: phone.current ?? '' }} components={{ code: <code /> }} />{gap}
          {lease
            ? <Trans i18nKey="network.stale.lease" values={{ session: lease.sessionId ?? '—', pid: lease.pid, time: new Date(lease.startedAt).toLocaleString() }} components={{ code: <code /> }} />
            : t('network.stale.nothingListening')}{gap}
          {phone.restore === null ? t('network.stale.restoreNone') : <Trans i18nKey="network.stale.restore" values={{ restore: phone.restore }} components={{ code: <code /> }} />}
        </span>
      }
      confirmLabel={t('network.stale.clear')}
      cancelLabel={t('network.stale.leave')}
      onConfirm={() => void clear()}
      onCancel={leave}
      testId="stale-proxy"
    />
  );
}
