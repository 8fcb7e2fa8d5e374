/**
 * Capturing the policy from the virtual phone's screen through the real adb server and the Workbench API: the
 * link in the privacy dialog is tapped, the policy page is scrolled until no new text appears, every page's
 * screenshot and UI dump land in the session, and the text read equals the policy shown. A phone that leaves the
 * policy mid-capture keeps the pages read; an empty screen is refused; a policy from a file and a 50 MB file
 * behave as the tester expects; the session's matrix and app type come back through policy.view.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

let adb: TestAdbServer;
let phone: VirtualDevice;
let wb: Workbench;
let api: Handlers;
let session: SessionInfo;

const PKG = 'com.demo.compliant';
const policyParagraphs = (): string[] => {
  const doc = loadScenarioFile(join(SCENARIOS, 'compliant-app.yaml')).apps[0]!.screens.find((s) => s.id === 'policy')!.nodes.find((n) => n.style === 'document')!;
  return (doc.text as { zh: string }).zh.split('\n').map((l) => l.trim()).filter(Boolean);
};

async function events(): Promise<TimelineEvent[]> {
  return (await api['session.timeline']({ id: session.id, afterSeq: 0, limit: 2000 })).entries.map((e) => e.event);
}

type Node = { text: string; className: string; children: Node[] };
const flat = (nodes: Node[]): Node[] => nodes.flatMap((n) => [n, ...flat(n.children)]);
const onScreen = async (test: (n: Node) => boolean): Promise<boolean> => flat((await api['device.uiTree']({ serial: phone.serial })).nodes).some(test);

async function freshConsentScreen(): Promise<void> {
  await api['device.clearData']({ serial: phone.serial, packageName: PKG });
  await api['device.launch']({ serial: phone.serial, packageName: PKG });
  await waitFor('the privacy dialog', () => onScreen((n) => n.text === '《隐私政策》'), 10_000, 100);
}

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhone(adb, 'compliant-app');
  wb = new Workbench({ dataDir: mkdtempSync(join(tmpdir(), 'policy-capture-')), shell: 'browser', version: 'test', adbServerPort: adb.port });
  await wb.start();
  api = wb.handlers();
  await waitFor('the phone online', async () => (await api['devices.list']({})).some((d) => d.serial === phone.serial && d.state === 'device'), 10_000);
  session = await api['session.start']({ serial: phone.serial, packageName: PKG, tester: '王五', caseRef: 'policy' });
});

afterAll(async () => {
  await wb?.close();
  await phone?.stop();
  await adb?.kill();
});

describe('capturing the policy from the phone', () => {
  it('taps the policy link, scrolls to the end, keeps a screenshot and a UI dump per page, and reads every paragraph once', async () => {
    await freshConsentScreen();
    const r = await api['policy.capture']({ sessionId: session.id, openLink: true });
    expect(r.problem).toBeNull();
    expect(r.pages).toBeGreaterThanOrEqual(3);
    const evs = await events();
    const captured = evs.filter((e): e is Extract<TimelineEvent, { type: 'policy.captured' }> => e.type === 'policy.captured');
    expect(captured).toHaveLength(1);
    const text = readFileSync(join(session.dir, captured[0]!.text.path), 'utf8');
    expect(text.split('\n')).toEqual(policyParagraphs());
    expect(captured[0]!.from).toBe('phone');
    expect(captured[0]!.pages).toHaveLength(r.pages);
    const shots = evs.filter((e) => e.type === 'capture' && e.kind === 'screenshot' && e.name?.startsWith('policy page'));
    const dumps = evs.filter((e) => e.type === 'capture' && e.kind === 'ui.dump' && e.name?.startsWith('policy page'));
    expect(shots).toHaveLength(r.pages);
    expect(dumps).toHaveLength(r.pages);
    expect(evs.filter((e) => e.type === 'tester.input' && e.action.kind === 'swipe')).toHaveLength(r.pages - 1);
    expect(evs.some((e) => e.type === 'tester.mark' && e.mark === 'policy.reached')).toBe(true);
    for (const s of shots) if (s.type === 'capture') expect(readFileSync(join(session.dir, s.blob.path)).subarray(1, 4).toString()).toBe('PNG');

    await api['policy.setAppType']({ sessionId: session.id, typeNo: 20 });
    const view = await api['policy.view']({ sessionId: session.id });
    expect(view.comparison.policy).toMatchObject({ source: 'phone', language: 'zh' });
    expect(view.comparison.appType).toMatchObject({ no: 20, name: { zh: '本地生活类' } });
    expect(view.comparison.twoLists).toEqual({ collected: true, shared: true, missingFields: [], referencedOnly: [] });
    expect(view.comparison.undeclaredSdks).toEqual([]);
    expect(view.sentences.length).toBeGreaterThan(0);
    const checklist = await api['checklist.session']({ sessionId: session.id });
    expect(checklist.findings.find((f) => f.item === '191-1.4')!.proposal.status).toBe('none-observed');
  });

  it('a phone that leaves the policy mid-capture ends it with the pages read so far, and says so', async () => {
    await freshConsentScreen();
    const tap = (x: number, y: number) => api['device.input']({ serial: phone.serial, action: { kind: 'tap', x, y } });
    await tap(540, 1070);
    await waitFor('the policy page', () => onScreen((n) => n.className === 'android.webkit.WebView'), 10_000, 100);
    // The phone goes back to the dialog while the capture reads page 1: the next page is no longer the policy.
    const control = wb.adb.controlFor();
    const original = control.input.bind(control);
    control.input = async (serial, action) => {
      await original(serial, action);
      if (action.kind === 'swipe') await original(serial, { kind: 'tap', x: 540, y: 2285 });
    };
    try {
      const r = await api['policy.capture']({ sessionId: session.id, openLink: false });
      expect(r.problem).toMatch(/the phone left the policy screen at page 2; the 1 pages read before are kept/);
      expect(r.pages).toBe(1);
    } finally {
      control.input = original;
    }
    const last = (await events()).filter((e) => e.type === 'policy.captured').pop() as Extract<TimelineEvent, { type: 'policy.captured' }>;
    const text = readFileSync(join(session.dir, last.text.path), 'utf8').split('\n');
    expect(text.length).toBeGreaterThan(2);
    expect(policyParagraphs().slice(0, text.length)).toEqual(text);
    expect(last.problem).toMatch(/left the policy screen/);
  });

  it('refuses a dark screen (no window to dump) and a missing link with messages that say what to do; the session goes on', async () => {
    await api['device.input']({ serial: phone.serial, action: { kind: 'key', key: 'POWER' } });
    try {
      await expect(api['policy.capture']({ sessionId: session.id, openLink: false })).rejects.toThrow(/the phone gave no readable UI dump .*; unlock it and open the policy, then try again/);
    } finally {
      await api['device.input']({ serial: phone.serial, action: { kind: 'key', key: 'POWER' } });
    }
    await api['device.input']({ serial: phone.serial, action: { kind: 'key', key: 'HOME' } });
    await expect(api['policy.capture']({ sessionId: session.id, openLink: true })).rejects.toThrow(/no privacy-policy link is on the screen; open the policy on the phone yourself/);
    expect((await api['session.list']({})).find((s) => s.id === session.id)!.state).toBe('recording');
  });

  it('a policy file the tester gives (GBK HTML) is kept as inert bytes beside its text; a 50 MB file is refused and nothing is recorded', async () => {
    const staged = wb.files.stagePath(join(__dirname, '../../../fixtures/policies/shop-complete-gbk.html'));
    const { seq } = await api['policy.loadFile']({ sessionId: session.id, fileId: staged.fileId });
    const ev = (await events())[seq - 1] as Extract<TimelineEvent, { type: 'policy.captured' }>;
    expect(ev).toMatchObject({ type: 'policy.captured', from: 'file', origin: 'shop-complete-gbk.html', charset: 'gb18030' });
    expect(ev.original!.path).toMatch(/\.bin$/);
    expect(readFileSync(join(session.dir, ev.text.path), 'utf8')).toContain('与第三方共享个人信息清单');

    const big = join(mkdtempSync(join(tmpdir(), 'big-policy-')), 'huge.html');
    writeFileSync(big, Buffer.alloc(50 * 1024 * 1024, 0x20));
    const before = (await events()).length;
    await expect(api['policy.loadFile']({ sessionId: session.id, fileId: wb.files.stagePath(big).fileId })).rejects.toThrow(/huge.html is 50.0 MiB; a privacy policy larger than 8 MiB is refused/);
    expect((await events()).length).toBe(before);
    await expect(api['policy.fetch']({ sessionId: session.id, url: 'http://127.0.0.1:9/p' })).rejects.toThrow(/local or private address/);
  });
});
