/**
 * `settings` (`cmd settings`): get/put/delete/list over the phone's settings provider, worded and validated as
 * AOSP's SettingsService shell command (packages/SettingsProvider/.../SettingsService.java): `get` of a missing
 * key prints `null`, `delete` prints `Deleted N rows`, errors go to stderr with exit status 255.
 */
import type { CommandFn } from '../shell/interpreter.js';
import type { SettingsStore, SettingsNamespace } from '../android/settings-store.js';
import { isSettingsNamespace } from '../android/settings-store.js';

const HELP = `Settings provider (settings) commands:
  help
      Print this help text.
  get [--user <USER_ID> | current] NAMESPACE KEY
      Retrieve the current value of KEY.
  put [--user <USER_ID> | current] NAMESPACE KEY VALUE [TAG] [default]
      Change the contents of KEY to VALUE.
      TAG to associate with the setting.
      {default} to set as the default, case-insensitive only for global/secure namespace
  delete [--user <USER_ID> | current] NAMESPACE KEY
      Delete the entry for KEY.
  list [--user <USER_ID> | current] NAMESPACE
      Print all defined keys.
      NAMESPACE is one of {system, secure, global}, case-insensitive
`;

type Verb = 'get' | 'put' | 'delete' | 'list';
type Parsed = { verb: Verb; ns: SettingsNamespace; key: string; value: string; userGiven: boolean } | { error: string };

function parse(args: string[]): Parsed {
  let verb: Verb | 'reset' | null = null;
  let ns: SettingsNamespace | null = null;
  let key: string | null = null;
  let value: string | null = null;
  let userGiven = false;
  let valid = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const more = i + 1 < args.length;
    if (arg === '--user') {
      if (userGiven) break;
      userGiven = true;
      const u = args[++i];
      if (u === undefined) return { error: 'Error: Argument expected after "--user"' };
      if (u !== 'current' && u !== 'cur' && u !== '0') return { error: `Invalid user: ${u}` };
    } else if (verb === null) {
      const v = arg.toLowerCase();
      if (v === 'get' || v === 'put' || v === 'delete' || v === 'list' || v === 'reset') verb = v;
      else return { error: `Invalid command: ${arg}` };
    } else if (ns === null) {
      const n = arg.toLowerCase();
      if (!isSettingsNamespace(n)) return { error: `Invalid namespace '${arg}'` };
      ns = n;
      if (verb === 'list') {
        valid = true;
        break;
      }
    } else if (verb === 'reset') {
      return { error: 'reset: not supported on this phone' };
    } else if (verb === 'get' || verb === 'delete') {
      key = arg;
      if (more) return { error: 'Too many arguments' };
      valid = true;
      break;
    } else if (key === null) {
      key = arg;
    } else {
      value = arg;
      valid = true;
      // Then [TAG] [default]: accepted, without effect on the value.
      const rest = args.slice(i + 1);
      if (rest.length > 2) return { error: 'Too many arguments' };
      if (rest.length === 2 && rest[1]!.toLowerCase() !== 'default') return { error: "Argument expected to be 'default'" };
      break;
    }
  }
  if (!valid || verb === null || verb === 'reset' || ns === null) return { error: 'Bad arguments' };
  if (userGiven && (verb === 'delete' || verb === 'list')) return { error: '--user not supported for delete and list.' };
  return { verb, ns, key: key ?? '', value: value ?? '', userGiven };
}

export function settingsCommand(settings: SettingsStore): CommandFn {
  return async ({ argv, out, err }) => {
    const args = argv.slice(1);
    if (args.length === 0 || args[0] === 'help' || args[0] === '-h') {
      out.write(HELP);
      return 0;
    }
    const p = parse(args);
    if ('error' in p) {
      err.write(`${p.error}\n`);
      return 255;
    }
    switch (p.verb) {
      case 'get':
        out.write(`${settings.get(p.ns, p.key) ?? 'null'}\n`);
        break;
      case 'put':
        settings.put(p.ns, p.key, p.value);
        break;
      case 'delete':
        out.write(`Deleted ${settings.delete(p.ns, p.key) ? 1 : 0} rows\n`);
        break;
      case 'list':
        out.write(settings.list(p.ns).map(([k, v]) => `${k}=${v}\n`).join(''));
        break;
    }
    return 0;
  };
}
