/** The shipped template loads and covers every item of campaign-rules.md; hostile templates are refused with line and column. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadTemplateFile, parseTemplate, templateJsonSchema } from '../../../../src-main/core/checklist/load-template.js';
import { listScenarios } from '../../../../src-main/core/virtual-device/scenario/load-scenario.js';

const SHIPPED = join(import.meta.dirname, '../../../../resources/templates/miit-164.yaml');
const text = readFileSync(SHIPPED, 'utf8');
const REFERENCE_ITEMS = ['164-1.1', '164-1.2', '164-1.3', '164-1.4', '164-1.5', '164-1.6', '164-1.7', '164-1.8', '164-2.1', '164-2.2', '164-2.3', '164-2.4', '164-3.1', '164-3.2', '164-4.1', '164-5.1', '164-5.2', '164-5.3', '164-5.4', '164-5.5', '164-6.1', '164-6.2', '164-6.3', '164-7.1', '164-7.2', '164-8.1', '164-9.1', '164-10.1'];

function edited(fn: (doc: { items: unknown[] }) => void): string {
  const doc = parse(text) as { items: unknown[] };
  fn(doc);
  return JSON.stringify(doc, null, 1);
}

describe('the shipped template', () => {
  const { template } = loadTemplateFile(SHIPPED);

  it('has every item of the reference and every item a shipped scenario declares', () => {
    const ids = template.items.map((i) => i.id);
    // The items of the campaign reference the labs test by (164-1.1 … 164-10.1).
    for (const id of REFERENCE_ITEMS) expect(ids).toContain(id);
    for (const s of listScenarios(join(import.meta.dirname, '../../../../resources/scenarios')).scenarios) for (const v of s.violates) expect(ids).toContain(v);
  });

  it('labels practice thresholds as practice and marks unverified 191 items', () => {
    const window = template.items.find((i) => i.id === '164-5.2')!.evaluator!.params.windowMs!;
    expect(window).toMatchObject({ value: 172_800_000, basis: 'practice' });
    expect(template.items.filter((i) => i.id.startsWith('191-6')).every((i) => i.toVerify)).toBe(true);
  });

  it('every AUTO and ASSISTED item has an evaluator', () => {
    for (const i of template.items) if (i.observation !== 'MANUAL') expect(i.evaluator, i.id).not.toBeNull();
  });

  it('exports a JSON Schema that names the evaluators', () => {
    const schema = JSON.stringify(templateJsonSchema());
    expect(schema).toContain('pre-consent-access');
    expect(schema).toContain('"required"');
  });
});

describe('bad templates', () => {
  it('an unknown evaluator is refused at its line', () => {
    const bad = text.replace('evaluator: { name: after-decline }', 'evaluator: { name: after-declne }');
    const line = bad.split('\n').findIndex((l) => l.includes('after-declne')) + 1;
    expect(() => parseTemplate(bad, 't.yaml')).toThrow(new RegExp(`t\\.yaml:${line}:\\d+: items\\.\\d+\\.evaluator\\.name: unknown evaluator "after-declne"`));
  });

  it('a parameter of the wrong type names the parameter', () => {
    const bad = text.replace('minCount: { value: 4,', 'minCount: { value: "four",');
    const line = bad.split('\n').findIndex((l) => l.includes('"four"')) + 1;
    expect(() => parseTemplate(bad, 't.yaml')).toThrow(new RegExp(`t\\.yaml:${line}:\\d+: items\\.\\d+\\.evaluator\\.params\\.minCount\\.value`));
  });

  it('an unknown parameter lists the ones the evaluator takes', () => {
    const bad = text.replace('minCount: { value: 4,', 'minCont: { value: 4,');
    expect(() => parseTemplate(bad, 't.yaml')).toThrow(/takes: minCount, maxPeriodMs/);
  });

  it('duplicate item ids are refused', () => {
    const bad = edited((d) => d.items.push({ ...(d.items[0] as object) }));
    expect(() => parseTemplate(bad, 't.yaml')).toThrow(/duplicate item id "164-1.1"/);
  });

  it('a YAML alias bomb is refused without expanding it', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n');
    const t0 = Date.now();
    expect(() => parseTemplate(bomb, 'bomb.yaml')).toThrow(/alias/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('100,000 items are refused quickly with a clear message', () => {
    const item = '  - { id: "164-1.1", clauses: ["164-1"], title: { zh: a, en: a }, criterion: { zh: a, en: a }, observation: MANUAL, stages: [manual], severity: low }\n';
    const huge = 'id: big\nversion: 1.0.0\ntitle: { zh: a, en: a }\nstages: [{ id: manual, title: { zh: a, en: a }, instructions: { zh: a, en: a } }]\nitems:\n' + item.repeat(100_000);
    const t0 = Date.now();
    expect(() => parseTemplate(huge, 'big.yaml')).toThrow(/big\.yaml: file is larger than 1024 KiB/);
    expect(Date.now() - t0).toBeLessThan(2000);
    const many = 'id: big\nversion: 1.0.0\ntitle: { zh: a, en: a }\nstages: [{ id: manual, title: { zh: a, en: a }, instructions: { zh: a, en: a } }]\nitems:\n' + item.repeat(600);
    expect(() => parseTemplate(many, 'many.yaml')).toThrow(/many\.yaml:\d+:\d+: items: Too big: expected array to have <=500 items/);
  });

  it('a repeated key is refused at its line and column, in any map', () => {
    expect(() => parseTemplate('id: a\nversion: 1.0.0\nid: b\n', 'dup.yaml')).toThrow(/^dup\.yaml:3:1: YAML: Map keys must be unique$/);
    expect(() => parseTemplate('id: a\nx: {a: 1, b: 2, a: 3}\n', 'dup.yaml')).toThrow(/^dup\.yaml:2:17: YAML: Map keys must be unique$/);
    expect(() => parseTemplate('x:\n  y:\n    a: 1\n    a: 2\n', 'dup.yaml')).toThrow(/^dup\.yaml:4:5: YAML: Map keys must be unique$/);
    // 1 and "1" are different keys, as the YAML reader has them.
    expect(() => parseTemplate('x: {1: a, "1": b}\n', 'keys.yaml')).toThrow(/keys\.yaml:\d+:\d+: id: /);
  });

  it('one map of 40,000 keys reads as fast as 40,000 one-key maps (the duplicate check is linear)', () => {
    const head = 'id: big\nversion: 1.0.0\nx:\n';
    const oneMap = head + Array.from({ length: 40_000 }, (_, i) => `  k${i}: 1`).join('\n');
    const manyMaps = head + Array.from({ length: 40_000 }, (_, i) => `  - k${i}: 1`).join('\n');
    const time = (text: string): number => {
      const t0 = performance.now();
      expect(() => parseTemplate(text, 'big.yaml')).toThrow(/title/);
      return performance.now() - t0;
    };
    time(manyMaps);
    const [maps, map] = [time(manyMaps), time(oneMap)];
    console.log(`40,000 keys: one map ${Math.round(map)} ms, 40,000 maps ${Math.round(maps)} ms`);
    // Measured against each other in the same moment, so a busy machine slows both: quadratic was 10-20 times.
    expect(map).toBeLessThan(3 * maps);
  }, 60_000);

  it('a YAML syntax error has its line and column', () => {
    expect(() => parseTemplate('id: x\nversion: [1.0\n', 'broken.yaml')).toThrow(/broken\.yaml:\d+:\d+: YAML:/);
  });
});
