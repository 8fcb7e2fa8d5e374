/**
 * `apprights analyze`: static analysis of APK files and folders in the analysis children. Printed for a person
 * or as one JSON object per APK on stdout; or, with --out, a batch for triage at scale: one JSON line per APK
 * written as it finishes (and a CSV row with --csv), a progress line, --resume to skip APKs already in the
 * output (by SHA-256), and a summary of SDKs, dangerous permissions, risks and signatures at the end.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, lstatSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeEach, type AnalysisOutcome } from '../core/apk/analysis-pool.js';
import { openCsv } from '../core/apk/triage/triage-csv.js';
import { openResults } from '../core/apk/triage/results-file.js';
import { TriageSummary } from '../core/apk/triage/triage-summary.js';
import { fail, intOption } from './cli-support.js';
import { language, say } from './cli-language.js';
import { text } from './cli-text.js';
import { ProgressLine, formatDuration } from './progress-line.js';
import { terminalValue, tty } from './terminal-guard.js';

/** Files as given, and every .apk under a folder (sorted; symbolic links to folders are not followed). */
export function collectApks(inputs: string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (f.toLowerCase().endsWith('.apk') && (st.isFile() || (st.isSymbolicLink() && statSync(p, { throwIfNoEntry: false })?.isFile()))) files.push(p);
    }
  };
  for (const input of inputs) {
    if (!existsSync(input)) fail(say(text.noSuchInput(input)));
    if (statSync(input).isDirectory()) walk(input);
    else files.push(input);
  }
  return files.map((f) => resolve(f));
}

function sha256File(path: string): string | null {
  try {
    const fd = openSync(path, 'r');
    try {
      const hash = createHash('sha256');
      const buf = Buffer.alloc(1 << 20);
      for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) hash.update(buf.subarray(0, n));
      return hash.digest('hex');
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

function printReadable(o: AnalysisOutcome): void {
  if (!o.ok) return;
  const a = o.analysis;
  // Names, labels, subjects and signature details come from the APK: each is a guarded value.
  process.stdout.write(say(text.apkHead(a.file.name, a.packageName, a.versionName ?? '', String(a.versionCode ?? '—'), a.label.zhCN ?? a.label.default ?? '—', a.minSdk, a.targetSdk, o.ms)) + '\n');
  process.stdout.write(tty`  sha256 ${a.file.sha256}\n  sm3    ${a.file.sm3}\n  md5    ${a.file.md5}\n`);
  process.stdout.write(say(text.apkPermissions(a.permissions.length, a.permissions.filter((p) => p.dangerous).map((p) => p.name.replace('android.permission.', '')))) + '\n');
  process.stdout.write(say(text.apkSdks(a.sdks.map((s) => `${language() === 'zh-CN' ? s.name.zh : s.name.en} [${s.category}]`))) + '\n');
  const v = a.signatures.verification;
  process.stdout.write(say(text.apkSigning(v.verified, Object.entries(v.schemes).filter(([, r]) => r.status !== 'absent').map(([s, r]) => `${s} ${r.status}`).join(', '), a.signatures.certificates.map((c) => `${c.subject} ${c.sha256.slice(0, 16)}…`).join('; '))) + '\n');
  for (const e of v.errors) process.stdout.write(tty`    ${e.scheme}: ${e.kind}: ${e.detail}\n`);
  process.stdout.write(say(text.apkRisks(a.risks.map((r) => r.code).filter((c, i, all) => all.indexOf(c) === i))) + '\n');
}

export async function analyzeCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: {
    json: { type: 'boolean' }, concurrency: { type: 'string' }, 'timeout-ms': { type: 'string' },
    out: { type: 'string' }, csv: { type: 'string' }, resume: { type: 'boolean' },
  } });
  if (!positionals.length) fail(say(text.analyzeNeedsInput), 2);
  if ((values.csv || values.resume) && !values.out) fail(say(text.batchOptions), 2);
  const concurrency = values.concurrency === undefined ? undefined : intOption(values.concurrency, '--concurrency', 1, 64, 1);
  const timeoutMs = values['timeout-ms'] === undefined ? undefined : intOption(values['timeout-ms'], '--timeout-ms', 100, 3_600_000, 0);
  const files = collectApks(positionals);
  if (!files.length) fail(say(text.noApks));
  if (values.out) return batch(files, { out: resolve(values.out), csv: values.csv ? resolve(values.csv) : null, resume: values.resume ?? false, json: values.json ?? false, concurrency, timeoutMs });

  // Printed in the order given, each as soon as it and those before it are done.
  const ready = new Map<number, AnalysisOutcome>();
  let next = 0;
  let refused = 0;
  let finished = 0;
  // This process waits with nothing else to do: it hashes a lone APK while the child analyses it.
  await analyzeEach(files, { concurrency, timeoutMs, hashInCaller: true }, (o, i) => {
    if (!values.json && process.stderr.isTTY) process.stderr.write(say(text.analysed(++finished, files.length)));
    ready.set(i, o);
    for (let r = ready.get(next); r; r = ready.get(next)) {
      ready.delete(next++);
      if (!r.ok) {
        refused++;
        process.stderr.write((!values.json && process.stderr.isTTY ? '\n' : '') + say(text.apkRefused(r.path, String(r.error.details.message ?? r.error.code))) + '\n');
        if (values.json) process.stdout.write(JSON.stringify({ file: r.path, error: r.error }) + '\n');
      } else if (values.json) process.stdout.write(JSON.stringify(r.analysis) + '\n');
      else printReadable(r);
    }
  });
  if (!values.json && process.stderr.isTTY) process.stderr.write('\n');
  if (refused) process.exitCode = 1;
}

