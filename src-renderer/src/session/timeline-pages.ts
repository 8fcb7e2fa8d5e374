/**
 * Reading a session's timeline into a ledger page by page, from the ledger's last seq up to the event count the
 * `session` stream announced: the whole timeline once, then only what was appended. Shared by the views that fold
 * the timeline as it grows (the Network view's flows, the Explore stage's walks).
 */
import type { BridgeError } from '../../../src-preload/api';
import { api } from '../api-client';

/** The most the core returns in one page (session.timeline's limit). */
const PAGE = 2000;

export interface TimelineLedger {
  readonly lastSeq: number;
  addPage(entries: ReadonlyArray<{ seq: number; event: unknown }>): unknown;
}

/**
 * Reads pages until the ledger holds `eventCount`, calling `onPage` after each and `onError` on a refusal; returns
 * the cancel to call when a newer count supersedes it (its page in flight is dropped: the ledger skips what it holds).
 */
export function readTimelineInto(id: string, ledger: TimelineLedger, eventCount: number, onPage: () => void, onError: (e: BridgeError) => void): () => void {
  let live = true;
  void (async () => {
    while (live && ledger.lastSeq < eventCount) {
      const before = ledger.lastSeq;
      const o = await api.call('session.timeline', { id, afterSeq: before, limit: PAGE });
      if (!live) return;
      if (!o.ok) return onError(o.error);
      ledger.addPage(o.value.entries);
      onPage();
      // Nothing past what was read: the count announced is ahead of the file (or the file was cut).
      if (ledger.lastSeq === before) return;
    }
  })();
  return () => {
    live = false;
  };
}
