/**
 * The connections of one session for the Network view: its timeline read page by page into a FlowLedger once,
 * then only what was appended each time the session's event count grows (the `session` stream announces it at
 * most once a second while it records). One read at a time; a count that grows meanwhile is read after it.
 */
import { useEffect, useRef, useState } from 'react';
import type { BridgeError } from '../../../src-preload/api';
import { api } from '../api-client';
import { FlowLedger, type Flow } from '../../../src-preload/network-flows';

/** The most the core returns in one page (session.timeline's limit). */
const PAGE = 2000;

export interface SessionFlows {
  flows: readonly Flow[];
  /** Events read so far, of the session's count. */
  read: number;
  /** Why the timeline could not be read. */
  error: BridgeError | null;
}

export function useSessionFlows(sessionId: string, eventCount: number): SessionFlows {
  const held = useRef<{ id: string; ledger: FlowLedger } | null>(null);
  if (held.current?.id !== sessionId) held.current = { id: sessionId, ledger: new FlowLedger() };
  const [state, setState] = useState<SessionFlows>({ flows: [], read: 0, error: null });

  useEffect(() => {
    const { id, ledger } = held.current!;
    // A newer count ends this read (its page in flight is dropped: the ledger skips what it holds anyway).
    let live = true;
    void (async () => {
      while (live && ledger.lastSeq < eventCount) {
        const before = ledger.lastSeq;
        const o = await api.call('session.timeline', { id, afterSeq: before, limit: PAGE });
        if (!live) return;
        if (!o.ok) return setState((s) => ({ ...s, error: o.error }));
        ledger.addPage(o.value.entries);
        setState({ flows: ledger.flows, read: ledger.lastSeq, error: null });
        // Nothing past what was read: the count announced is ahead of the file (or the file was cut).
        if (ledger.lastSeq === before) return;
      }
    })();
    return () => {
      live = false;
    };
  }, [sessionId, eventCount]);

  return state;
}
