/**
 * A phone whose clock says what no clock can — 1e20 s, a negative time, no number at all, the year 3000 — is
 * refused at the phone: session.json keeps no offset, no event carries a device time from it, the timeline says
 * so once (`device.clock-refused`, described in Chinese and English in the report), and the session exports to
 * a package that verifies (before, the export died with "Invalid time value"). A phone decades behind (a flat
 * battery) is wrong but believable: its offset is kept. What `date` may print, number or not, is read by one
 * function whose window is tested on its own. And a session whose stored times are absurd anyway
 * (edited by hand) still exports, its report saying "invalid time" where a time cannot be shown.
 * Real adb server, virtual phones whose clocks are set so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../../src-preload/monitor-events.js';
import { AdbkitBridge } from '../../../../src-main/core/adb/device-bridge.js';
import { readDeviceClock } from '../../../../src-main/core/adb/device-clock.js';
import { DeviceControl } from '../../../../src-main/core/adb/device-control.js';
import { verifyPackage } from '../../../../src-main/core/evidence/index.js';
import { HeadlessMonitors } from '../../../../src-main/core/session/headless-monitors.js';
import { describePhone, readSessionMeta, Session, SessionManager } from '../../../../src-main/core/session/index.js';
import { RealClock, type VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { exportSession, makeSession, readEntries, TOOL } from '../../../support/evidence-fixtures.js';
import { startPhone } from '../../../support/virtual-phone.js';

/** A phone clock that reads what the test says (its timers still run on real time). */
class SetClock extends RealClock {
  constructor(private readonly reads: () => number) {
    super();
  }
  override now(): number {
    return this.reads();
  }
}

const root = mkdtempSync(join(tmpdir(), 'absurd-clock-'));
let adb: TestAdbServer;
const phones: VirtualDevice[] = [];

beforeAll(async () => {
  adb = await startAdbServer();
}, 60_000);

afterAll(async () => {
  for (const p of phones) await p.stop();
  await adb?.kill();
  rmSync(root, { recursive: true, force: true });
});

/** Records a short session of the app on a phone whose clock reads `reads()`, then exports it. */
async function recordOn(name: string, reads: () => number) {
  const phone = await startPhone(adb, 'collects-before-consent', { clock: new SetClock(reads) });
  phones.push(phone);
  const bridge = new AdbkitBridge('adb', adb.port);
  const control = new DeviceControl(bridge);
  const monitors = new HeadlessMonitors(bridge);
  const manager = new SessionManager({ root: join(root, name), tool: TOOL, monitors, describe: (s, p) => describePhone(bridge, control, s, p) });
  monitors.manager = manager;
  const info = await manager.start({ serial: phone.serial, packageName: 'com.demo.shop', tester: 't', caseRef: name });
  await control.launch(phone.serial, 'com.demo.shop');
  manager.get(info.id)!.append({ type: 'app.action', action: 'launch', target: 'com.demo.shop' }, { deviceTime: await control.readClock(phone.serial) });
  const events = async (): Promise<TimelineEvent[]> => (await manager.timeline(info.id, 0, 2000)).entries.map((e) => e.event);
  // The app in front, as the monitor's poll reads it (a phone whose clock is refused still reports it).
  await waitFor(`${name}: the app in front`, async () => (await events()).some((e) => e.type === 'app.foreground' && e.component.startsWith('com.demo.shop/')), 20_000, 200);
  const timeline = await events();
  await manager.close(info.id);
  const t0 = performance.now();
  const exported = await exportSession(info.dir, join(root, `${name}.zip`), join(root, 'identity'));
  return { dir: info.dir, timeline, exported, exportMs: performance.now() - t0, pkg: join(root, `${name}.zip`) };
}

const YEAR_3000 = Date.UTC(3000, 0, 1);

