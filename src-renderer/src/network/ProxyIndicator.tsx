/**
 * The session bar's network capture: off, a button that asks how to capture; on, what the phone is pointed at —
 * the state (on, the phone away, refused), USB or Wi-Fi, the proxy's address on the phone, whether HTTPS is
 * decrypted — with the connections and values found so far, the session CA's set-up (when decrypting) and stop.
 */
import type React from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../src-preload/api';
import { visibleText } from '../../../src-preload/visible-text';
import { callOrToast } from '../workbench-state';
import { CaSetupDialog } from './CaSetupDialog';
import { NetworkStartDialog } from './NetworkStartDialog';
import { useNetworkStatus } from './use-network-status';

export function ProxyIndicator({ session }: { session: SessionInfo }): React.JSX.Element {
  const { t } = useTranslation();
  const [status, setStatus] = useNetworkStatus(session.id);
  const [asking, setAsking] = useState(false);
  const [caOpen, setCaOpen] = useState(false);
  const on = status !== null && status.state !== 'off';
  if (!on) {
    return (
      <>
        <button onClick={() => setAsking(true)} title={t('network.proxy.captureHint')} data-testid="network-capture">{t('network.proxy.capture')}</button>
        {asking && <NetworkStartDialog session={session} onStarted={setStatus} onDone={() => setAsking(false)} />}
      </>
    );
  }
  const stop = async (): Promise<void> => {
    const s = await callOrToast('network.stop', { sessionId: session.id });
    if (s !== undefined) setStatus(s);
  };
  const words = [t(`network.proxy.state.${status.state}`), t(`network.proxy.mode.${status.mode}`), status.address ?? '', status.intercept ? t('network.proxy.intercepting') : t('network.proxy.tunnelling'), t('network.proxy.counts', { count: status.connections.total, pi: status.piFound })];
  const why = status.problem ? visibleText(status.problem) : status.previous ? t('network.proxy.previous', { previous: status.previous }) : null;
  // The bar is one line: the words give way first (whole in the title), the buttons stay.
  return (
    <span className={`proxy-indicator ${status.state}`} role="status" data-testid="proxy-indicator" data-state={status.state} title={[words.filter(Boolean).join(' · '), why].filter(Boolean).join('\n')}>
      <span className="proxy-dot" aria-hidden="true" />
      <span className="proxy-text">
        <strong>{words[0]}</strong> {words[1]} {status.address && <code data-testid="proxy-address">{status.address}</code>}
        {' · '}<span data-testid="proxy-intercept">{words[3]}</span>{' · '}<span className="muted" data-testid="proxy-counts">{words[4]}</span>
      </span>
      {status.intercept && <button onClick={() => setCaOpen(true)} data-testid="network-ca">{t('network.ca.open')}</button>}
      <button onClick={() => void stop()} data-testid="network-stop">{t('network.proxy.stop')}</button>
      {caOpen && <CaSetupDialog session={session} onDone={() => setCaOpen(false)} />}
    </span>
  );
}
