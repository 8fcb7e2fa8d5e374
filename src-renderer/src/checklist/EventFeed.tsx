/**
 * The session's events beside the guided test: the latest ones as they arrive, or the page around an
 * evidence event the tester jumped to (highlighted, with the log lines it was read from).
 */
import type React from 'react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimelineEntry } from '../../../src-preload/api';
import { api } from '../api-client';
import { EventLine } from '../logs/EventLine';
import { useStageTitle } from './stage-titles';

const PAGE = 200;

export function EventFeed({ sessionId, count, focusSeq }: { sessionId: string; count: number; focusSeq: number | null }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const stageTitle = useStageTitle();
  const [entries, setEntries] = useState<TimelineEntry[]>([]);
  const [selected, setSelected] = useState<TimelineEntry | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const after = focusSeq === null ? Math.max(0, count - PAGE) : Math.max(0, focusSeq - PAGE / 2);
  // Following the newest events re-reads as they arrive; a page around an evidence event stays put.
  const liveCount = focusSeq === null ? count : 0;
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      void api.call('session.timeline', { id: sessionId, afterSeq: after, limit: PAGE }).then((o) => {
        if (!live || !o.ok) return;
        setEntries(o.value.entries);
        if (focusSeq !== null) setSelected(o.value.entries.find((e) => e.seq === focusSeq) ?? null);
      });
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [sessionId, after, focusSeq, liveCount]);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    if (focusSeq !== null) el.querySelector(`[data-seq="${focusSeq}"]`)?.scrollIntoView({ block: 'center' });
    else el.scrollTop = el.scrollHeight;
  }, [entries, focusSeq]);
  return (
    <div className="event-feed card" data-testid="event-feed">
      <h3>{t('checklist.events', { count })}</h3>
      <div className="feed" ref={box}>
        {entries.map((e) => (
          <button key={e.seq} className={`feed-row${e.seq === focusSeq ? ' focus' : ''}`} data-seq={e.seq} onClick={() => setSelected(e)}>
            <span className="mono small">#{e.seq}</span>
            <span className="mono small">{new Date(e.event.deviceTime ?? e.event.hostTime).toLocaleTimeString()}</span>
            <span className="feed-text"><EventLine event={e.event} lang={i18n.language} stageTitle={stageTitle} /></span>
          </button>
        ))}
      </div>
      {selected && (
        <div className="feed-detail" data-testid="event-detail">
          <div className="row"><strong>#{selected.seq} <code>{selected.event.type}</code></strong><span className="spacer" /><button onClick={() => setSelected(null)} aria-label={t('checklist.close')}>×</button></div>
          {selected.event.raw.length > 0
            ? <pre className="log-lines">{selected.event.raw.join('\n')}</pre>
            : <p className="muted small">{t('checklist.noRaw')}</p>}
        </div>
      )}
    </div>
  );
}
