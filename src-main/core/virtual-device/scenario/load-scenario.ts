/**
 * Reads a scenario file: YAML parsed with limits, validated by the schema, cross-checked (screens and nodes
 * that actions name must exist), and every error reported with its line and field.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { WorkbenchError } from '../../errors.js';
import { scenarioSchema, type Scenario } from './schema.js';

const MAX_FILE = 1024 * 1024;

function fail(file: string, line: number | null, field: string, message: string, col: number | null = null): never {
  const where = line ? `${file}:${line}${col ? `:${col}` : ''}` : file;
  throw new WorkbenchError('scenario.invalid', `${where}: ${field ? `${field}: ` : ''}${message}`, { file, line, column: col, field });
}

export function parseScenario(text: string, file = '<scenario>'): Scenario {
  if (text.length > MAX_FILE) fail(file, null, '', 'file is larger than 1 MiB');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const at = lineCounter.linePos(e.pos[0]);
    fail(file, at.line, '', `YAML: ${e.message.split('\n')[0]!}`, at.col);
  }
  const lineOf = (path: PropertyKey[]): number | null => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return null;
  };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    // The yaml package refuses alias expansion past the count (a "billion laughs" file): say so, no stack.
    fail(file, null, '', `YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)} (too many aliases: an alias bomb?)`);
  }
  const result = scenarioSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    fail(file, lineOf(issue.path), issue.path.join('.'), issue.message);
  }
  const scenario = result.data;
  scenario.apps.forEach((app, a) => {
    const screens = new Map(app.screens.map((s) => [s.id, new Set(s.nodes.map((n) => n.id))]));
    app.behaviour.forEach((b, i) => {
      const base = ['apps', a, 'behaviour', i];
      if (typeof b.on === 'object' && 'tap' in b.on) {
        const known = b.on.screen ? screens.get(b.on.screen) : new Set([...screens.values()].flatMap((s) => [...s]));
        if (!known?.has(b.on.tap)) fail(file, lineOf([...base, 'on']), `${base.join('.')}.on.tap`, `no node "${b.on.tap}" on ${b.on.screen ? `screen "${b.on.screen}"` : 'any screen'}`);
      }
      b.do.forEach((act, j) => {
        if ('show' in act && !screens.has(act.show)) {
          fail(file, lineOf([...base, 'do', j]), `${base.join('.')}.do.${j}.show`, `no screen "${act.show}"`);
        }
        if ('requestPermissions' in act) {
          for (const p of act.requestPermissions) {
            if (!app.permissions.includes(p)) fail(file, lineOf([...base, 'do', j]), `${base.join('.')}.do.${j}`, `${p} is not declared in the app's permissions`);
          }
        }
      });
    });
  });
  return scenario;
}

export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    if (statSync(path).size > MAX_FILE) fail(path, null, '', 'file is larger than 1 MiB');
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof WorkbenchError) throw err;
    throw new WorkbenchError('scenario.not-found', `Cannot read scenario ${path}`, { file: path });
  }
  return parseScenario(text, path);
}

export interface ScenarioSummary {
  id: string;
  file: string;
  name: Scenario['name'];
  description: Scenario['description'];
  violates: string[];
}

/** The scenarios shipped in a directory (resources/scenarios), invalid ones reported, not hidden. */
export function listScenarios(dir: string): { scenarios: ScenarioSummary[]; errors: string[] } {
  const scenarios: ScenarioSummary[] = [];
  const errors: string[] = [];
  for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    try {
      const s = loadScenarioFile(join(dir, name));
      scenarios.push({ id: s.id, file: join(dir, name), name: s.name, description: s.description, violates: s.violates });
    } catch (err) {
      errors.push(err instanceof Error ? err.message : String(err));
    }
  }
  return { scenarios, errors };
}
