/**
 * Logs: start a monitor on a phone (optionally focused on one app), then watch its logcat in xterm and its
 * evidence stream — permission prompts and answers, sensitive accesses, process starts — as a timeline.
 * Prompts and sensitive accesses pop up as they happen. Opened again (after another page, or a reload) it
 * shows what the running monitor has seen, and keeps its phone, package and filters.
 */
import type React from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LogLineView, MonitorEvent, MonitorStatus } from '../../../src-preload/api';
import { api } from '../api-client';
import { callOrToast, pushToast, useAsync, useStream } from '../workbench-state';
import { LogTerminal, type LogFilter, type LogTerminalHandle } from './LogTerminal';
import { EventTimeline } from './EventTimeline';
import { eventSummary, isNotable } from './event-text';
import i18n from '../i18n';
import { phoneName } from '../../../src-preload/phone-name';

const MAX_EVENTS = 50_000;
const SAVED = 'apprights.logs';

interface SavedView {
  serial: string;
  pkg: string;
  filter: LogFilter;
  tagText: string;
}

function savedView(): Partial<SavedView> {
  try {
    return JSON.parse(localStorage.getItem(SAVED) ?? '{}') as Partial<SavedView>;
  } catch {
    return {};
  }
}

/** Poll-derived events carry the dump's device time and may arrive after later log events: each goes in time
 * order (a short walk from the end; arrival is almost ordered), and one already held (same seq) is skipped. */
function insertByTime(list: MonitorEvent[], items: MonitorEvent[]): MonitorEvent[] {
  const next = list.slice();
  const seen = new Set(next.slice(-5000).map((e) => e.seq));
  for (const e of items) {
    if (seen.has(e.seq)) continue;
    const at = e.deviceTime ?? e.hostTime;
    let i = next.length;
    while (i > 0 && (next[i - 1]!.deviceTime ?? next[i - 1]!.hostTime) > at) i--;
    next.splice(i, 0, e);
  }
  return next.length > MAX_EVENTS ? next.slice(next.length - MAX_EVENTS) : next;
}

