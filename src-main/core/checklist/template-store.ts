/**
 * Checklist templates: the shipped ones (resources/templates) and the user's saved copies (data dir,
 * templates/<id>/<version>.yaml). Every version saved is kept; a saved version cannot change afterwards
 * (a session names the id, version and SHA-256 it was judged by), and shipped id+versions cannot be reused.
 */

import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateSummary } from '../../../src-preload/checklist.js';
import { WorkbenchError } from '../errors.js';
import { resourcesDir } from '../resources-dir.js';
import { loadTemplateFile, parseTemplate, type LoadedTemplate } from './load-template.js';

export const DEFAULT_TEMPLATE = 'miit-164';

interface Stored {
  summary: TemplateSummary;
  file: string;
}

export class TemplateStore {
  constructor(private dataDir: string, private shippedDir = join(resourcesDir(), 'templates')) {}

  private savedDir(): string {
    return join(this.dataDir, 'templates');
  }

  private all(): Stored[] {
    const out: Stored[] = [];
    const add = (file: string, origin: TemplateSummary['origin']): void => {
      try {
        const t = loadTemplateFile(file);
        out.push({ file, summary: { id: t.template.id, version: t.template.version, title: t.template.title, items: t.template.items.length, origin, sha256: t.sha256, savedAt: origin === 'saved' ? statSync(file).mtimeMs : null } });
      } catch {
        // A file broken outside the workbench is not offered; the editor reports errors when it is opened.
      }
    };
    if (existsSync(this.shippedDir)) for (const f of readdirSync(this.shippedDir).filter((n) => n.endsWith('.yaml')).sort()) add(join(this.shippedDir, f), 'shipped');
    const saved = this.savedDir();
    if (existsSync(saved)) {
      for (const id of readdirSync(saved).filter((n) => /^[a-z0-9][a-z0-9-]{0,63}$/.test(n)).sort()) {
        for (const f of readdirSync(join(saved, id)).filter((n) => n.endsWith('.yaml')).sort()) add(join(saved, id, f), 'saved');
      }
    }
    return out;
  }

  list(): TemplateSummary[] {
    return this.all().map((s) => s.summary);
  }

  /** A template by id (its newest version unless one is named). */
  get(id: string = DEFAULT_TEMPLATE, version?: string): LoadedTemplate & { summary: TemplateSummary } {
    const matches = this.all().filter((s) => s.summary.id === id && (!version || s.summary.version === version));
    matches.sort((a, b) => compareVersions(b.summary.version, a.summary.version));
    const found = matches[0];
    if (!found) throw new WorkbenchError('template.not-found', `No checklist template ${id}${version ? ` version ${version}` : ''}; templates: ${this.list().map((t) => `${t.id} ${t.version}`).join(', ')}`, { id, version: version ?? null });
    return { ...loadTemplateFile(found.file), summary: found.summary };
  }

  /** The template a file path names, or a stored one by id. */
  resolve(idOrFile: string | undefined): LoadedTemplate & { summary: TemplateSummary | null } {
    if (idOrFile && (/[\\/]/.test(idOrFile) || /\.ya?ml$/.test(idOrFile))) return { ...loadTemplateFile(idOrFile), summary: null };
    return this.get(idOrFile ?? DEFAULT_TEMPLATE);
  }

  /** Validates and keeps a new version; the text is stored exactly as given. */
  save(text: string): TemplateSummary {
    const t = parseTemplate(text, 'template');
    const same = this.all().find((s) => s.summary.id === t.template.id && s.summary.version === t.template.version);
    if (same?.summary.origin === 'shipped') throw new WorkbenchError('template.invalid', `${t.template.id} ${t.template.version} is a shipped template; give your copy another id or a higher version`, { field: 'version', problem: 'shipped version' });
    if (same && same.summary.sha256 !== t.sha256) throw new WorkbenchError('template.invalid', `Version ${t.template.version} of ${t.template.id} is already saved with different content; raise the version to keep both`, { field: 'version', problem: 'version already saved' });
    if (same) return same.summary;
    const dir = join(this.savedDir(), t.template.id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, `${t.template.version}.yaml`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, file);
    return { id: t.template.id, version: t.template.version, title: t.template.title, items: t.template.items.length, origin: 'saved', sha256: t.sha256, savedAt: Date.now() };
  }

  text(id: string, version?: string): string {
    return this.get(id, version).text;
  }
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}


