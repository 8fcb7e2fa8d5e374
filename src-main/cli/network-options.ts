/**
 * The network options the recording commands share (`monitor`, `record`, `run`, `demo`): `--network [usb|wifi]`
 * (the mode is optional, so it is taken out before parseArgs, which cannot say "a value or none"), `--intercept`,
 * `--lan-address A` and `--value KIND=VALUE` (a value the tester types to look for: phone number, OAID…).
 */
import type { NetworkChoice, TypedValue } from '../../src-preload/network-api.js';
import { PI_KINDS, type PiKind, type ProxyMode } from '../../src-preload/network.js';
import { fail } from './cli-support.js';
import { say } from './cli-language.js';
import { text } from './cli-text.js';

/** The parseArgs options that go with --network. */
export const NETWORK_OPTIONS = {
  intercept: { type: 'boolean' },
  'lan-address': { type: 'string' },
  value: { type: 'string', multiple: true },
} as const;

/** `--network`, `--network usb|wifi`, `--network=usb|wifi` taken out of `argv`; mode null when absent. */
export function takeNetworkOption(argv: string[]): { args: string[]; mode: ProxyMode | null } {
  const args: string[] = [];
  let mode: ProxyMode | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i));
      break;
    }
    if (a === '--network') {
      const next = argv[i + 1];
      if (next === 'usb' || next === 'wifi') {
        mode = next;
        i++;
      } else mode = 'usb';
    } else if (a.startsWith('--network=')) {
      const v = a.slice('--network='.length);
      if (v !== 'usb' && v !== 'wifi') fail(say(text.networkMode(v)), 2);
      mode = v;
    } else args.push(a);
  }
  return { args, mode };
}

/** The tester's choice from the options; null when --network was not given. */
export function networkChoice(mode: ProxyMode | null, values: { intercept?: boolean; 'lan-address'?: string; value?: string[] }): NetworkChoice | null {
  if (!mode) {
    if (values.intercept || values['lan-address'] || values.value?.length) fail(say(text.networkOptionsAlone), 2);
    return null;
  }
  const lan = values['lan-address'] ?? null;
  if (lan !== null && (mode !== 'wifi' || !/^\d{1,3}(\.\d{1,3}){3}$/.test(lan))) fail(say(text.lanAddressForm(lan)), 2);
  return { mode, intercept: values.intercept ?? false, lanAddress: lan, values: (values.value ?? []).map(typedValue) };
}

function typedValue(option: string): TypedValue {
  const eq = option.indexOf('=');
  const kind = option.slice(0, eq) as PiKind;
  const value = option.slice(eq + 1).trim();
  // Short values would be found everywhere (and their hashes too): four characters at least, as the API says.
  if (eq < 0 || !PI_KINDS.includes(kind) || value.length < 4 || value.length > 200 || /[\u0000-\u001f\u007f]/.test(value)) fail(say(text.valueForm(option.slice(0, 60), PI_KINDS.join(', '))), 2);
  return { kind, value };
}
