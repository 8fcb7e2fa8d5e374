/**
 * Hostile templates through the workbench's own calls (`checklist.validate`, `checklist.templates`): read in the
 * built template thread, they never hold the workbench's thread for a second — the thread's deadline refuses
 * what takes too long, and a broken file is not read again at every list. Needs `npm run build`.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../../../../src-main/bridge/dispatcher.js';
import { ChecklistService } from '../../../../src-main/core/checklist/checklist-service.js';
import { checklistHandlers } from '../../../../src-main/core/checklist/handlers.js';
import { PARSE_DEADLINE_MS, templateThreadFile, threadParser, TOO_BIG, TOO_SLOW } from '../../../../src-main/core/checklist/template-parser.js';
import { TemplateStore } from '../../../../src-main/core/checklist/template-store.js';
import { SessionManager } from '../../../../src-main/core/session/session-manager.js';
import { densestTemplate, largeTemplate } from '../../../support/template-texts.js';
import { longestStall } from '../../../support/event-loop.js';

const root = mkdtempSync(join(tmpdir(), 'template-parsing-'));
const HEAD = 'id: hostile\nversion: 1.0.0\n';
/** ~1 MiB, under the size limit: half a million one-character items in one flow sequence. */
const LONG_SEQUENCE = `${HEAD}x: [${'1,'.repeat(500_000)}1]\n`;
/** ~950 KB: one map of 80,000 keys (the YAML reader's own duplicate-key check was quadratic: over a minute). */
const MANY_KEYS = `${HEAD}x:\n${Array.from({ length: 80_000 }, (_, i) => ` k${i}: 1`).join('\n')}\n`;

const stores: TemplateStore[] = [];
function workbenchCalls(dataDir: string, deadlineMs?: number): { api: Pick<Handlers, 'checklist.validate' | 'checklist.templates' | 'checklist.template'>; store: TemplateStore } {
  const store = new TemplateStore(dataDir, { parser: threadParser({ deadlineMs }) });
  stores.push(store);
  const sessions = new SessionManager({ root: join(dataDir, 'sessions'), tool: { name: 'AppRights Workbench', version: 'test' }, monitors: { start: async () => {}, stop: async () => {} }, describe: async () => { throw new Error('no phone in this test'); } });
  // Only the template calls run here: they touch neither adb nor staged files.
  const api = checklistHandlers({ checklist: new ChecklistService(sessions, store), templates: store, sessions, adb: null as never, files: null as never, dataDir });
  return { api, store };
}

afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
});

