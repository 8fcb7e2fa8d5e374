/**
 * `apprights`, the command line of the workbench: one dispatcher that loads only the command it runs (each
 * command's module, and the core it needs, is imported on demand), so `--help` starts as fast as Node does.
 * Headless commands run the same core as the window. Errors print their message and exit non-zero.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkbenchError } from '../core/errors.js';
import { VERSION, fail, outputWritten, quietWhenOutputCloses } from './cli-support.js';
import { guardTerminal } from './terminal-guard.js';

const USAGE = `apprights — AppRights Workbench (App用户权益检测工作台) command line

Usage:
  apprights serve [--port N] [--host 127.0.0.1] [--data-dir DIR] [--allow-local]
                                                                    browser mode: prints the URL to open; --allow-local lets
                                                                    policy pages and the TSA be on local or private addresses
  apprights devices [--json]                                        list devices the adb server sees
  apprights virtual-device [--scenario NAME|FILE] [--profile ROM] [--port N] [--connect] [--auth]
                                                                    start the virtual phone (Ctrl-C stops it); ROM: how it names
                                                                    itself and logs (virtual, aosp14, miui, emui, coloros)
  apprights scenarios [--json]                                      list the shipped demo scenarios
  apprights analyze <apk|dir>... [--json] [--concurrency N] [--timeout-ms N]
                                                                    static analysis: permissions, SDKs, signatures verified
  apprights analyze <dir>... --out results.jsonl [--csv results.csv] [--resume] [--json]
                                                                    batch triage: a line per APK as it finishes, progress,
                                                                    --resume skips what results.jsonl holds, a summary at the end
  apprights monitor --serial S [--package P] [--json] [--raw-log FILE]
                                                                    stream a phone's events until Ctrl-C
  apprights monitor --replay LOG_FILE [--dumps DIR] [--package P] [--json] [--year Y] [--utc-offset +08:00]
                                                                    extract events from logs captured elsewhere: any logcat
                                                                    format (threadtime, time, brief, long, Studio, MatLog…),
                                                                    UTF-8/UTF-16, an adb bugreport (.txt or .zip)
  apprights sessions [--json] [--data-dir DIR]                      list recorded sessions
  apprights record --serial S --package P --session-dir D [--duration SECONDS] [--launch] [--tester NAME] [--case REF]
                                                                    record a session headless (Ctrl-C or the duration ends it)
  apprights export D --out pkg.zip [--passphrase-file F] [--national] [--compress] [--tsa URL [--allow-local]] [--p12 F --p12-password-file F] [--tester NAME] [--reviewer NAME]
                                                                    signed evidence package of session directory D
  apprights verify pkg.zip [--ca root.pem] [--tsa-ca tsa.pem] [--json]
                                                                    check an evidence package; exit 1 on any failure
  apprights report-pdf pkg.zip --out report.pdf [--chromium PATH] [--force]
                                                                    the package's report as PDF (verified first), printed by
                                                                    the Chromium, Chrome or Edge found here
  apprights demo --scenario NAME|FILE --out pkg.zip [--profile ROM] [--fast] [--json] [--template ID|FILE]
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

export async function main(argv: string[]): Promise<void> {
  // Sessions, raw logs, screenshots, keys, exports: nothing the workbench writes is for other users' eyes.
  process.umask(0o077);
  guardTerminal(process.stdout);
  guardTerminal(process.stderr);
  quietWhenOutputCloses();
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        await (await import('./serve-command.js')).serve(rest, dirname(fileURLToPath(import.meta.url)));
        break;
      case 'devices':
        await (await import('./device-commands.js')).devices(rest);
        break;
      case 'virtual-device':
        await (await import('./device-commands.js')).virtualDevice(rest);
        break;
      case 'scenarios':
        await (await import('./device-commands.js')).scenarios(rest);
        break;
      case 'monitor':
        await (await import('./monitor-command.js')).monitorCommand(rest);
        break;
      case 'analyze':
        await (await import('./analyze-command.js')).analyzeCommand(rest);
        break;
      case 'sessions':
        await (await import('./evidence-commands.js')).sessionsCommand(rest, VERSION);
        break;
      case 'record':
        await (await import('./evidence-commands.js')).recordCommand(rest, fail, VERSION);
        break;
      case 'export':
        await (await import('./evidence-commands.js')).exportCommand(rest, fail, VERSION);
        break;
      case 'verify':
        await (await import('./verify-command.js')).verifyCommand(rest, fail);
        break;
      case 'report-pdf':
        await (await import('./report-pdf-command.js')).reportPdfCommand(rest, fail);
        break;
      case 'demo':
        await (await import('./checklist-commands.js')).demoCommand(rest, fail, VERSION);
        break;
      case 'run':
        await (await import('./checklist-commands.js')).runCommand(rest, fail, VERSION);
        break;
      case 'templates':
        await (await import('./templates-command.js')).templatesCommand(rest);
        break;
      case 'policy':
        await (await import('./policy-commands.js')).policyCommand(rest, fail);
        break;
      case '--version': case '-v':
        process.stdout.write(VERSION + '\n');
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
  // Exit only once the output is written: into a pipe (`| jq`, a test's execFile) what is still queued when
  // the process exits is lost — a 2 GB replay's 27 MB of JSON ended after 590 KB.
  await outputWritten();
  process.exit(process.exitCode ?? 0);
}

void main(process.argv.slice(2));
