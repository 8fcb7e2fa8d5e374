/**
 * The CLI's checklist commands: `demo` (a virtual phone plays a scenario and the checklist run judges it —
 * a trainer's one command), `run` (the automatable stages on real or farm phones, in parallel, one signed
 * package per app and phone) and `templates` (the checklist templates available).
 */
import { headlessScreenStreams, videoLines } from './cli-video.js';
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Proposal } from '../../src-preload/checklist.js';
import type { DeviceBridge } from '../core/adb/device-bridge.js';
import { inlineParser } from '../core/checklist/template-parser.js';
import { TemplateStore } from '../core/checklist/template-store.js';
import { liveTiming, runDemo, scenarioTalks } from '../core/checklist/run/demo-run.js';
import { runChecklist, type ChecklistRunResult, type RunTemplate } from '../core/checklist/run/run-checklist.js';
import { defaultDataDir } from '../core/data-dir.js';
import { IdentityStore, type UnlockedIdentity } from '../core/evidence/identity-store.js';
import { resourcesDir } from '../core/resources-dir.js';
import { loadScenarioFile, scenarioPath } from '../core/virtual-device/scenario/load-scenario.js';
import { romProfile } from '../core/virtual-device/rom/rom-profiles.js';
import { TOOL_NAME } from '../core/tool-name.js';
import { refuseToReplace, type Fail } from './cli-support.js';
import { exploreChoice, EXPLORE_OPTIONS } from './explore-option.js';
import { errorWords, failWith } from './cli-errors.js';
import { language, say } from './cli-language.js';
import { text } from './cli-text.js';
import { adbBridge, connectTargets, readPassphrase, refuseUnready } from './command-inputs.js';
import { NETWORK_OPTIONS, networkChoice, takeNetworkOption } from './network-options.js';
import { column, own, tty } from './terminal-guard.js';

const STATUS_MARK: Record<Proposal['status'], string> = { violation: '✗', 'none-observed': '✓', 'insufficient-evidence': '?', 'needs-tester': '…', 'not-tested': '–' };

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** The template to judge by; parsed on this thread (a command has nothing else to serve meanwhile). */
export async function loadTemplate(dataDir: string, idOrFile: string | undefined): Promise<RunTemplate> {
  try {
    return await new TemplateStore(dataDir, { parser: inlineParser() }).resolve(idOrFile);
  } catch (err) {
    failWith(err, 2);
  }
}

/** The signing identity: the lab's (with a passphrase) or, for demos only, a separate self-signed demo identity. */
export async function identityFor(dataDir: string, passphraseFile: string | undefined, demo: boolean, fail: Fail): Promise<UnlockedIdentity> {
  if (demo && !passphraseFile) {
    // The demo identity's key is protected only by a random passphrase kept beside it: it signs demonstrations,
    // never casework, and its certificate says so.
    const dir = join(dataDir, 'demo');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const passFile = join(dir, 'passphrase');
    if (!existsSync(passFile)) {
      // Demos may start together: the passphrase appears whole or not at all (a hard link never replaces).
      const tmp = `${passFile}.${process.pid}.tmp`;
      writeFileSync(tmp, randomBytes(24).toString('base64url'), { mode: 0o600 });
      try {
        linkSync(tmp, passFile);
      } catch {
        // Another demo made it first: use that one.
      }
      rmSync(tmp, { force: true });
    }
    const passphrase = readFileSync(passFile, 'utf8');
    const store = new IdentityStore(dir);
    const id = store.list()[0]?.id ?? (await store.createSelfSigned('AppRights demo, not for casework 演示用', passphrase)).id;
    return store.unlock(id, passphrase);
  }
  const store = new IdentityStore(dataDir);
  const passphrase = await readPassphrase(passphraseFile, fail);
  const id = store.list()[0]?.id ?? (await store.createSelfSigned(userInfo().username, passphrase)).id;
  try {
    return await store.unlock(id, passphrase);
  } catch (err) {
    failWith(err, 2);
  }
}

