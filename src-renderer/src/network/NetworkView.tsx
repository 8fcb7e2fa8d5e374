/**
 * The session's Network view: every connection that left the phone through the workbench's proxy, one row each
 * in a virtualised TanStack table (time, app, host:port, SDK and company, TLS, bytes, duration, the phone's own
 * values found), filtered by app, SDK, stage, "values found only" and typed text; the detail pane of the chosen
 * connection below it. Keyboard: ↑/↓ (Page, Home, End) move the selection, Enter opens the detail, Escape closes
 * it, / goes to the text filter. While the session records, new connections are read as they arrive and only the
 * rows they add or change are drawn again (rows are memoised on their connection).
 */
import type React from 'react';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable, type ColumnDef, type Row } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { SessionInfo } from '../../../src-preload/api';
import { isTyping } from '../checklist/checklist-state';
import { errorText } from '../error-text';
import { useStageTitle } from '../checklist/stage-titles';
import { clockTime } from '../logs/event-text';
import { formatBytes } from './body-bytes';
import type { Flow } from '../../../src-preload/network-flows';
import { filterChoices, flowMatches, isFiltered, NO_FILTER, NO_SDK, NO_STAGE, UNATTRIBUTED, type FlowFilter } from './flow-filter';
import { formatDurationMs, piKindWord, piKinds, tlsKind } from './flow-words';
import { FlowDetail } from './FlowDetail';
import { useSessionFlows } from './use-session-flows';

/** Two lines a row: host and SNI, SDK and company, bytes up and down, kinds and a masked value. */
const ROW_HEIGHT = 38;
const col = createColumnHelper<Flow>();

