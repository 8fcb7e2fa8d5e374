/**
 * Where the shipped resources (scenarios, knowledge bases) are: APPRIGHTS_RESOURCES, else the nearest
 * `resources/` folder above this module — which works from the sources (tests), from out/ (built) and
 * from a packaged app's resources path alike.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function resourcesDir(): string {
  if (cached) return cached;
  if (process.env.APPRIGHTS_RESOURCES) return (cached = process.env.APPRIGHTS_RESOURCES);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'resources', 'scenarios'))) return (cached = join(dir, 'resources'));
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error('resources/ folder not found; set APPRIGHTS_RESOURCES');
}
