/**
 * VERIFY.txt's bash steps, cut out of a real exported package and run exactly as printed with bash (real openssl,
 * sha256sum and python3), in the folder that holds the package: a whole package passes every step (signature,
 * files, timeline, timestamp, SM2/SM3), and a tampered one fails the step that covers what was changed.
 * `bash -e` stops a step at its first failing command, as a reader watching the output would.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASH_SECTION, POWERSHELL_SECTION } from '../../../../src-main/core/evidence/verify-instructions.js';
import { exportSession, makeSession, startTsa } from '../../../support/evidence-fixtures.js';
import { bash, stepsOf } from '../../../support/verify-txt-steps.js';

describe('VERIFY.txt run as printed', () => {
  const root = mkdtempSync(join(tmpdir(), 'verify-txt-'));
  let tsa: Awaited<ReturnType<typeof startTsa>>;
  let text = '';
  let steps = new Map<number, string>();

  beforeAll(async () => {
    tsa = await startTsa(join(root, 'tsa'));
    await makeSession(join(root, 'session'));
    // A name a shell would split: the unpack step must quote it.
    await exportSession(join(root, 'session'), join(root, "case 7 (O'Brien).zip"), join(root, 'data'), { national: true, tsaUrl: tsa.url, allowLocalTsa: true });
    text = spawnSync('unzip', ['-p', join(root, "case 7 (O'Brien).zip"), 'VERIFY.txt'], { encoding: 'utf8' }).stdout;
    steps = stepsOf(text, BASH_SECTION);
  });
  afterAll(async () => {
    await tsa.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** A fresh copy of the package in its own folder, unpacked by step 0 as printed; returns the unpacked folder. */
  function unpacked(name: string): string {
    const dir = mkdtempSync(join(root, `${name}-`));
    copyFileSync(join(root, "case 7 (O'Brien).zip"), join(dir, "case 7 (O'Brien).zip"));
    const r = bash(steps.get(0)!, dir);
    expect(r.status, r.out).toBe(0);
    copyFileSync(tsa.root, join(dir, 'evidence', 'tsa-root.pem'));
    return join(dir, 'evidence');
  }

  it('prints steps 0-5 for bash and for PowerShell, no step indented', () => {
    expect([...steps.keys()]).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...stepsOf(text, POWERSHELL_SECTION).keys()]).toEqual([0, 1, 2, 3, 4, 5]);
    // A heredoc's EOF and a here-string's '@ end only at the start of a line.
    expect(text).toMatch(/^EOF$/m);
    expect(text).toMatch(/^'@ \| python -$/m);
    expect(text).not.toMatch(/^ +(EOF|'@)/m);
  });

  it('every bash step passes on the package as exported', () => {
    const dir = unpacked('whole');
    const out: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) {
      const r = bash(steps.get(n)!, dir);
      expect(r.status, `step ${n}:\n${steps.get(n)}\n${r.out}`).toBe(0);
      out.push(r.out);
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(out[0]).toMatch(/Verification successful/);
    expect(out[1]).toMatch(/timeline\.jsonl: OK/);
    expect(out[1]).toContain(`SHA256SUMS matches manifest.json: ${manifest.files.length} files`);
    expect(out[2]).toContain(`timeline OK ${manifest.timeline.count} ${manifest.timeline.head}`);
    expect(out[3]).toMatch(/Verification: OK/);
    expect(out[4]).toMatch(/Verified OK/);
    expect(out[4]).toContain(`SM3 OK: ${manifest.files.length} files`);
  });

  it('a changed manifest fails step 1, a changed file step 2, a cut timeline step 3, a changed signature step 4', () => {
    const manifestChanged = unpacked('manifest');
    const m = readFileSync(join(manifestChanged, 'manifest.json'), 'utf8');
    writeFileSync(join(manifestChanged, 'manifest.json'), m.replace('"complete": true', '"complete": false'));
    expect(readFileSync(join(manifestChanged, 'manifest.json'), 'utf8')).not.toBe(m);
    expect(bash(steps.get(1)!, manifestChanged).status).not.toBe(0);

    const fileChanged = unpacked('file');
    appendFileSync(join(fileChanged, 'report.html'), '<!-- changed -->');
    expect(bash(steps.get(2)!, fileChanged).status).not.toBe(0);
    expect(bash(steps.get(5)!, fileChanged).status).not.toBe(0);

    // The timeline's last line cut and SHA256SUMS rewritten to match: only the signed count and head catch it.
    const cut = unpacked('timeline');
    const lines = readFileSync(join(cut, 'timeline.jsonl'), 'utf8').split('\n').filter(Boolean);
    writeFileSync(join(cut, 'timeline.jsonl'), lines.slice(0, -1).map((l) => `${l}\n`).join(''));
    const r3 = bash(steps.get(3)!, cut);
    expect(r3.status).not.toBe(0);
    expect(r3.out).toMatch(/the timeline was truncated or extended/);

    const sums = unpacked('sums');
    writeFileSync(join(sums, 'SHA256SUMS'), readFileSync(join(sums, 'SHA256SUMS'), 'utf8').split('\n').filter((l) => !l.endsWith('report.html')).join('\n'));
    const r2 = bash(steps.get(2)!, sums);
    expect(r2.status).not.toBe(0);
    expect(r2.out).toMatch(/SHA256SUMS is not the one manifest.json signs/);

    const signature = unpacked('signature');
    const p7s = readFileSync(join(signature, 'manifest.json.p7s'));
    p7s[p7s.length - 5]! ^= 1;
    writeFileSync(join(signature, 'manifest.json.p7s'), p7s);
    expect(bash(steps.get(4)!, signature).status).not.toBe(0);
  });
});