export function NetworkView({ session, stageOrder }: { session: SessionInfo; stageOrder: readonly string[] }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const stageTitle = useStageTitle();
  const { flows, read, error } = useSessionFlows(session.id, session.timeline.count);
  const [filter, setFilter] = useState<FlowFilter>(NO_FILTER);
  const [selected, setSelected] = useState<string | null>(null);
  const [detail, setDetail] = useState(false);
  const filterInput = useRef<HTMLInputElement>(null);
  const scroller = useRef<HTMLDivElement>(null);

  const shown = useMemo(() => (isFiltered(filter) ? flows.filter((f) => flowMatches(f, filter)) : flows), [flows, filter]);
  const choices = useMemo(() => filterChoices(flows), [flows]);
  const stages = useMemo(() => {
    const order = (id: string): number => (id === NO_STAGE ? -1 : stageOrder.includes(id) ? stageOrder.indexOf(id) : stageOrder.length);
    return [...choices.stages].sort((a, b) => order(a) - order(b));
  }, [choices.stages, stageOrder]);

  const columns = useMemo(() => flowColumns(t, lang), [t, lang]);
  const table = useReactTable({ data: shown as Flow[], columns, getCoreRowModel: getCoreRowModel(), getRowId: (f) => f.key });
  const rows = table.getRowModel().rows;
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });

  const index = useMemo(() => (selected === null ? -1 : rows.findIndex((r) => r.id === selected)), [rows, selected]);
  const chosen = index >= 0 ? rows[index]!.original : null;
  const pick = useCallback((key: string, open: boolean) => {
    setSelected(key);
    if (open) setDetail(true);
  }, []);
  const move = (to: number): void => {
    if (!rows.length) return;
    const next = Math.max(0, Math.min(rows.length - 1, to));
    setSelected(rows[next]!.id);
    virtual.scrollToIndex(next, { align: 'auto' });
  };
  const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 280) / ROW_HEIGHT) - 1);
  const onKey = (e: React.KeyboardEvent): void => {
    const at = index < 0 ? -1 : index;
    if (e.key === 'ArrowDown') move(at + 1);
    else if (e.key === 'ArrowUp') move(at < 0 ? 0 : at - 1);
    else if (e.key === 'PageDown') move(at + page);
    else if (e.key === 'PageUp') move(at - page);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(rows.length - 1);
    else if (e.key === 'Enter' && chosen) setDetail(true);
    else if (e.key === 'Escape' && detail) setDetail(false);
    else return;
    e.preventDefault();
  };

  // "/" goes to the filter from anywhere in the view's page, as in the terminals and viewers testers know.
  useEffect(() => {
    const onSlash = (e: KeyboardEvent): void => {
      if (e.key !== '/' || isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      e.preventDefault();
      filterInput.current?.focus();
      filterInput.current?.select();
    };
    window.addEventListener('keydown', onSlash);
    return () => window.removeEventListener('keydown', onSlash);
  }, []);

  const set = (patch: Partial<FlowFilter>): void => setFilter((f) => ({ ...f, ...patch }));
  const stageName = (id: string): string => (id === NO_STAGE ? t('network.beforeStages') : stageTitle(id) ?? id);

  return (
    <div className="network-view" data-testid="network-view">
      <div className="row network-filters">
        <select value={filter.app} onChange={(e) => set({ app: e.target.value })} aria-label={t('network.filter.app')} data-testid="flow-filter-app">
          <option value="">{t('network.filter.allApps')}</option>
          {choices.apps.map((a) => a === UNATTRIBUTED ? <option key={a} value={a}>{t('network.unattributed')}</option> : <option key={a} value={a} translate="no">{a}</option>)}
        </select>
        <select value={filter.sdk} onChange={(e) => set({ sdk: e.target.value })} aria-label={t('network.filter.sdk')} data-testid="flow-filter-sdk">
          <option value="">{t('network.filter.allSdks')}</option>
          {choices.sdks.map((s) => <option key={s.id} value={s.id} translate="no">{lang.startsWith('zh') ? s.name.zh : s.name.en}</option>)}
          {choices.none && <option value={NO_SDK}>{t('network.noSdk')}</option>}
        </select>
        <select value={filter.stage} onChange={(e) => set({ stage: e.target.value })} aria-label={t('network.filter.stage')} data-testid="flow-filter-stage">
          <option value="">{t('network.filter.allStages')}</option>
          {stages.map((s) => <option key={s} value={s}>{stageName(s)}</option>)}
        </select>
        <label className="check"><input type="checkbox" checked={filter.piOnly} onChange={(e) => set({ piOnly: e.target.checked })} data-testid="flow-filter-pi" /> {t('network.filter.piOnly')}</label>
        <input ref={filterInput} type="search" value={filter.text} onChange={(e) => set({ text: e.target.value })} placeholder={t('network.filter.text')} aria-label={t('network.filter.text')}
          onKeyDown={(e) => {
            if (e.key === 'Escape') set({ text: '' });
            else if (e.key === 'ArrowDown' || e.key === 'Enter') {
              e.preventDefault();
              scroller.current?.focus();
              if (index < 0) move(0);
            }
          }} spellCheck={false} data-testid="flow-filter-text" />
        <span className="spacer" />
        <span className="muted small" data-testid="flow-count" data-shown={rows.length} data-total={flows.length}>
          {isFiltered(filter) ? t('network.countFiltered', { shown: rows.length, total: flows.length }) : t('network.count', { count: flows.length })}
          {read < session.timeline.count && ` ${t('network.reading', { read, count: session.timeline.count })}`}
        </span>
      </div>
      {error && <p className="bad small">{errorText(error, t)}</p>}
      <div className={detail && chosen ? 'network-split with-detail' : 'network-split'}>
        <div className="flow-table" ref={scroller} tabIndex={0} role="grid" aria-label={t('network.table')} aria-rowcount={rows.length + 1} onKeyDown={onKey} data-testid="flow-table">
          {table.getHeaderGroups().map((hg) => (
            <div key={hg.id} className="flow-head" role="row" aria-rowindex={1}>
              {hg.headers.map((h) => <div key={h.id} role="columnheader" className={`flow-cell c-${h.id}`}>{flexRender(h.column.columnDef.header, h.getContext())}</div>)}
            </div>
          ))}
          <div className="flow-body" role="rowgroup" style={{ height: virtual.getTotalSize() }}>
            {virtual.getVirtualItems().map((v) => {
              const row = rows[v.index]!;
              return <FlowRow key={row.id} row={row} flow={row.original} columns={columns} selected={row.id === selected} start={v.start} index={v.index} onPick={pick} />;
            })}
          </div>
          {flows.length === 0 && read >= session.timeline.count && <p className="muted empty" data-testid="flow-none">{t('network.none')}</p>}
          {flows.length > 0 && rows.length === 0 && <p className="muted empty">{t('network.noneFiltered')}</p>}
        </div>
        {detail && chosen && <FlowDetail sessionId={session.id} flow={chosen} stageName={stageName} onClose={() => { setDetail(false); scroller.current?.focus(); }} />}
      </div>
    </div>
  );
}

interface FlowRowProps {
  row: Row<Flow>;
  flow: Flow;
  columns: unknown;
  selected: boolean;
  start: number;
  index: number;
  onPick: (key: string, open: boolean) => void;
}

/**
 * One connection's row. Drawn again only when its connection changed (closed, a request or a match came), it was
 * selected or deselected, it moved, or the language changed: a live page of new connections leaves the rest alone.
 */
