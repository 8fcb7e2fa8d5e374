/**
 * The record says only what happened, and who did it (issue #26), through the real adb server and the virtual
 * phone: every path that writes a mark or an input. The workbench's automated taps are `workbench`, the tester's
 * own are `tester`; a mark claiming an outcome (the policy opened, consent given or declined, a permission
 * denied) is written only after the phone showed it, stamped just before the tap that caused it; a capture or a
 * tap the phone did not answer is a `workbench.step-failed` event with its reason in both languages, never a
 * mark. Phone: test/fixtures/scenarios/policy-links.yaml (dialogs whose links and buttons do not do what a tap
 * claims).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../../../src-preload/api.js';
import type { TimelineEvent } from '../../../../src-preload/monitor-events.js';
import type { Handlers } from '../../../../src-main/bridge/dispatcher.js';
import { StageRunner } from '../../../../src-main/core/checklist/run/stage-runner.js';
import type { StageId } from '../../../../src-main/core/checklist/template-schema.js';
import { describeText } from '../../../../src-preload/event-description.js';

/** The shared description as the two plain lines (report, UI and CLI say the same). */
const describeEvent = (e: TimelineEvent): { zh: string; en: string } => ({ zh: describeText(e, 'zh'), en: describeText(e, 'en') });
import { WorkbenchError } from '../../../../src-main/core/errors.js';
import { Workbench } from '../../../../src-main/core/workbench.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhoneFrom } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let phone: VirtualDevice;
let wb: Workbench;
let api: Handlers;
let session: SessionInfo;

type Ev = { seq: number; event: TimelineEvent };
type Of<T extends TimelineEvent['type']> = TimelineEvent & { type: T };

async function entries(afterSeq = 0): Promise<Ev[]> {
  return (await api['session.timeline']({ id: session.id, afterSeq, limit: 2000 })).entries;
}
const count = async (): Promise<number> => (await api['session.timeline']({ id: session.id, afterSeq: 0, limit: 1 })).count;
const ofType = <T extends TimelineEvent['type']>(list: Ev[], type: T): Array<{ seq: number; event: Of<T> }> => list.filter((e) => e.event.type === type) as Array<{ seq: number; event: Of<T> }>;

type Node = { text: string; packageName: string; bounds: number[]; children: Node[] };
const flat = (nodes: Node[]): Node[] => nodes.flatMap((n) => [n, ...flat(n.children)]);
const screen = async (): Promise<Node[]> => flat((await api['device.uiTree']({ serial: phone.serial })).nodes as Node[]);

/** The app started afresh and its privacy dialog (or what covers it) on the screen. */
async function freshLaunch(pkg: string, showing = '《隐私政策》'): Promise<void> {
  await api['device.clearData']({ serial: phone.serial, packageName: pkg });
  await api['device.launch']({ serial: phone.serial, packageName: pkg });
  await waitFor(`${pkg} shows ${showing}`, async () => (await screen()).some((n) => n.text === showing), 10_000, 100);
}

/** The tester's own tap on a node of the screen, through the API the live screen uses. */
async function testerTaps(text: string): Promise<void> {
  const node = (await screen()).find((n) => n.text === text)!;
  const [l, t, r, b] = node.bounds as [number, number, number, number];
  await api['device.input']({ serial: phone.serial, action: { kind: 'tap', x: Math.round((l + r) / 2), y: Math.round((t + b) / 2) } });
}

async function captureFails(): Promise<WorkbenchError> {
  const err = await api['policy.capture']({ sessionId: session.id, openLink: true }).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(WorkbenchError);
  return err as WorkbenchError;
}

function runner(packageName: string): StageRunner {
  return new StageRunner({
    bridge: wb.adb.bridge!, control: wb.adb.controlFor(), session: wb.sessions.get(session.id)!, serial: phone.serial, packageName,
    timing: { dwellMs: 300, settleMs: 300, rebootTimeoutMs: 1000 }, reboot: false, log: () => undefined,
  });
}

