/**
 * What a batch found, counted as results arrive (memory bounded by the number of distinct SDKs, permissions
 * and risk codes, whatever the number of APKs): APKs analysed and refused, SDKs and dangerous permissions by
 * how many APKs carry them, APKs by their worst risk, risks by code, and signature verdicts.
 */
import type { ApkAnalysis } from '../analyze-apk.js';
import type { AnalysisOutcome } from '../analysis-pool.js';
import type { ResultLine } from './results-file.js';

type Severity = 'high' | 'medium' | 'low' | 'info';

/** A count map's entries, most APKs first, ties by name. */
function byCount<T>(m: Map<string, T>, n: (v: T) => number): Array<[string, T]> {
  return [...m].sort((x, y) => n(y[1]) - n(x[1]) || x[0].localeCompare(y[0]));
}
const SEVERITIES: Severity[] = ['high', 'medium', 'low', 'info'];

export class TriageSummary {
  analysed = 0;
  refused = 0;
  skipped = 0;
  readonly sdks = new Map<string, { name: string; vendor: string; apks: number }>();
  readonly dangerousPermissions = new Map<string, number>();
  readonly worstRisk: Record<Severity | 'none', number> = { high: 0, medium: 0, low: 0, info: 0, none: 0 };
  readonly risks = new Map<string, { severity: Severity; apks: number }>();
  readonly signatures = { verified: 0, failed: 0, unsigned: 0 };
  readonly refusals = new Map<string, number>();

  /** A line of an earlier run of the same batch (resumed): counted like a new result. */
  addLine(line: ResultLine): void {
    this.skipped++;
    if (line.error) this.add({ path: String(line.path ?? ''), ok: false, ms: 0, peakBytes: null, error: line.error as Extract<AnalysisOutcome, { ok: false }>['error'] });
    else this.add({ path: String(line.path ?? ''), ok: true, ms: 0, peakBytes: null, analysis: line as unknown as ApkAnalysis });
  }

  add(o: AnalysisOutcome): void {
    if (!o.ok) {
      this.refused++;
      const reason = String(o.error.details.message ?? o.error.code).replace(/\s*\(.*$/, '').slice(0, 80);
      this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1);
      return;
    }
    const a = o.analysis;
    this.analysed++;
    for (const s of a.sdks) {
      const e = this.sdks.get(s.id) ?? { name: `${s.name.zh} / ${s.name.en}`, vendor: s.vendor, apks: 0 };
      e.apks++;
      this.sdks.set(s.id, e);
    }
    for (const p of new Set(a.permissions.filter((x) => x.dangerous).map((x) => x.name))) this.dangerousPermissions.set(p, (this.dangerousPermissions.get(p) ?? 0) + 1);
    const codes = new Map(a.risks.map((r) => [r.code, r.severity]));
    for (const [code, severity] of codes) {
      const e = this.risks.get(code) ?? { severity, apks: 0 };
      e.apks++;
      this.risks.set(code, e);
    }
    this.worstRisk[SEVERITIES.find((s) => a.risks.some((r) => r.severity === s)) ?? 'none']++;
    if (!a.signatures.schemes.length) this.signatures.unsigned++;
    else if (a.signatures.verification.verified) this.signatures.verified++;
    else this.signatures.failed++;
  }

  toJSON(): object {
    return {
      analysed: this.analysed, refused: this.refused, skipped: this.skipped,
      sdks: byCount(this.sdks, (v) => v.apks).map(([id, v]) => ({ id, ...v })),
      dangerousPermissions: byCount(this.dangerousPermissions, (v) => v).map(([name, apks]) => ({ name, apks })),
      worstRisk: this.worstRisk,
      risks: byCount(this.risks, (v) => v.apks).map(([code, v]) => ({ code, ...v })),
      signatures: this.signatures,
      refusals: byCount(this.refusals, (v) => v).map(([reason, apks]) => ({ reason, apks })),
    };
  }

  /**
   * For a person: the counts, then the 15 most common SDKs, permissions and risks. `show` guards each name
   * for where it is printed (refusal reasons and permission names come from the APKs).
   */
  format(show: (value: string) => string = (v) => v): string {
    const lines = [`Summary 汇总: ${this.analysed} analysed 已分析, ${this.refused} refused 拒绝${this.skipped ? ` (${this.skipped} of them from the earlier run 含上次运行)` : ''}`];
    lines.push(`Signatures 签名: ${this.signatures.verified} verify, ${this.signatures.failed} do not verify, ${this.signatures.unsigned} unsigned`);
    lines.push(`Worst risk per APK 最高风险: ${SEVERITIES.map((s) => `${s} ${this.worstRisk[s]}`).join(', ')}, none ${this.worstRisk.none}`);
    const list = (title: string, rows: Array<[string, number]>): void => {
      if (!rows.length) return;
      lines.push(title);
      for (const [name, n] of rows.slice(0, 15)) lines.push(`  ${String(n).padStart(6)}  ${show(name)}`);
      if (rows.length > 15) lines.push(`  … ${rows.length - 15} more (see --json)`);
    };
    const sorted = <T>(m: Map<string, T>, n: (v: T) => number, label: (k: string, v: T) => string): Array<[string, number]> =>
      byCount(m, n).map(([k, v]) => [label(k, v), n(v)]);
    list('SDKs (APKs carrying each) 第三方SDK:', sorted(this.sdks, (v) => v.apks, (_, v) => `${v.name} (${v.vendor})`));
    list('Dangerous permissions (APKs asking) 危险权限:', sorted(this.dangerousPermissions, (v) => v, (k) => k.replace('android.permission.', '')));
    list('Risks (APKs with each) 风险:', sorted(this.risks, (v) => v.apks, (k, v) => `${k} [${v.severity}]`));
    list('Refused 拒绝原因:', sorted(this.refusals, (v) => v, (k) => k));
    return lines.join('\n') + '\n';
  }
}
