/**
 * `apprights`, the command line of the workbench: one dispatcher that loads only the command it runs (each
 * command's module, and the core it needs, is imported on demand), so `--help` starts as fast as Node does.
 * Headless commands run the same core as the window. It speaks the user's language (cli-language.ts); errors
 * print in words and exit non-zero, their code only under --json.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkbenchError } from '../core/errors.js';
import { VERSION, fail, outputWritten, quietWhenOutputCloses } from './cli-support.js';
import { failWith } from './cli-errors.js';
import { languageOption, localeLanguage, say, setJsonOutput, setLanguage, takeLangOption } from './cli-language.js';
import { USAGE, text } from './cli-text.js';
import { guardTerminal } from './terminal-guard.js';

/** Node's parseArgs refusals in the CLI's words: the option or argument it names, what is wrong with it. */
function argumentError(err: TypeError & { code?: unknown }): string {
  const message = err.message.replace(/\s*\n\s*/g, ' ');
  const named = /'(-[^' ]*)/.exec(message)?.[1] ?? /'([^']*)'/.exec(message)?.[1] ?? '';
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return say(text.unknownOption(named));
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return say(/ambiguous/.test(message) ? text.ambiguousValue(named) : text.missingValue(named));
  if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return say(text.unexpectedArgument(named));
  return say(text.badArguments(message));
}


export async function main(argv: string[]): Promise<void> {
  // Sessions, raw logs, screenshots, keys, exports: nothing the workbench writes is for other users' eyes.
  process.umask(0o077);
  guardTerminal(process.stdout);
  guardTerminal(process.stderr);
  quietWhenOutputCloses();
  const { args, lang } = takeLangOption(argv);
  setLanguage(localeLanguage(process.env));
  if (lang !== undefined) {
    const chosen = languageOption(lang);
    if (!chosen) fail(say(text.badLanguage(lang)), 2);
    setLanguage(chosen);
  }
  const [command, ...rest] = args;
  setJsonOutput(rest.includes('--json'));
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
      case 'farm':
        await (await import('./farm-command.js')).farmCommand(rest, fail, VERSION);
        break;
      case 'templates':
        await (await import('./templates-command.js')).templatesCommand(rest);
        break;
      case 'network':
        await (await import('./cli-network.js')).networkCommand(rest, fail);
        break;
      case 'policy':
        await (await import('./policy-commands.js')).policyCommand(rest, fail);
        break;
      case '--version': case '-v':
        process.stdout.write(VERSION + '\n');
        break;
      case undefined: case '--help': case '-h': case 'help':
        process.stdout.write(say(USAGE));
        break;
      default:
        fail(say(text.unknownCommand(command)), 2);
    }
  } catch (err) {
    if (err instanceof WorkbenchError) failWith(err, err.code === 'bridge.invalid-arguments' ? 2 : 1);
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) fail(argumentError(err), 2);
    throw err;
  }
  // Exit only once the output is written: into a pipe (`| jq`, a test's execFile) what is still queued when
  // the process exits is lost — a 2 GB replay's 27 MB of JSON ended after 590 KB.
  await outputWritten();
  process.exit(process.exitCode ?? 0);
}

void main(process.argv.slice(2));
