/**
 * YAML files users write (scenarios, checklist templates): parsed with limits (size, alias expansion),
 * validated by a zod schema, and every error reported as a WorkbenchError naming file, line, column and field.
 */
import { isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { WorkbenchError, type ErrorCode } from './errors.js';

export const MAX_YAML_BYTES = 1024 * 1024;

export interface ParsedYaml<T> {
  value: T;
  /** Line of the node at a path (or its nearest parent), for errors found after the schema. */
  lineOf(path: PropertyKey[]): number | null;
  fail(path: PropertyKey[], message: string): never;
}

export function yamlError(code: ErrorCode, file: string, line: number | null, field: string, message: string, col: number | null = null): WorkbenchError {
  const where = line ? `${file}:${line}${col ? `:${col}` : ''}` : file;
  return new WorkbenchError(code, `${where}: ${field ? `${field}: ` : ''}${message}`, { file, line, column: col, field, problem: message });
}

/** Where the first repeated key of a map starts (keys equal as the YAML reader compares them), or null. */
function firstDuplicateKey(doc: Document): number | null {
  let found: number | null = null;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        if (seen.has(pair.key.value)) {
          found = pair.key.range?.[0] ?? 0;
          return visit.BREAK;
        }
        seen.add(pair.key.value);
      }
      return undefined;
    },
  });
  return found;
}

export function parseYamlWithSchema<S extends z.ZodType>(text: string, file: string, schema: S, code: ErrorCode, maxBytes = MAX_YAML_BYTES): ParsedYaml<z.infer<S>> {
  if (Buffer.byteLength(text) > maxBytes) throw yamlError(code, file, null, '', `file is larger than ${Math.round(maxBytes / 1024)} KiB`);
  const lineCounter = new LineCounter();
  // Duplicate keys are found below in one pass: the reader's own check compares each key with every earlier
  // one of its map (80,000 keys in ~950 KB took over a minute).
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const at = lineCounter.linePos(e.pos[0]);
    throw yamlError(code, file, at.line, '', `YAML: ${e.message.split('\n')[0]!}`, at.col);
  }
  const duplicate = firstDuplicateKey(doc);
  if (duplicate !== null) {
    const at = lineCounter.linePos(duplicate);
    throw yamlError(code, file, at.line, '', 'YAML: Map keys must be unique', at.col);
  }
  const position = (path: PropertyKey[]): { line: number; col: number } | null => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return lineCounter.linePos(node.range[0]);
    }
    return null;
  };
  const fail = (path: PropertyKey[], message: string): never => {
    const at = position(path);
    throw yamlError(code, file, at?.line ?? null, path.map(String).join('.'), message, at?.col ?? null);
  };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    // The yaml package refuses alias expansion past the count (a "billion laughs" file): say so, no stack.
    throw yamlError(code, file, null, '', `YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)} (too many aliases: an alias bomb?)`);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    fail(issue.path, issue.message);
  }
  return { value: result.data as z.infer<S>, lineOf: (p) => position(p)?.line ?? null, fail };
}
