/**
 * The colours of a package follow what was tested: in report.html and findings.xlsx a "none observed" is green
 * only because the core said it over stages that ran, a "not tested" is grey; and trusted time is marked ✓
 * (report.html, the verifier's check) only when an RFC 3161 token is in the package — without a TSA, or when
 * the TSA failed, it says "no trusted time (host clock only)" in Chinese and English. Sessions recorded with the
 * real Session class, exported and verified with the real code; the TSA is `openssl ts` on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingsXlsx } from '../../../../src-main/core/checklist/findings-export.js';
import { exportPackage, IdentityStore, verifyPackage } from '../../../../src-main/core/evidence/index.js';
import { reportPolicy } from '../../../../src-main/core/policy/session-comparison.js';
import { judgeSession } from '../../../../src-main/core/checklist/session-findings.js';
import { PASSPHRASE, readEntries, startTsa, TOOL } from '../../../support/evidence-fixtures.js';
import { miit164, RecordedSession } from '../../../support/recorded-session.js';

let root: string;
let tsa: Awaited<ReturnType<typeof startTsa>>;
let bad: Awaited<ReturnType<typeof startTsa>>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'report-marks-'));
  tsa = await startTsa(join(root, 'tsa'));
  bad = await startTsa(join(root, 'tsa-bad'), 'garbage');
}, 60_000);

afterAll(async () => {
  await tsa?.close();
  await bad?.close();
  rmSync(root, { recursive: true, force: true });
});

/** First launch walked (the app ran, location read), the force-stop wait done, the reboot skipped: 164-2.4 tested, 164-6.1 not. */
async function walked(): Promise<string> {
  const r = new RecordedSession(root);
  r.firstLaunch(0);
  // Location read before the privacy dialog was answered: 164-1.1 is a violation.
  r.observed(500, { type: 'appop.access', op: 'FINE_LOCATION', uidState: 'top', flags: '', accessTime: null }, 'appops');
  r.ran(30_000, 'first-launch');
  r.selfStartWait(30_001);
  r.ran(60_002, 'reboot', 'skipped', 'reboot not requested (--reboot)');
  await r.s.setState('closed', null);
  await r.s.release();
  return r.s.dir;
}

async function exported(name: string, tsaUrl: string | null): Promise<{ path: string; entries: Map<string, Buffer> }> {
  const dir = await walked();
  const store = new IdentityStore(join(root, 'data'));
  const id = store.list()[0]?.id ?? (await store.createSelfSigned('张三', PASSPHRASE)).id;
  const judged = judgeSession(dir, miit164);
  const out = await exportPackage({
    sessionDir: dir, out: join(root, `${name}.zip`), identity: await store.unlock(id, PASSPHRASE), national: false, compress: false, tsaUrl, allowLocalTsa: true, tool: TOOL,
    checklist: { template: { id: miit164.id, version: miit164.version, sha256: 'f'.repeat(64), title: miit164.title }, findings: judged.findings, incomplete: null, policy: reportPolicy(judged.facts), xlsx: await findingsXlsx(judged.findings, 'marks') },
  });
  return { path: out.path, entries: new Map(await readEntries(out.path)) };
}

/** The proposal cell of an item's row in the report's verdict table. */
function proposalCell(html: string, item: string): string {
  const row = new RegExp(`<tr><td><code class="item">${item.replace('.', '\\.')}</code>.*?</tr>`).exec(html)?.[0];
  expect(row, item).toBeTruthy();
  // The English halves are marked as English (lang="en"); the words compared are the same.
  return /<\/td><td>[^<]*<\/td><td>.*?<\/td>(<td[^>]*>.*?)<\/td><td>/.exec(row!)![1]!.replace(/<span class="en" lang="en">([^<]*)<\/span>/g, '$1');
}

