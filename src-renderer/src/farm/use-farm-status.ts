/**
 * The farm as the core reads it, asked every 2 s while the Farm page is shown (and not while the window is
 * hidden): a poll, not a push, because Redis is read on demand and nothing in the core watches it. `refresh` asks
 * at once (after connect, join, retry…). A failed ask keeps the last view and says why.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BridgeError } from '../../../src-preload/api';
import type { FarmView } from '../../../src-preload/farm';
import { api } from '../api-client';

export const FARM_POLL_MS = 2000;

export function useFarmStatus(): { view: FarmView | undefined; error: BridgeError | null; refresh: () => void } {
  const [view, setView] = useState<FarmView>();
  const [error, setError] = useState<BridgeError | null>(null);
  const ask = useRef<() => void>(() => undefined);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let asking = false;
    const poll = async (): Promise<void> => {
      clearTimeout(timer);
      if (asking) return;
      asking = true;
      try {
        if (!document.hidden) {
          const o = await api.call('farm.status', {});
          if (!live) return;
          if (o.ok) {
            setView(o.value);
            setError(null);
          } else setError(o.error);
        }
      } finally {
        asking = false;
        if (live) timer = setTimeout(() => void poll(), FARM_POLL_MS);
      }
    };
    ask.current = () => void poll();
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, []);
  const refresh = useCallback(() => ask.current(), []);
  return { view, error, refresh };
}
