/** The window's remembered size and position, a small JSON file beside the settings. */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const boundsSchema = z.object({ width: z.number().int().min(800).max(10000), height: z.number().int().min(600).max(10000), x: z.number().int().optional(), y: z.number().int().optional(), maximized: z.boolean().default(false) });
export type WindowBounds = z.infer<typeof boundsSchema>;

export function loadWindowBounds(dataDir: string): WindowBounds {
  try {
    return boundsSchema.parse(JSON.parse(readFileSync(join(dataDir, 'window.json'), 'utf8')));
  } catch {
    return { width: 1360, height: 860, maximized: false };
  }
}

export function saveWindowBounds(dataDir: string, bounds: WindowBounds): void {
  const file = join(dataDir, 'window.json');
  writeFileSync(`${file}.tmp`, JSON.stringify(bounds));
  renameSync(`${file}.tmp`, file);
}
