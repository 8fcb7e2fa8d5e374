/**
 * The explorer through the Workbench API (explore.start / explore.stop / explore.status), on the virtual phone's
 * menus through the real adb server: a walk writes its start, steps and result into the session with a screenshot
 * and a UI dump per new screen that exist in the session folder; the evidence of the policy's path points at
 * them; stopping mid-walk ends it with `stopped` and the walk so far; a second start while one runs and a start
 * on a paused session are refused with words that say what to do; pausing the session ends a running walk.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../../../src-preload/api.js';
import type { TimelineEvent } from '../../../../src-preload/monitor-events.js';
import type { Handlers } from '../../../../src-main/bridge/dispatcher.js';
import { Workbench } from '../../../../src-main/core/workbench.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhoneFrom } from '../../../support/virtual-phone.js';

const FIXTURE = join(__dirname, '../../../fixtures/scenarios/explore-menus.yaml');
const PKG = 'com.demo.explore';

let adb: TestAdbServer;
let phone: VirtualDevice;
let wb: Workbench;
let api: Handlers;
let session: SessionInfo;

type Of<T extends TimelineEvent['type']> = Extract<TimelineEvent, { type: T }>;
async function events(): Promise<TimelineEvent[]> {
  return (await api['session.timeline']({ id: session.id, afterSeq: 0, limit: 5000 })).entries.map((e) => e.event);
}
const results = async (): Promise<Array<Of<'explore.result'>>> => (await events()).filter((e): e is Of<'explore.result'> => e.type === 'explore.result');

async function onMainScreen(): Promise<void> {
  await api['device.forceStop']({ serial: phone.serial, packageName: PKG });
  await api['device.launch']({ serial: phone.serial, packageName: PKG });
  await waitFor('the main screen', async () => JSON.stringify((await api['device.uiTree']({ serial: phone.serial })).nodes).includes('"我的"'), 10_000, 100);
}

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhoneFrom(adb, FIXTURE);
  wb = new Workbench({ dataDir: mkdtempSync(join(tmpdir(), 'explore-api-')), shell: 'browser', version: 'test', adbServerPort: adb.port });
  await wb.start();
  api = wb.handlers();
  await waitFor('the phone online', async () => (await api['devices.list']({})).some((d) => d.serial === phone.serial && d.state === 'device'), 10_000);
  session = await api['session.start']({ serial: phone.serial, packageName: PKG, tester: '王五', caseRef: 'explore' });
}, 60_000);

afterAll(async () => {
  await wb?.close();
  await phone?.stop();
  await adb?.kill();
});

describe('the explorer through the API', () => {
  it('stops when asked, with the walk so far; refuses a second start while it runs', async () => {
    await onMainScreen();
    await api['explore.start']({ sessionId: session.id, limits: {} });
    expect(await api['explore.status']({ sessionId: session.id })).toEqual({ running: true });
    await expect(api['explore.start']({ sessionId: session.id, limits: {} })).rejects.toMatchObject({ code: 'session.busy', message: expect.stringContaining('stop it first') });
    await waitFor('three taps', async () => (await events()).filter((e) => e.type === 'explore.step' && e.step.kind === 'tap').length >= 3, 60_000, 200);
    expect(await api['explore.stop']({ sessionId: session.id })).toEqual({ stopped: true });
    expect(await api['explore.status']({ sessionId: session.id })).toEqual({ running: false });
    const [r] = await results();
    expect(r!.summary.stopped).toBe('stopped');
    expect(r!.summary.taps).toBeGreaterThanOrEqual(3);
    expect(await api['explore.stop']({ sessionId: session.id })).toEqual({ stopped: false });
  }, 120_000);

  it('walks to the policy five taps deep, with a screenshot and a UI dump per screen that are in the session folder', async () => {
    await onMainScreen();
    await api['explore.start']({ sessionId: session.id, limits: { maxMs: 5 * 60_000 } });
    await waitFor('the walk to finish', async () => (await results()).length === 2, 240_000, 500);
    const evs = await events();
    const r = (await results())[1]!.summary;
    expect(r.stopped).toBe('explored');
    const policy = r.targets.find((t) => t.target === 'privacy-policy')!;
    expect(policy.found && policy.taps).toBe(5);
    expect(policy.found && policy.path.map((p) => p.label)).toEqual(['我的', '设置', '关于我们', '法律条款', '《隐私政策》']);
    const captures = new Map(evs.filter((e): e is Of<'capture'> => e.type === 'capture').map((e) => [e.seq, e]));
    expect(policy.found && policy.evidence.length).toBeGreaterThanOrEqual(10);
    for (const seq of policy.found ? policy.evidence : []) {
      const c = captures.get(seq);
      expect(c?.kind, `seq ${seq}`).toMatch(/^(screenshot|ui\.dump)$/);
      expect(existsSync(join(session.dir, c!.blob.path))).toBe(true);
    }
    const screens = evs.filter((e): e is Of<'explore.step'> => e.type === 'explore.step' && e.step.kind === 'screen');
    expect(screens.length).toBeGreaterThanOrEqual(9);
    expect(screens.every((e) => e.step.kind === 'screen' && typeof e.step.evidence?.uiDump === 'number' && captures.has(e.step.evidence.uiDump))).toBe(true);
    // The proposal the checklist makes from it.
    const findings = (await api['checklist.session']({ sessionId: session.id })).findings;
    expect(findings.find((f) => f.item === '164-1.7')!.proposal.status).toBe('violation');
  }, 300_000);

  it('refuses a start on a paused session, and pausing ends a running walk', async () => {
    await onMainScreen();
    await api['explore.start']({ sessionId: session.id, limits: {} });
    await waitFor('a tap', async () => (await events()).filter((e) => e.type === 'explore.step' && e.step.kind === 'tap').length > 0 && (await api['explore.status']({ sessionId: session.id })).running, 60_000, 200);
    await api['session.pause']({ id: session.id });
    await waitFor('the walk to end', async () => !(await api['explore.status']({ sessionId: session.id })).running, 30_000, 200);
    const last = (await results()).at(-1)!.summary;
    expect(last.stopped).toBe('stopped');
    expect(last.note).toContain('stopped recording');
    await expect(api['explore.start']({ sessionId: session.id, limits: {} })).rejects.toMatchObject({ code: 'session.not-recording' });
  }, 120_000);
});