describe('hostile templates do not hold the workbench', () => {
  it('the template thread is built (npm run build)', () => {
    expect(templateThreadFile(), 'run `npm run build` first: these tests read templates in the built thread').not.toBeNull();
  });

  it('checking a 1 MiB flow sequence of half a million items: refused, the workbench never held for a second', async () => {
    expect(Buffer.byteLength(LONG_SEQUENCE)).toBeLessThan(1024 * 1024);
    const { api } = workbenchCalls(join(root, 'sequence'));
    const r = await longestStall(() => api['checklist.validate']({ text: LONG_SEQUENCE }));
    console.log(`flow sequence: answered in ${Math.round(r.elapsedMs)} ms, workbench thread held at most ${Math.round(r.stallMs)} ms`);
    expect(r.stallMs).toBeLessThan(1000);
    // Reading it takes ~460 MB of heap: refused at the thread's heap limit, or at the deadline on a busy machine.
    expect(r.outcome.status === 'fulfilled' && r.outcome.value.problem).toMatchObject({ message: expect.stringMatching(new RegExp(`^(${TOO_BIG}|${TOO_SLOW})$`)), line: null });
  }, 30_000);

  it('checking one map of 80,000 keys: refused in seconds, not minutes, the workbench never held for a second', async () => {
    const { api } = workbenchCalls(join(root, 'keys'));
    const r = await longestStall(() => api['checklist.validate']({ text: MANY_KEYS }));
    console.log(`80,000 keys: refused in ${Math.round(r.elapsedMs)} ms, workbench thread held at most ${Math.round(r.stallMs)} ms`);
    expect(r.stallMs).toBeLessThan(1000);
    expect(r.outcome.status === 'fulfilled' && r.outcome.value.problem).toMatchObject({ message: expect.stringMatching(/expected object/) });
  }, 30_000);

  it('a text the thread cannot read by the deadline is refused then, and the next template reads in a fresh thread', async () => {
    // A deadline of 300 ms instead of 10 s, so that the long sequence (~1-8 s) outlasts it on any machine; the
    // refusal comes 300 ms after the thread has loaded.
    const { api } = workbenchCalls(join(root, 'deadline'), 300);
    const r = await longestStall(() => api['checklist.validate']({ text: LONG_SEQUENCE }));
    console.log(`deadline 300 ms: refused in ${Math.round(r.elapsedMs)} ms, workbench thread held at most ${Math.round(r.stallMs)} ms`);
    expect(r.outcome.status === 'fulfilled' && r.outcome.value.problem).toMatchObject({ message: expect.stringContaining(TOO_SLOW), line: null });
    expect(r.elapsedMs).toBeGreaterThanOrEqual(290);
    expect(r.elapsedMs).toBeLessThan(PARSE_DEADLINE_MS);
    expect(r.stallMs).toBeLessThan(1000);
    // The deadline counts from a ready thread, not its start-up: a small text reads in a fresh one in time.
    expect(await api['checklist.validate']({ text: 'id: x\nversion: 1.0.0\n' })).toMatchObject({ problem: { field: 'title' } });
  }, 30_000);

  it('the largest valid template (~1 MiB, 500 items) reads well within the deadline, off the workbench thread', async () => {
    const text = largeTemplate('lab-big', '1.0.0', 1_000_000);
    const { api } = workbenchCalls(join(root, 'large'));
    const r = await longestStall(() => api['checklist.validate']({ text }));
    console.log(`valid 1 MiB template: read in ${Math.round(r.elapsedMs)} ms, workbench thread held at most ${Math.round(r.stallMs)} ms`);
    expect(r.outcome).toMatchObject({ status: 'fulfilled', value: { problem: null, summary: { id: 'lab-big', items: 500 } } });
    expect(r.stallMs).toBeLessThan(1000);
  }, 30_000);

  it('the densest valid template (500 items, every list full) is read within the thread\'s heap, not refused', async () => {
    const { api } = workbenchCalls(join(root, 'dense'));
    const r = await longestStall(() => api['checklist.validate']({ text: densestTemplate() }));
    console.log(`densest valid template: read in ${Math.round(r.elapsedMs)} ms, workbench thread held at most ${Math.round(r.stallMs)} ms`);
    expect(r.outcome).toMatchObject({ status: 'fulfilled', value: { problem: null, summary: { id: 'dense', items: 500 } } });
    expect(r.stallMs).toBeLessThan(1000);
  }, 30_000);

  it('a hostile file among the saved versions: the list leaves it out, holds nothing, and does not read it again', async () => {
    const dataDir = join(root, 'saved');
    mkdirSync(join(dataDir, 'templates', 'hostile'), { recursive: true });
    writeFileSync(join(dataDir, 'templates', 'hostile', '1.0.0.yaml'), LONG_SEQUENCE);
    const { api } = workbenchCalls(dataDir);
    const first = await longestStall(() => api['checklist.templates']({}));
    expect(first.stallMs).toBeLessThan(1000);
    expect(first.outcome.status === 'fulfilled' && first.outcome.value.map((t) => t.id)).toEqual(['miit-164']);
    const again = await longestStall(() => api['checklist.templates']({}));
    console.log(`list with a hostile saved file: first ${Math.round(first.elapsedMs)} ms, again ${again.elapsedMs.toFixed(1)} ms`);
    expect(again.elapsedMs).toBeLessThan(50);
    await expect(api['checklist.template']({ id: 'hostile', version: '1.0.0' })).rejects.toMatchObject({ code: 'template.invalid' });
  }, 30_000);
});
