/**
 * The findings table as files: CSV (UTF-8 with a BOM so Excel and WPS read Chinese) and XLSX (exceljs), with
 * Chinese headers and English in brackets, one row per item: proposal, verdict, evidence count, clauses, and the
 * network events among its evidence in words (what left the phone: host, SDK, bytes, the value found, masked).
 * Every cell goes through spreadsheet-cell.ts: a note "=HYPERLINK(...)" stays text in Excel and WPS.
 */
import type { Finding } from '../../../src-preload/checklist.js';
import { describeText } from '../../../src-preload/event-description.js';
import type { TimelineEvent } from '../../../src-preload/monitor-events.js';
import { csvField, spreadsheetCell, spreadsheetText } from '../spreadsheet-cell.js';
import type { Entry } from './timeline-facts.js';

/** The network events of a session by seq, for the findings' evidence column (nothing else of the timeline is kept). */
export type NetworkEvidence = ReadonlyMap<number, TimelineEvent>;

/** Network events a finding may point at (connections, requests, values found; the closing bytes beside a connection). */
const NETWORK_EVIDENCE = new Set<string>(['net.connection', 'net.request', 'pi.sent', 'net.proxy']);

export function networkEvidence(entries: Entry[]): NetworkEvidence {
  const out = new Map<number, TimelineEvent>();
  for (const e of entries) if (e.event.source === 'network' && NETWORK_EVIDENCE.has(e.event.type)) out.set(e.seq, e.event);
  return out;
}

/** Events listed in the cell at most (the rest are counted). */
const NETWORK_LISTED = 20;

function networkCell(f: Finding, n: NetworkEvidence | undefined): string {
  if (!n?.size) return '';
  const seqs = f.proposal.evidence.filter((seq) => n.has(seq));
  const lines = seqs.slice(0, NETWORK_LISTED).map((seq) => {
    const e = n.get(seq)!;
    return `#${seq} ${describeText(e, 'zh')} / ${describeText(e, 'en')}`;
  });
  if (seqs.length > NETWORK_LISTED) lines.push(`另有 ${seqs.length - NETWORK_LISTED} 条 (+${seqs.length - NETWORK_LISTED} more)`);
  return lines.join('\n');
}

export const STATUS_ZH = { violation: '疑似违规', 'none-observed': '未发现', 'insufficient-evidence': '证据不足', 'needs-tester': '需人工判断', 'not-tested': '未检测' } as const;
/**
 * The proposal cell's colour in the XLSX: red for a violation, green only for "none observed" (which the core
 * says only over stages that ran), grey for "not tested" and "insufficient evidence".
 */
export const STATUS_FONT: Record<Finding['proposal']['status'], { argb: string; bold?: boolean } | null> = {
  violation: { argb: 'FFB3261E', bold: true }, 'none-observed': { argb: 'FF1B7F3B' }, 'not-tested': { argb: 'FF777777' }, 'insufficient-evidence': { argb: 'FF777777' }, 'needs-tester': null,
};
export const VERDICT_ZH = { pass: '通过', fail: '不通过', 'not-applicable': '不适用' } as const;
export const SEVERITY_ZH = { high: '高', medium: '中', low: '低' } as const;

const COLUMNS: Array<{ header: string; key: string; width: number; value: (f: Finding, n?: NetworkEvidence) => string | number }> = [
  { header: '检测项 (Item)', key: 'item', width: 10, value: (f) => f.item },
  { header: '条款 (Clauses)', key: 'clauses', width: 22, value: (f) => f.clauses.join(', ') },
  { header: '标题 (Title)', key: 'title', width: 36, value: (f) => `${f.title.zh} / ${f.title.en}` },
  { header: '方式 (Observation)', key: 'observation', width: 12, value: (f) => f.observation },
  { header: '严重程度 (Severity)', key: 'severity', width: 10, value: (f) => `${SEVERITY_ZH[f.severity]} (${f.severity})` },
  { header: '建议 (Proposal)', key: 'proposal', width: 16, value: (f) => `${STATUS_ZH[f.proposal.status]} (${f.proposal.status})` },
  { header: '说明 (Explanation)', key: 'explanation', width: 60, value: (f) => `${f.proposal.explanation.zh}\n${f.proposal.explanation.en}` },
  { header: '证据数 (Evidence)', key: 'evidenceCount', width: 10, value: (f) => f.proposal.evidence.length },
  { header: '证据事件 (Events)', key: 'evidence', width: 24, value: (f) => f.proposal.evidence.slice(0, 200).join(' ') },
  { header: '网络证据 (Network evidence)', key: 'network', width: 60, value: (f, n) => networkCell(f, n) },
  { header: '结论 (Verdict)', key: 'verdict', width: 14, value: (f) => (f.verdict ? `${VERDICT_ZH[f.verdict]} (${f.verdict})` : '') },
  { header: '备注 (Note)', key: 'note', width: 40, value: (f) => f.verdictNote ?? '' },
  { header: '待核实 (To verify)', key: 'toVerify', width: 10, value: (f) => (f.toVerify ? '是 (yes)' : '') },
];

/** `network`: the session's network events (networkEvidence), to say in words what a finding's network evidence is. */
export function findingsCsv(findings: Finding[], network?: NetworkEvidence): string {
  const lines = [COLUMNS.map((c) => csvField(c.header)).join(','), ...findings.map((f) => COLUMNS.map((c) => csvField(c.value(f, network))).join(','))];
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

export async function findingsXlsx(findings: Finding[], title: string, network?: NetworkEvidence): Promise<Buffer> {
  // exceljs takes ~200 ms to load: only an export that writes a workbook pays for it.
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  book.creator = 'AppRights Workbench';
  book.created = new Date();
  const sheet = book.addWorksheet('检测结果 Findings', { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow([spreadsheetText(title.slice(0, 200))]).font = { bold: true, size: 13 };
  const header = sheet.addRow(COLUMNS.map((c) => c.header));
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  COLUMNS.forEach((c, i) => (sheet.getColumn(i + 1).width = c.width));
  for (const f of findings) {
    const row = sheet.addRow(COLUMNS.map((c) => spreadsheetCell(c.value(f, network))));
    row.alignment = { vertical: 'top', wrapText: true };
    const font = STATUS_FONT[f.proposal.status];
    if (font) row.getCell(6).font = { color: { argb: font.argb }, bold: font.bold ?? false };
  }
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2 + findings.length, column: COLUMNS.length } };
  return Buffer.from(await book.xlsx.writeBuffer());
}
