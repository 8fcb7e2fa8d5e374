// Batch triage end to end through the built CLI: 200 APKs (valid, copies of a real APK, and hostile files)
// analysed into results.jsonl + CSV, the process killed mid-way (SIGKILL, as a crash or a dead laptop) and the
// batch resumed: every APK reported exactly once, hostile ones as error lines, the summary counting them all.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCorpus } from '../../support/apk-corpus.js';
import { CLI, runCli } from '../../support/cli.js';

/** The complete lines (a kill may leave the last one cut short; the resumed run removes it). */
function lines(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, 'utf8').split('\n').slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('apprights analyze DIR --out (batch triage)', () => {
  it('survives a kill mid-way: resumed, every one of 200 APKs is reported exactly once, hostile ones as errors', async () => {
    const root = mkdtempSync(join(tmpdir(), 'batch-'));
    const corpus = buildCorpus(join(root, 'apks'), 200);
    const out = join(root, 'results.jsonl');
    const csv = join(root, 'results.csv');

    // First run: killed once a third of the results are written.
    const child = spawn(process.execPath, [CLI, 'analyze', join(root, 'apks'), '--out', out, '--csv', csv, '--concurrency', '2'], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 50));
      if (existsSync(out) && readFileSync(out, 'utf8').split('\n').length > 70) break;
    }
    child.kill('SIGKILL');
    await exited;
    const before = lines(out).length;
    expect(before).toBeGreaterThan(60);
    expect(before).toBeLessThan(200);

    // Without --resume the results are not overwritten.
    const refused = await runCli(['analyze', join(root, 'apks'), '--out', out], process.env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already holds results: add --resume/);
    expect(lines(out)).toHaveLength(before);

    const resumed = await runCli(['analyze', join(root, 'apks'), '--out', out, '--csv', csv, '--resume', '--json'], process.env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`Resuming: ${before} of 200 APKs already`));

    const all = lines(out);
    const paths = all.map((l) => String(l.path));
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths.sort()).toEqual(corpus.map((c) => c.path).sort());
    const byPath = new Map(all.map((l) => [String(l.path), l]));
    for (const c of corpus) {
      const line = byPath.get(c.path)!;
      const hostile = !['small', 'real-copy'].includes(c.kind);
      expect(Boolean(line.error), `${c.kind} ${c.path}`).toBe(hostile);
      if (!hostile) expect(line.schemaVersion).toBe(3);
      else expect(line.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    // A copy of a real APK with a new zip comment: still analysed, its v2 signature no longer verifies.
    const copy = byPath.get(corpus.find((c) => c.kind === 'real-copy')!.path) as { signatures: { verification: { verified: boolean; errors: Array<{ kind: string }> } } };
    expect(copy.signatures.verification).toMatchObject({ verified: false, errors: [{ kind: 'digest-mismatch' }] });

    const summary = JSON.parse(resumed.stdout) as { analysed: number; refused: number; skipped: number; sdks: Array<{ id: string; apks: number }>; signatures: Record<string, number> };
    expect(summary.analysed + summary.refused).toBe(200);
    expect(summary.refused).toBe(corpus.filter((c) => !['small', 'real-copy'].includes(c.kind)).length);
    expect(summary.skipped).toBe(before);
    expect(summary.sdks.find((s) => s.id === 'jpush')!.apks).toBe(corpus.filter((c, i) => c.kind === 'small' && (i >> 1) & 1).length);

    // The CSV: a header and one row per APK (a row cut by the kill may be repeated; the JSON lines are the record).
    const rows = readFileSync(csv, 'utf8').split('\r\n').filter(Boolean);
    expect(rows[0]).toMatch(/^\ufeff"path","sha256","package"/);
    expect(new Set(rows.slice(1).map((r) => r.split(',')[0])).size).toBe(200);
    expect(statSync(out).mode & 0o077).toBe(0);
  }, 240_000);

  it('Ctrl-C stops a batch saying how far it got and how to go on; nothing finished is lost', async () => {
    const root = mkdtempSync(join(tmpdir(), 'batch-int-'));
    buildCorpus(join(root, 'apks'), 400, { hostileEvery: 50 });
    const out = join(root, 'results.jsonl');
    const child = spawn(process.execPath, [CLI, 'analyze', join(root, 'apks'), '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    for (let i = 0; i < 600 && !(existsSync(out) && readFileSync(out, 'utf8').split('\n').length > 20); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const written = lines(out).length;
    expect(written).toBeGreaterThan(19);
    expect(stderr).toMatch(new RegExp(`Stopped after ${written} of 400; the results so far are in .*results\\.jsonl\\. Continue with the same command and --resume`));
  }, 120_000);
});
