/**
 * The sessions the UI knows: listed once, then kept current by the `session` event stream (a start, pause,
 * close or a change of counts anywhere — another tab, the session bar, the Sessions page).
 */
import { useEffect, useState } from 'react';
import type { PhoneLink, SessionInfo } from '../../../src-preload/api';
import { api } from '../api-client';

export function useSessions(): [SessionInfo[], () => void] {
  const [list, setList] = useState<SessionInfo[]>([]);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    void api.call('session.list', {}).then((o) => live && o.ok && setList(o.value));
    const off = api.subscribe('session', (items) => setList((current) => {
      let next = current;
      for (const s of items) next = [s, ...next.filter((x) => x.id !== s.id)];
      return next.sort((a, b) => b.startedAt - a.startedAt);
    }));
    return () => {
      live = false;
      off();
    };
  }, [tick]);
  return [list, () => setTick((t) => t + 1)];
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** How long the session's phone has been away in all, the absence under way included (ms). */
export function interruptedMs(link: PhoneLink | null | undefined, now: number): number {
  if (!link) return 0;
  return link.interruptedMs + (link.lostAt === null ? 0 : Math.max(0, now - link.lostAt));
}
