/**
 * Reads a checklist template: YAML with limits, the schema, then what the schema cannot say — item ids unique,
 * evaluators known and their parameters of the right type, AUTO/ASSISTED items with an evaluator, stages
 * declared — each refused with line, column and field. Also the JSON Schema the editor validates with.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { z } from 'zod';
import { WorkbenchError } from '../errors.js';
import { MAX_YAML_BYTES, parseYamlWithSchema, yamlError } from '../yaml-file.js';
import { EVALUATORS } from './evaluators/index.js';
import { templateSchema, type ChecklistItem, type ChecklistTemplate } from './template-schema.js';

export interface LoadedTemplate {
  template: ChecklistTemplate;
  /** SHA-256 of the file's bytes: which exact template judged a session. */
  sha256: string;
  text: string;
}

/** An item's evaluator parameters as the evaluator takes them (template values, evaluator defaults). */
export function evaluatorParams(item: ChecklistItem): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item.evaluator?.params ?? {}).map(([k, v]) => [k, v.value]));
}

export function parseTemplate(text: string, file = '<template>'): LoadedTemplate {
  const { value: template, fail } = parseYamlWithSchema(text, file, templateSchema(), 'template.invalid');
  const seen = new Map<string, number>();
  const stages = new Set(template.stages.map((s) => s.id));
  template.stages.forEach((s, i) => {
    if (template.stages.findIndex((o) => o.id === s.id) !== i) fail(['stages', i, 'id'], `stage "${s.id}" is declared twice`);
  });
  template.items.forEach((item, i) => {
    if (seen.has(item.id)) fail(['items', i, 'id'], `duplicate item id "${item.id}" (first at item ${seen.get(item.id)! + 1})`);
    seen.set(item.id, i);
    for (const [j, st] of item.stages.entries()) if (!stages.has(st)) fail(['items', i, 'stages', j], `stage "${st}" is not among the template's stages`);
    if (item.observation !== 'MANUAL' && !item.evaluator) fail(['items', i, 'evaluator'], `${item.observation} items need an evaluator`);
    if (!item.evaluator) return;
    const ev = EVALUATORS.get(item.evaluator.name);
    if (!ev) fail(['items', i, 'evaluator', 'name'], `unknown evaluator "${item.evaluator.name}"; known: ${[...EVALUATORS.keys()].join(', ')}`);
    const parsed = ev!.params().safeParse(evaluatorParams(item));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const key = issue.path[0];
      fail(key === undefined ? ['items', i, 'evaluator', 'params'] : ['items', i, 'evaluator', 'params', key, 'value'], issue.code === 'unrecognized_keys' ? `${issue.message} (${ev!.name} takes: ${paramNames(ev!.params()).join(', ') || 'no parameters'})` : issue.message);
    }
  });
  return { template, sha256: createHash('sha256').update(text).digest('hex'), text };
}

function paramNames(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/**
 * A template file's text, at most the format's size read: a larger file is refused unread, and anything but a
 * regular file (a FIFO would block the reader, a device never end) is refused without reading.
 */
export function readTemplateFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    throw new WorkbenchError('template.not-found', `Cannot read template ${path}`, { file: path });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw yamlError('template.invalid', path, null, '', 'not a regular file');
    if (stat.size > MAX_YAML_BYTES) throw yamlError('template.invalid', path, null, '', 'file is larger than 1024 KiB');
    // Read to one byte past the limit: a file that grows while it is read is refused all the same.
    const buf = Buffer.alloc(MAX_YAML_BYTES + 1);
    let n = 0;
    for (let got = 1; got > 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, null);
    if (n > MAX_YAML_BYTES) throw yamlError('template.invalid', path, null, '', 'file is larger than 1024 KiB');
    return buf.toString('utf8', 0, n);
  } catch (err) {
    if (err instanceof WorkbenchError) throw err;
    throw new WorkbenchError('template.not-found', `Cannot read template ${path}`, { file: path });
  } finally {
    closeSync(fd);
  }
}

/** Reads and parses a template file on the caller's thread (tests; the store parses off the thread). */
export function loadTemplateFile(path: string): LoadedTemplate {
  return parseTemplate(readTemplateFile(path), path);
}

/**
 * The JSON Schema of the format for the editor (validation, completion, hover), with the evaluator names
 * and each evaluator's summary and parameters filled in.
 */
export function templateJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(templateSchema(), { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const item = (schema.properties as Record<string, { items: { properties: Record<string, unknown> } }>)['items']!.items;
  const evaluator = item.properties.evaluator as Record<string, unknown>;
  const names = [...EVALUATORS.values()];
  const objectSchema = ((evaluator.anyOf as Array<Record<string, unknown>> | undefined)?.find((s) => s.type === 'object') ?? evaluator) as { properties?: Record<string, Record<string, unknown>> };
  objectSchema.properties!.name = {
    type: 'string', enum: names.map((e) => e.name),
    markdownEnumDescriptions: names.map((e) => `${e.summary.zh}\n\n${e.summary.en}\n\nParameters: ${paramNames(e.params()).join(', ') || 'none'}`),
    description: 'Evaluator / 判定器',
  };
  return schema;
}
