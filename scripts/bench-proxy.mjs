// `npm run bench:proxy`: the proxy benchmark alone (test/bench/proxy.ts through tsx), without the renderer
// build `npm run bench` does first; `npm run bench` runs it too, with every other benchmark.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test', 'bench', 'proxy.ts')], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