function printSummary(r: ChecklistRunResult, noVideo: boolean): void {
  const violations = r.proposals.filter((p) => p.status === 'violation');
  // Package, serial, template titles and explanations (which quote what the phone showed) are guarded values.
  process.stderr.write('\n' + say(text.runSummary(r.packageName, r.serial, violations.length, r.incomplete)) + '\n');
  const zh = language() === 'zh-CN';
  for (const f of r.findings) {
    if (f.proposal.status === 'none-observed') continue;
    process.stderr.write(tty`  ${own(STATUS_MARK[f.proposal.status])} ${column(f.item, 9)} ${zh ? f.title.zh : f.title.en}\n      ${zh ? f.proposal.explanation.zh : f.proposal.explanation.en}${own(f.proposal.evidence.length ? say(text.evidenceRefs(f.proposal.evidence)) : '')}\n`);
  }
  for (const line of videoLines(r.segments, noVideo)) process.stderr.write(line + '\n');
}

function jsonOf(r: ChecklistRunResult): Record<string, unknown> {
  return {
    package: r.package, serial: r.serial, app: r.packageName, session: r.sessionDir, incomplete: r.incomplete,
    stages: r.stages, video: r.segments.map((s) => ({ file: s.file, frames: s.frames, width: s.width, height: s.height, firstFrameHostTime: s.firstFrameHostTime, lastFrameHostTime: s.lastFrameHostTime })), proposals: r.proposals.map((p) => ({ item: p.item, status: p.status, evidence: p.evidence, explanation: p.explanation })),
  };
}

export async function demoCommand(argv: string[], fail: Fail, version: string): Promise<void> {
  const { args, mode } = takeNetworkOption(argv);
  const { values } = parseArgs({ args, options: {
    ...NETWORK_OPTIONS, ...EXPLORE_OPTIONS, 'no-network': { type: 'boolean' }, 'no-video': { type: 'boolean' },
    scenario: { type: 'string' }, profile: { type: 'string' }, fast: { type: 'boolean' }, out: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' }, template: { type: 'string' },
    'data-dir': { type: 'string' }, 'passphrase-file': { type: 'string' }, tester: { type: 'string' },
  } });
  if (!values.scenario) fail(say(text.demoNeedsScenario), 2);
  const explore = exploreChoice(values, (m) => fail(say(m), 2));
  if (!values.out) fail(say(text.demoNeedsOut), 2);
  refuseToReplace(resolve(values.out), values.force);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  let scenario;
  let profile;
  try {
    profile = romProfile(values.profile ?? 'virtual');
    scenario = loadScenarioFile(scenarioPath(values.scenario, join(resourcesDir(), 'scenarios')));
  } catch (err) {
    failWith(err, 2);
  }
  if (mode && values['no-network']) fail(say(text.networkBoth), 2);
  // A scenario whose apps talk is captured (intercepting: the demo phone trusts the session CA) unless told not to.
  const choice = networkChoice(mode, values) ?? (scenarioTalks(scenario) && !values['no-network'] ? { mode: 'usb' as const, intercept: true, lanAddress: null, values: [] } : null);
  const template = await loadTemplate(dataDir, values.template);
  const out = resolve(values.out);
  const sessionDir = `${out.replace(/\.zip$/i, '')}-session-${stamp()}`;
  const identity = await identityFor(dataDir, values['passphrase-file'], true, fail);
  const bridge = adbBridge(dataDir);
  await bridge.startServer();
  const t0 = Date.now();
  if (!values.fast) process.stderr.write(say(text.playingLive(scenario.id, Math.round((liveTiming(scenario).dwellMs * 9) / 60_000))) + '\n');
  const streams = headlessScreenStreams(bridge, values['no-video']);
  const result = await runDemo({ bridge, scenario, profile: profile.id, fast: values.fast ?? false, template, out, sessionDir, identity, tool: { name: TOOL_NAME, version }, tester: values.tester ?? userInfo().username, log: (m) => process.stderr.write(tty`${m}\n`), network: choice ? { choice, dataDir } : null, video: streams, explore }).finally(() => streams?.stopAll());
  if (values.json) process.stdout.write(JSON.stringify(jsonOf(result)) + '\n');
  else {
    printSummary(result, values['no-video'] ?? false);
    process.stderr.write('\n' + say(text.demoDone(((Date.now() - t0) / 1000).toFixed(1), scenario.violates)) + '\n');
    process.stdout.write(tty`${result.package}\n`);
  }
  if (result.incomplete) process.exitCode = 3;
}