describe('a phone whose clock cannot be right', () => {
  it('is refused at the phone with one clear event; everything recorded on it exports and verifies', async () => {
    const cases: Array<[string, () => number, RegExp]> = [
      ['1e20-seconds', () => 1e23, /^(99999999999999980000|100000000000000000000)\./],
      ['negative', () => -5e12, /^-5000000000\./],
      ['year-3000', () => YEAR_3000 + (Date.now() % 100_000), /^32503680\d{3}\./],
    ];
    const runs = await Promise.all(cases.map(async ([name, reads, printed]) => ({ name, printed, ...(await recordOn(name, reads)) })));
    for (const r of runs) {
      expect(readSessionMeta(r.dir).device.clockOffsetMs, r.name).toBeNull();
      const refused = r.timeline.filter((e) => e.type === 'device.clock-refused');
      expect(refused, r.name).toHaveLength(1);
      expect((refused[0] as Extract<TimelineEvent, { type: 'device.clock-refused' }>).reported, r.name).toMatch(r.printed);
      // Host time stands in: every event has a believable host time, and no device time from the refused clock.
      for (const e of r.timeline) {
        expect(Math.abs(e.hostTime - Date.now()), `${r.name} ${e.type} host time`).toBeLessThan(10 * 60_000);
        if (e.deviceTime !== null && e.source !== 'logcat') expect.fail(`${r.name}: ${e.type} carries device time ${e.deviceTime}`);
      }
      expect(r.exportMs, `${r.name} export (ms)`).toBeLessThan(10_000);
      const report = (await readEntries(r.pkg)).find(([n]) => n === 'report.html')![1].toString('utf8');
      expect(report, r.name).toMatch(/手机时钟读数为 <code>.*<\/code>，不可能正确：此后使用主机时间<\/span><br><span class="en" lang="en">the phone&#39;s clock reads <code>.*<\/code>, which cannot be right: host time is used instead/);
      expect((await verifyPackage(r.pkg)).ok, r.name).toBe(true);
    }
  });

  it('a phone decades behind (1980, as after a flat battery) is wrong but believable: its offset is kept, nothing refused', async () => {
    const flat = Date.UTC(1980, 0, 1);
    const start = Date.now();
    const r = await recordOn('flat-battery', () => flat + (Date.now() - start));
    const offset = readSessionMeta(r.dir).device.clockOffsetMs!;
    expect(Math.abs(offset - (flat - start))).toBeLessThan(5000);
    expect(r.timeline.some((e) => e.type === 'device.clock-refused')).toBe(false);
    expect((await verifyPackage(r.pkg)).ok).toBe(true);
  });
});

describe('readDeviceClock', () => {
  it('believes 1970 up to a hundred years past the host; refuses the rest, saying what the phone printed', () => {
    const host = Date.UTC(2026, 11, 6);
    expect(readDeviceClock('1796573320.123456789\n', host)).toEqual({ ok: true, deviceMs: 1796573320123 });
    expect(readDeviceClock('0.000000000', host)).toEqual({ ok: true, deviceMs: 0 });
    expect(readDeviceClock(String((host + 99 * 365 * 86400_000) / 1000), host).ok).toBe(true);
    const refused: Array<[string, string]> = [
      ['100000000000000000000.000000000', '100000000000000000000.000000000'], ['-5000000000.000000000', '-5000000000.000000000'],
      ['NaN.NaN000000', 'NaN.NaN000000'], ['1e20', '1e20'], ['', '(nothing)'], ['date: bad format \u001b[31m', 'date: bad format ?[31m'],
      [String((host + 101 * 365.25 * 86400_000) / 1000), String((host + 101 * 365.25 * 86400_000) / 1000)], ['9'.repeat(400), '9'.repeat(64)],
    ];
    for (const [printed, reported] of refused) expect(readDeviceClock(printed, host), printed.slice(0, 40)).toEqual({ ok: false, reported });
  });
});

describe('stored times no Date can hold', () => {
  it('a session edited to hold them exports; the report says "invalid time"', async () => {
    const dir = join(root, 'edited');
    await makeSession(dir, { state: 'recording' });
    const s = Session.open(dir);
    s.meta.startedAt = 1e300;
    s.meta.recoveries.push({ at: -1e300, tornBytes: 1, tornFile: null });
    s.append({ type: 'tester.note', text: 'far future' }, { hostTime: 1e23, deviceTime: -1e20 });
    s.append({ type: 'tester.note', text: 'not a number at all' }, { hostTime: 'yesterday' as unknown as number, deviceTime: { at: 1 } as unknown as number });
    await s.setState('closed', null);
    await s.release();
    const t0 = performance.now();
    const out = join(root, 'edited.zip');
    await exportSession(dir, out, join(root, 'identity'));
    expect(performance.now() - t0).toBeLessThan(10_000);
    const report = (await readEntries(out)).find(([n]) => n === 'report.html')![1].toString('utf8');
    expect(report).toContain('无效时间 / invalid time (1e+23)');
    expect(report).toContain('无效时间 / invalid time (yesterday)');
    expect(report).toContain('无效时间 / invalid time (1e+300)');
    expect((await verifyPackage(out)).ok).toBe(true);
  });
});
