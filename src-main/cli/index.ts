/**
 * `apprights`, the command line of the workbench: serve (browser mode), devices, virtual-device, scenarios.
 * Headless commands run the same core as the window. Errors print their message and exit non-zero.
 */
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AdbkitBridge, DeviceWatcher, locateAdb } from '../core/adb/index.js';
import { assertPackageName } from '../core/adb/shell-quote.js';
import { DeviceMonitor, summarize } from '../core/monitor/index.js';
import { Replayer } from '../core/monitor/replay.js';
import { LineSplitter } from '../core/monitor/line-splitter.js';
import { analyzeFiles } from '../core/apk/index.js';
import type { MonitorEvent } from '../../src-preload/monitor-events.js';
import { defaultDataDir } from '../core/data-dir.js';
import { WorkbenchError } from '../core/errors.js';
import { resourcesDir } from '../core/resources-dir.js';
import { SettingsStore } from '../core/settings/index.js';
import { VirtualDevice, listScenarios, loadScenarioFile } from '../core/virtual-device/index.js';
import { scenarioPath } from '../core/virtual-device/scenario/load-scenario.js';
import { builtRendererDir, startBrowserMode } from '../host/browser-mode.js';
import { exportCommand, recordCommand, sessionsCommand, verifyCommand } from './evidence-commands.js';
import { demoCommand, runCommand, templatesCommand } from './checklist-commands.js';
import { policyCommand } from './policy-commands.js';
import { guardTerminal } from './terminal-guard.js';
import { phoneName } from '../../src-preload/phone-name.js';

const VERSION = '0.1.0';

const USAGE = `apprights — AppRights Workbench (App用户权益检测工作台) command line

Usage:
  apprights serve [--port N] [--host 127.0.0.1] [--data-dir DIR]   browser mode: prints the URL to open
  apprights devices [--json]                                        list devices the adb server sees
  apprights virtual-device [--scenario NAME|FILE] [--port N] [--connect] [--auth]
                                                                    start the virtual phone (Ctrl-C stops it)
  apprights scenarios [--json]                                      list the shipped demo scenarios
  apprights analyze <apk|dir>... [--json] [--concurrency N] [--timeout-ms N]
                                                                    static analysis: permissions, SDKs, signatures
  apprights monitor --serial S [--package P] [--json] [--raw-log FILE]
                                                                    stream a phone's events until Ctrl-C
  apprights monitor --replay LOGCAT_FILE [--dumps DIR] [--package P] [--json] [--year Y] [--utc-offset +08:00]
                                                                    extract events from logs captured elsewhere
  apprights sessions [--json] [--data-dir DIR]                      list recorded sessions
  apprights record --serial S --package P --session-dir D [--duration SECONDS] [--launch] [--tester NAME] [--case REF]
                                                                    record a session headless (Ctrl-C or the duration ends it)
  apprights export D --out pkg.zip [--passphrase-file F] [--national] [--compress] [--tsa URL] [--p12 F --p12-password-file F]
                                                                    signed evidence package of session directory D
  apprights verify pkg.zip [--ca root.pem] [--tsa-ca tsa.pem] [--json]
                                                                    check an evidence package; exit 1 on any failure
  apprights demo --scenario NAME|FILE --out pkg.zip [--fast] [--json] [--template ID|FILE]
                                                                    a virtual phone plays the scenario; the checklist run judges it
  apprights run (--serial S | --connect HOST:PORT)... (--apk A | --package P)... --out DIR [--template ID|FILE]
               [--reboot] [--dwell SECONDS] [--json] [--passphrase-file F]
                                                                    the automatable checklist stages on each phone, in parallel;
                                                                    one signed package per app and phone (exit 3: incomplete)
  apprights templates [--json]                                      checklist templates (shipped and saved)
  apprights policy check --policy FILE|URL [--apk A] [--session DIR] [--type NAME] [--json] [--allow-local]
                                                                    the privacy policy against the APK, a session and the app
                                                                    type's necessary personal information (14号文, 1-39)
  apprights --version | --help
`;

function fail(message: string, code = 1): never {
  process.stderr.write(`apprights: ${message}\n`);
  process.exit(code);
}

/** A whole-number option within bounds, or a one-line refusal (exit 2) naming the option. */
function intOption(value: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) fail(`${name} must be a whole number from ${min} to ${max}, not "${value.slice(0, 40)}"`, 2);
  return n;
}

function mainDir(): string {
  return dirname(fileURLToPath(import.meta.url));
}

