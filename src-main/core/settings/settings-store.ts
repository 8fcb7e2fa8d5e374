/**
 * The user's settings: a zod-validated JSON file in the data directory, written atomically (temp file
 * settings.json.<pid>.tmp, then rename; the temp files of processes that died mid-write are removed at load).
 * A corrupt or invalid file is kept aside as settings.json.corrupt-<time> and defaults are used, so a bad file
 * never stops the workbench from starting.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../../../src-preload/api.js';
import { settingsSchema } from '../../bridge/schemas.js';
import { clearDeadProcessFiles, tempName } from '../dead-process-files.js';

export class SettingsStore {
  private value: Settings;
  readonly file: string;
  /** Where a corrupt settings file was moved on load, if it was. */
  readonly quarantined: string | null = null;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, 'settings.json');
    clearDeadProcessFiles(dataDir, { temps: ['settings.json'] });
    const defaults = settingsSchema().parse({});
    if (!existsSync(this.file)) {
      this.value = defaults;
      return;
    }
    try {
      this.value = settingsSchema().parse(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch {
      const aside = `${this.file}.corrupt-${Date.now()}`;
      renameSync(this.file, aside);
      this.quarantined = aside;
      this.value = defaults;
      this.write();
    }
  }

  get(): Settings {
    return structuredClone(this.value);
  }

  update(patch: Partial<Settings>): Settings {
    this.value = settingsSchema().parse({ ...this.value, ...patch });
    this.write();
    return this.get();
  }

  private write(): void {
    const tmp = tempName(this.file);
    writeFileSync(tmp, JSON.stringify(this.value, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
