// `npm start`: build, then open the Electron window; when the Electron binary is missing (offline install,
// a machine that cannot download it) say so plainly and fall back to browser mode, printing the URL.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

if (run(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']) !== 0) process.exit(1);

const electronDir = join(root, 'node_modules', 'electron');
let hasBinary = existsSync(join(electronDir, 'dist'));
if (!hasBinary && existsSync(join(electronDir, 'install.js')) && !process.env.APPRIGHTS_NO_ELECTRON_DOWNLOAD) {
  console.log('The Electron binary is not installed; trying to download it (node node_modules/electron/install.js, up to 2 minutes)…');
  const attempt = spawnSync(process.execPath, [join(electronDir, 'install.js')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  hasBinary = attempt.status === 0 && existsSync(join(electronDir, 'dist'));
  if (!hasBinary) {
    const why = `${attempt.stderr ?? ''}${attempt.stdout ?? ''}`.split('\n').find((l) => l.trim()) ?? (attempt.error?.message ?? 'timed out');
    console.log(`Download failed: ${why.trim()}`);
  }
}
if (hasBinary) {
  const electron = createRequire(import.meta.url)('electron');
  const child = spawn(electron, [root], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('\nElectron is not available on this machine (its binary could not be downloaded).');
  console.log('Starting the workbench in browser mode instead. 无法使用 Electron，改为浏览器模式启动。\n');
  const child = spawn(process.execPath, [join(root, 'bin', 'apprights.cjs'), 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
  process.on('SIGINT', () => child.kill('SIGINT'));
  child.on('exit', (code) => process.exit(code ?? 0));
}