describe('proposal colours in report.html and findings.xlsx', () => {
  it('green only for "none observed" over a stage that ran; "not tested" grey, red for a violation stays', async () => {
    const { entries } = await exported('colours', null);
    const html = entries.get('report.html')!.toString('utf8');
    const tested = proposalCell(html, '164-2.4');
    expect(tested).toMatch(/^<td class="ok">未发现 \/ None observed<br><small>在“首次启动（同意前）”阶段运行的 30 秒内：/);
    const untested = proposalCell(html, '164-6.1');
    expect(untested).toMatch(/^<td class="muted">未检测 \/ Not tested<br><small>未检测：“重启（可选）”阶段未运行。/);
    // 164-1.8 (revoke) never ran: grey, not green.
    expect(proposalCell(html, '164-1.8')).toMatch(/^<td class="muted">未检测 \/ Not tested/);
    expect(proposalCell(html, '164-1.1')).toMatch(/^<td class="warn">疑似违规 \/ Violation/);
    expect(html).toContain('.ok{color:#1b6b34}.muted{color:#666}');

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(entries.get('findings.xlsx')! as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const rows = new Map(Array.from({ length: sheet.rowCount - 2 }, (_, i) => sheet.getRow(i + 3)).map((r) => [String(r.getCell(1).value), r]));
    expect(rows.get('164-2.4')!.getCell(6).value).toBe('未发现 (none-observed)');
    expect(rows.get('164-2.4')!.getCell(6).font?.color?.argb).toBe('FF1B7F3B');
    expect(rows.get('164-6.1')!.getCell(6).value).toBe('未检测 (not-tested)');
    expect(rows.get('164-6.1')!.getCell(6).font?.color?.argb).toBe('FF777777');
    expect(rows.get('164-1.1')!.getCell(6).font).toMatchObject({ color: { argb: 'FFB3261E' }, bold: true });
  }, 120_000);
});

describe('trusted time is marked only with a timestamp token in the package', () => {
  it('without a TSA: "no trusted time (host clock only)" in both languages, no ✓ in the report or the verifier', async () => {
    const { path, entries } = await exported('no-tsa', null);
    expect(entries.has('manifest.json.p7s.tsr')).toBe(false);
    const html = entries.get('report.html')!.toString('utf8');
    expect(html).toContain('<span class="muted" data-trusted-time="none">无可信时间（仅主机时钟）/ <span class="en" lang="en">No trusted time (host clock only)</span></span>');
    expect(html).not.toContain('data-trusted-time="token"');
    const check = (await verifyPackage(path)).checks.find((c) => c.id === 'timestamp')!;
    expect(check).toMatchObject({ ok: true, neutral: true });
    expect(check.zh).toContain('无可信时间（仅主机时钟）');
    expect(check.en).toContain('no trusted time (host clock only)');
  }, 120_000);

  it('a TSA that answers nonsense leaves no token: the same "no trusted time", though a TSA was configured', async () => {
    const { path, entries } = await exported('bad-tsa', bad.url);
    expect(entries.has('manifest.json.p7s.tsr')).toBe(false);
    expect(entries.get('report.html')!.toString('utf8')).toContain('data-trusted-time="none"');
    expect((await verifyPackage(path)).checks.find((c) => c.id === 'timestamp')).toMatchObject({ neutral: true });
  }, 120_000);

  it('with a token from the TSA: ✓ in the report, and the verifier\'s check is a plain pass', async () => {
    const { path, entries } = await exported('tsa', tsa.url);
    expect(entries.has('manifest.json.p7s.tsr')).toBe(true);
    const html = entries.get('report.html')!.toString('utf8');
    expect(html).toContain('<span class="ok" data-trusted-time="token">✓ 含 RFC 3161 时间戳（<code>manifest.json.p7s.tsr</code>）/ <span class="en" lang="en">RFC 3161 timestamp token included</span></span>');
    const check = (await verifyPackage(path)).checks.find((c) => c.id === 'timestamp')!;
    expect(check.ok).toBe(true);
    expect(check.neutral).toBeUndefined();
  }, 120_000);
});
