/**
 * A session's network capture as the session bar shows it: asked once (network.status), then kept current by the
 * `network` stream (state changes at once, counts about once a second). Null while capture was never on.
 */
import { useEffect, useState } from 'react';
import type { NetworkStatus } from '../../../src-preload/api';
import { api } from '../api-client';

export function useNetworkStatus(sessionId: string): [NetworkStatus | null, (s: NetworkStatus | null) => void] {
  const [status, setStatus] = useState<NetworkStatus | null>(null);
  useEffect(() => {
    let live = true;
    // A stream item that came first is newer than the answer: the answer only fills an empty state.
    void api.call('network.status', { sessionId }).then((o) => live && o.ok && setStatus((s) => s ?? o.value));
    const off = api.subscribe('network', (items) => {
      const mine = items.filter((s) => s.sessionId === sessionId);
      if (mine.length) setStatus(mine[mine.length - 1]!);
    });
    return () => {
      live = false;
      off();
    };
  }, [sessionId]);
  return [status, setStatus];
}
