/**
 * Proposals say only what was observed in the stages that ran: sessions recorded with the real Session class
 * (chained timeline on disk), judged by the shipped template as the UI, exports and runs judge them. 164-2.4
 * before the app was launched is "not tested"; 164-6.1 without a reboot is "not tested" (what the force-stop
 * wait showed is said beside it), with a reboot the phone came back from and nothing seen it is "none observed"
 * naming both stages and their time; a "none observed" in a stage that ran points at the stage's marks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordedSession } from '../../../support/recorded-session.js';

const root = mkdtempSync(join(tmpdir(), 'stage-coverage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const recorded = () => new RecordedSession(root);

describe('164-2.4 identifiers: nothing seen before the app ran is not "none observed"', async () => {
  it('a session with no stage yet, and a first-launch stage started before the app was launched, are not tested', async () => {
    const r = recorded();
    const before = await r.judged('164-2.4');
    expect(before.status).toBe('not-tested');
    expect(before.explanation.zh).toMatch(/^未检测：“首次启动（同意前）”阶段未运行；“同意路径”阶段未运行；“后台”阶段未运行。/);
    expect(before.explanation.en).toMatch(/^Not tested: the "First launch \(before consent\)" stage was not run;/);
    expect(before.explanation.zh).not.toContain('未观察到');

    r.stage(1000, 'first-launch');
    const started = await r.judged('164-2.4');
    expect(started.status).toBe('not-tested');
    expect(started.explanation.zh).toContain('“首次启动（同意前）”阶段中未观察到应用运行（没有应用的进程启动或前台窗口）');
    expect(started.explanation.en).toContain('the "First launch (before consent)" stage: the app was not seen running (no process start or window of the app)');
  });

  it('once the app ran in the first-launch stage, nothing read is "none observed" over that stage, with its mark as evidence', async () => {
    const r = recorded();
    r.firstLaunch(1000);
    r.ran(31_000, 'first-launch');
    const p = await r.judged('164-2.4');
    expect(p.status).toBe('none-observed');
    expect(p.explanation.zh).toMatch(/^在“首次启动（同意前）”阶段运行的 30 秒内：未观察到读取设备标识的尝试。（“同意路径”、“后台”阶段未运行，不在其内。）$/);
    expect(p.explanation.en).toMatch(/^In the 30 s the "First launch \(before consent\)" stage ran: no attempt to read device identifiers was observed\. \(Not covered: the "Agree path", "Background" stages, which did not run\.\)$/);
    expect(p.evidence.length).toBe(2);
    // A read in it is still the tester's to judge, whatever else ran.
    r.observed(40_000, { type: 'identifier.access', method: 'getImei', uid: 10230 });
    expect((await r.judged('164-2.4')).status).toBe('needs-tester');
  });

  it('a stage the run recorded as skipped or failed does not count', async () => {
    const r = recorded();
    r.firstLaunch(1000);
    r.ran(5000, 'first-launch', 'failed', 'the phone did not answer');
    const p = await r.judged('164-2.4');
    expect(p.status).toBe('not-tested');
    expect(p.explanation.zh).toContain('“首次启动（同意前）”阶段失败');
    expect(p.explanation.en).toContain('the "First launch (before consent)" stage failed: the phone did not answer');
  });
});

describe('164-1.3 after decline: the decline path needs its "declined" mark', () => {
  it('a decline stage started in a guided session without the mark is not tested; with it, nothing seen is "none observed"', async () => {
    const r = recorded();
    r.firstLaunch(0);
    r.stage(10_000, 'decline');
    const p = await r.judged('164-1.3');
    expect(p.status).toBe('not-tested');
    expect(p.explanation.zh).toContain('“拒绝路径”阶段中没有“已拒绝”标记');
    expect(p.explanation.en).toContain('the "Decline path" stage: there is no "declined" mark');
    r.mark(12_000, 'consent.declined');
    r.stage(40_000, 'agree');
    expect(await r.judged('164-1.3')).toMatchObject({ status: 'none-observed', explanation: { zh: expect.stringMatching(/^在“拒绝路径”阶段运行的 30 秒内：拒绝隐私政策后未观察到收集或权限申请。网络：该时段未记录网络（未开启工作台代理），本结论不涉及数据外发。$/) } });
  });
});

describe('164-6.1 self-start: the reboot must have happened for "none observed"', async () => {
  it('the force-stop wait without a reboot is "not tested", saying what the wait showed and never "after reboot"', async () => {
    const r = recorded();
    r.firstLaunch(0);
    r.selfStartWait(10_000);
    r.ran(40_001, 'reboot', 'skipped', 'reboot not requested (--reboot)');
    const p = await r.judged('164-6.1');
    expect(p.status).toBe('not-tested');
    expect(p.explanation.zh).toBe('未检测：“重启（可选）”阶段未运行。已运行的“强行停止后等待”阶段（30 秒）内：未观察到无用户操作时的自启动或自启动尝试。');
    expect(p.explanation.en).toBe('Not tested: the "Reboot (optional)" stage was not run. In the 30 s the "Force-stop and wait" stage ran: no start of the app without the user, and no attempt, was observed.');
    expect(p.explanation.zh).not.toMatch(/重启后未观察到/);
  });

  it('a reboot stage the phone never came back in is not a reboot', async () => {
    const r = recorded();
    r.firstLaunch(0);
    r.selfStartWait(10_000);
    r.stage(40_002, 'reboot');
    r.action(40_003, 'reboot', 'S');
    const p = await r.judged('164-6.1');
    expect(p.status).toBe('not-tested');
    expect(p.explanation.zh).toContain('“重启（可选）”阶段中未观察到手机重启（没有断开后重新连接的记录）');
    expect(p.explanation.en).toContain('the "Reboot (optional)" stage: no reboot was seen (the phone did not disconnect and come back)');
  });

  it('with a reboot the phone came back from and nothing seen: "none observed" naming both stages and their time', async () => {
    const r = recorded();
    r.firstLaunch(0);
    r.selfStartWait(10_000);
    const reboot = r.stage(40_002, 'reboot');
    r.action(40_003, 'reboot', 'S');
    r.observed(40_100, { type: 'device.disconnected', gapMs: null }, 'monitor');
    r.observed(52_000, { type: 'device.reconnected', gapMs: 11_900 }, 'monitor');
    const done = r.ran(100_002, 'reboot');
    const p = await r.judged('164-6.1');
    expect(p.status).toBe('none-observed');
    expect(p.explanation.zh).toBe('在“强行停止后等待”、“重启（可选）”阶段运行的 1.5 分钟内：未观察到无用户操作时的自启动或自启动尝试。');
    expect(p.explanation.en).toBe('In the 1.5 min the "Force-stop and wait", "Reboot (optional)" stages ran: no start of the app without the user, and no attempt, was observed.');
    expect(p.evidence).toEqual(expect.arrayContaining([reboot, done]));
    // A start after the boot, with no one touching the phone, is a self-start as before.
    const start = r.processStart(60_000, 'broadcast');
    expect(await r.judged('164-6.1')).toMatchObject({ status: 'violation', evidence: [start] });
  });

  it('a self-start seen in the wait is a violation whether or not the reboot ran', async () => {
    const r = recorded();
    r.firstLaunch(0);
    r.stage(10_000, 'self-start');
    r.action(10_001, 'force-stop');
    const start = r.processStart(20_000, 'service');
    r.ran(40_000, 'self-start');
    expect(await r.judged('164-6.1')).toMatchObject({ status: 'violation', evidence: [start] });
  });
});

describe('"none observed" rows stand on the stages that ran', async () => {
  it('an item with nothing of its own to point at points at its stages\' marks once they ran, and at nothing (not tested) before', async () => {
    const r = recorded();
    r.firstLaunch(0);
    r.ran(20_000, 'first-launch');
    // 164-2.1 (frequency) watches the agree, permissions, background and screen-off stages: none ran yet.
    expect(await r.judged('164-2.1')).toMatchObject({ status: 'not-tested', evidence: [] });
    const agree = r.stage(20_001, 'agree');
    r.action(20_002, 'launch');
    r.processStart(20_010);
    r.mark(21_000, 'consent.given');
    const agreed = r.ran(50_000, 'agree');
    const p = await r.judged('164-2.1');
    expect(p.status).toBe('none-observed');
    expect(p.evidence).toEqual([agree, agreed]);
    expect(p.explanation.zh).toMatch(/^在“同意路径”阶段运行的 30 秒内：没有一类敏感数据被访问 4 次以上/);
    expect(p.explanation.zh).toContain('（“权限申请”、“后台”、“熄屏”阶段未运行，不在其内。）');
  });

  it('every "none observed" of a fully walked session has evidence, and no behaviour item claims a stage that did not run', async () => {
    const r = recorded();
    r.firstLaunch(0);
    r.ran(10_000, 'first-launch');
    r.stage(10_001, 'decline');
    r.mark(10_500, 'consent.declined');
    r.ran(20_000, 'decline');
    r.stage(20_001, 'agree');
    r.action(20_002, 'clear-data');
    r.action(20_003, 'launch');
    r.processStart(20_010);
    r.mark(21_000, 'consent.given');
    r.ran(30_000, 'agree');
    r.stage(30_001, 'permissions');
    r.ran(40_000, 'permissions');
    r.stage(40_001, 'background');
    r.action(40_002, 'home');
    r.ran(50_000, 'background');
    r.selfStartWait(50_001);
    r.ran(80_002, 'reboot', 'skipped', 'reboot not requested (--reboot)');
    const findings = await r.findings();
    const none = findings.filter((f) => f.proposal.status === 'none-observed');
    expect(none.length).toBeGreaterThan(5);
    for (const f of none) expect(f.proposal.evidence.length, f.item).toBeGreaterThan(0);
    // Screen-off and revoke never ran: their items are not tested, and the reboot's absence keeps 164-6.1 so.
    const status = (id: string) => findings.find((f) => f.item === id)!.proposal.status;
    expect(status('164-1.8')).toBe('not-tested');
    expect(status('164-6.1')).toBe('not-tested');
    expect(status('164-1.3')).toBe('none-observed');
    expect(status('164-2.2')).toBe('none-observed');
    expect(findings.find((f) => f.item === '164-2.2')!.proposal.explanation.zh).toContain('（“熄屏”阶段未运行，不在其内。）');
  });
});
