/**
 * Checklist templates: the shipped ones (resources/templates) and the user's saved versions (data dir,
 * templates/<id>/<version>.yaml). Every version saved is kept; a saved version cannot change afterwards (a
 * session names the id, version, origin and SHA-256 it was judged by).
 *
 * The default: a shipped id always means a shipped version unless a version is named, and saving under a
 * shipped id is refused — so no saved file, whatever its version, becomes the default template.
 *
 * Reading: each file is parsed once (off the workbench's thread, template-parser.ts) and kept while its
 * identity, size, modification and change times stay the same — an edited or replaced file is read again.
 * Which versions exist comes from the file names; parsed templates and summaries are kept within a budget of
 * memory, least recently used first out.
 */
import { existsSync, linkSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateSummary } from '../../../src-preload/checklist.js';
import { WorkbenchError } from '../errors.js';
import { LruCache } from '../lru-cache.js';
import { resourcesDir } from '../resources-dir.js';
import { yamlError } from '../yaml-file.js';
import { readTemplateFile, type LoadedTemplate } from './load-template.js';
import { threadParser, type TemplateParser } from './template-parser.js';

export const DEFAULT_TEMPLATE = 'miit-164';

/** Problem texts of the store's refusals (the renderer translates them). */
export const SHIPPED_ID = 'shipped id';
export const VERSION_TAKEN = 'version already saved';

const ID_DIR = /^[a-z0-9][a-z0-9-]{0,63}$/;
const VERSION_FILE = /^(\d+\.\d+(?:\.\d+)?)\.yaml$/;
/** Parsed templates kept: ~3.5 bytes of heap per byte of file (text and objects), so ~16 versions of 1 MiB. */
const PARSED_BUDGET = 64 * 1024 * 1024;
const PARSED_WEIGHT = 4;
const SUMMARY_BUDGET = 8 * 1024 * 1024;

export type StoredTemplate = LoadedTemplate & { summary: TemplateSummary };
type Origin = TemplateSummary['origin'];

interface Candidate {
  file: string;
  origin: Origin;
  /** A saved file's id and version, from its path (its content must agree). */
  id: string | null;
  version: string | null;
}

/** What a file was found to be, for the state it was in (`key`). */
type Known = { key: string; summary: Omit<TemplateSummary, 'isDefault'>; error: null } | { key: string; summary: null; error: WorkbenchError };

export class TemplateStore {
  private parsed: LruCache<string, { key: string; loaded: StoredTemplate }>;
  private known = new LruCache<string, Known>(SUMMARY_BUDGET);
  /** Reads under way, so callers asking for the same file at once share one parse. */
  private reading = new Map<string, Promise<StoredTemplate>>();

  private parser: TemplateParser;

  /**
   * `parser`: where texts are parsed (default: a worker thread under a deadline, template-parser.ts);
   * `parsedBudget`: bytes of parsed templates kept (default 64 MB).
   */
  constructor(private dataDir: string, private o: { shippedDir?: string; parser?: TemplateParser; parsedBudget?: number } = {}) {
    this.parser = o.parser ?? threadParser();
    this.parsed = new LruCache(o.parsedBudget ?? PARSED_BUDGET);
  }

  private get shippedDir(): string {
    return this.o.shippedDir ?? join(resourcesDir(), 'templates');
  }

  private savedDir(id?: string): string {
    return id === undefined ? join(this.dataDir, 'templates') : join(this.dataDir, 'templates', id);
  }

  /** Ends the parsing thread. */
  close(): Promise<void> {
    return this.parser.close();
  }

  /** Every template a new session can use: shipped ones first, then the saved versions; broken files left out. */
  async list(): Promise<TemplateSummary[]> {
    const shipped = await this.shipped();
    const saved: Array<TemplateSummary> = [];
    for (const id of dirNames(this.savedDir())) {
      for (const c of this.savedVersions(id).reverse()) {
        const s = await this.summaryOf(c).catch(() => null);
        if (s) saved.push({ ...s, isDefault: false });
      }
    }
    return [...shipped.map((s) => s.summary), ...saved];
  }

