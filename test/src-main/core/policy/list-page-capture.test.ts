/**
 * A policy that only points to its lists (issue #25), through the real adb server, the virtual phone and the
 * Workbench API: the guided session captures the policy, reads both lists as "referenced" with the words that
 * point to them, taps the sharing list's link on the phone and captures that page — the verdict becomes
 * "present". The timeline says what happened: a link that opens nothing leaves a UI dump saying so and no list
 * page; an image-only page (on the phone, at a URL) is refused as unreadable, its capture kept, and its text
 * pasted by the tester is read instead.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../../../src-preload/api.js';
import type { TimelineEvent } from '../../../../src-preload/monitor-events.js';
import type { Handlers } from '../../../../src-main/bridge/dispatcher.js';
import { Workbench } from '../../../../src-main/core/workbench.js';
import { loadScenarioFile } from '../../../../src-main/core/virtual-device/index.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { SCENARIOS, startPhone } from '../../../support/virtual-phone.js';
import { readEntries } from '../../../support/evidence-fixtures.js';

let adb: TestAdbServer;
let phone: VirtualDevice;
let wb: Workbench;
let api: Handlers;
let session: SessionInfo;
let server: Server;
let base: string;
let policySeq = 0;

const PKG = 'com.demo.news';
const IMAGE_PAGE = '<!doctype html><html><head><title>x</title></head><body><img src="list-1.png"><img src="list-2.png"><picture><img src="list-3.png"></picture></body></html>';

const SDK_LIST_PAGE = '<!doctype html><html><body><h1>第三方信息共享清单</h1><table><tr><th>SDK名称</th><th>使用场景</th><th>共享个人信息字段</th><th>共享方式</th><th>使用目的</th></tr><tr><td>极光推送SDK</td><td>消息推送</td><td>设备标识符</td><td>SDK本机采集</td><td>推送资讯</td></tr></table></body></html>';

const documentLines = (screen: string, node: string): string[] => {
  const app = loadScenarioFile(join(SCENARIOS, 'referenced-list.yaml')).apps[0]!;
  const doc = app.screens.find((s) => s.id === screen)!.nodes.find((n) => n.id === node)!;
  return (doc.text as { zh: string }).zh.split('\n').map((l) => l.trim()).filter(Boolean);
};

async function events(): Promise<Array<{ seq: number; event: TimelineEvent }>> {
  return (await api['session.timeline']({ id: session.id, afterSeq: 0, limit: 5000 })).entries.map((e) => ({ seq: e.seq, event: e.event }));
}

type Node = { text: string; className: string; children: Node[] };
const flat = (nodes: Node[]): Node[] => nodes.flatMap((n) => [n, ...flat(n.children)]);
const onScreen = async (text: string): Promise<boolean> => flat((await api['device.uiTree']({ serial: phone.serial })).nodes).some((n) => n.text === text);
const tap = (x: number, y: number) => api['device.input']({ serial: phone.serial, action: { kind: 'tap', x, y } });

async function toConsentScreen(): Promise<void> {
  await api['device.clearData']({ serial: phone.serial, packageName: PKG });
  await api['device.launch']({ serial: phone.serial, packageName: PKG });
  await waitFor('the privacy dialog', () => onScreen('《隐私政策》'), 10_000, 100);
}

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhone(adb, 'referenced-list');
  wb = new Workbench({ dataDir: mkdtempSync(join(tmpdir(), 'list-page-')), shell: 'browser', version: 'test', adbServerPort: adb.port, allowLocalAddresses: true });
  await wb.start();
  api = wb.handlers();
  await waitFor('the phone online', async () => (await api['devices.list']({})).some((d) => d.serial === phone.serial && d.state === 'device'), 10_000);
  session = await api['session.start']({ serial: phone.serial, packageName: PKG, tester: '王五', caseRef: 'lists' });
  server = createServer((req, res) => {
    if (req.url === '/images.html') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(IMAGE_PAGE);
    else if (req.url === '/sdk-list.html') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(SDK_LIST_PAGE);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.close();
  await wb?.close();
  await phone?.stop();
  await adb?.kill();
});

describe('a list page the policy points to, captured in the guided session', () => {
  it('before any policy there is nothing to point from: refused, nothing recorded', async () => {
    await expect(api['policy.captureList']({ sessionId: session.id, list: 'shared', source: { kind: 'tap' } })).rejects.toMatchObject({ code: 'policy.not-found', details: { reason: 'no-policy-yet' } });
    // The phone's own events go on arriving; the workbench added no input, capture or list page.
    expect((await events()).filter((e) => ['tester.input', 'capture', 'policy.list-captured', 'tester.mark'].includes(e.event.type))).toEqual([]);
  });

  it('a policy link whose tap changes nothing: no "policy reached" mark, and a UI dump that says so', async () => {
    await toConsentScreen();
    // The tap is sent and recorded, but this phone ignores it (a link that does nothing, as a broken dialog's).
    const control = wb.adb.controlFor();
    const original = control.input.bind(control);
    control.input = async (serial, action) => {
      if (action.kind !== 'tap') await original(serial, action);
    };
    const before = (await events()).length;
    try {
      await expect(api['policy.capture']({ sessionId: session.id, openLink: true })).rejects.toMatchObject({ code: 'policy.capture-failed', details: { reason: 'link-dead', link: '《隐私政策》' } });
    } finally {
      control.input = original;
    }
    const added = (await events()).slice(before).map((e) => e.event);
    expect(added.filter((e) => e.type === 'tester.mark')).toEqual([]);
    expect(added.filter((e) => e.type === 'capture').map((e) => e.type === 'capture' && e.name)).toEqual(['policy link "《隐私政策》" tapped: nothing changed']);
  });

  it('the policy reads both lists as "referenced", with the words that point to them', async () => {
    await toConsentScreen();
    ({ seq: policySeq } = await api['policy.capture']({ sessionId: session.id, openLink: true }));
    const view = await api['policy.view']({ sessionId: session.id });
    expect(view.reading!.twoLists.shared.verdict).toBe('referenced');
    expect(view.reading!.twoLists.shared.reference!.text).toContain('详见《第三方信息共享清单》');
    expect(view.reading!.twoLists.collected.verdict).toBe('referenced');
    expect(view.reading!.twoLists.collected.reference!.text).toContain('详见《已收集个人信息清单》');
    expect(view.sentences.map((s) => s.index)).toContain(view.reading!.twoLists.shared.reference!.sentence);
    expect(view.comparison.twoLists.referencedOnly.sort()).toEqual(['collected', 'shared']);
    expect(view.reading!.listPages).toEqual([]);
  });

  it('a link that opens nothing: the timeline says so (a UI dump named for it), no list page and no mark is recorded', async () => {
    // Back on the privacy dialog, whose own link to the sharing list is dead.
    await tap(540, 2285);
    await waitFor('the privacy dialog', () => onScreen('《隐私政策》'), 10_000, 100);
    const before = await events();
    await expect(api['policy.captureList']({ sessionId: session.id, list: 'shared', source: { kind: 'tap' } }))
      .rejects.toMatchObject({ code: 'policy.capture-failed', details: { reason: 'link-dead', link: '《第三方信息共享清单》' } });
    const added = (await events()).slice(before.length).map((e) => e.event);
    expect(added.filter((e) => e.type === 'tester.input')).toHaveLength(1);
    expect(added.filter((e) => e.type === 'capture' && e.kind === 'ui.dump').map((e) => e.type === 'capture' && e.name)).toEqual(['list page link "《第三方信息共享清单》" tapped: nothing changed']);
    expect(added.filter((e) => e.type === 'policy.list-captured' || e.type === 'tester.mark')).toEqual([]);
    expect((await api['policy.view']({ sessionId: session.id })).reading!.twoLists.shared.verdict).toBe('referenced');
  });

  it('tapping the reference on the phone captures the list page, and the verdict becomes "present"', async () => {
    await tap(540, 1010);
    await waitFor('the policy page', () => onScreen('《第三方信息共享清单》'), 10_000, 100);
    const marksBefore = (await events()).filter((e) => e.event.type === 'tester.mark').length;
    const r = await api['policy.captureList']({ sessionId: session.id, list: 'shared', source: { kind: 'tap' } });
    expect(r).toMatchObject({ verdict: 'present', problem: null });
    expect(r.pages).toBeGreaterThanOrEqual(1);
    const evs = await events();
    const page = evs.find((e) => e.seq === r.seq)!.event as Extract<TimelineEvent, { type: 'policy.list-captured' }>;
    expect(page).toMatchObject({ type: 'policy.list-captured', list: 'shared', policySeq, from: 'phone', tapped: '《第三方信息共享清单》', problem: null });
    expect(page.reference).toContain('《第三方信息共享清单》');
    expect(readFileSync(join(session.dir, page.text.path), 'utf8').split('\n')).toEqual(documentLines('sharedList', 'listText'));
    // The tap is in the timeline before the page; the page's screenshots are the event's pages.
    const tapSeq = evs.filter((e) => e.seq < r.seq && e.event.type === 'tester.input' && e.event.action.kind === 'tap').pop()!.seq;
    expect(page.pages.every((p) => p > tapSeq)).toBe(true);
    expect(evs.filter((e) => e.event.type === 'capture' && e.event.kind === 'screenshot' && e.event.name?.startsWith('list page'))).toHaveLength(r.pages);
    // A list page is not the policy: no "policy reached" mark for it.
    expect(evs.filter((e) => e.event.type === 'tester.mark').length).toBe(marksBefore);

    const view = await api['policy.view']({ sessionId: session.id });
    // The page holds the list, and shows what it lacks: no sharing method (the scenario's 191-1.4).
    expect(view.reading!.twoLists.shared).toMatchObject({ verdict: 'present', form: 'table', fields: { type: true, purpose: true, scenario: true, method: false } });
    expect(view.reading!.twoLists.collected.verdict).toBe('referenced');
    expect(view.reading!.listPages).toEqual([expect.objectContaining({ seq: r.seq, list: 'shared', from: 'phone', tapped: '《第三方信息共享清单》' })]);
    expect(view.comparison.twoLists).toMatchObject({ shared: true, referencedOnly: ['collected'] });
    const finding = (await api['checklist.session']({ sessionId: session.id })).findings.find((f) => f.item === '191-1.4')!;
    expect(finding.proposal).toMatchObject({ status: 'violation', explanation: { zh: expect.stringContaining('共享清单缺少“共享方式”') } });
    expect(finding.proposal.evidence).toContain(r.seq);
  });

  it('where the phone shows no such link, the tester is told to scroll to it or open the page', async () => {
    await api['device.input']({ serial: phone.serial, action: { kind: 'key', key: 'HOME' } });
    await expect(api['policy.captureList']({ sessionId: session.id, list: 'collected', source: { kind: 'tap' } }))
      .rejects.toThrow(/no link "《已收集个人信息清单》" is on the phone's screen; scroll the policy to it, or open the list page on the phone yourself/);
  });

  it('an image-only list page on the phone is refused as unreadable, its screenshot kept; the verdict stays "referenced"', async () => {
    await toConsentScreen();
    await tap(540, 1010);
    await waitFor('the policy page', () => onScreen('《已收集个人信息清单》'), 10_000, 100);
    const before = (await events()).length;
    const err = await api['policy.captureList']({ sessionId: session.id, list: 'collected', source: { kind: 'tap' } }).catch((e: unknown) => e) as { code: string; message: string; details: { seq: number; images: number } };
    expect(err).toMatchObject({ code: 'policy.no-text', details: { where: 'phone', images: 1 } });
    expect(err.message).toMatch(/image-only page\): it cannot be read, and nothing is guessed from it\. Paste its text or load it as a file/);
    expect(err.message).toMatch(/无法读取，也不作任何推测：请粘贴其文字或载入文本文件/);
    const added = (await events()).slice(before);
    const shot = added.find((e) => e.seq === err.details.seq)!.event;
    expect(shot).toMatchObject({ type: 'capture', kind: 'screenshot', name: 'list page page 1' });
    expect(added.filter((e) => e.event.type === 'policy.list-captured')).toEqual([]);
    // The same screen captured as the policy itself: refused the same way, the session's policy unchanged.
    await expect(api['policy.capture']({ sessionId: session.id, openLink: false })).rejects.toMatchObject({ code: 'policy.no-text' });
    const view = await api['policy.view']({ sessionId: session.id });
    expect(view.reading!.twoLists.collected.verdict).toBe('referenced');
    expect(view.reading!.twoLists.shared.verdict).toBe('present');
  });

  it('an image-only page at a URL is refused and kept as received; the text the tester pastes is read as the list', async () => {
    const before = (await events()).length;
    const err = await api['policy.captureList']({ sessionId: session.id, list: 'collected', source: { kind: 'url', url: `${base}/images.html` } }).catch((e: unknown) => e) as { code: string; message: string; details: { seq: number } };
    expect(err).toMatchObject({ code: 'policy.no-text', details: { where: 'url', images: 3 } });
    const kept = (await events()).find((e) => e.seq === err.details.seq)!.event;
    expect(kept).toMatchObject({ type: 'capture', kind: 'policy', name: `page as received, no readable text: ${base}/images.html` });
    if (kept.type === 'capture') expect(readFileSync(join(session.dir, kept.blob.path), 'utf8')).toBe(IMAGE_PAGE);
    expect((await events()).slice(before).some((e) => e.event.type === 'policy.list-captured')).toBe(false);
    // The policy itself from that URL: refused the same way, kept, and the session's policy is still the phone's.
    await expect(api['policy.fetch']({ sessionId: session.id, url: `${base}/images.html` })).rejects.toMatchObject({ code: 'policy.no-text' });
    expect((await api['policy.view']({ sessionId: session.id })).comparison.policy!.source).toBe('phone');

    const pasted = '已收集个人信息清单\n使用场景 | 个人信息种类 | 使用目的\n浏览资讯 | 设备型号、操作系统版本 | 适配页面显示\n消息推送 | 设备标识符（Android ID、OAID） | 向您推送资讯';
    const r = await api['policy.captureList']({ sessionId: session.id, list: 'collected', source: { kind: 'text', text: pasted } });
    expect(r.verdict).toBe('present');
    const page = (await events()).find((e) => e.seq === r.seq)!.event;
    expect(page).toMatchObject({ type: 'policy.list-captured', list: 'collected', from: 'paste', tapped: null, origin: `pasted text, ${pasted.length} characters` });
    const view = await api['policy.view']({ sessionId: session.id });
    expect(view.reading!.listPages.map((l) => [l.list, l.from])).toEqual([['shared', 'phone'], ['collected', 'paste']]);
    expect(view.comparison.twoLists).toMatchObject({ collected: true, shared: true, referencedOnly: [] });
    await expect(api['policy.captureList']({ sessionId: session.id, list: 'collected', source: { kind: 'text', text: ' \n\t' } })).rejects.toMatchObject({ details: { reason: 'paste-empty' } });
  });

  it('a list page the tester opened on the phone, and one at a URL, are read as they are (no tap claimed); the URL\'s bytes are kept', async () => {
    await tap(540, 2285);
    await waitFor('the policy page', () => onScreen('《第三方信息共享清单》'), 10_000, 100);
    await tap(540, 2025);
    await waitFor('the sharing list page', () => onScreen('第三方信息共享清单'), 10_000, 100);
    const before = (await events()).length;
    const r = await api['policy.captureList']({ sessionId: session.id, list: 'shared', source: { kind: 'screen' } });
    const added = (await events()).slice(before).map((e) => e.event);
    expect(added.filter((e) => e.type === 'tester.input' && e.action.kind === 'tap')).toEqual([]);
    expect(added.find((e) => e.type === 'policy.list-captured')).toMatchObject({ list: 'shared', from: 'phone', tapped: null });
    expect(r.pages).toBeGreaterThanOrEqual(1);

    const u = await api['policy.captureList']({ sessionId: session.id, list: 'shared', source: { kind: 'url', url: `${base}/sdk-list.html` } });
    const page = (await events()).find((e) => e.seq === u.seq)!.event as Extract<TimelineEvent, { type: 'policy.list-captured' }>;
    expect(page).toMatchObject({ from: 'url', origin: `${base}/sdk-list.html`, tapped: null });
    expect(page.original!.path).toMatch(/\.bin$/);
    expect(readFileSync(join(session.dir, page.original!.path), 'utf8')).toBe(SDK_LIST_PAGE);
    expect(readFileSync(join(session.dir, page.text.path), 'utf8')).toContain('SDK名称 | 使用场景 | 共享个人信息字段 | 共享方式 | 使用目的');
    expect(u.verdict).toBe('present');
  });

  it('the evidence package carries the list pages and the verdicts read with them, in its report and policy-comparison.json', async () => {
    await api['session.close']({ id: session.id });
    const identity = await api['evidence.createIdentity']({ name: '王五', passphrase: 'list-pages' });
    const out = await api['evidence.export']({ sessionId: session.id, identityId: identity.id, passphrase: 'list-pages', national: false, compress: false, tsaUrl: null });
    const entries = new Map(await readEntries(out.path));
    const html = entries.get('report.html')!.toString('utf8');
    expect(html).toContain('已采集的清单页面 / <span class="en" lang="en">List pages captured</span>');
    expect(html).toContain('点击“<span class="quote" lang="">《第三方信息共享清单》</span>”打开');
    expect(html).toContain('粘贴的文字 / <span class="en" lang="en">pasted text</span>');
    expect(html).toMatch(/与第三方共享个人信息清单<br><span class="en" lang="en">Third-party sharing list<\/span><\/td><td>政策中有/);
    const comparison = JSON.parse(entries.get('policy-comparison.json')!.toString('utf8'));
    expect(comparison.reading.twoLists.shared.verdict).toBe('present');
    expect(comparison.reading.listPages.map((l: { list: string; from: string }) => `${l.list} ${l.from}`)).toEqual(['shared phone', 'collected paste', 'shared phone', 'shared url']);
    // The list pages' texts travel in the package as the session's blobs.
    const pages = (await events()).filter((e) => e.event.type === 'policy.list-captured').map((e) => e.event as Extract<TimelineEvent, { type: 'policy.list-captured' }>);
    for (const p of pages) expect(entries.has(p.text.path)).toBe(true);
  }, 60_000);
});
