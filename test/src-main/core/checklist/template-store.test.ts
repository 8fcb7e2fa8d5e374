/**
 * The template store: a read (what the guided page asks once a second while recording) costs a stat, not a
 * parse of every saved version; an edited file is read again; a saved version never replaces the shipped
 * template as the default.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChecklistService } from '../../../../src-main/core/checklist/checklist-service.js';
import { checklistHandlers } from '../../../../src-main/core/checklist/handlers.js';
import { threadParser, type TemplateParser } from '../../../../src-main/core/checklist/template-parser.js';
import { TemplateStore } from '../../../../src-main/core/checklist/template-store.js';
import { SessionManager } from '../../../../src-main/core/session/session-manager.js';
import { largeTemplate, SHIPPED_TEXT, shippedAs } from '../../../support/template-texts.js';

const root = mkdtempSync(join(tmpdir(), 'template-store-'));
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const SHIPPED_SHA = sha256(SHIPPED_TEXT);

/** Saved versions as the store keeps them on disk: templates/<id>/<version>.yaml. */
function writeSaved(dataDir: string, id: string, version: string, text: string): string {
  mkdirSync(join(dataDir, 'templates', id), { recursive: true });
  const file = join(dataDir, 'templates', id, `${version}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** A recording session (no phone needed: the checklist reads its timeline), in a manager of its own. */
async function recordingSession(dataDir: string): Promise<{ sessions: SessionManager; id: string }> {
  const sessions = new SessionManager({
    root: join(dataDir, 'sessions'), tool: { name: 'AppRights Workbench', version: 'test' }, monitors: { start: async () => {}, stop: async () => {} },
    describe: async () => ({ device: { serial: 'S', model: 'Pixel 7', manufacturer: 'Google', fingerprint: 'f', androidVersion: '13', sdk: 33, clockOffsetMs: 0 }, app: {} }),
  });
  const info = await sessions.start({ serial: 'S', packageName: 'com.demo.shop', tester: '张三', caseRef: '' });
  return { sessions, id: info.id };
}

const stores: TemplateStore[] = [];
/** A store closed (its parsing thread ended) after the tests. */
function keep(store: TemplateStore): TemplateStore {
  stores.push(store);
  return store;
}
afterAll(() => Promise.all(stores.map((s) => s.close())));

/** A parser that notes the file name of each text it parses. */
function counting(parser: TemplateParser): TemplateParser & { parsed: string[] } {
  const parsed: string[] = [];
  return { parsed, parse: (text, file) => (parsed.push(basename(file)), parser.parse(text, file)), close: () => parser.close() };
}

/** Times `read` after a first, untimed call: the median of 10, failing at once on a read over a second. */
async function readTimes(read: () => unknown): Promise<{ median: number; max: number }> {
  await read();
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    await read();
    const ms = performance.now() - t0;
    expect(ms, `read ${i + 1} took ${Math.round(ms)} ms`).toBeLessThan(1000);
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { median: times[5]!, max: times[9]! };
}

describe('reading templates while a session records', () => {
  it('30 saved versions of ~1 MB: each read after the first takes well under 50 ms', async () => {
    const dataDir = join(root, 'big');
    const text = largeTemplate('lab-big', '1.0.0', 1_000_000);
    expect(Buffer.byteLength(text)).toBeGreaterThan(950_000);
    for (let v = 0; v < 30; v++) writeSaved(dataDir, 'lab-big', `1.${v}.0`, text.replace(/^version: .*$/m, `version: 1.${v}.0`));
    const store = keep(new TemplateStore(dataDir));
    const { sessions, id } = await recordingSession(dataDir);
    const checklist = new ChecklistService(sessions, store);
    await checklist.use(id, 'lab-big', '1.29.0');
    // The guided page's call: the session's findings by its template, once a second while recording.
    const guided = await readTimes(() => checklist.checklist(id));
    const newest = await readTimes(() => store.get('lab-big'));
    const named = await readTimes(() => store.get('lab-big', '1.7.0'));
    const byDefault = await readTimes(() => store.get());
    console.log(`30 x 1 MB versions: guided page ${guided.median.toFixed(1)} ms (max ${guided.max.toFixed(1)}), newest ${newest.median.toFixed(2)} ms, named ${named.median.toFixed(2)} ms, default ${byDefault.median.toFixed(2)} ms`);
    expect((await checklist.checklist(id)).template.summary).toMatchObject({ id: 'lab-big', version: '1.29.0', items: 500 });
    for (const t of [guided, newest, named, byDefault]) expect(t.median).toBeLessThan(50);
    await sessions.close(id);
  }, 120_000);

  it('100 saved versions of the shipped size: each read after the first takes well under 50 ms, the list too', async () => {
    const dataDir = join(root, 'many');
    for (let v = 0; v < 100; v++) writeSaved(dataDir, 'miit-164-lab', `1.${v}.0`, shippedAs({ id: 'miit-164-lab', version: `1.${v}.0` }));
    const store = keep(new TemplateStore(dataDir));
    const { sessions, id } = await recordingSession(dataDir);
    const checklist = new ChecklistService(sessions, store);
    const guided = await readTimes(() => checklist.checklist(id));
    const newest = await readTimes(() => store.get('miit-164-lab'));
    const list = await readTimes(() => store.list());
    console.log(`100 ordinary versions: guided page ${guided.median.toFixed(1)} ms, newest ${newest.median.toFixed(2)} ms, list ${list.median.toFixed(2)} ms`);
    expect(await store.list()).toHaveLength(101);
    expect((await store.get('miit-164-lab')).template.version).toBe('1.99.0');
    for (const t of [guided, newest, list]) expect(t.median).toBeLessThan(50);
    await sessions.close(id);
  }, 120_000);

  it('each version is parsed once; listing every version does not push the session\'s template out of memory', async () => {
    const dataDir = join(root, 'budget');
    for (let v = 0; v < 100; v++) writeSaved(dataDir, 'miit-164-lab', `1.${v}.0`, shippedAs({ id: 'miit-164-lab', version: `1.${v}.0` }));
    const parser = counting(threadParser());
    // Room for ~7 parsed templates of the shipped size (4 bytes kept per byte of file).
    const store = keep(new TemplateStore(dataDir, { parser, parsedBudget: 1024 * 1024 }));
    const { sessions, id } = await recordingSession(dataDir);
    const checklist = new ChecklistService(sessions, store);
    await checklist.use(id, 'miit-164-lab', '1.0.0');
    await checklist.checklist(id);
    expect(parser.parsed).toEqual(['miit-164.yaml', '1.0.0.yaml']);
    expect(await store.list()).toHaveLength(101);
    expect(parser.parsed).toHaveLength(101);
    await store.list();
    await checklist.checklist(id);
    expect((await checklist.checklist(id)).template.summary).toMatchObject({ id: 'miit-164-lab', version: '1.0.0' });
    expect(parser.parsed).toHaveLength(101);
    await sessions.close(id);
  }, 120_000);

  it('checklist.session sends the template only to a caller that does not hold it (by SHA-256)', async () => {
    const dataDir = join(root, 'session-call');
    const store = keep(new TemplateStore(dataDir));
    const { sessions, id } = await recordingSession(dataDir);
    const api = checklistHandlers({ checklist: new ChecklistService(sessions, store), templates: store, sessions, adb: null as never, files: null as never, dataDir });
    const first = await api['checklist.session']({ sessionId: id });
    expect(first.template?.summary).toMatchObject({ id: 'miit-164', sha256: SHIPPED_SHA, isDefault: true });
    const again = await api['checklist.session']({ sessionId: id, templateSha256: SHIPPED_SHA });
    expect(again.template).toBeNull();
    expect(again.findings).toEqual(first.findings);
    expect((await api['checklist.session']({ sessionId: id, templateSha256: 'f'.repeat(64) })).template?.items).toHaveLength(35);
    await sessions.close(id);
  });

  it('a version file edited on disk is read again, even at the same size and modification time', async () => {
    const dataDir = join(root, 'edited');
    const file = writeSaved(dataDir, 'miit-164-lab', '1.1.0', shippedAs({ id: 'miit-164-lab', version: '1.1.0' }));
    const store = keep(new TemplateStore(dataDir));
    const before = await store.get('miit-164-lab', '1.1.0');
    expect(before.template.items[0]!.severity).toBe('high');
    // Same length, same mtime: only the content (and the inode's change time) differ.
    const { mtime, atime } = statSync(file);
    const edited = readFileSync(file, 'utf8').replace('severity: high', 'severity: low ');
    writeFileSync(file, edited);
    utimesSync(file, atime, mtime);
    expect(statSync(file).size).toBe(Buffer.byteLength(edited));
    const after = await store.get('miit-164-lab', '1.1.0');
    expect(after.template.items[0]!.severity).toBe('low');
    expect(after.sha256).toBe(sha256(edited));
    expect(after.sha256).not.toBe(before.sha256);
    // Replaced by another file (a new inode), as an editor that saves by rename does.
    const replaced = edited.replace('severity: low ', 'severity: medium');
    writeFileSync(`${file}.new`, replaced);
    renameSync(`${file}.new`, file);
    expect((await store.get('miit-164-lab', '1.1.0')).sha256).toBe(sha256(replaced));
    expect((await store.list()).find((s) => s.id === 'miit-164-lab')!.sha256).toBe(sha256(replaced));
  });
});

describe('what else lies in the templates folder', () => {
  it('a FIFO or a folder named like a version is left out at once, not read', async () => {
    const dataDir = join(root, 'odd-files');
    writeSaved(dataDir, 'lab', '1.0.0', shippedAs({ id: 'lab', version: '1.0.0' }));
    // A FIFO nobody writes to would block a plain read for ever.
    execFileSync('mkfifo', [join(dataDir, 'templates', 'lab', '2.0.0.yaml')]);
    mkdirSync(join(dataDir, 'templates', 'lab', '3.0.0.yaml'));
    const store = keep(new TemplateStore(dataDir));
    const t0 = performance.now();
    expect((await store.list()).map((s) => `${s.id} ${s.version}`)).toEqual(['miit-164 1.1.0', 'lab 1.0.0']);
    expect((await store.get('lab')).template.version).toBe('1.0.0');
    await expect(store.get('lab', '2.0.0')).rejects.toMatchObject({ code: 'template.invalid', details: { problem: 'not a regular file' } });
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

describe('the default template', () => {
  it('saving "miit-164 9.9.9" is refused and does not change what a session without a chosen template uses', async () => {
    const dataDir = join(root, 'shadow');
    const store = keep(new TemplateStore(dataDir));
    await expect(Promise.resolve().then(() => store.save(shippedAs({ version: '9.9.9' })))).rejects.toMatchObject({ code: 'template.invalid', details: { problem: 'shipped id' } });
    const { sessions, id } = await recordingSession(dataDir);
    const checklist = new ChecklistService(sessions, store);
    expect((await checklist.checklist(id)).template.summary).toMatchObject({ id: 'miit-164', version: '1.1.0', origin: 'shipped', sha256: SHIPPED_SHA });
    await sessions.close(id);
  });

  it('a saved version under the shipped id (an older data folder, or a file put there by hand) is listed and can be chosen, never the default', async () => {
    const dataDir = join(root, 'legacy');
    writeSaved(dataDir, 'miit-164', '9.9.9', shippedAs({ version: '9.9.9' }));
    const store = keep(new TemplateStore(dataDir));
    expect((await store.get()).summary).toMatchObject({ id: 'miit-164', version: '1.1.0', origin: 'shipped', sha256: SHIPPED_SHA });
    expect((await store.get('miit-164')).summary).toMatchObject({ version: '1.1.0', origin: 'shipped' });
    expect((await store.get('miit-164', '9.9.9')).summary).toMatchObject({ version: '9.9.9', origin: 'saved' });
    const list = await store.list();
    expect(list.map((s) => `${s.id} ${s.version} ${s.origin}`)).toEqual(['miit-164 1.1.0 shipped', 'miit-164 9.9.9 saved']);
    expect(list.filter((s) => s.isDefault).map((s) => s.version)).toEqual(['1.1.0']);
    const { sessions, id } = await recordingSession(dataDir);
    const checklist = new ChecklistService(sessions, store);
    expect((await checklist.checklist(id)).template.summary).toMatchObject({ version: '1.1.0', origin: 'shipped' });
    // Chosen explicitly, it judges the session, and the session records exactly which one.
    await checklist.use(id, 'miit-164', '9.9.9');
    expect((await checklist.checklist(id)).template.summary).toMatchObject({ version: '9.9.9', origin: 'saved' });
    await sessions.close(id);
    const recorded = readFileSync(join(sessions.dirOf(id), 'timeline.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).event).filter((e) => e.type === 'checklist.template');
    expect(recorded).toEqual([expect.objectContaining({ templateId: 'miit-164', version: '9.9.9', origin: 'saved', sha256: sha256(shippedAs({ version: '9.9.9' })) })]);
  });

  it('a file whose name and content disagree on the version is not offered', async () => {
    const dataDir = join(root, 'misnamed');
    writeSaved(dataDir, 'miit-164-lab', '1.1.0', shippedAs({ id: 'miit-164-lab', version: '1.1.0' }));
    writeSaved(dataDir, 'miit-164-lab', '9.0.0', shippedAs({ id: 'miit-164-lab', version: '1.2.0' }));
    const store = keep(new TemplateStore(dataDir));
    expect((await store.get('miit-164-lab')).template.version).toBe('1.1.0');
    expect((await store.list()).map((s) => `${s.id} ${s.version}`)).toEqual(['miit-164 1.1.0', 'miit-164-lab 1.1.0']);
  });
});
