/**
 * The connections of one session for the Network view: its timeline read page by page into a FlowLedger once,
 * then only what was appended each time the session's event count grows (the `session` stream announces it at
 * most once a second while it records). One read at a time; a count that grows meanwhile is read after it.
 */
import { useEffect, useRef, useState } from 'react';
import type { BridgeError } from '../../../src-preload/api';
import { readTimelineInto } from '../session/timeline-pages';
import { FlowLedger, type Flow } from '../../../src-preload/network-flows';

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
    return readTimelineInto(id, ledger, eventCount, () => setState({ flows: ledger.flows, read: ledger.lastSeq, error: null }), (error) => setState((s) => ({ ...s, error })));
  }, [sessionId, eventCount]);

  return state;
}
