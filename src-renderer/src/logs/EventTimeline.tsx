/**
 * The events timeline: every typed event of the monitor, newest last, in a virtualized table (TanStack Table
 * + Virtual) so hours of events stay smooth. Selecting a row asks the log view to find its lines.
 */
import type React from 'react';
import { useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { MonitorEvent } from '../../../src-preload/api';
import { clockTime, eventState, eventSubject, eventSummary } from './event-text';
import { EventLine } from './EventLine';

const col = createColumnHelper<MonitorEvent>();

export function EventTimeline({ events, onSelect }: { events: MonitorEvent[]; onSelect: (e: MonitorEvent) => void }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const columns = useMemo(() => [
    col.accessor((e) => e.deviceTime ?? e.hostTime, {
      id: 'time', header: () => t('logs.col.time'), size: 110,
      cell: (c) => clockTime(c.getValue()),
    }),
    col.accessor('type', { header: () => t('logs.col.type'), size: 150, cell: (c) => <span className={`ev ev-${c.getValue().replace('.', '-')}`}>{c.getValue()}</span> }),
    col.accessor((e) => eventSubject(e), { id: 'subject', header: () => t('logs.col.subject'), size: 200 }),
    col.accessor((e) => eventState(e), { id: 'state', header: () => t('logs.col.state'), size: 90 }),
    col.accessor((e) => eventSummary(e, lang), { id: 'summary', header: () => t('logs.col.summary'), size: 420, cell: (c) => <EventLine event={c.row.original} lang={lang} /> }),
  ], [t, lang]);
  const table = useReactTable({ data: events, columns, getCoreRowModel: getCoreRowModel() });
  const rows = table.getRowModel().rows;
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => 28, overscan: 12 });

  return (
    <div className="timeline" ref={scroller} data-testid="event-timeline">
      <table className="grid">
        <thead>
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id}>{hg.headers.map((h) => <th key={h.id} style={{ width: h.getSize() }}>{flexRender(h.column.columnDef.header, h.getContext())}</th>)}</tr>
          ))}
        </thead>
        <tbody style={{ height: virtual.getTotalSize(), position: 'relative', display: 'block' }}>
          {virtual.getVirtualItems().map((v) => {
            const row = rows[v.index]!;
            return (
              <tr key={row.id} data-testid="event-row" data-type={row.original.type} tabIndex={0}
                style={{ position: 'absolute', top: v.start, height: v.size, display: 'table', tableLayout: 'fixed', width: '100%' }}
                onClick={() => onSelect(row.original)} onKeyDown={(e) => e.key === 'Enter' && onSelect(row.original)}>
                {row.getVisibleCells().map((c) => <td key={c.id} style={{ width: c.column.getSize() }}>{flexRender(c.column.columnDef.cell, c.getContext())}</td>)}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
