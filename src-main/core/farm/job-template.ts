/**
 * A check job's template as this host has it: by id and version from the host's template store, and refused
 * (never run) when the host has none or its text differs from the one the job was added with. The refusal is an
 * Error whose words the job's failure carries; the worker goes on. Shared by `apprights farm worker` and the
 * workbench when it works for the farm.
 */
import type { RunTemplate } from '../checklist/run/run-checklist.js';
import type { JobTemplate } from './farm-jobs.js';

export interface TemplateSource {
  get(id: string, version?: string): Promise<RunTemplate & { sha256: string }>;
}

export function jobTemplates(templates: TemplateSource, words: (err: unknown) => string = (err) => (err instanceof Error ? err.message : String(err))): (t: JobTemplate) => Promise<RunTemplate> {
  return async (t) => {
    const here = await templates.get(t.id, t.version).catch((err: unknown) => {
      throw new Error(`this host has no template ${t.id} version ${t.version} (${words(err)}): save it here, or run this farm's jobs on hosts that have it`);
    });
    if (here.sha256 !== t.sha256) {
      throw new Error(`template ${t.id} version ${t.version} on this host differs from the job's (${here.sha256.slice(0, 12)}… here, ${t.sha256.slice(0, 12)}… in the job)`);
    }
    return here;
  };
}
