/**
 * A session folder received from someone else is hostile input: a screenshot path in its timeline that leads
 * out of the folder, a blob, a blobs folder, a raw log, session.json or the timeline that is a symbolic link
 * to one of the tester's own files, a FIFO where a blob should be. None of the tester's files may reach the
 * package (its blobs or report.html's inline images), every refusal is named in the export's result and in the
 * report in both languages, the package still verifies, and each export ends in bounded time (measured).
 * Writing into such a folder (resuming it) never writes through a link either.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPackage, IdentityStore, verifyPackage } from '../../../../src-main/core/evidence/index.js';
import { readEntries as readSessionEntries } from '../../../../src-main/core/checklist/session-findings.js';
import { readSessionPolicyInputs } from '../../../../src-main/core/policy/session-policy.js';
import { DEFAULT_RAW_LOG_LIMITS, RawLog } from '../../../../src-main/core/monitor/raw-log.js';
import { recoverSession, Session, SessionManager } from '../../../../src-main/core/session/index.js';
import { exportSession, makeSession, PASSPHRASE, PNG, readEntries, TOOL } from '../../../support/evidence-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'hostile-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A file of the tester's that must never leave the machine: a PNG (so it would inline) with a marker. */
const SECRET_MARK = 'TESTER-PRIVATE-7f3a9c';
const secretPng = join(root, 'private.png');
writeFileSync(secretPng, Buffer.concat([PNG, Buffer.from(SECRET_MARK)]));
const secretText = join(root, 'private.txt');
writeFileSync(secretText, `${SECRET_MARK}\nssh-rsa AAAA…\n`);

/** Everything in a package as one latin1 string, report.html's inline images decoded too. */
async function packageText(pkg: string): Promise<string> {
  const entries = await readEntries(pkg);
  const parts = entries.map(([, b]) => b.toString('latin1'));
  const report = entries.find(([n]) => n === 'report.html')![1].toString('utf8');
  for (const m of report.matchAll(/data:image\/png;base64,([A-Za-z0-9+/=]+)/g)) parts.push(Buffer.from(m[1]!, 'base64').toString('latin1'));
  return parts.join('\n');
}

async function hostileSession(name: string, plant: (dir: string, s: Session) => void): Promise<string> {
  const dir = join(root, name);
  await makeSession(dir, { state: 'recording' });
  const s = Session.open(dir);
  plant(dir, s);
  await s.setState('closed', null);
  await s.release();
  return dir;
}

function screenshotAt(s: Session, path: string): void {
  s.append({ type: 'capture', kind: 'screenshot', blob: { sha256: 'b'.repeat(64), size: 10, path, mediaType: 'image/png' }, name: null });
}

/** The export alone is timed: the signing identity is made and unlocked (scrypt, seconds on a busy machine) first. */
async function timedExport(dir: string, out: string) {
  const store = new IdentityStore(join(root, 'identity'));
  const id = store.list()[0]?.id ?? (await store.createSelfSigned('张三', PASSPHRASE)).id;
  const identity = await store.unlock(id, PASSPHRASE);
  const t0 = performance.now();
  const result = await exportPackage({ sessionDir: dir, out, identity, national: false, compress: false, tsaUrl: null, tool: TOOL });
  return { result, ms: performance.now() - t0 };
}

