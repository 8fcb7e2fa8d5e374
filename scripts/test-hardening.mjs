// `npm run test:hardening [-- --loop N]`: the tests of every hostile input the red-team rounds found (issue #23 and
// before), run together — N times in a row with --loop, stopping at the first failure — so a race shows up.
// They are also part of `npm test`; this runs just them. Needs `npm run build` (CLI and worker-thread tests).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = [
  // Evidence that cannot be forged: the forgery matrix against openssl, tampering, hostile packages and PKCS#12.
  'test/src-main/core/evidence/forgery-matrix.test.ts',
  'test/src-main/core/evidence/tamper.test.ts',
  'test/src-main/core/evidence/hostile-packages.test.ts',
  'test/src-main/core/evidence/bad-input.test.ts',
  'test/src-main/core/evidence/report-escaping.test.ts',
  'test/src-main/core/evidence/tsa-local-address.test.ts',
  // adb connections owned and closed on every path; a silent phone; a flood of restarts.
  'test/src-main/core/adb/adb-connections.test.ts',
  'test/src-main/core/adb/adb-restart.test.ts',
  'test/src-main/core/adb/adb-connection-flood.test.ts',
  'test/src-main/core/adb/device-watcher.test.ts',
  'test/src-main/core/adb/device-text.test.ts',
  // Policies read linearly and off the main thread; local addresses only where the host allows.
  'test/src-main/core/policy/read-policy.test.ts',
  'test/src-main/core/policy/responsive.test.ts',
  'test/src-main/core/policy/fetch-policy.test.ts',
  'test/src-main/host/local-addresses.test.ts',
  'test/src-main/core/settings/settings-update.test.ts',
  // Templates parsed once, off the main thread, never shadowing the shipped one.
  'test/src-main/core/checklist/template-store.test.ts',
  'test/src-main/core/checklist/template-parsing.test.ts',
  'test/src-main/core/checklist/template.test.ts',
  // Session folders confined; ids unique on disk; absurd phone clocks; leftovers of kill -9.
  'test/src-main/core/session/hostile-folder.test.ts',
  'test/src-main/core/session/session-identity.test.ts',
  'test/src-main/core/session/absurd-clock.test.ts',
  'test/src-main/core/dead-process-files.test.ts',
  // Untrusted text on its way to a terminal, a page or a spreadsheet.
  'test/src-main/cli/cli-output-guard.test.ts',
  'test/src-main/cli/terminal-guard.test.ts',
  'test/src-main/cli/broken-pipe.test.ts',
  'test/src-main/cli/triage-csv.test.ts',
  'test/src-main/core/checklist/findings-export.test.ts',
  'test/src-main/core/spreadsheet-cell.test.ts',
  'test/src-preload/visible-text.test.ts',
  'test/src-preload/phone-name.test.ts',
];

const loopAt = process.argv.indexOf('--loop');
const rounds = loopAt > 0 ? Number(process.argv[loopAt + 1]) : 1;
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error('--loop needs a whole number of rounds, e.g. --loop 10');
  process.exit(2);
}
for (let i = 1; i <= rounds; i++) {
  const t = Date.now();
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...FILES], { cwd: root, stdio: 'inherit' });
  console.log(`\n=== hardening round ${i}/${rounds}: ${r.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - t) / 1000).toFixed(0)} s ===`);
  if (r.status !== 0) process.exit(1);
}
