// `npm test`: everything CI runs, in order — typecheck, lint, build, unit and device tests (Vitest, real adb),
// browser e2e (Playwright + Debian Chromium), the Electron security scan — then one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, '.test-reports');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const bin = (pkg, file) => join(root, 'node_modules', pkg, file);

// Every outside tool the tests use, with how to get it (.ci/run installs the Debian ones).
const TOOLS = [
  ['adb', 'apt-get install -y adb'], ['/usr/bin/chromium', 'apt-get install -y chromium'],
  ['aapt', 'apt-get install -y aapt'], ['dexdump', 'apt-get install -y dexdump'], ['apksigner', 'apt-get install -y apksigner'],
  ['openssl', 'apt-get install -y openssl'], ['sha256sum', 'apt-get install -y coreutils'], ['unzip', 'apt-get install -y unzip'],
  ['python3', 'apt-get install -y python3'], ['ffprobe', 'apt-get install -y ffmpeg'], ['ffmpeg', 'apt-get install -y ffmpeg'], ['pdftotext', 'apt-get install -y poppler-utils'],
  ['redis-server', 'apt-get install -y redis-server'],
];
const missing = TOOLS.filter(([cmd]) => spawnSync(cmd.startsWith('/') ? 'test' : 'which', cmd.startsWith('/') ? ['-x', cmd] : [cmd]).status !== 0);
if (missing.length) {
  console.error(`npm test needs: ${missing.map(([c, how]) => `${c} (${how})`).join(', ')}. .ci/run installs them.`);
  process.exit(1);
}

const steps = [
  ['typecheck', [bin('typescript', 'bin/tsc'), '--noEmit', '-p', 'tsconfig.json']],
  ['lint', [bin('eslint', 'bin/eslint.js'), '.']],
  ['build', [bin('electron-vite', 'bin/electron-vite.js'), 'build']],
  ['unit and device tests', [bin('vitest', 'vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(results, 'vitest.json')}`]],
  ['browser e2e', [bin('@playwright/test', 'cli.js'), 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: join(results, 'playwright.json') }],
  ['electron security scan', [join(root, 'scripts', 'security-scan.mjs')]],
];

let failedStep = null;
for (const [name, args, env] of steps) {
  const t = Date.now();
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`=== ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - t) / 1000).toFixed(1)} s ===`);
  if (r.status !== 0) {
    failedStep = name;
    break;
  }
}

let passed = 0, failed = 0, skipped = 0;
const vitest = join(results, 'vitest.json');
if (existsSync(vitest)) {
  const v = JSON.parse(readFileSync(vitest, 'utf8'));
  passed += v.numPassedTests; failed += v.numFailedTests; skipped += v.numPendingTests + v.numTodoTests;
}
const pw = join(results, 'playwright.json');
if (existsSync(pw)) {
  const s = JSON.parse(readFileSync(pw, 'utf8')).stats;
  passed += s.expected; failed += s.unexpected; skipped += s.skipped;
}
if (failedStep && failed === 0) failed = 1;
console.log(`\n${failedStep ? `npm test failed at: ${failedStep}` : 'npm test: all steps passed'}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedStep ? 1 : 0);
