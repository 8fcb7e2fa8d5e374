/**
 * The spreadsheet view of a batch: one row per APK (identity, SDK levels, dangerous permissions, SDKs, the
 * signature verdict, risks by severity, or the refusal), appended as each finishes. Every cell goes through
 * csvField (spreadsheet-cell.ts): quoted, and defused when a spreadsheet would run it as a formula.
 */
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { csvField } from '../../spreadsheet-cell.js';
import type { AnalysisOutcome } from '../analysis-pool.js';

const HEADER = ['path', 'sha256', 'package', 'versionName', 'versionCode', 'label', 'minSdk', 'targetSdk', 'dangerousPermissions', 'sdks',
  'signature', 'signers', 'risksHigh', 'risksMedium', 'riskCodes', 'error'];

export function csvRow(o: AnalysisOutcome, sha256: string | null): string {
  if (!o.ok) return [o.path, sha256, '', '', '', '', '', '', '', '', '', '', '', '', '', String(o.error.details.message ?? o.error.code)].map(csvField).join(',');
  const a = o.analysis;
  const risks = (severity: string): number => a.risks.filter((r) => r.severity === severity).length;
  const verdict = a.signatures.verification;
  return [
    o.path, a.file.sha256, a.packageName, a.versionName, a.versionCode, a.label.zhCN ?? a.label.default, a.minSdk, a.targetSdk,
    a.permissions.filter((p) => p.dangerous).map((p) => p.name.replace('android.permission.', '')).join(' '),
    a.sdks.map((s) => s.id).join(' '),
    !a.signatures.schemes.length ? 'unsigned' : verdict.verified ? 'verified' : `failed: ${verdict.errors[0]?.scheme} ${verdict.errors[0]?.kind}`,
    a.signatures.certificates.map((c) => c.subject).join(' | '),
    risks('high'), risks('medium'), [...new Set(a.risks.map((r) => r.code))].join(' '), '',
  ].map(csvField).join(',');
}

export function openCsv(path: string, append: boolean): { write(o: AnalysisOutcome, sha256: string | null): void; close(): void } {
  const fresh = !append || !existsSync(path) || statSync(path).size === 0;
  const fd = openSync(path, append ? 'a' : 'w', 0o600);
  // A BOM so Excel opens Chinese labels as UTF-8.
  if (fresh) writeSync(fd, `\ufeff${HEADER.map(csvField).join(',')}\r\n`);
  return { write: (o, sha) => void writeSync(fd, `${csvRow(o, sha)}\r\n`), close: () => closeSync(fd) };
}
