// `npm run bench`: runs every benchmark in test/bench (TypeScript through tsx). Benchmarks print their
// figures and ratios against a reference measured in the same run; they are not part of `npm test`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'test', 'bench');
// The UI benchmark drives the built renderer.
if (spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'ignore' }).status !== 0) {
  console.error('bench: the build failed; run `npm run build` to see why');
  process.exit(1);
}
let failed = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
  console.log(`\n--- ${file} ---`);
  // --expose-gc lets memory benchmarks measure live heap, not garbage.
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(dir, file)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