export async function runCommand(argv: string[], fail: Fail, version: string): Promise<void> {
  const { args, mode } = takeNetworkOption(argv);
  const { values } = parseArgs({ args, options: {
    ...NETWORK_OPTIONS, ...EXPLORE_OPTIONS, 'no-video': { type: 'boolean' },
    serial: { type: 'string', multiple: true }, apk: { type: 'string', multiple: true }, package: { type: 'string', multiple: true },
    template: { type: 'string' }, out: { type: 'string' }, connect: { type: 'string', multiple: true }, json: { type: 'boolean' },
    reboot: { type: 'boolean' }, dwell: { type: 'string' }, 'data-dir': { type: 'string' }, 'passphrase-file': { type: 'string' },
    tester: { type: 'string' }, case: { type: 'string' },
  } });
  const choice = networkChoice(mode, values);
  const apks = (values.apk ?? []).map((a) => resolve(a));
  const packages = values.package ?? [];
  if (!apks.length && !packages.length) fail(say(text.runNeedsApp), 2);
  if (!values.out) fail(say(text.runNeedsOut), 2);
  for (const a of apks) if (!existsSync(a)) fail(say(text.noSuchApk(a)), 2);
  const explore = exploreChoice(values, (m) => fail(say(m), 2));
  const dwell = values.dwell === undefined ? 30 : Number(values.dwell);
  if (!Number.isFinite(dwell) || dwell < 1 || dwell > 3600) fail(say(text.dwellRange), 2);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const template = await loadTemplate(dataDir, values.template);
  const outDir = resolve(values.out);
  mkdirSync(outDir, { recursive: true });
  const bridge: DeviceBridge = adbBridge(dataDir);
  await bridge.startServer();
  const serials = [...(values.serial ?? []), ...(await connectTargets(bridge, values.connect ?? [], fail))];
  if (!serials.length) fail(say(text.runNeedsSerial), 2);
  refuseUnready(await bridge.listDevices(), serials, fail);
  const identity = await identityFor(dataDir, values['passphrase-file'], false, fail);
  const timing = { dwellMs: dwell * 1000, settleMs: 1500, rebootTimeoutMs: 180_000 };
  const safe = (s: string): string => s.replace(/[^\w.-]/g, '_');
  const targets: Array<{ apk: string | null; pkg: string | null }> = [...apks.map((a) => ({ apk: a, pkg: null })), ...packages.map((p) => ({ apk: null, pkg: p }))];
  const results: ChecklistRunResult[] = [];
  const failures: string[] = [];
  const streams = headlessScreenStreams(bridge, values['no-video']);
  await Promise.all(serials.map(async (serial) => {
    for (const t of targets) {
      const name = safe(`${t.pkg ?? basename(t.apk!).replace(/\.apk$/i, '')}@${serial}`);
      try {
        results.push(await runChecklist({
          bridge, serial, apkPath: t.apk, packageName: t.pkg, template, sessionDir: join(outDir, `${name}-session-${stamp()}`), out: join(outDir, `${name}.zip`),
          identity, timing, reboot: values.reboot ?? false, explore, tool: { name: TOOL_NAME, version }, tester: values.tester ?? userInfo().username,
          caseRef: values.case ?? '', log: (m) => process.stderr.write(tty`${m}\n`), network: choice ? { choice, dataDir } : undefined, video: streams,
        }));
      } catch (err) {
        failures.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
        process.stderr.write(say(text.runFailed(name, errorWords(err))) + '\n');
      }
    }
  }));
  await streams?.stopAll();
  if (values.json) {
    const runs = results.map(jsonOf);
    process.stdout.write(JSON.stringify({ ...(runs.length === 1 ? runs[0] : {}), runs, failures }) + '\n');
  } else {
    for (const r of results) printSummary(r, values['no-video'] ?? false);
    for (const r of results) process.stdout.write(tty`${r.package}\n`);
  }
  if (failures.length) process.exitCode = 1;
  else if (results.some((r) => r.incomplete)) process.exitCode = 3;
}