  /**
   * A template by id: the version named, else the newest — of a shipped id, the newest shipped version (the
   * default template is `miit-164` so read); of any other id, the newest saved version that reads.
   */
  async get(id: string = DEFAULT_TEMPLATE, version?: string): Promise<StoredTemplate> {
    const shipped = await this.shipped();
    const ofShipped = shipped.filter((s) => s.summary.id === id && (!version || s.summary.version === version));
    if (ofShipped.length) return { ...(await this.load(ofShipped[0]!.candidate)), summary: ofShipped[0]!.summary };
    if (!version && shipped.some((s) => s.summary.id === id)) throw this.notFound(id, version, shipped);
    const versions = this.savedVersions(id).filter((c) => !version || c.version === version);
    if (version && versions.length) return this.load(versions[0]!);
    for (const c of versions) {
      try {
        return await this.load(c);
      } catch {
        // A version broken on disk is not offered; the next older one is.
      }
    }
    throw this.notFound(id, version, shipped);
  }

  /** The template a file path names (read as is, not kept), or a stored one by id. */
  async resolve(idOrFile: string | undefined): Promise<LoadedTemplate & { summary: TemplateSummary | null }> {
    if (idOrFile && (/[\\/]/.test(idOrFile) || /\.ya?ml$/.test(idOrFile))) return { ...(await this.parser.parse(readTemplateFile(idOrFile), idOrFile)), summary: null };
    return this.get(idOrFile ?? DEFAULT_TEMPLATE);
  }

  /** Reads a text as a template (the editor's check): the template, or the first problem found. */
  check(text: string): Promise<LoadedTemplate> {
    return this.parser.parse(text, 'template');
  }

