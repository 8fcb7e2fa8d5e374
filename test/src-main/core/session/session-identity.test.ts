/**
 * A session's id is its folder, unique on disk: a folder copied with `cp -r` (the same id inside its
 * session.json) is listed as its own session marked as a copy, deleting either entry removes that folder and
 * no other, a link in the sessions root is never listed or deleted through; and two phones that start the
 * same app in the same second get two folders instead of a refusal.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionMeta } from '../../../../src-preload/api.js';
import { SessionManager } from '../../../../src-main/core/session/index.js';
import { makeSession, TOOL } from '../../../support/evidence-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'session-identity-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PHONE: SessionMeta['device'] = { serial: 'x', model: 'Pixel 7', manufacturer: 'Google', fingerprint: null, androidVersion: '14', sdk: 34, clockOffsetMs: 0 };

function manager(sessions: string): SessionManager {
  return new SessionManager({
    root: sessions, tool: TOOL, monitors: { start: async () => {}, stop: async () => {} },
    describe: async (serial) => ({ device: { ...PHONE, serial }, app: {} }),
  });
}

describe('session ids are folders', () => {
  it('cp -r S S-backup: two sessions, the copy marked; deleting either removes only its own folder', async () => {
    const sessions = join(root, 'copy');
    await makeSession(join(sessions, 'S'));
    execFileSync('cp', ['-r', join(sessions, 'S'), join(sessions, 'S-backup')]);
    const m = manager(sessions);
    const list = m.list();
    expect(list.map((s) => [s.id, s.copyOf, s.dir]).sort()).toEqual([
      ['S', null, join(sessions, 'S')],
      ['S-backup', 'S', join(sessions, 'S-backup')],
    ]);
    const original = readFileSync(join(sessions, 'S', 'timeline.jsonl'));

    await m.delete('S-backup');
    expect(existsSync(join(sessions, 'S-backup'))).toBe(false);
    expect(readFileSync(join(sessions, 'S', 'timeline.jsonl'))).toEqual(original);
    expect(m.list().map((s) => s.id)).toEqual(['S']);

    execFileSync('cp', ['-r', join(sessions, 'S'), join(sessions, 'S-backup')]);
    await m.delete('S');
    expect(existsSync(join(sessions, 'S'))).toBe(false);
    expect(existsSync(join(sessions, 'S-backup', 'timeline.jsonl'))).toBe(true);
    expect(m.list().map((s) => [s.id, s.copyOf])).toEqual([['S-backup', 'S']]);
  });

  it('a copy of a session that is recording: listed apart, deletable, the recording untouched', async () => {
    const sessions = join(root, 'live');
    const m = manager(sessions);
    const live = await m.start({ serial: 'phone-a', packageName: 'com.demo.shop', tester: 't', caseRef: '' });
    await m.get(live.id)!.writer.flush();
    execFileSync('cp', ['-r', live.dir, `${live.dir}-backup`]);
    const copy = m.list().find((s) => s.id === `${live.id}-backup`)!;
    expect(copy).toMatchObject({ copyOf: live.id, state: 'recording' });
    await m.delete(copy.id);
    expect(existsSync(`${live.dir}-backup`)).toBe(false);
    expect(m.get(live.id)?.meta.state).toBe('recording');
    m.note(live.id, 'still recording');
    await m.closeAll();
  });

  it('a link in the sessions root is neither listed nor deleted through', async () => {
    const sessions = join(root, 'link');
    const elsewhere = join(root, 'elsewhere-session');
    await makeSession(elsewhere);
    mkdirSync(sessions, { recursive: true });
    symlinkSync(elsewhere, join(sessions, 'L'));
    const m = manager(sessions);
    expect(m.list()).toEqual([]);
    await expect(m.delete('L')).rejects.toMatchObject({ code: 'session.not-found' });
    expect(existsSync(join(elsewhere, 'session.json'))).toBe(true);
  });
});

describe('two phones, the same app, the same second', () => {
  it('both sessions start, in two folders', async () => {
    const sessions = join(root, 'same-second');
    const m = manager(sessions);
    // Start just after a second begins, so both starts fall into the same second (the folder name's resolution).
    while (Date.now() % 1000 > 300) await new Promise((r) => setTimeout(r, 20));
    const t0 = performance.now();
    const [a, b, c] = await Promise.all(['phone-a', 'phone-b', 'phone-c'].map((serial) => m.start({ serial, packageName: 'com.demo.shop', tester: 't', caseRef: '' })));
    expect(performance.now() - t0, 'three starts (ms)').toBeLessThan(2000);
    expect(new Set([a!.dir, b!.dir, c!.dir]).size).toBe(3);
    const ids = [a!.id, b!.id, c!.id].sort();
    expect(ids).toEqual([ids[0], `${ids[0]}-2`, `${ids[0]}-3`]);
    expect(m.list().map((s) => s.device.serial).sort()).toEqual(['phone-a', 'phone-b', 'phone-c']);
    await m.closeAll();
  });
});