/** One time axis, as the evaluators read it (the phone's clock). */
const at = (e: TimelineEvent): number => e.deviceTime ?? e.hostTime;

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhoneFrom(adb, join(__dirname, '../../../fixtures/scenarios/policy-links.yaml'));
  wb = new Workbench({ dataDir: mkdtempSync(join(tmpdir(), 'who-did-it-')), shell: 'browser', version: 'test', adbServerPort: adb.port });
  await wb.start();
  api = wb.handlers();
  await waitFor('the phone online', async () => (await api['devices.list']({})).some((d) => d.serial === phone.serial && d.state === 'device'), 10_000);
  session = await api['session.start']({ serial: phone.serial, packageName: 'com.demo.deadlink', tester: '王五', caseRef: 'who-did-it' });
}, 60_000);

afterAll(async () => {
  await wb?.close();
  await phone?.stop();
  await adb?.kill();
});

describe('capturing the policy by tapping its link', () => {
  it('a link that opens nothing: the workbench\'s tap and a failed step with its reason in both languages; no mark', async () => {
    await freshLaunch('com.demo.deadlink');
    const from = await count();
    const err = await captureFails();
    expect(err.details.reason, err.message).toBe('link-dead');
    const after = await entries(from);
    expect(ofType(after, 'tester.mark')).toEqual([]);
    const taps = ofType(after, 'tester.input');
    expect(taps.map((t) => [t.event.source, t.event.action])).toEqual([['workbench', { kind: 'tap', x: 330, y: 1065 }]]);
    expect(describeEvent(taps[0]!.event)).toEqual({ zh: '工作台自动操作：点击 330,1065', en: 'Workbench automation: tap 330,1065' });
    const failed = ofType(after, 'workbench.step-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.event).toMatchObject({ source: 'workbench', step: 'policy.capture', reason: 'link-dead' });
    expect(failed[0]!.event.message.zh).toBe('点击“《隐私政策》”后手机屏幕没有任何变化：该链接可能无效（164-1.6）。请自行在手机上打开该页面后采集当前屏幕，或改用网址、文件。');
    expect(failed[0]!.event.message.en).toMatch(/^tapping "《隐私政策》" changed nothing on the screen: the policy link may not work \(164-1\.6\)/);
    expect(failed[0]!.seq).toBeGreaterThan(taps[0]!.seq);
    const d = describeEvent(failed[0]!.event);
    expect(d.zh).toMatch(/^工作台自动操作未完成（从手机采集隐私政策）：点击“《隐私政策》”后手机屏幕没有任何变化/);
    expect(d.en).toMatch(/^Workbench automation failed \(capturing the policy from the phone\): tapping/);
    for (const e of after) expect(describeEvent(e.event).zh, e.event.type).not.toContain('检测人员');
  });

  it('a link that brings a permission dialog over the app (the screen changed, but not to the policy): no mark', async () => {
    await freshLaunch('com.demo.linkasks');
    const from = await count();
    const err = await captureFails();
    expect(err.details).toMatchObject({ reason: 'covered-by-system', window: 'com.android.permissioncontroller' });
    const after = await entries(from);
    expect(ofType(after, 'tester.mark')).toEqual([]);
    expect(ofType(after, 'workbench.step-failed').map((f) => [f.event.step, f.event.reason])).toEqual([['policy.capture', 'covered-by-system']]);
    expect(ofType(after, 'workbench.step-failed')[0]!.event.message.zh).toContain('手机上显示的是系统窗口（com.android.permissioncontroller），而不是该页面');
    await testerTaps('不允许');
  });

  it('a link that opens a page which is not a privacy policy: nothing is read as the policy, no mark', async () => {
    await freshLaunch('com.demo.linkhome');
    const from = await count();
    const err = await captureFails();
    expect(err.details.reason, err.message).toBe('not-a-policy');
    const after = await entries(from);
    expect(ofType(after, 'tester.mark')).toEqual([]);
    expect(ofType(after, 'policy.captured')).toEqual([]);
    expect(ofType(after, 'workbench.step-failed').map((f) => [f.event.step, f.event.reason])).toEqual([['policy.capture', 'not-a-policy']]);
    // What the workbench saw stays as evidence: the page's screenshot and UI dump.
    expect(ofType(after, 'capture').map((c) => `${c.event.kind} ${c.event.name}`)).toEqual(['screenshot policy page 1', 'ui.dump policy page 1']);
  });

  it('the policy opened: the mark is the workbench\'s, written after the page it claims was seen', async () => {
    await freshLaunch('com.demo.haspolicy');
    const from = await count();
    const r = await api['policy.capture']({ sessionId: session.id, openLink: true });
    expect(r.pages).toBeGreaterThanOrEqual(1);
    const after = await entries(from);
    const marks = ofType(after, 'tester.mark');
    expect(marks.map((m) => [m.event.source, m.event.mark, m.event.label])).toEqual([['workbench', 'policy.reached', 'tapped "《隐私政策》"']]);
    const firstPage = ofType(after, 'capture').find((c) => c.event.name === 'policy page 1')!;
    expect(marks[0]!.seq).toBeGreaterThan(firstPage.seq);
    expect(describeEvent(marks[0]!.event)).toEqual({ zh: '工作台自动操作：打开隐私政策（点击“《隐私政策》”）', en: 'Workbench automation: policy reached (tapped “《隐私政策》”)' });
    expect(ofType(after, 'workbench.step-failed')).toEqual([]);
  });
});

describe('the headless run\'s taps on the privacy dialog and on permission dialogs', () => {
  it('agree and decline buttons that do nothing: the stages fail, each tap a failed step, and no consent mark', async () => {
    await freshLaunch('com.demo.stuck');
    const from = await count();
    const started = Date.now();
    const outcomes = await runner('com.demo.stuck').run(['decline', 'agree'] as StageId[]);
    // Bounded: each unanswered tap is given up after 1.5 s of looking (the rest is the stages' launches and waits).
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(outcomes.map((o) => [o.stage, o.outcome])).toEqual([['decline', 'failed'], ['agree', 'failed']]);
    const after = await entries(from);
    expect(ofType(after, 'tester.mark').map((m) => [m.event.source, m.event.mark])).toEqual([['workbench', 'stage.started'], ['workbench', 'stage.started']]);
    const failed = ofType(after, 'workbench.step-failed');
    expect(failed.map((f) => [f.event.step, f.event.reason])).toEqual([['consent.decline', 'dialog-still-shown'], ['consent.agree', 'dialog-still-shown']]);
    expect(failed[0]!.event.message.zh).toMatch(/^已点击“不同意”，但 1\.5 秒后屏幕上仍显示该按钮：弹窗未被应答，因此未设置同意\/拒绝标记；拒绝路径需由检测人员完成。$/);
    expect(describeEvent(failed[1]!.event).zh).toMatch(/^工作台自动操作未完成（同意隐私政策）：已点击“同意并继续”/);
    expect(describeEvent(ofType(after, 'tester.mark')[0]!.event).zh).toBe('工作台自动操作：开始检测阶段（decline）');
  });

  it('a decline the app takes: the mark follows the tap on the record and is stamped just before it', async () => {
    await freshLaunch('com.demo.deadlink');
    const from = await count();
    const outcomes = await runner('com.demo.deadlink').run(['decline'] as StageId[]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['done']);
    const after = await entries(from);
    const tap = ofType(after, 'tester.input').find((t) => t.event.action.kind === 'tap' && t.event.action.y === 1420)!;
    const mark = ofType(after, 'tester.mark').find((m) => m.event.mark === 'consent.declined')!;
    expect(tap.event.source).toBe('workbench');
    expect(mark.event).toMatchObject({ source: 'workbench', label: 'tapped "不同意"' });
    expect(mark.seq).toBeGreaterThan(tap.seq);
    expect(at(mark.event)).toBe(at(tap.event) - 1);
    expect(describeEvent(mark.event).zh).toBe('工作台自动操作：拒绝隐私政策（点击“不同意”）');
  });

  it('a permission dialog denied is marked once it went away; one the phone ignores is a failed step and no mark', async () => {
    await freshLaunch('com.demo.asksfirst', '不允许');
    let from = await count();
    expect((await runner('com.demo.asksfirst').run(['permissions'] as StageId[]))[0]).toMatchObject({ outcome: 'done', message: '1 permission dialogs denied' });
    let after = await entries(from);
    const tap = ofType(after, 'tester.input')[0]!;
    const mark = ofType(after, 'tester.mark').find((m) => m.event.mark === 'permission.denied-by-tester')!;
    expect(mark.event).toMatchObject({ source: 'workbench', label: 'tapped "不允许"' });
    expect(mark.seq).toBeGreaterThan(tap.seq);
    expect(at(mark.event)).toBe(at(tap.event) - 1);
    // Automation's denial is not called the tester's.
    expect(describeEvent(mark.event)).toEqual({ zh: '工作台自动操作：拒绝权限（点击“不允许”）', en: 'Workbench automation: permission denied (tapped “不允许”)' });

    // A phone that takes no input (a frozen screen): the tap is recorded as sent, the dialog stays, nothing is marked.
    await freshLaunch('com.demo.asksfirst', '不允许');
    const control = wb.adb.controlFor();
    const original = control.input.bind(control);
    control.input = async () => undefined;
    from = await count();
    try {
      // A stage that waits longer than one try: the same unanswered dialog is tried, and recorded, once.
      const frozen = new StageRunner({
        bridge: wb.adb.bridge!, control, session: wb.sessions.get(session.id)!, serial: phone.serial, packageName: 'com.demo.asksfirst',
        timing: { dwellMs: 4000, settleMs: 300, rebootTimeoutMs: 1000 }, reboot: false, log: () => undefined,
      });
      await frozen.run(['permissions'] as StageId[]);
    } finally {
      control.input = original;
    }
    after = await entries(from);
    expect(ofType(after, 'tester.mark').filter((m) => m.event.mark !== 'stage.started')).toEqual([]);
    expect(ofType(after, 'workbench.step-failed').map((f) => [f.event.step, f.event.reason])).toEqual([['permission.deny', 'dialog-still-shown']]);
    await testerTaps('不允许');
  });
});

describe('the tester\'s own taps and marks', () => {
  it('are the tester\'s; a consent mark takes the time of the tester\'s tap, never of the workbench\'s taps since', async () => {
    await freshLaunch('com.demo.deadlink');
    const from = await count();
    await testerTaps('用户协议与隐私政策');
    // The workbench taps the dead link in between (its tap is not the tester's answer).
    await captureFails();
    const { seq } = await api['session.mark']({ id: session.id, mark: 'consent.given', label: null });
    const after = await entries(from);
    const testerTap = ofType(after, 'tester.input').find((t) => t.event.source === 'tester')!;
    expect(ofType(after, 'tester.input').filter((t) => t.event.source === 'workbench')).toHaveLength(1);
    const mark = after.find((e) => e.seq === seq)!.event as Of<'tester.mark'>;
    expect(mark).toMatchObject({ source: 'tester', mark: 'consent.given', label: `at the tap #${testerTap.seq}`, hostTime: testerTap.event.hostTime - 1 });
    expect(describeEvent(testerTap.event).zh).toMatch(/^检测人员操作：点击 \d+,\d+$/);
    expect(describeEvent(mark)).toEqual({ zh: `检测人员标记：同意隐私政策（对应点击 #${testerTap.seq}）`, en: `Tester mark: consent given (at the tap #${testerTap.seq})` });
  });
});
