// `npm run screenshots`: builds, then runs the browser e2e suite with its screenshots written to docs/screenshots
// (the README's pictures). `npm test` writes them under .test-reports/ and leaves the working tree alone.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (args, env = {}) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status;
if (run([join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']) !== 0) process.exit(1);
process.exit(run([join(root, 'node_modules/@playwright/test/cli.js'), 'test'], { APPRIGHTS_SCREENSHOT_DIR: join(root, 'docs', 'screenshots') }) ?? 1);
