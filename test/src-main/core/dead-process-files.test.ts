/**
 * What a process killed with SIGKILL leaves behind is cleaned at the next start, and only that: `apprights
 * export` killed mid-package leaves exactly one partial file named by its pid (package-sized; before, a fixed
 * `<out>.partial`), which the next export into the folder removes; `settings.json.<pid>.tmp`, a session's
 * `session.json.<pid>.tmp` and blob temp files of dead processes go at the next load; the workbench clears its
 * exports folder at start. A live process's files, and names that are not ours, stay. The built CLI, a real
 * child process, a real SIGKILL.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPackage } from '../../../src-main/core/evidence/index.js';
import { recoverSession } from '../../../src-main/core/session/index.js';
import { SettingsStore } from '../../../src-main/core/settings/index.js';
import { Workbench } from '../../../src-main/core/workbench.js';
import { waitFor } from '../../support/adb-server.js';
import { CLI, runCli } from '../../support/cli.js';
import { makeSession, PASSPHRASE } from '../../support/evidence-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'dead-process-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

beforeAll(() => {
  if (!existsSync(join(CLI, '..', '..', 'out', 'main', 'cli.js'))) throw new Error('the CLI is not built: run `npm run build` (npm test does) before these tests');
  writeFileSync(join(root, 'pass'), `${PASSPHRASE}\n`);
});

describe('an export killed with SIGKILL', () => {
  it('leaves one partial named by its pid; the next export removes it and nothing else', async () => {
    const session = join(root, 'big-session');
    await makeSession(session);
    // A 2 GiB raw log (sparse: nothing to write here, but every byte to hash and copy), so the kill lands mid-package.
    truncateSync(join(session, 'logcat.log'), 2 * 1024 ** 3);
    const outDir = join(root, 'out');
    mkdirSync(outDir);
    const out = join(outDir, 'case.zip');
    const args = ['export', session, '--out', out, '--passphrase-file', join(root, 'pass'), '--data-dir', join(root, 'identity')];
    // First use creates the signing identity; do that before, so the timed export is only the export.
    await makeSession(join(root, 'small'));
    expect((await runCli(['export', join(root, 'small'), '--out', join(root, 'small.zip'), '--passphrase-file', join(root, 'pass'), '--data-dir', join(root, 'identity')], process.env)).code).toBe(0);

    const child = spawn(process.execPath, [CLI, ...args], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const partial = `${out}.apprights-${child.pid}.partial`;
    try {
      await waitFor('the partial package growing', async () => existsSync(partial) && statSync(partial).size > 64 * 1024 * 1024, 60_000, 20);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(readdirSync(outDir)).toEqual([`case.zip.apprights-${child.pid}.partial`]);

    // Names that are not a dead export's: a live process's partial, files other programs wrote.
    const keep = [`case.zip.apprights-${process.pid}.partial`, 'holiday.zip.partial', 'case.zip.1234.partial', 'notes.apprights-x.partial'];
    for (const name of keep) writeFileSync(join(outDir, name), 'not ours to remove');
    truncateSync(join(session, 'logcat.log'), 4096);
    const again = await runCli(args, process.env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.ms, 'the next export (ms)').toBeLessThan(15_000);
    expect(readdirSync(outDir).sort()).toEqual(['case.zip', ...keep].sort());
    expect((await verifyPackage(out)).ok).toBe(true);
  }, 120_000);
});

describe('temp files of dead processes', () => {
  it('settings.json.<pid>.tmp: a dead process\'s goes at load, a live one\'s and other names stay', () => {
    const dir = join(root, 'settings');
    mkdirSync(dir);
    const dead = `settings.json.${deadPid()}.tmp`;
    // A live process other than this one (this one's own temp name is the one it writes with).
    const live = `settings.json.${process.ppid}.tmp`;
    for (const name of [dead, live, 'settings.json.backup.tmp', 'other.json.1.tmp']) writeFileSync(join(dir, name), '{}');
    new SettingsStore(dir).update({ theme: 'dark' });
    expect(readdirSync(dir).sort()).toEqual([live, 'other.json.1.tmp', 'settings.json', 'settings.json.backup.tmp'].sort());
  });

  it('a session\'s session.json and blob temp files of a dead process go when it is opened again', async () => {
    const dir = join(root, 'session-temps');
    await makeSession(dir, { state: 'recording' });
    const pid = deadPid();
    const blob = readdirSync(join(dir, 'blobs'))[0]!;
    writeFileSync(join(dir, `session.json.${pid}.tmp`), '{');
    writeFileSync(join(dir, 'blobs', `${blob}.${pid}.tmp`), 'half a screenshot');
    writeFileSync(join(dir, 'blobs', `${blob}.${process.ppid}.tmp`), 'being written by a live process');
    expect((await recoverSession(dir)).recovered).toBe(true);
    expect(existsSync(join(dir, `session.json.${pid}.tmp`))).toBe(false);
    expect(existsSync(join(dir, 'blobs', `${blob}.${pid}.tmp`))).toBe(false);
    expect(existsSync(join(dir, 'blobs', `${blob}.${process.ppid}.tmp`))).toBe(true);
  });

  it('the workbench clears partial exports of dead processes from its exports folder at start', async () => {
    const dataDir = join(root, 'workbench');
    mkdirSync(join(dataDir, 'exports'), { recursive: true });
    const dead = `s1-2026.zip.apprights-${deadPid()}.partial`;
    writeFileSync(join(dataDir, 'exports', dead), 'half a package');
    writeFileSync(join(dataDir, 'exports', 's0.zip'), 'a finished package');
    const wb = new Workbench({ dataDir, shell: 'browser', version: 'test', adbServerPort: 1 });
    await wb.start({ adbLater: true });
    await wb.close();
    expect(readdirSync(join(dataDir, 'exports'))).toEqual(['s0.zip']);
  });
});
