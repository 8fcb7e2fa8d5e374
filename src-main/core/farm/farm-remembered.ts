/**
 * The farm the workbench last connected to, remembered for its next start: `farm.json` in the data folder (0600,
 * written whole through a temporary name). Kept out of settings.json on purpose: every window reads the settings
 * (`settings.get`), and a Redis URL may carry a password that must never leave the core.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { tempName } from '../dead-process-files.js';

const rememberedSchema = z.object({ redisUrl: z.string().max(2000), farm: z.string().max(40).nullable() }).strict();
export type RememberedFarm = z.infer<typeof rememberedSchema>;

export function readRememberedFarm(dataDir: string): RememberedFarm | null {
  const file = join(dataDir, 'farm.json');
  if (!existsSync(file)) return null;
  try {
    return rememberedSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    // A damaged file is no farm: the tester connects again, which writes it anew.
    return null;
  }
}

export function rememberFarm(dataDir: string, farm: RememberedFarm): void {
  const file = join(dataDir, 'farm.json');
  const tmp = tempName(file);
  writeFileSync(tmp, JSON.stringify(farm) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}
