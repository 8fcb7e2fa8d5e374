/**
 * Reads a scenario file: YAML parsed with limits, validated by the schema, cross-checked (screens and nodes
 * that actions name must exist), and every error reported with its line and field.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { WorkbenchError } from '../../errors.js';
import { MAX_YAML_BYTES, parseYamlWithSchema, yamlError } from '../../yaml-file.js';
import { scenarioSchema, type Scenario } from './schema.js';

const MAX_FILE = MAX_YAML_BYTES;

function fail(file: string, line: number | null, field: string, message: string): never {
  throw yamlError('scenario.invalid', file, line, field, message);
}

export function parseScenario(text: string, file = '<scenario>'): Scenario {
  const { value: scenario, lineOf } = parseYamlWithSchema(text, file, scenarioSchema(), 'scenario.invalid');
  scenario.apps.forEach((app, a) => {
    // A tap may name a node nested in another (a text in a row, an element of a WebView page).
    const ids = (nodes: Array<{ id: string; children?: Array<{ id: string; children?: Array<{ id: string }> }> }>): string[] => nodes.flatMap((n) => [n.id, ...ids(n.children ?? [])]);
    const screens = new Map(app.screens.map((s) => [s.id, new Set(ids(s.nodes))]));
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
        const ref = 'reveal' in act ? act.reveal : 'hide' in act ? act.hide : 'setChecked' in act ? act.setChecked : null;
        if (ref) {
          const where = `${base.join('.')}.do.${j}`;
          if (ref.screen && !screens.has(ref.screen)) fail(file, lineOf([...base, 'do', j]), where, `no screen "${ref.screen}"`);
          const known = ref.screen ? screens.get(ref.screen)! : new Set([...screens.values()].flatMap((s) => [...s]));
          if (!known.has(ref.node)) fail(file, lineOf([...base, 'do', j]), where, `no node "${ref.node}" on ${ref.screen ? `screen "${ref.screen}"` : 'any screen'}`);
        }
        if ('requestPermissions' in act) {
          for (const p of act.requestPermissions) {
            if (!app.permissions.includes(p)) fail(file, lineOf([...base, 'do', j]), `${base.join('.')}.do.${j}`, `${p} is not declared in the app's permissions`);
          }
        }
      });
    });
  });
  if (scenario.explore) exploreProblems(scenario, (field, message) => fail(file, lineOf(['explore', ...field.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k))]), `explore.${field}`, message));
  return scenario;
}

/**
 * The explore block names what the first app shows: each tap of a path is a label of one of its nodes (a row's
 * label is its words, joined), and a switch's state needs a personalisation target to be found.
 */
function exploreProblems(scenario: Scenario, fail: (field: string, message: string) => never): void {
  const app = scenario.apps[0];
  if (!app) fail('targets', 'the explorer walks the first app: the scenario has none');
  type Labelled = { text: string | { zh: string; en: string }; children?: Labelled[] };
  const inLanguage = (n: Labelled, zh: boolean): string => (typeof n.text === 'string' ? n.text : zh ? n.text.zh : n.text.en).trim();
  const labels = new Set<string>();
  const visit = (n: Labelled): void => {
    for (const zh of [true, false]) {
      labels.add(inLanguage(n, zh));
      labels.add((n.children ?? []).map((c) => inLanguage(c, zh)).filter(Boolean).slice(0, 3).join(' '));
    }
    n.children?.forEach(visit);
  };
  for (const screen of app.screens) screen.nodes.forEach(visit);
  for (const [target, path] of Object.entries(scenario.explore!.targets)) {
    path?.forEach((label, i) => {
      if (!labels.has(label)) fail(`targets.${target}.${i}`, `no node of ${app.package} says "${label}"`);
    });
  }
  if (scenario.explore!.switch && !scenario.explore!.targets.personalisation) fail('switch', 'a switch state needs the personalisation target to be found (targets.personalisation)');
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

/** A scenario named on a command line: a shipped name (`collects-before-consent`) or a .yaml file path. */
export function scenarioPath(nameOrFile: string, shippedDir: string): string {
  const isFile = /[\\/]|\.ya?ml$/.test(nameOrFile);
  const file = isFile ? (isAbsolute(nameOrFile) ? nameOrFile : resolve(nameOrFile)) : join(shippedDir, `${nameOrFile}.yaml`);
  if (existsSync(file)) return file;
  if (isFile) throw new WorkbenchError('scenario.not-found', `scenario file not found: ${file}`, { file, reason: 'scenario-file-missing' });
  const shipped = listScenarios(shippedDir).scenarios.map((s) => s.id).join(', ');
  throw new WorkbenchError('scenario.not-found', `no shipped scenario "${nameOrFile}". Shipped scenarios: ${shipped}; or give a .yaml file`, { file: nameOrFile, name: nameOrFile, shipped, reason: 'no-shipped-scenario' });
}
