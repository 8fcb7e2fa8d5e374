#!/usr/bin/env node
// Which SDKs the real-policy corpus names (truth entries with role "sdk-named") are SDK knowledge-base ids:
// a line per entry not in the knowledge base, then the totals. `--all` lists every entry.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const corpus = join(root, 'test/fixtures/real-policies');
const ids = new Set(JSON.parse(readFileSync(join(root, 'resources/knowledge/sdk-signatures.json'), 'utf8')).sdks.map((s) => s.id));
const all = process.argv.includes('--all');
const names = new Map();
let entries = 0;
for (const file of readdirSync(corpus).filter((f) => f.endsWith('.truth.json')).sort()) {
  for (const s of JSON.parse(readFileSync(join(corpus, file), 'utf8')).sdks ?? []) {
    if (s.role !== 'sdk-named') continue;
    entries++;
    const inKb = ids.has(s.name);
    names.set(s.name, inKb);
    if (all || !inKb) console.log(`${file.slice(0, 2)}  ${inKb ? 'KB ' : '-- '} ${s.name}${s.asWritten ? `  (${s.asWritten})` : ''}`);
  }
}
const inKb = [...names.values()].filter(Boolean).length;
console.log(`${entries} sdk-named entries; ${names.size} distinct names, ${inKb} of them knowledge-base ids (${ids.size} SDKs in the knowledge base)`);
