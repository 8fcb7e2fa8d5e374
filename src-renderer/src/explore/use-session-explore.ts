/**
 * The explorer in one session for the Explore stage: its walks read from the session's timeline into an
 * ExploreLedger (the whole timeline once, then what was appended each time the session's event count grows — the
 * `session` stream announces it at most once a second while it records), and whether a walk runs now, asked of the
 * core (`explore.status`) on the same beat and whenever the caller knows it changed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BridgeError } from '../../../src-preload/api';
import { api } from '../api-client';
import { ExploreLedger, type ExploreView } from './explore-ledger';
import { readTimelineInto } from '../session/timeline-pages';

export interface SessionExplore {
  view: ExploreView;
  /** Whether the core is walking this session's app now (null until it has said). */
  running: boolean | null;
  /** Why the timeline or the status could not be read. */
  error: BridgeError | null;
  /** Ask the core again whether a walk runs (after a start or a stop). */
  refreshStatus: () => void;
}

export function useSessionExplore(sessionId: string, eventCount: number): SessionExplore {
  const held = useRef<{ id: string; ledger: ExploreLedger } | null>(null);
  if (held.current?.id !== sessionId) held.current = { id: sessionId, ledger: new ExploreLedger() };
  const [view, setView] = useState<ExploreView>(() => held.current!.ledger.view());
  const [running, setRunning] = useState<boolean | null>(null);
  const [error, setError] = useState<BridgeError | null>(null);
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    const { id, ledger } = held.current!;
    return readTimelineInto(id, ledger, eventCount, () => {
      setView(ledger.view());
      setError(null);
    }, setError);
  }, [sessionId, eventCount]);

  useEffect(() => {
    let live = true;
    void api.call('explore.status', { sessionId }).then((o) => {
      if (!live) return;
      if (o.ok) setRunning(o.value.running);
      else setError(o.error);
    });
    return () => {
      live = false;
    };
  }, [sessionId, eventCount, asked]);

  const refreshStatus = useCallback(() => setAsked((n) => n + 1), []);
  return { view, running, error, refreshStatus };
}