describe('a received session folder cannot exfiltrate the tester\'s files', () => {
  it('screenshot paths that leave the folder: never inlined, named in the result and the report', async () => {
    const dir = await hostileSession('traversal', (_dir, s) => {
      screenshotAt(s, '../private.png');
      screenshotAt(s, secretPng);
      screenshotAt(s, 'blobs/../../private.png');
      screenshotAt(s, 'blobs\\..\\..\\private.png');
    });
    const out = join(root, 'traversal.zip');
    const { result, ms } = await timedExport(dir, out);
    expect(ms, 'export of a hostile folder (ms)').toBeLessThan(5000);
    expect(await packageText(out)).not.toContain(SECRET_MARK);
    expect(result.refused).toEqual(expect.arrayContaining([
      { path: '../private.png', reason: 'outside' }, { path: secretPng, reason: 'outside' },
      { path: 'blobs/../../private.png', reason: 'outside' }, { path: 'blobs\\..\\..\\private.png', reason: 'outside' },
    ]));
    expect(result.warnings.join('\n')).toMatch(/\.\.\/private\.png: the path leads outside the session folder.*路径指向会话文件夹之外/);
    const report = (await readEntries(out)).find(([n]) => n === 'report.html')![1].toString('utf8');
    expect(report).toContain('未收入的文件 / <span class="en" lang="en">Files left out</span>');
    expect(report).toMatch(/\.\.\/private\.png：路径指向会话文件夹之外.*\n?.*\.\.\/private\.png: the path leads outside/);
    // The session's own screenshot is still inlined: only what was refused is left out.
    expect(report).toContain(`data:image/png;base64,${PNG.toString('base64')}`);
    expect((await verifyPackage(out)).ok).toBe(true);
  });

  it('a blob, a blobs folder and a raw log that are links: left out and named', async () => {
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(elsewhere);
    const fake = `${'c'.repeat(64)}.png`;
    writeFileSync(join(elsewhere, fake), readFileSync(secretPng));
    const linked = await hostileSession('linked-blob', (dir, s) => {
      symlinkSync(secretText, join(dir, 'blobs', `${'d'.repeat(64)}.bin`));
      symlinkSync(secretPng, join(dir, 'blobs', `${'e'.repeat(64)}.png`));
      screenshotAt(s, `blobs/${'e'.repeat(64)}.png`);
      rmSync(join(dir, 'logcat.log'));
      symlinkSync(secretText, join(dir, 'logcat.log'));
      symlinkSync(secretText, join(dir, 'logcat.log.1'));
    });
    const out = join(root, 'linked.zip');
    const { result, ms } = await timedExport(linked, out);
    expect(ms, 'export with links (ms)').toBeLessThan(5000);
    expect(await packageText(out)).not.toContain(SECRET_MARK);
    expect(result.refused).toEqual(expect.arrayContaining([
      { path: `blobs/${'d'.repeat(64)}.bin`, reason: 'link' }, { path: `blobs/${'e'.repeat(64)}.png`, reason: 'link' },
      { path: 'logcat.log', reason: 'link' }, { path: 'logcat.log.1', reason: 'link' },
    ]));
    const names = (await readEntries(out)).map(([n]) => n);
    expect(names).not.toContain('logcat.log');
    expect(names.filter((n) => n.startsWith('blobs/'))).toHaveLength(2);
    expect((await verifyPackage(out)).ok).toBe(true);

    const linkedFolder = await hostileSession('linked-folder', (dir, s) => {
      rmSync(join(dir, 'blobs'), { recursive: true });
      symlinkSync(elsewhere, join(dir, 'blobs'));
      screenshotAt(s, `blobs/${fake}`);
    });
    const out2 = join(root, 'linked-folder.zip');
    const second = await timedExport(linkedFolder, out2);
    expect(second.ms).toBeLessThan(5000);
    expect(await packageText(out2)).not.toContain(SECRET_MARK);
    expect(second.result.refused).toEqual(expect.arrayContaining([{ path: 'blobs', reason: 'link' }]));
    expect((await verifyPackage(out2)).ok).toBe(true);
  });

  it('a FIFO or a folder where a blob should be: refused without opening it (a FIFO would block the reader forever)', async () => {
    const dir = await hostileSession('fifo', (d) => {
      execFileSync('mkfifo', [join(d, 'blobs', `${'f'.repeat(64)}.txt`)]);
      mkdirSync(join(d, 'blobs', `${'9'.repeat(64)}.xml`));
    });
    const out = join(root, 'fifo.zip');
    const { result, ms } = await timedExport(dir, out);
    expect(ms, 'export with a FIFO (ms)').toBeLessThan(5000);
    expect(result.refused).toEqual(expect.arrayContaining([{ path: `blobs/${'f'.repeat(64)}.txt`, reason: 'not-a-file' }, { path: `blobs/${'9'.repeat(64)}.xml`, reason: 'not-a-file' }]));
    expect((await verifyPackage(out)).ok).toBe(true);
  });

  it('a huge session.json, thousands of linked blobs: refused or left out in bounded time and memory', async () => {
    const dir = await hostileSession('huge', (d) => {
      for (let i = 0; i < 3000; i++) symlinkSync(secretText, join(d, 'blobs', `${i.toString(16).padStart(64, '0')}.bin`));
    });
    const out = join(root, 'huge.zip');
    const { result, ms } = await timedExport(dir, out);
    expect(ms, 'export with 3,000 linked blobs (ms)').toBeLessThan(10_000);
    expect(result.refused).toHaveLength(3000);
    expect(result.warnings).toHaveLength(21);
    const report = (await readEntries(out)).find(([n]) => n === 'report.html')![1].toString('utf8');
    expect(report).toContain('另有 2000 个 / <span class="en" lang="en">2000 more</span>');
    expect((await verifyPackage(out)).ok).toBe(true);

    // 512 MiB of session.json (sparse): refused by its size before a byte is read.
    truncateSync(join(dir, 'session.json'), 512 * 1024 * 1024);
    const rss = process.memoryUsage().rss;
    const t0 = performance.now();
    await expect(exportSession(dir, join(root, 'huge2.zip'), join(root, 'identity'))).rejects.toMatchObject({ code: 'session.corrupt', message: expect.stringMatching(/session\.json: the file is larger than allowed/) });
    const listed = new SessionManager({ root, tool: TOOL, monitors: { start: async () => {}, stop: async () => {} }, describe: async () => { throw new Error('no phone'); } }).list().find((s) => s.id === 'huge');
    expect(listed?.problem).toMatch(/larger than allowed/);
    expect(performance.now() - t0, 'refusing a 512 MiB session.json (ms)').toBeLessThan(2000);
    expect(process.memoryUsage().rss - rss, 'memory used refusing it (bytes)').toBeLessThan(64 * 1024 * 1024);
  });

  it('session.json or the timeline as a link: the export is refused with what to do, nothing read through it', async () => {
    for (const file of ['session.json', 'timeline.jsonl']) {
      const dir = join(root, `linked-${file}`);
      await makeSession(dir);
      const real = join(root, `real-${file}`);
      writeFileSync(real, readFileSync(join(dir, file)));
      rmSync(join(dir, file));
      symlinkSync(real, join(dir, file));
      const out = join(root, `linked-${file}.zip`);
      await expect(exportSession(dir, out, join(root, 'identity'))).rejects.toThrow(/symbolic link/);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('the checklist and the policy comparison do not read a UI dump or a policy text through a link', async () => {
    const sha = 'a'.repeat(64);
    const dir = await hostileSession('linked-policy', (d, s) => {
      symlinkSync(secretText, join(d, 'blobs', `${sha}.txt`));
      s.append({ type: 'policy.captured', from: 'file', origin: 'policy.txt', text: { sha256: sha, size: 10, path: `blobs/${sha}.txt`, mediaType: 'text/plain' }, original: null, charset: 'utf-8', pages: [], problem: null });
    });
    const inputs = readSessionPolicyInputs(dir, readSessionEntries(dir));
    expect(inputs.policy).toBeNull();
  });
});

describe('writing into a received session folder never follows a link', () => {
  it('a timeline, a raw log or a lock that is a link: resuming refuses, the files they point at stay untouched', async () => {
    const sessions = join(root, 'resume');
    const target = join(root, 'never-created.txt');
    const dir = join(sessions, 'S1');
    await makeSession(dir, { state: 'recording' });
    rmSync(join(dir, 'recording.lock'), { force: true });
    // A timeline that is a link to a file that does not exist yet: opening it to append would create it.
    const timeline = readFileSync(join(dir, 'timeline.jsonl'));
    rmSync(join(dir, 'timeline.jsonl'));
    symlinkSync(target, join(dir, 'timeline.jsonl'));
    const manager = new SessionManager({ root: sessions, tool: TOOL, monitors: { start: async () => {}, stop: async () => {} }, describe: async () => { throw new Error('no phone'); } });
    await expect(manager.resume('S1')).rejects.toThrow(/symbolic link/);
    expect(existsSync(target)).toBe(false);

    // The same folder with its real timeline back, paused, and a lock that links to a file of the tester's:
    // resuming writes the lock.
    rmSync(join(dir, 'timeline.jsonl'));
    writeFileSync(join(dir, 'timeline.jsonl'), timeline);
    expect((await recoverSession(dir)).recovered).toBe(true);
    symlinkSync(secretText, join(dir, 'recording.lock'));
    const before = readFileSync(secretText, 'utf8');
    await manager.resume('S1');
    await manager.close('S1');
    expect(readFileSync(secretText, 'utf8')).toBe(before);
  });

  it('a raw log or a blobs folder that is a link: refused, nothing written where it points', async () => {
    const dir = join(root, 'write-links');
    await makeSession(dir, { state: 'recording' });
    rmSync(join(dir, 'logcat.log'));
    symlinkSync(secretText, join(dir, 'logcat.log'));
    const before = readFileSync(secretText, 'utf8');
    expect(() => new RawLog(join(dir, 'logcat.log'), DEFAULT_RAW_LOG_LIMITS, () => {})).toThrow(/symbolic link/);
    expect(readFileSync(secretText, 'utf8')).toBe(before);

    const elsewhere = join(root, 'blob-target');
    mkdirSync(elsewhere);
    rmSync(join(dir, 'blobs'), { recursive: true });
    symlinkSync(elsewhere, join(dir, 'blobs'));
    const s = Session.open(dir);
    try {
      expect(() => s.capture('screenshot', PNG, 'image/png', null)).toThrow(/blobs .* is not a folder/);
    } finally {
      await s.release();
    }
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});
