/**
 * Checklist template texts for store tests: the shipped template under another id or version, and a valid
 * template of about a given size (the shipped items repeated under new ids, criteria padded with text), as a
 * lab that writes long guidance would make one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export const SHIPPED_FILE = join(import.meta.dirname, '../../resources/templates/miit-164.yaml');
export const SHIPPED_TEXT = readFileSync(SHIPPED_FILE, 'utf8');

/** The shipped template's text with its id and/or version replaced (everything else byte for byte). */
export function shippedAs(o: { id?: string; version?: string }): string {
  let text = SHIPPED_TEXT;
  if (o.id) text = text.replace(/^id: .*$/m, `id: ${o.id}`);
  if (o.version) text = text.replace(/^version: .*$/m, `version: ${o.version}`);
  return text;
}

/** A valid template of `bytes` bytes or a little less: up to 500 items (the format's maximum). */
export function largeTemplate(id: string, version: string, bytes: number): string {
  const doc = parse(SHIPPED_TEXT) as { id: string; version: string; items: Array<{ id: string; criterion: { zh: string; en: string } }> };
  doc.id = id;
  doc.version = version;
  const base = doc.items;
  const count = 500;
  const head = Buffer.byteLength(stringify({ ...doc, items: [] }));
  const perItem = Math.floor((bytes - head) / count);
  doc.items = Array.from({ length: count }, (_, i) => {
    const item = structuredClone(base[i % base.length]!);
    item.id = `164-${Math.floor(i / 50) + 1}.${(i % 50) + 1}`;
    const plain = Buffer.byteLength(stringify(item)) + 40;
    // ASCII padding: one character, one byte; broken into words so the YAML stays readable.
    item.criterion.en = `${item.criterion.en} ${'lab guidance '.repeat(Math.max(0, Math.floor((perItem - plain) / 13)))}`.slice(0, 3990);
    return item;
  });
  return stringify(doc, { lineWidth: 0 });
}

/**
 * A valid template as dense as the format allows: 500 items, each with every list at its maximum (20 clauses,
 * every stage, guidance for every stage, 20 kinds of evidence), in flow style (~400 KB, ~256,000 YAML tokens).
 */
export function densestTemplate(): string {
  const stages = ['static', 'first-launch', 'policy', 'decline', 'agree', 'permissions', 'background', 'screen-off', 'revoke', 'self-start', 'reboot', 'manual', 'review'];
  const text = '{zh: a, en: a}';
  const head = `id: dense\nversion: 1.0.0\ntitle: ${text}\nstages: [${stages.map((s) => `{id: ${s}, title: ${text}, instructions: ${text}}`).join(', ')}]\nitems:\n`;
  const item = (i: number): string => `- {id: "164-${i}", clauses: [${Array(20).fill('"164-1"').join(',')}], title: ${text}, criterion: ${text}, observation: MANUAL, stages: [${stages.join(',')}], guidance: {${stages.map((s) => `${s}: ${text}`).join(',')}}, evidence: [${Array(20).fill('e').join(',')}], severity: low}\n`;
  return head + Array.from({ length: 500 }, (_, i) => item(i + 1)).join('');
}