async function batch(all: string[], o: { out: string; csv: string | null; resume: boolean; json: boolean; concurrency?: number; timeoutMs?: number }): Promise<void> {
  const started = Date.now();
  const summary = new TriageSummary();
  const results = openResults(o.out, o.resume, (line) => summary.addLine(line));
  let files = all;
  // Known SHA-256 of each file to analyse (read while resuming), for the error lines and the CSV.
  const shaOf = new Map<string, string | null>();
  if (o.resume) {
    if (results.previous.cutTail) process.stderr.write(say(text.resultsCutShort) + '\n');
    if (results.previous.unreadable) process.stderr.write(say(text.resultsUnreadable(results.previous.unreadable, o.out)) + '\n');
    files = [];
    for (const f of all) {
      const sha = sha256File(f);
      shaOf.set(f, sha);
      if (!sha || !results.done.has(sha)) files.push(f);
    }
    process.stderr.write(say(text.resuming(all.length - files.length, all.length, o.out, files.length)) + '\n');
  }
  const csv = o.csv ? openCsv(o.csv, o.resume) : null;
  const progress = new ProgressLine(files.length);
  let done = 0;
  // Ctrl-C: every finished APK is already on disk; say how to go on.
  process.once('SIGINT', () => {
    progress.end();
    process.stderr.write(say(text.batchStopped(done, files.length, o.out)) + '\n');
    process.exit(130);
  });
  try {
    if (files.length) await analyzeEach(files, { concurrency: o.concurrency, timeoutMs: o.timeoutMs }, (outcome) => {
      const sha = outcome.ok ? outcome.analysis.file.sha256 : shaOf.get(outcome.path) ?? sha256File(outcome.path);
      // The CSV row first: a crash between the two writes repeats a row on resume rather than losing one.
      csv?.write(outcome, sha);
      if (outcome.ok) results.append({ path: outcome.path, ...outcome.analysis });
      else results.append({ path: outcome.path, sha256: sha, error: outcome.error });
      summary.add(outcome);
      progress.update(++done, summary.refused);
    });
  } finally {
    progress.update(done, summary.refused, true);
    progress.end();
    results.close();
    csv?.close();
  }
  const seconds = (Date.now() - started) / 1000;
  if (o.json) process.stdout.write(JSON.stringify({ out: o.out, csv: o.csv, seconds, ...summary.toJSON() }, null, 2) + '\n');
  else {
    process.stdout.write(summary.format(terminalValue));
    process.stdout.write(say(text.batchDone(done, formatDuration(seconds), (done / Math.max(seconds, 0.001)).toFixed(1), o.out, o.csv)) + '\n');
  }
}
