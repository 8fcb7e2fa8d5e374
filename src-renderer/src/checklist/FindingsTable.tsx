/**
 * The findings table (@tanstack/react-table): every item with its proposal, verdict, evidence count and
 * clauses; filter by text and status, sort by any column (click or Enter on a header), export CSV or XLSX.
 */
import type React from 'react';
import { useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { createColumnHelper, flexRender, getCoreRowModel, getFilteredRowModel, getSortedRowModel, useReactTable, type SortingState } from '@tanstack/react-table';
import type { Finding, ProposalStatus } from '../../../src-preload/checklist';
import { callOrToast, useAsync } from '../workbench-state';
import { api } from '../api-client';
import { loc, STATUS_CLASS } from './checklist-state';

const column = createColumnHelper<Finding>();
const STATUS_ORDER: Record<ProposalStatus, number> = { violation: 0, 'needs-tester': 1, 'insufficient-evidence': 2, 'not-tested': 3, 'none-observed': 4 };

export function FindingsTable({ sessionId, findings, onEvidence }: { sessionId: string; findings: Finding[]; onEvidence: (seq: number) => void }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [sorting, setSorting] = useState<SortingState>([]);
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<ProposalStatus | ''>('');
  const [download, setDownload] = useState<{ fileId: string; fileName: string; path: string } | null>(null);
  const [info] = useAsync(async () => {
    const o = await api.call('app.info', {});
    return o.ok ? o.value : undefined;
  }, []);

  const columns = useMemo(() => [
    column.accessor('item', { header: () => t('checklist.col.item'), cell: (c) => <span className="mono">{c.getValue()}</span> }),
    column.accessor((f) => f.clauses.join(', '), { id: 'clauses', header: () => t('checklist.col.clauses') }),
    column.accessor((f) => loc(f.title, lang), { id: 'title', header: () => t('checklist.col.title') }),
    column.accessor('observation', { header: () => t('checklist.col.observation'), cell: (c) => t(`checklist.observationShort.${c.getValue()}`) }),
    column.accessor('severity', { header: () => t('checklist.col.severity'), cell: (c) => t(`checklist.severity.${c.getValue()}`) }),
    column.accessor((f) => f.proposal.status, {
      id: 'proposal', header: () => t('checklist.col.proposal'), sortingFn: (a, b) => STATUS_ORDER[a.original.proposal.status] - STATUS_ORDER[b.original.proposal.status],
      cell: (c) => <span className={STATUS_CLASS[c.row.original.proposal.status]} title={loc(c.row.original.proposal.explanation, lang)}>{t(`checklist.status.${c.row.original.proposal.status}`)}</span>,
    }),
    column.accessor((f) => f.proposal.evidence.length, {
      id: 'evidence', header: () => t('checklist.col.evidence'),
      cell: (c) => (c.getValue() ? <button className="link" onClick={() => onEvidence(c.row.original.proposal.evidence[0]!)}>{c.getValue()}</button> : '0'),
    }),
    column.accessor((f) => f.verdict ?? '', { id: 'verdict', header: () => t('checklist.col.verdict'), cell: (c) => (c.row.original.verdict ? t(`checklist.verdict.${c.row.original.verdict}`) : '—') }),
  ], [t, lang, onEvidence]);

  const data = useMemo(() => (status ? findings.filter((f) => f.proposal.status === status) : findings), [findings, status]);
  const table = useReactTable({
    data, columns, state: { sorting, globalFilter: query }, onSortingChange: setSorting, onGlobalFilterChange: setQuery,
    getCoreRowModel: getCoreRowModel(), getSortedRowModel: getSortedRowModel(), getFilteredRowModel: getFilteredRowModel(),
  });

  const exportAs = async (format: 'csv' | 'xlsx'): Promise<void> => {
    const r = await callOrToast('checklist.exportFindings', { sessionId, format });
    if (r) setDownload(r);
  };

  return (
    <div className="findings" data-testid="findings">
      <div className="row list-tools">
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('checklist.filter')} aria-label={t('checklist.filter')} data-testid="findings-filter" />
        <select value={status} onChange={(e) => setStatus(e.target.value as ProposalStatus | '')} aria-label={t('checklist.col.proposal')} data-testid="findings-status">
          <option value="">{t('checklist.allStatuses')}</option>
          {(['violation', 'needs-tester', 'insufficient-evidence', 'not-tested', 'none-observed'] as ProposalStatus[]).map((s) => <option key={s} value={s}>{t(`checklist.status.${s}`)}</option>)}
        </select>
        <button onClick={() => void exportAs('csv')} data-testid="findings-csv">CSV</button>
        <button onClick={() => void exportAs('xlsx')} data-testid="findings-xlsx">XLSX</button>
      </div>
      {download && (info?.shell === 'electron'
        ? <p className="mono small">{download.path}</p>
        : <p><a href={`/download?file=${download.fileId}`} download={download.fileName} data-testid="findings-download"><Trans i18nKey="evidence.download" values={{ name: download.fileName }} components={{ code: <code /> }} /></a></p>)}
      <table className="grid" data-testid="findings-table">
        <thead>
          {table.getHeaderGroups().map((g) => (
            <tr key={g.id}>
              {g.headers.map((h) => {
                const sorted = h.column.getIsSorted();
                return (
                  <th key={h.id} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
                    <button className="link sort" onClick={h.column.getToggleSortingHandler()}>
                      {flexRender(h.column.columnDef.header, h.getContext())}{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                    </button>
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((r) => (
            <tr key={r.id} data-finding={r.original.item}>
              {r.getVisibleCells().map((c) => <td key={c.id}>{flexRender(c.column.columnDef.cell, c.getContext())}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">{t('checklist.rows', { shown: table.getRowModel().rows.length, total: findings.length })}</p>
    </div>
  );
}