export function LogsPage(): React.JSX.Element {
  const { t } = useTranslation();
  const devices = (useStream('devices', 'devices.list') ?? []).filter((d) => d.state === 'device');
  const [saved] = useState(savedView);
  const [serial, setSerial] = useState(saved.serial ?? '');
  const chosen = devices.some((d) => d.serial === serial) ? serial : devices[0]?.serial || '';
  const [pkg, setPkg] = useState(saved.pkg ?? '');
  const [apps] = useAsync(() => (chosen ? callOrToast('device.packages', { serial: chosen }) : Promise.resolve(undefined)), [chosen]);
  const [status, setStatus] = useState<MonitorStatus | null>(null);
  const [events, setEvents] = useState<MonitorEvent[]>([]);
  const [filter, setFilter] = useState<LogFilter>(saved.filter ?? { appOnly: false, minLevel: 'V', tags: [] });
  const [tagText, setTagText] = useState(saved.tagText ?? '');
  const [paused, setPaused] = useState(false);
  const [query, setQuery] = useState('');
  const [regex, setRegex] = useState(false);
  const [dropped, setDropped] = useState(0);
  const terminal = useRef<LogTerminalHandle>(null);

  useEffect(() => {
    localStorage.setItem(SAVED, JSON.stringify({ serial: chosen, pkg, filter, tagText } satisfies SavedView));
  }, [chosen, pkg, filter, tagText]);

  // A monitor may be running already (started before this page was opened): show that one.
  useEffect(() => {
    void callOrToast('monitor.status', {}).then((list) => {
      const mine = list?.find((m) => m.serial === chosen) ?? (serial ? undefined : list?.[0]);
      if (!mine) return;
      setSerial(mine.serial);
      setStatus(mine);
      if (mine.packageName) setPkg(mine.packageName);
    });
  }, [chosen, serial]);

  useEffect(() => {
    const current = status?.serial;
    if (!current) return;
    // Live batches that arrive while the snapshot is on its way wait, then join it without a gap or a repeat.
    let live = false;
    const early: LogLineView[] = [];
    const earlyEvents: MonitorEvent[] = [];
    const offLines = api.subscribe('logLines', (batches) => {
      let lines: LogLineView[] = [];
      let lost = 0;
      for (const b of batches) {
        if (b.serial !== current) continue;
        lines = lines.concat(b.lines);
        lost += b.dropped;
      }
      if (!live) {
        early.push(...lines);
        return;
      }
      if (lines.length) terminal.current?.append(lines);
      if (lost) {
        setDropped((d) => d + lost);
        terminal.current?.note(t('logs.dropped', { count: lost }));
      }
    });
    const offEvents = api.subscribe('monitorEvent', (items) => {
      const mine = items.filter((e) => e.serial === current);
      if (!mine.length) return;
      if (!live) {
        earlyEvents.push(...mine);
        return;
      }
      setEvents((list) => insertByTime(list, mine));
      for (const e of mine.filter(isNotable).slice(-3)) pushToast({ error: null, message: eventSummary(e, i18n.language) });
    });
    void api.call('monitor.recent', { serial: current }).then((o) => {
      if (!o.ok) return;
      const { lines, events: held } = o.value;
      terminal.current?.clear();
      terminal.current?.append(lines);
      const last = lines[lines.length - 1];
      const seam = last ? early.findIndex((l) => l.time === last.time && l.pid === last.pid && l.message === last.message) : -1;
      terminal.current?.append(early.slice(seam + 1));
      setEvents(insertByTime(insertByTime([], held), earlyEvents));
      live = true;
    });
    return () => {
      offLines();
      offEvents();
    };
  }, [status?.serial, t]);

  const start = async (): Promise<void> => {
    terminal.current?.clear();
    setEvents([]);
    setDropped(0);
    const s = await callOrToast('monitor.start', { serial: chosen, packageName: pkg.trim() || null });
    if (s) {
      setStatus(s);
      if (s.packageName) setFilter((f) => ({ ...f, appOnly: true }));
    }
  };
  const stop = async (): Promise<void> => {
    if (status) await callOrToast('monitor.stop', { serial: status.serial });
    setStatus(null);
  };

  const find = (backwards = false): void => {
    if (query && !terminal.current?.find(query, regex, backwards)) pushToast({ error: null, message: t('logs.notFound', { query }) });
  };
  const counts = useMemo(() => events.reduce<Record<string, number>>((acc, e) => ((acc[e.type] = (acc[e.type] ?? 0) + 1), acc), {}), [events]);

  return (
    <section className="page logs-page">
      <h1>{t('nav.logs')}</h1>
      <div className="row controls">
        <select value={chosen} onChange={(e) => setSerial(e.target.value)} aria-label={t('logs.device')} disabled={!!status} data-testid="monitor-device">
          {devices.length === 0 && <option value="">{t('logs.noDevice')}</option>}
          {devices.map((d) => <option key={d.serial} value={d.serial}>{phoneName(d.manufacturer, d.model) || d.serial} · {d.serial}</option>)}
        </select>
        <input value={pkg} onChange={(e) => setPkg(e.target.value)} list="monitor-apps" placeholder={t('logs.package')} aria-label={t('logs.package')} disabled={!!status} spellCheck={false} data-testid="monitor-package" />
        <datalist id="monitor-apps">{apps?.map((a) => <option key={a.packageName} value={a.packageName} />)}</datalist>
        {status
          ? <button onClick={() => void stop()} data-testid="monitor-stop">{t('logs.stop')}</button>
          : <button className="primary" disabled={!chosen} onClick={() => void start()} data-testid="monitor-start">{t('logs.start')}</button>}
        {status && <span className="muted small" data-testid="monitor-status">{t('logs.rawLog', { path: status.rawLogPath })}</span>}
      </div>
      <div className="row controls">
        <label className="check"><input type="checkbox" checked={filter.appOnly} onChange={(e) => setFilter({ ...filter, appOnly: e.target.checked })} data-testid="app-only" /> {t('logs.appOnly')}</label>
        <select value={filter.minLevel} onChange={(e) => setFilter({ ...filter, minLevel: e.target.value as LogFilter['minLevel'] })} aria-label={t('logs.level')} data-testid="min-level">
          {['V', 'D', 'I', 'W', 'E', 'F'].map((l) => <option key={l} value={l}>{t(`logs.levels.${l}`)}</option>)}
        </select>
        <input value={tagText} onChange={(e) => setTagText(e.target.value)} onBlur={() => setFilter({ ...filter, tags: tagText.split(',').map((s) => s.trim()).filter(Boolean) })}
          onKeyDown={(e) => e.key === 'Enter' && setFilter({ ...filter, tags: tagText.split(',').map((s) => s.trim()).filter(Boolean) })} placeholder={t('logs.tags')} aria-label={t('logs.tags')} spellCheck={false} />
        <input value={query} onChange={(e) => setQuery(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && find(e.shiftKey)} placeholder={t('logs.search')} aria-label={t('logs.search')} data-testid="log-search" />
        <label className="check"><input type="checkbox" checked={regex} onChange={(e) => setRegex(e.target.checked)} /> {t('logs.regex')}</label>
        <button onClick={() => find()}>{t('logs.findNext')}</button>
        <button onClick={() => setPaused((p) => !p)} aria-pressed={paused} data-testid="pause">{paused ? t('logs.follow') : t('logs.pause')}</button>
      </div>
      {dropped > 0 && <p className="muted small" role="status">{t('logs.droppedTotal', { count: dropped })}</p>}
      <LogTerminal ref={terminal} filter={filter} paused={paused} />
      <h2 className="timeline-title">{t('logs.timeline')} <span className="muted small">{Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(' · ')}</span></h2>
      <EventTimeline events={events} onSelect={(e) => {
        const line = e.raw[0];
        if (line && !terminal.current?.find(line.slice(Math.max(0, line.indexOf(': ') + 2), Math.max(0, line.indexOf(': ') + 2) + 80), false)) pushToast({ error: null, message: t('logs.lineGone') });
      }} />
    </section>
  );
}