function waitForSignal(): Promise<void> {
  return new Promise((res) => {
    process.once('SIGINT', () => res());
    process.once('SIGTERM', () => res());
  });
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' } } });
  const host = values.host ?? '127.0.0.1';
  const port = intOption(values.port, '--port', 0, 65535, 0);
  const rendererDir = builtRendererDir(mainDir());
  if (!existsSync(join(rendererDir, 'index.html'))) fail(`the renderer is not built (${rendererDir}); run \`npm run build\` first`);
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    process.stderr.write(`WARNING: serving on ${host}: anyone who can reach this address and has the token can drive your phones.\n警告：正在 ${host} 上提供服务，任何能访问该地址并持有令牌的人都能操作您的手机。\n`);
  }
  const mode = await startBrowserMode({ dataDir: resolve(values['data-dir'] ?? defaultDataDir()), host, port, rendererDir, version: VERSION });
  process.stdout.write(`AppRights Workbench (browser mode) is running.\nOpen / 打开: ${mode.web.url}\n`);
  await waitForSignal();
  await mode.stop();
}

async function devices(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, 'data-dir': { type: 'string' } } });
  const settings = new SettingsStore(resolve(values['data-dir'] ?? defaultDataDir()));
  const adb = locateAdb({ settingPath: settings.get().adbPath, env: process.env, platform: process.platform });
  const bridge = new AdbkitBridge(adb.path, Number(process.env.ANDROID_ADB_SERVER_PORT) || 5037);
  await bridge.startServer();
  const watcher = new DeviceWatcher(bridge);
  await watcher.refresh();
  // Give property reads of newly seen devices a moment to land.
  await new Promise((r) => setTimeout(r, 300));
  await watcher.refresh();
  const list = watcher.devices;
  if (values.json) {
    process.stdout.write(JSON.stringify(list, null, 2) + '\n');
    return;
  }
  if (!list.length) {
    process.stdout.write('No devices. Connect a phone with USB debugging on, or start the demo phone: apprights virtual-device --connect\n');
    return;
  }
  for (const d of list) {
    process.stdout.write(`${d.serial.padEnd(24)} ${d.state.padEnd(14)} ${d.transport.padEnd(4)} ${phoneName(d.manufacturer, d.model)}${d.androidVersion ? ` (Android ${d.androidVersion}, SDK ${d.sdk})` : ''}\n`);
  }
}

async function virtualDevice(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { scenario: { type: 'string' }, port: { type: 'string' }, connect: { type: 'boolean' }, auth: { type: 'boolean' } } });
  const name = values.scenario ?? 'compliant-app';
  const port = intOption(values.port, '--port', 0, 65535, 0);
  let scenario;
  try {
    scenario = loadScenarioFile(scenarioPath(name, join(resourcesDir(), 'scenarios')));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err), 2);
  }
  const device = new VirtualDevice({ scenario, port, requireAuth: values.auth ?? false });
  await device.start();
  process.stdout.write(`Virtual phone "${device.scenario.id}" listening on ${device.serial}\n`);
  let bridge: AdbkitBridge | null = null;
  if (values.connect) {
    const adb = locateAdb({ settingPath: null, env: process.env, platform: process.platform });
    bridge = new AdbkitBridge(adb.path, Number(process.env.ANDROID_ADB_SERVER_PORT) || 5037);
    await bridge.startServer();
    try {
      await bridge.connect(device.host, device.port);
      process.stdout.write(`Connected: adb -s ${device.serial} shell\n`);
    } catch (err) {
      // With --auth the phone refuses the host's key, as a phone whose RSA prompt nobody accepted: adb lists it
      // as unauthorized for as long as it runs. Anything else is a real failure.
      if (!values.auth || !/authenticate/i.test(err instanceof Error ? err.message : '')) throw err;
      process.stdout.write(`Connected; adb lists ${device.serial} as "unauthorized" (the RSA prompt was not accepted), as --auth asks.\n`);
    }
  } else {
    process.stdout.write(`Connect it with: adb connect ${device.serial}\n`);
  }
  process.stdout.write(`serial=${device.serial}\n`);
  await waitForSignal();
  await device.stop();
  // Leave no offline entry behind in the adb server for a phone we connected ourselves.
  await bridge?.disconnect(device.host, device.port).catch(() => undefined);
  process.stdout.write('Virtual phone stopped.\n');
}

async function scenarios(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
  const { scenarios: list, errors } = listScenarios(join(resourcesDir(), 'scenarios'));
  if (values.json) process.stdout.write(JSON.stringify(list, null, 2) + '\n');
  else for (const s of list) process.stdout.write(`${s.id.padEnd(36)} ${s.violates.join(', ') || '(compliant)'}\n`);
  for (const e of errors) process.stderr.write(`invalid scenario: ${e}\n`);
}

function printEvent(e: MonitorEvent, json: boolean): void {
  if (json) process.stdout.write(JSON.stringify(e) + '\n');
  else process.stdout.write(`${new Date(e.deviceTime ?? e.hostTime).toISOString().slice(11, 23)}  ${e.type.padEnd(19)} ${(e.packageName ?? '').padEnd(28)} ${summarize(e)}\n`);
}