const FlowRow = memo(function FlowRow({ row, flow, selected, start, index, onPick }: FlowRowProps): React.JSX.Element {
  return (
    <div role="row" data-testid="flow-row" data-flow={flow.flowId} className={selected ? 'flow-row selected' : 'flow-row'} aria-selected={selected} aria-rowindex={index + 2}
      style={{ top: start, height: ROW_HEIGHT }} onClick={() => onPick(flow.key, false)} onDoubleClick={() => onPick(flow.key, true)}>
      {row.getVisibleCells().map((c) => <div key={c.column.id} role="gridcell" className={`flow-cell c-${c.column.id}`}>{flexRender(c.column.columnDef.cell, c.getContext())}</div>)}
    </div>
  );
}, (a, b) => a.flow === b.flow && a.selected === b.selected && a.start === b.start && a.index === b.index && a.columns === b.columns && a.onPick === b.onPick);

type T = (key: string, values?: Record<string, unknown>) => string;

/** The columns; their widths are the stylesheet's (.c-<id>): fixed for time, TLS and duration, shared for the rest. */
function flowColumns(t: T, lang: string): ColumnDef<Flow>[] {
  const zh = lang.startsWith('zh');
  return [
    col.display({ id: 'time', header: () => t('network.col.time'), cell: (c) => <span className="mono">{clockTime(c.row.original.at)}</span> }),
    col.display({ id: 'app', header: () => t('network.col.app'), cell: (c) => <AppCell flow={c.row.original} t={t} /> }),
    col.display({
      id: 'host', header: () => t('network.col.host'),
      cell: (c) => {
        const f = c.row.original;
        return (
          <>
            <span className="line" title={f.orphan ? t('network.orphan') : undefined}>{f.orphan && <span className="warn">⚠ </span>}<code>{f.host}:{f.port}</code></span>
            {f.sni && f.sni !== f.host && <span className="line muted">SNI <code>{f.sni}</code></span>}
          </>
        );
      },
    }),
    col.display({
      id: 'sdk', header: () => t('network.col.sdk'),
      cell: (c) => {
        const s = c.row.original.sdk;
        if (!s) return <span className="muted">—</span>;
        return (
          <>
            <span className="line" translate="no">{zh ? s.name.zh : s.name.en}</span>
            <span className="line muted">{s.scope === 'company' && <>{t('network.companyHost')} · </>}<span translate="no">{s.vendor}</span></span>
          </>
        );
      },
    }),
    col.display({ id: 'tls', header: () => t('network.col.tls'), cell: (c) => { const k = tlsKind(c.row.original); return <span className={`tls-${k}`}>{t(`network.tls.${k}`)}</span>; } }),
    col.display({
      id: 'bytes', header: () => t('network.col.bytes'),
      cell: (c) => { const x = c.row.original.closed; return x ? <span className="mono"><span className="line">↑{formatBytes(x.bytesUp)}</span><span className="line">↓{formatBytes(x.bytesDown)}</span></span> : <span className="muted">—</span>; },
    }),
    col.display({
      id: 'duration', header: () => t('network.col.duration'),
      cell: (c) => { const x = c.row.original.closed; return x ? <span className={x.error ? 'bad' : undefined} title={x.error ?? undefined}>{formatDurationMs(x.durationMs)}</span> : <span className="muted">{t('network.stillOpen')}</span>; },
    }),
    col.display({
      id: 'pi', header: () => t('network.col.pi'),
      cell: (c) => {
        const f = c.row.original;
        if (!f.pi.length) return <span className="muted">—</span>;
        return <><span className="line bad">{piKinds(f).map((k) => piKindWord(k, lang)).join(zh ? '、' : ', ')}</span><span className="line"><code>{f.pi[0]!.masked}</code>{f.pi.length > 1 && <span className="muted"> +{f.pi.length - 1}</span>}</span></>;
      },
    }),
  ];
}

function AppCell({ flow, t }: { flow: Flow; t: T }): React.JSX.Element {
  const a = flow.app;
  if (a.packageName) return <><span className="line"><code>{a.packageName}</code></span>{a.uid !== null && <span className="line muted"><code>uid {a.uid}</code></span>}</>;
  return (
    <span title={a.foreground ? t('network.foregroundWas', { app: a.foreground }) : undefined}>
      <span className="line warn">{t('network.unattributed')}</span>
      {a.candidates.length > 0 && <span className="line"><code>{a.candidates.join(' | ')}</code></span>}
    </span>
  );
}
