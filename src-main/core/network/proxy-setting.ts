/**
 * The phone's global HTTP proxy (`settings get|put|delete global http_proxy`), the setting every proxy-aware HTTP
 * stack on Android honours. Each change is read back: a phone that refuses it (a vendor ROM that denies
 * WRITE_SECURE_SETTINGS to the shell prints a SecurityException and changes nothing) is caught here, in words.
 */
import type { DeviceBridge } from '../adb/device-bridge.js';
import { shellCommand } from '../adb/shell-quote.js';
import { stripTerminalControls } from '../adb/terminal-text.js';
import { WorkbenchError } from '../errors.js';

/** A proxy setting is host:port; anything much longer is not one (and is not kept). */
const MAX_VALUE = 300;
const GET = shellCommand(['settings', 'get', 'global', 'http_proxy']);

/** The phone's http_proxy: null when unset (`settings` prints "null"), else exactly what it holds. */
export async function readHttpProxy(bridge: DeviceBridge, serial: string): Promise<string | null> {
  const out = await bridge.shellBytes(serial, `${GET} 2>&1`, 10_000, 64 * 1024);
  return settingValue(out.toString('utf8'), serial);
}

/** `settings get` output → the value. A failure (an exception, a usage line, a value too long) is refused. */
export function settingValue(out: string, serial: string): string | null {
  const text = out.replace(/\r?\n$/, '');
  if (text.includes('\n') || text.length > MAX_VALUE || /Exception|^Error|^usage:|not found|inaccessible/i.test(text)) {
    throw new WorkbenchError('network.phone-refused', `${serial} did not tell its proxy setting: ${stripTerminalControls(text).trim().slice(0, 200)}`, { serial, what: 'settings get' });
  }
  return text === 'null' ? null : text;
}

/**
 * Sets (or, with null, deletes) the phone's http_proxy and reads it back: resolves when the phone holds `value`,
 * throws network.phone-refused with the phone's own words when it does not.
 */
export async function writeHttpProxy(bridge: DeviceBridge, serial: string, value: string | null): Promise<void> {
  const argv = value === null ? ['settings', 'delete', 'global', 'http_proxy'] : ['settings', 'put', 'global', 'http_proxy', value];
  const said = (await bridge.shellBytes(serial, `${shellCommand(argv)} 2>&1`, 10_000, 64 * 1024)).toString('utf8');
  let now: string | null;
  try {
    now = await readHttpProxy(bridge, serial);
  } catch (err) {
    throw refused(serial, argv, said || (err as Error).message);
  }
  if (now !== value) throw refused(serial, argv, said || `it still holds ${now ?? 'nothing'}`);
}

/**
 * Puts `previous` back exactly, and the phone's effective proxy with it. Android's ProxyTracker ignores an http_proxy
 * that is deleted, empty or unparsable — the proxy it had stays in force until the next boot, and a boot reads it
 * back from global_http_proxy_host — so such a value is preceded by ":0", which clears the proxy at once; then the
 * setting is made to read exactly what it read before (deleted: `null` again).
 */
export async function restoreHttpProxy(bridge: DeviceBridge, serial: string, previous: string | null): Promise<void> {
  if (!takesEffect(previous)) await writeHttpProxy(bridge, serial, ':0');
  await writeHttpProxy(bridge, serial, previous);
}

/** Whether ProxyTracker acts on this http_proxy value (sets a proxy, or clears it with an empty host). */
function takesEffect(value: string | null): boolean {
  return value !== null && /^[A-Za-z0-9.-]*:\d{1,5}$|^[A-Za-z0-9.-]+$/.test(value);
}

function refused(serial: string, argv: string[], said: string): WorkbenchError {
  const words = stripTerminalControls(said).replace(/\s+/g, ' ').trim().slice(0, 300);
  return new WorkbenchError('network.phone-refused', `${serial} refused \`${argv.join(' ')}\`: ${words}`, { serial, what: argv.slice(0, 2).join(' '), reason: words });
}
