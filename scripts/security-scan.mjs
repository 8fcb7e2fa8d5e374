// Electron security scan of the BUILT app (out/) with @doyensec/electronegativity. Fails on any finding not
// justified in security/electronegativity-accepted.json (rule id + file + a reason).
// Its CLI reads options the way commander 2 did and breaks with the commander npm hoists here, so this calls
// its runner directly with the same options the CLI would pass.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const runner = require('@doyensec/electronegativity/dist/runner.js');
const run = runner.default ?? runner;
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;

if (!existsSync(join(root, 'out', 'main', 'index.js'))) {
  console.error('security-scan: out/ is not built; run `npm run build` first');
  process.exit(1);
}
const result = await run({
  input: join(root, 'out'), output: undefined, isSarif: false, customScan: [], excludeFromScan: [], severitySet: undefined,
  confidenceSet: undefined, isRelative: true, isVerbose: false, electronUpgrade: undefined,
  electronVersionOverride: electronVersion, parserPlugins: [],
}, false);
const accepted = JSON.parse(readFileSync(join(root, 'security', 'electronegativity-accepted.json'), 'utf8'));
const findings = result.issues.map((i) => ({
  rule: i.id,
  file: relative(root, join(root, 'out', i.file ?? '')).replace(/\\/g, '/'),
  line: i.location?.line ?? 0,
  message: i.description ?? '',
  sample: i.sample ?? null,
}));
if (result.errors?.length) console.log(`electronegativity could not parse: ${result.errors.map((e) => e.file).join(', ')}`);
// An acceptance names the rule, the file and (where the scanner shows one) the exact code it judged: when that
// code changes, the finding must be reviewed again. Bundles with content hashes in their names are matched
// by `filePattern`, and minified code by `samplePattern` — a regex narrow enough to keep the reason true.
const matches = (a, f) => a.rule === f.rule &&
  (a.filePattern ? new RegExp(a.filePattern).test(f.file) : a.file === f.file) &&
  (a.samplePattern ? f.sample !== null && new RegExp(a.samplePattern).test(f.sample) : (a.sample ?? null) === f.sample);
const unjustified = findings.filter((f) => !accepted.some((a) => matches(a, f)));
for (const f of findings) console.log(`${unjustified.includes(f) ? "FINDING " : "accepted"} ${f.rule} ${f.file}:${f.line} ${f.message}`);
console.log(`electronegativity (Electron ${electronVersion}): ${findings.length} findings, ${findings.length - unjustified.length} justified, ${unjustified.length} not justified`);
process.exit(unjustified.length ? 1 : 0);