  /** Validates and keeps a new version; the text is stored exactly as given. */
  async save(text: string): Promise<TemplateSummary> {
    const t = await this.check(text);
    const { id, version } = t.template;
    if ((await this.shipped()).some((s) => s.summary.id === id)) {
      throw new WorkbenchError('template.invalid', `${id} is the id of a shipped template; give your copy an id of its own (the editor proposes ${id}-lab)`, { field: 'id', problem: SHIPPED_ID, id });
    }
    const dir = this.savedDir(id);
    const file = join(dir, `${version}.yaml`);
    const taken = async (): Promise<TemplateSummary> => {
      const same = await this.load({ file, origin: 'saved', id, version }).catch(() => null);
      if (same?.sha256 === t.sha256) return same.summary;
      throw new WorkbenchError('template.invalid', `Version ${version} of ${id} is already saved with different content; raise the version to keep both`, { field: 'version', problem: VERSION_TAKEN });
    };
    if (existsSync(file)) return taken();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode: 0o600 });
    try {
      // A link never replaces: of two saves of one version at once, the second finds the first's file.
      linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return taken();
      throw err;
    } finally {
      rmSync(tmp, { force: true });
    }
    return this.keep({ file, origin: 'saved', id, version }, stateOf(file), t).summary;
  }

  /** The shipped templates, the default first, then by id and newest version first. */
  private async shipped(): Promise<Array<{ candidate: Candidate; summary: TemplateSummary }>> {
    const files = existsSync(this.shippedDir) ? readdirSync(this.shippedDir).filter((n) => n.endsWith('.yaml')) : [];
    const out: Array<{ candidate: Candidate; summary: Omit<TemplateSummary, 'isDefault'> }> = [];
    for (const f of files) {
      const candidate: Candidate = { file: join(this.shippedDir, f), origin: 'shipped', id: null, version: null };
      const summary = await this.summaryOf(candidate).catch(() => null);
      if (summary) out.push({ candidate, summary });
    }
    out.sort((a, b) => Number(b.summary.id === DEFAULT_TEMPLATE) - Number(a.summary.id === DEFAULT_TEMPLATE) || a.summary.id.localeCompare(b.summary.id) || compareVersions(b.summary.version, a.summary.version));
    return out.map((s, i) => ({ candidate: s.candidate, summary: { ...s.summary, isDefault: i === 0 && s.summary.id === DEFAULT_TEMPLATE } }));
  }

  /** A saved id's versions from the file names, newest first; nothing parsed. */
  private savedVersions(id: string): Candidate[] {
    if (!ID_DIR.test(id)) return [];
    const dir = this.savedDir(id);
    const versions = existsSync(dir) ? readdirSync(dir).map((n) => VERSION_FILE.exec(n)?.[1]).filter((v): v is string => !!v) : [];
    return versions.sort((a, b) => compareVersions(b, a)).map((version) => ({ file: join(dir, `${version}.yaml`), origin: 'saved', id, version }));
  }

  private async summaryOf(c: Candidate): Promise<Omit<TemplateSummary, 'isDefault'>> {
    const known = this.known.get(c.file);
    if (known && known.key === stateOf(c.file)) {
      if (known.error) throw known.error;
      return known.summary;
    }
    return (await this.load(c, false)).summary;
  }

  /**
   * A file's template: kept from an earlier read while the file is unchanged, else parsed (once at a time).
   * `keep`: false when only the summary is wanted (a list), so listing many versions does not push the
   * templates sessions use out of the budget.
   */
  private async load(c: Candidate, keep = true): Promise<StoredTemplate> {
    const key = stateOf(c.file);
    const kept = this.parsed.get(c.file);
    if (kept && kept.key === key) return kept.loaded;
    const known = this.known.get(c.file);
    if (known?.key === key && known.error) throw known.error;
    const readId = `${c.file}\0${key}`;
    let reading = this.reading.get(readId);
    if (!reading) {
      reading = this.read(c, key).finally(() => this.reading.delete(readId));
      this.reading.set(readId, reading);
    }
    const loaded = await reading;
    if (keep) this.parsed.set(c.file, { key, loaded }, PARSED_WEIGHT * Buffer.byteLength(loaded.text));
    return loaded;
  }

  private async read(c: Candidate, key: string): Promise<StoredTemplate> {
    try {
      const text = readTemplateFile(c.file);
      const t = await this.parser.parse(text, c.file);
      if (c.id !== null && (t.template.id !== c.id || t.template.version !== c.version)) {
        throw yamlError('template.invalid', c.file, null, 'version', `the file is named ${c.id} ${c.version} but holds ${t.template.id} ${t.template.version}`);
      }
      return this.keep(c, key, t);
    } catch (err) {
      const error = err instanceof WorkbenchError ? err : new WorkbenchError('template.not-found', `Cannot read template ${c.file}`, { file: c.file });
      // A broken file is remembered as broken while it stays as it is: it is not parsed again at every list.
      this.known.set(c.file, { key, summary: null, error }, 2 * error.message.length + 400);
      this.parsed.delete(c.file);
      throw error;
    }
  }

  /** Remembers what a file was read as (its summary), for the state it was in. */
  private keep(c: Candidate, key: string, t: LoadedTemplate): StoredTemplate {
    const summary = { id: t.template.id, version: t.template.version, title: t.template.title, items: t.template.items.length, origin: c.origin, sha256: t.sha256, savedAt: c.origin === 'saved' ? savedAt(c.file) : null };
    // Whether a shipped template is the default depends on the other shipped files: shipped() says.
    const loaded: StoredTemplate = { ...t, summary: { ...summary, isDefault: false } };
    this.known.set(c.file, { key, summary, error: null }, 2 * (summary.title.zh.length + summary.title.en.length) + 400);
    return loaded;
  }

  /** Not found, with the templates there are (from the file names: nothing parsed for the message). */
  private notFound(id: string, version: string | undefined, shipped: Array<{ summary: TemplateSummary }>): WorkbenchError {
    const saved = dirNames(this.savedDir()).flatMap((d) => this.savedVersions(d).map((c) => `${c.id} ${c.version}`));
    const names = [...shipped.map((s) => `${s.summary.id} ${s.summary.version}`), ...saved];
    return new WorkbenchError('template.not-found', `No checklist template ${id}${version ? ` version ${version}` : ''}; templates: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}`, { id, version: version ?? null });
  }
}

/** A file's identity and state: device, inode, size, modification and change times (ns). */
function stateOf(file: string): string {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return 'missing';
  }
}

function savedAt(file: string): number | null {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

function dirNames(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && ID_DIR.test(d.name)).map((d) => d.name).sort();
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
