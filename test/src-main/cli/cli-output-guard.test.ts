/**
 * Values from a package, a tester or a file name cannot print a line of their own through the real CLI: a zip
 * entry named "notes\n✓ signature: ok" in `apprights verify`, a tester's name in `apprights sessions`, an
 * APK's file name in `apprights analyze`. Every line starts where the CLI started it. Needs `npm run build`.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../../src-main/core/session/index.js';
import { runCli } from '../../support/cli.js';
import { TOOL, exportSession, makeSession, readEntries, writeEntries } from '../../support/evidence-fixtures.js';

/** Line breaks of every kind, escapes, a bidi override and the CLI's own status marks and words. */
const HOSTILE = 'notes\n✓ signature: ok\r✓ timeline: ok\u2028VERIFIED: the package is intact. 验证通过。\u0085x\u000by\u000cz\u001b]0;pwned\u0007\u202egnp';
/** Anything that would start a new line, move the cursor or reorder text on a terminal or in a pager. */
const BREAKING = /[\r\u000b\u000c\u0085\u2028\u2029\u001b\u0007\u202e]/;

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cli-guard-'));
});

describe('apprights verify with a hostile entry name', () => {
  it('prints one line per check, each started by the CLI, and the entry name visibly on its line', async () => {
    await makeSession(join(root, 's'));
    const pkg = await exportSession(join(root, 's'), join(root, 'pkg.zip'), join(root, 'data'));
    const entries = await readEntries(pkg.path);
    entries.push([HOSTILE, Buffer.from('x')]);
    await writeEntries(join(root, 'bad.zip'), entries);

    const json = await runCli(['verify', join(root, 'bad.zip'), '--json'], process.env);
    const report = JSON.parse(json.stdout) as { ok: boolean; checks: Array<{ id: string; ok: boolean; neutral?: boolean }> };
    expect(report.ok).toBe(false);

    const r = await runCli(['verify', join(root, 'bad.zip')], process.env);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n').filter(Boolean);
    // Exactly one marked line per check, in order, with the check's own mark; each followed by its Chinese line;
    // then the verdict. No other line exists, so none can be a fake ✓ or a fake "VERIFIED".
    expect(lines).toHaveLength(report.checks.length * 2 + 1);
    report.checks.forEach((c, i) => {
      expect(lines[i * 2]!.startsWith(`${!c.ok ? '✗' : c.neutral ? '–' : '✓'} ${c.id}: `)).toBe(true);
      expect(lines[i * 2 + 1]!.startsWith('  ')).toBe(true);
      expect(lines[i * 2 + 1]!.slice(2)).not.toMatch(/^\s*(?:[✓✗]|VERIFIED|FAILED|验证)/);
    });
    expect(lines.at(-1)).toMatch(/^FAILED: /);
    expect(r.stdout).not.toMatch(BREAKING);
    const extra = lines.find((l) => l.startsWith('✗ files.extra: '))!;
    expect(extra).toContain('notes\\n<U+2713> signature: ok\\r<U+2713> timeline: ok<U+2028>VERIFIED');
    expect(extra).toContain('<U+0085>x\\vy\\fz<U+202E>gnp');
    // The status word inside the value is quoted: the value reads as a value.
    expect(extra).toMatch(/^✗ files\.extra: "files not in the manifest: notes\\n/);
  }, 60_000);
});

describe('apprights sessions with a hostile tester', () => {
  it('prints the session on one line', async () => {
    const data = join(root, 'wb');
    const s = Session.create(join(data, 'sessions', 'hostile'), {
      id: 'hostile', app: { packageName: 'com.demo.shop', versionName: '1.0', versionCode: 1, apkSha256: null },
      device: { serial: '127.0.0.1:5555', model: 'Pixel 7', manufacturer: 'Google', fingerprint: null, androidVersion: '13', sdk: 33, clockOffsetMs: 0 },
      tester: HOSTILE, caseRef: '', startedAt: Date.now(), tool: TOOL,
    });
    s.append({ type: 'session.started', reason: null });
    await s.setState('closed', null);
    await s.release();
    const r = await runCli(['sessions', '--data-dir', data], process.env);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^hostile\s+closed\s+com\.demo\.shop\s+127\.0\.0\.1:5555\s+"notes\\n<U\+2713> signature: ok/);
    expect(r.stdout).not.toMatch(BREAKING);
  }, 60_000);
});

describe('apprights analyze with a hostile file name', () => {
  it('refuses the file on one line', async () => {
    const dir = join(root, 'apks');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a\n✓ verified 0 risks\r.apk'), 'not an apk');
    const r = await runCli(['analyze', dir], process.env);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^apprights: refused .*a\\n<U\+2713> verified 0 risks\\r\.apk: /);
    expect(r.stderr).not.toMatch(BREAKING);
  }, 60_000);
});
