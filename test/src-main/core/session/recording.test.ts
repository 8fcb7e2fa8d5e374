/**
 * Recording through the real core (the Workbench and its API handlers, the real adb server, two virtual
 * phones): two sessions record at once, each gets only its own phone's events; inputs, installs, app
 * actions, saved screenshots and UI dumps land in the session of the phone they were made on; pause stops
 * recording and resume continues the same chain; a second session on a busy phone is refused.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo, TimelineEvent } from '../../../../src-preload/api.js';
import type { Handlers } from '../../../../src-main/bridge/dispatcher.js';
import { Workbench } from '../../../../src-main/core/workbench.js';
import { scanTimeline } from '../../../../src-main/core/session/index.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone, TEST_APKS } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let phones: VirtualDevice[];
let wb: Workbench;
let api: Handlers;

/** The session's timeline as the API reads it (what is queued is flushed first). */
async function events(s: SessionInfo): Promise<TimelineEvent[]> {
  return (await api['session.timeline']({ id: s.id, afterSeq: 0, limit: 2000 })).entries.map((e) => e.event);
}

beforeAll(async () => {
  adb = await startAdbServer();
  phones = [await startPhone(adb, 'collects-before-consent'), await startPhone(adb, 'compliant-app')];
  wb = new Workbench({ dataDir: mkdtempSync(join(tmpdir(), 'recording-')), shell: 'browser', version: 'test', adbServerPort: adb.port });
  await wb.start();
  api = wb.handlers();
  await waitFor('both phones online', async () => (await api['devices.list']({})).filter((d) => d.state === 'device').length === 2, 10_000);
});

afterAll(async () => {
  await wb?.close();
  for (const p of phones ?? []) await p.stop();
  await adb?.kill();
});

