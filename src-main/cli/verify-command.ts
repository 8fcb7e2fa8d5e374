/**
 * `apprights verify pkg.zip`: checks an evidence package (hashes, signatures, timestamp, chain) and prints each
 * check in both languages; exit 1 on any failure. Loads only the verifier: a regulator runs this often.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { verifyPackage } from '../core/evidence/verify-package.js';
import { pemToDers } from '../core/evidence/x509.js';
import type { Fail } from './cli-support.js';
import { say } from './cli-language.js';
import { text } from './cli-text.js';
import { own, tty } from './terminal-guard.js';

export async function verifyCommand(args: string[], fail: Fail): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ca: { type: 'string' }, 'tsa-ca': { type: 'string' }, json: { type: 'boolean' } } });
  if (positionals.length !== 1) fail(say(text.verifyNeedsOne), 2);
  const readPem = (f: string | undefined): Buffer[] | null => {
    if (!f) return null;
    if (!existsSync(f)) fail(say(text.noSuchFile(f)), 2);
    const ders = pemToDers(readFileSync(f, 'utf8'));
    if (!ders.length) fail(say(text.noPem(f)), 2);
    return ders;
  };
  const report = await verifyPackage(resolve(positionals[0]!), { ca: readPem(values.ca), tsaCa: readPem(values['tsa-ca']) });
  if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else {
    // Entry names, subjects, the session id and tester reach these texts: each is a guarded value.
    for (const c of report.checks) process.stdout.write(tty`${own(!c.ok ? '✗' : c.neutral ? '–' : '✓')} ${c.id}: ${c.en}\n  ${c.zh}\n`);
    process.stdout.write(report.ok ? 'VERIFIED: the package is intact and signed. 验证通过。\n' : 'FAILED: see the checks marked ✗. 验证失败。\n');
  }
  if (!report.ok) process.exitCode = 1;
}
