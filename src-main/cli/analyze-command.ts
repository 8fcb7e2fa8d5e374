/**
 * `apprights analyze`: static analysis of APK files and folders in the analysis children, printed for a
 * person or as one JSON object per APK.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeFiles } from '../core/apk/analysis-pool.js';
import { fail, intOption } from './cli-support.js';

function collectApks(inputs: string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    if (!existsSync(input)) fail(`no such file or folder: ${input}`);
    if (statSync(input).isDirectory()) {
      for (const f of readdirSync(input).sort()) if (f.toLowerCase().endsWith('.apk') && statSync(join(input, f)).isFile()) files.push(join(input, f));
    } else files.push(input);
  }
  return files.map((f) => resolve(f));
}

export async function analyzeCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, concurrency: { type: 'string' }, 'timeout-ms': { type: 'string' } } });
  if (!positionals.length) fail('analyze needs at least one APK file or folder', 2);
  const concurrency = values.concurrency === undefined ? undefined : intOption(values.concurrency, '--concurrency', 1, 64, 1);
  const timeoutMs = values['timeout-ms'] === undefined ? undefined : intOption(values['timeout-ms'], '--timeout-ms', 100, 3_600_000, 0);
  const files = collectApks(positionals);
  if (!files.length) fail('no .apk files found');
  let done = 0;
  const outcomes = await analyzeFiles(files, {
    concurrency, timeoutMs,
    onProgress: (_p, step) => {
      if (step === 'signatures' && !values.json && process.stderr.isTTY) process.stderr.write(`\ranalysed ${++done}/${files.length}`);
    },
  });
  if (!values.json && process.stderr.isTTY) process.stderr.write('\n');
  let refused = 0;
  for (const o of outcomes) {
    if (!o.ok) {
      refused++;
      process.stderr.write(`apprights: refused ${o.path}: ${String(o.error.details.message ?? o.error.code)}\n`);
      if (values.json) process.stdout.write(JSON.stringify({ file: o.path, error: o.error }) + '\n');
      continue;
    }
    const a = o.analysis;
    if (values.json) {
      process.stdout.write(JSON.stringify(a) + '\n');
      continue;
    }
    process.stdout.write(`${a.file.name}  ${a.packageName} ${a.versionName ?? ''} (${a.versionCode ?? '—'})  label: ${a.label.zhCN ?? a.label.default ?? '—'}  sdk ${a.minSdk}→${a.targetSdk}  ${o.ms} ms\n`);
    process.stdout.write(`  sha256 ${a.file.sha256}\n  sm3    ${a.file.sm3}\n  md5    ${a.file.md5}\n`);
    process.stdout.write(`  permissions: ${a.permissions.length} (${a.permissions.filter((p) => p.dangerous).map((p) => p.name.replace('android.permission.', '')).join(', ') || 'no dangerous ones'})\n`);
    process.stdout.write(`  SDKs: ${a.sdks.map((s) => `${s.name.en} [${s.category}]`).join(', ') || 'none found'}\n`);
    const v = a.signatures.verification;
    process.stdout.write(`  signing: ${v.verified ? 'verifies' : 'DOES NOT VERIFY'} (${Object.entries(v.schemes).filter(([, r]) => r.status !== 'absent').map(([s, r]) => `${s} ${r.status}`).join(', ') || 'unsigned'}); ${a.signatures.certificates.map((c) => `${c.subject} ${c.sha256.slice(0, 16)}…`).join('; ')}\n`);
    for (const e of v.errors) process.stdout.write(`    ${e.scheme}: ${e.kind}: ${e.detail}\n`);
    process.stdout.write(`  risks: ${a.risks.map((r) => r.code).filter((v, i, all) => all.indexOf(v) === i).join(', ') || 'none'}\n`);
  }
  if (refused) process.exit(1);
}