describe('recording sessions', () => {
  it('two phones record at once; each session holds only what happened on its phone', async () => {
    const [a, b] = phones as [VirtualDevice, VirtualDevice];
    const sa = await api['session.start']({ serial: a.serial, packageName: 'com.demo.shop', tester: '张三', caseRef: 'A' });
    const sb = await api['session.start']({ serial: b.serial, packageName: 'com.demo.compliant', tester: '李四', caseRef: 'B' });
    expect(sa.device).toMatchObject({ serial: a.serial, model: 'Pixel 7', androidVersion: expect.any(String) });
    expect(sa.device.fingerprint).toMatch(/\//);
    expect(sa.app).toMatchObject({ packageName: 'com.demo.shop', versionName: '2.3.0', versionCode: 12 });
    await expect(api['session.start']({ serial: a.serial, packageName: 'com.demo.shop', tester: 'x', caseRef: '' })).rejects.toThrow(/already recording/);

    const staged = wb.files.stagePath(TEST_APKS.settings);
    const installed = await api['device.install']({ serial: a.serial, fileId: staged.fileId });
    expect(installed.ok).toBe(true);
    await api['device.launch']({ serial: a.serial, packageName: 'com.demo.shop' });
    await api['device.launch']({ serial: b.serial, packageName: 'com.demo.compliant' });
    await api['device.input']({ serial: a.serial, action: { kind: 'key', key: 'BACK' } });
    const shot = await api['device.screenshot']({ serial: a.serial, save: true });
    expect(shot.savedPath).toContain(sa.dir);
    await api['device.uiTree']({ serial: b.serial });
    await api['session.mark']({ id: sa.id, mark: 'consent.given', label: null });
    await api['session.note']({ id: sb.id, text: '对照组' });
    const excerpt = wb.files.stagePath(join(__dirname, 'recording.test.ts'));
    const attached = await api['session.attach']({ id: sb.id, fileId: excerpt.fileId });
    expect(readFileSync(join(sb.dir, 'blobs', `${attached.sha256}.bin`), 'utf8')).toBe(readFileSync(join(__dirname, 'recording.test.ts'), 'utf8'));

    await waitFor('the app ops of the collecting app in session A', async () => (await events(sa)).some((e) => e.type === 'identifier.access' || e.type === 'appop.access'), 15_000, 200);
    await waitFor('the launch of the compliant app in session B', async () => (await events(sb)).some((e) => e.type === 'process.start' || e.type === 'app.foreground'), 15_000, 200);
    const ea = await events(sa);
    const eb = await events(sb);
    expect(ea.every((e) => e.serial === a.serial)).toBe(true);
    expect(eb.every((e) => e.serial === b.serial)).toBe(true);
    const typesA = new Set(ea.map((e) => e.type));
    for (const t of ['session.started', 'app.installed', 'app.action', 'tester.input', 'capture', 'tester.mark']) expect(typesA, t).toContain(t);
    const install = ea.find((e) => e.type === 'app.installed') as Extract<TimelineEvent, { type: 'app.installed' }>;
    expect(install).toMatchObject({ ok: true, installedPackage: 'io.appium.settings' });
    expect(install.apkSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(sa.dir, install.output!.path), 'utf8')).toContain('Success');
    expect(eb.some((e) => e.type === 'capture' && e.kind === 'ui.dump')).toBe(true);
    expect(eb.some((e) => e.type === 'tester.note')).toBe(true);
    expect(eb.find((e) => e.type === 'capture' && e.kind === 'attachment')).toMatchObject({ name: 'recording.test.ts', blob: { sha256: attached.sha256 } });
    expect(eb.some((e) => e.type === 'tester.mark' || e.type === 'app.installed')).toBe(false);

    // Pause: nothing more is recorded; resume continues the same chain.
    await api['session.pause']({ id: sa.id });
    const paused = (await events(sa)).length;
    await api['device.input']({ serial: a.serial, action: { kind: 'key', key: 'HOME' } });
    await new Promise((r) => setTimeout(r, 400));
    expect((await events(sa)).length).toBe(paused);
    await expect(api['session.mark']({ id: sa.id, mark: 'other', label: null })).resolves.toBeTruthy();
    await api['session.resume']({ id: sa.id });
    await api['device.input']({ serial: a.serial, action: { kind: 'key', key: 'BACK' } });
    const closed = await api['session.close']({ id: sa.id });
    await api['session.close']({ id: sb.id });
    const scan = scanTimeline(join(sa.dir, 'timeline.jsonl'));
    expect(scan.broken).toBeNull();
    expect(closed.timeline).toMatchObject({ count: scan.count, head: scan.head });
    // Nothing from the phone between the pause and the resume: only the tester's own mark.
    const types = (await events(sa)).map((e) => e.type);
    const pausedAt = types.lastIndexOf('session.paused');
    expect(types.slice(pausedAt + 1, pausedAt + 3)).toEqual(['tester.mark', 'session.resumed']);
    expect(types.indexOf('tester.input', pausedAt)).toBeGreaterThan(pausedAt + 2);
    expect(types[types.length - 1]).toBe('session.closed');
    expect(readFileSync(join(sa.dir, 'logcat.log'), 'utf8').length).toBeGreaterThan(0);
    const list = await api['session.list']({});
    expect(list.filter((s) => s.state === 'closed').map((s) => s.id).sort()).toEqual([sa.id, sb.id].sort());
  });

  it('a consent mark sent right behind a tap waits for it and takes its time', async () => {
    const [, b] = phones as [VirtualDevice, VirtualDevice];
    const s = (await api['session.list']({})).find((x) => x.device.serial === b.serial && x.state !== 'closed') ?? await api['session.start']({ serial: b.serial, packageName: 'com.demo.compliant', tester: 't', caseRef: '' });
    if (s.state === 'paused') await api['session.resume']({ id: s.id });
    // The mark is sent without waiting for the tap's answer, as a tester pressing D right after tapping does.
    const tap = api['device.input']({ serial: b.serial, action: { kind: 'tap', x: 540, y: 1420 } });
    const mark = await api['session.mark']({ id: s.id, mark: 'consent.declined', label: null });
    await tap;
    const timeline = (await api['session.timeline']({ id: s.id, afterSeq: 0, limit: 2000 })).entries;
    const tapEntry = [...timeline].reverse().find((e) => e.event.type === 'tester.input')!;
    const markEntry = timeline.find((e) => e.seq === mark.seq)!;
    expect(tapEntry.seq).toBeLessThan(markEntry.seq);
    expect(markEntry.event).toMatchObject({ type: 'tester.mark', label: `at the tap #${tapEntry.seq}` });
    expect(markEntry.event.hostTime).toBeLessThan(tapEntry.event.hostTime);
  });
});
