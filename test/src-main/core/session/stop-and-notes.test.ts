/**
 * Stopping a session and writing notes, through the dispatcher a window calls, the real adb server and the
 * virtual phone: a stop pressed twice (one after the other, or at once) is one stop and both answers are the
 * stopped session — no EBADF; a note over the limit is refused whole with the limit and its length named (a
 * session note and a verdict's note alike), nothing of it in the timeline; a second session on a busy phone
 * is refused with a reason the UI words in Chinese, not an English sentence.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeError, Outcome, SessionInfo, TimelineEvent } from '../../../../src-preload/api.js';
import { Dispatcher } from '../../../../src-main/bridge/dispatcher.js';
import { Workbench } from '../../../../src-main/core/workbench.js';
import { scanTimeline, TIMELINE_FILE } from '../../../../src-main/core/session/index.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone } from '../../../support/virtual-phone.js';
import { callApi } from '../../../support/dispatcher-call.js';

let adb: TestAdbServer;
let phone: VirtualDevice;
let wb: Workbench;
let api: Dispatcher;

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhone(adb, 'compliant-app');
  wb = new Workbench({ dataDir: mkdtempSync(join(tmpdir(), 'stop-notes-')), shell: 'browser', version: 'test', adbServerPort: adb.port });
  await wb.start();
  api = new Dispatcher(wb.handlers());
  await waitFor('phone online', async () => (await callApi<Array<{ serial: string; state: string }>>(api, 'devices.list', {})).some((d) => d.serial === phone.serial && d.state === 'device'), 10_000);
});

// One phone: each test leaves it free for the next.
afterEach(async () => {
  for (const s of await callApi<SessionInfo[]>(api, 'session.list', {})) if (s.state !== 'closed') await callApi(api, 'session.close', { id: s.id });
});

afterAll(async () => {
  await wb?.close();
  await phone?.stop();
  await adb?.kill();
});

const start = (caseRef: string): Promise<SessionInfo> => callApi<SessionInfo>(api, 'session.start', { serial: phone.serial, packageName: 'com.demo.compliant', tester: '张三', caseRef });
const events = async (id: string): Promise<TimelineEvent[]> => (await callApi<{ entries: Array<{ event: TimelineEvent }> }>(api, 'session.timeline', { id, afterSeq: 0, limit: 2000 })).entries.map((e) => e.event);
const failure = (o: Outcome<unknown>): BridgeError => {
  if (o.ok) throw new Error('the call succeeded');
  return o.error;
};

describe('stop is idempotent', () => {
  it('two stops at once, then a third: one session.closed, three equal answers, the chain intact', async () => {
    const s = await start('stop-twice');
    const [a, b] = await Promise.all([api.call('session.close', { id: s.id }), api.call('session.close', { id: s.id })]);
    const c = await api.call('session.close', { id: s.id });
    for (const o of [a, b, c]) expect(o, JSON.stringify(o)).toMatchObject({ ok: true, value: { id: s.id, state: 'closed' } });
    const [va, vb, vc] = [a, b, c].map((o) => (o as { value: SessionInfo }).value);
    expect(vb!.endedAt).toBe(va!.endedAt);
    expect(vc!.endedAt).toBe(va!.endedAt);
    expect(vc!.timeline).toEqual(va!.timeline);
    const timeline = await events(s.id);
    expect(timeline.filter((e) => e.type === 'session.closed')).toHaveLength(1);
    expect(timeline.some((e) => e.type === 'session.problem')).toBe(false);
    const scan = scanTimeline(join(s.dir, TIMELINE_FILE));
    expect(scan.broken).toBeNull();
    expect(scan.count).toBe(va!.timeline.count);
  });

  it('a pause and a stop at once are done one after the other; the session ends closed', async () => {
    const s = await start('pause-and-stop');
    const [paused, closed] = await Promise.all([api.call('session.pause', { id: s.id }), api.call('session.close', { id: s.id })]);
    expect(paused).toMatchObject({ ok: true, value: { state: 'paused' } });
    expect(closed).toMatchObject({ ok: true, value: { state: 'closed' } });
    const types = (await events(s.id)).map((e) => e.type).filter((t) => t.startsWith('session.'));
    expect(types).toEqual(['session.started', 'session.paused', 'session.closed']);
  });
});

describe('notes over the limit', () => {
  it('a 57,000-character note is refused with the limit and its length; the timeline has none of it', async () => {
    const s = await start('long-note');
    const started = performance.now();
    const error = failure(await api.call('session.note', { id: s.id, text: '长'.repeat(57_000) }));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error).toMatchObject({ code: 'session.note-too-long', messageKey: 'error.session.note-too-long', details: { max: 10_000, length: 57_000 } });
    expect(String(error.details.message)).toContain('at most 10,000 characters; this one has 57,000');
    // Counted as a person counts: 10,000 emoji (20,000 UTF-16 units) are 10,000 characters, within the limit.
    await callApi(api, 'session.note', { id: s.id, text: '😀'.repeat(10_000) });
    // The phone's own events keep coming; of notes there is only the one accepted.
    const notes = (await events(s.id)).filter((e) => e.type === 'tester.note');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ text: '😀'.repeat(10_000) });
    expect(failure(await api.call('session.note', { id: s.id, text: 'x'.repeat(10_001) })).details).toMatchObject({ max: 10_000, length: 10_001 });
  });

  it("a verdict's note over the limit is refused the same way, and no verdict is recorded", async () => {
    const s = await start('long-verdict-note');
    await waitFor('the checklist of the session', async () => (await api.call('checklist.session', { sessionId: s.id })).ok, 10_000);
    const error = failure(await api.call('checklist.verdict', { sessionId: s.id, item: '164-1.1', verdict: 'fail', note: 'n'.repeat(57_000), attachments: [] }));
    expect(error).toMatchObject({ code: 'session.note-too-long', details: { max: 10_000, length: 57_000 } });
    expect((await events(s.id)).some((e) => e.type === 'checklist.verdict')).toBe(false);
    await callApi(api, 'checklist.verdict', { sessionId: s.id, item: '164-1.1', verdict: 'fail', note: 'n'.repeat(10_000), attachments: [] });
    expect((await events(s.id)).filter((e) => e.type === 'checklist.verdict')).toHaveLength(1);
  });
});

describe('a busy phone', () => {
  it('a second session on it is refused with a reason and its facts, for the UI to word', async () => {
    const s = await start('first');
    const error = failure(await api.call('session.start', { serial: phone.serial, packageName: 'com.demo.compliant', tester: '李四', caseRef: 'second' }));
    expect(error).toMatchObject({ code: 'session.busy', details: { reason: 'phone-recording', serial: phone.serial, session: s.id } });
    const monitorStop = failure(await api.call('monitor.stop', { serial: phone.serial }));
    expect(monitorStop).toMatchObject({ code: 'session.busy', details: { reason: 'session-monitor', serial: phone.serial, session: s.id } });
    await callApi(api, 'session.close', { id: s.id });
    expect(failure(await api.call('session.resume', { id: s.id }))).toMatchObject({ code: 'session.not-recording', details: { reason: 'closed-for-good', id: s.id } });
  });
});