function parseOffset(s: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(s);
  if (!m) fail(`--utc-offset must look like +08:00, not ${s}`, 2);
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

async function monitorCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: {
    serial: { type: 'string' }, package: { type: 'string' }, json: { type: 'boolean' }, 'raw-log': { type: 'string' },
    replay: { type: 'string' }, dumps: { type: 'string' }, year: { type: 'string' }, 'utc-offset': { type: 'string' }, 'data-dir': { type: 'string' },
  } });
  const pkg = values.package ?? null;
  if (pkg) assertPackageName(pkg);
  if (values.replay) {
    if (!existsSync(values.replay)) fail(`no such file: ${values.replay}`);
    if (statSync(values.replay).size > 2 * 1024 ** 3) fail('the log is larger than 2 GiB; split it first');
    const dumps = values.dumps ? readdirSync(values.dumps).filter((f) => statSync(join(values.dumps!, f)).isFile()).map((f) => readFileSync(join(values.dumps!, f), 'utf8')) : [];
    const offset = values['utc-offset'] ? parseOffset(values['utc-offset']) : -new Date().getTimezoneOffset();
    const year = intOption(values.year, '--year', 2000, 2100, new Date().getFullYear());
    // Read line by line: a log of any size up to the 2 GiB limit never becomes one string.
    const replayer = new Replayer({ packageName: pkg, year, offsetMinutes: offset, dumps });
    const splitter = new LineSplitter();
    for await (const chunk of createReadStream(values.replay, { highWaterMark: 1 << 20 })) for (const l of splitter.push(chunk as Buffer)) replayer.line(l);
    for (const l of splitter.flush()) replayer.line(l);
    const { events, lines, unparsed } = replayer.finish();
    for (const e of events) printEvent(e, values.json ?? false);
    process.stderr.write(`${events.length} events from ${lines} lines (${unparsed} not in threadtime format, kept out)\n`);
    return;
  }
  if (!values.serial) fail('monitor needs --serial S (see `apprights devices`) or --replay FILE', 2);
  const settings = new SettingsStore(resolve(values['data-dir'] ?? defaultDataDir()));
  const adb = locateAdb({ settingPath: settings.get().adbPath, env: process.env, platform: process.platform });
  const bridge = new AdbkitBridge(adb.path, Number(process.env.ANDROID_ADB_SERVER_PORT) || 5037);
  await bridge.startServer();
  const rawLog = resolve(values['raw-log'] ?? join(defaultDataDir(), 'logs', `${values.serial.replace(/[^\w.-]/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`));
  const monitor = new DeviceMonitor({ bridge, serial: values.serial, packageName: pkg, rawLogPath: rawLog, onEvent: (e) => printEvent(e, values.json ?? false), onLines: () => {} });
  await monitor.start();
  process.stderr.write(`Monitoring ${values.serial}${pkg ? ` (${pkg})` : ''}; raw log: ${rawLog}. Ctrl-C stops.\n`);
  await waitForSignal();
  await monitor.stop();
  process.stderr.write(`${monitor.stats.lines} lines, ${monitor.stats.events} events, ${monitor.stats.reconnects} reconnects\n`);
}

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

async function analyzeCommand(args: string[]): Promise<void> {
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

export async function main(argv: string[]): Promise<void> {
  // Sessions, raw logs, screenshots, keys, exports: nothing the workbench writes is for other users' eyes.
  process.umask(0o077);
  guardTerminal(process.stdout);
  guardTerminal(process.stderr);
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        await serve(rest);
        break;
      case 'devices':
        await devices(rest);
        break;
      case 'virtual-device':
        await virtualDevice(rest);
        break;
      case 'scenarios':
        await scenarios(rest);
        break;
      case 'monitor':
        await monitorCommand(rest);
        break;
      case 'analyze':
        await analyzeCommand(rest);
        break;
      case 'sessions':
        await sessionsCommand(rest, VERSION);
        break;
      case 'record':
        await recordCommand(rest, fail, VERSION);
        break;
      case 'export':
        await exportCommand(rest, fail, VERSION);
        break;
      case 'verify':
        await verifyCommand(rest, fail);
        break;
      case 'demo':
        await demoCommand(rest, fail, VERSION);
        break;
      case 'run':
        await runCommand(rest, fail, VERSION);
        break;
      case 'templates':
        await templatesCommand(rest);
        break;
      case 'policy':
        await policyCommand(rest, fail);
        break;
      case '--version': case '-v':
        process.stdout.write(`${VERSION}\n`);
        break;
      case undefined: case '--help': case '-h': case 'help':
        process.stdout.write(USAGE);
        break;
      default:
        fail(`unknown command "${command}" (see apprights --help)`, 2);
    }
  } catch (err) {
    if (err instanceof WorkbenchError) fail(`${err.message} [${err.code}]`, err.code === 'bridge.invalid-arguments' ? 2 : 1);
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) fail(`${err.message.replace(/\s*\n\s*/g, ' ')} (see apprights --help)`, 2);
    throw err;
  }
  process.exit(0);
}

void main(process.argv.slice(2));
