/**
 * Network capture for the headless commands: the same NetworkSessions the window uses, its state said on stderr
 * in the user's language, stale proxies offered with the command that clears them; and `apprights network
 * clear-stale [--serial S]`.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { NetworkStatus, StaleProxy } from '../../src-preload/network-api.js';
import type { DeviceBridge } from '../core/adb/device-bridge.js';
import { defaultDataDir } from '../core/data-dir.js';
import { loadNetworkEngine } from '../core/network/default-engine.js';
import type { NetworkEngine } from '../core/network/engine.js';
import { NetworkSessions } from '../core/network/network-sessions.js';
import type { SessionManager } from '../core/session/session-manager.js';
import type { Fail } from './cli-support.js';
import { errorWords } from './cli-errors.js';
import { say } from './cli-language.js';
import { text } from './cli-text.js';
import { adbBridge } from './command-inputs.js';

/** NetworkSessions for a command's own session manager (given later: the manager needs its hooks first). */
export function headlessNetwork(o: { bridge: DeviceBridge; dataDir: string; manager: () => SessionManager | null; engine?: () => Promise<NetworkEngine>; log?: (line: string) => void }): NetworkSessions {
  return new NetworkSessions({
    dataDir: o.dataDir, bridge: () => o.bridge, engine: o.engine ?? loadNetworkEngine,
    session: (id) => o.manager()?.get(id) ?? null, recordingOn: (serial) => o.manager()?.recordingOn(serial) ?? null,
    onStatus: headlessStatusLine(o.log),
  });
}

/** Says the capture's state on stderr when it changes (counts change every second; the state is what a terminal is told). */
export function headlessStatusLine(log = (line: string): void => void process.stderr.write(line + '\n')): (s: NetworkStatus) => void {
  let said = '';
  return (s) => {
    const line = say(statusText(s));
    if (line !== said) log(line);
    said = line;
  };
}

function statusText(s: NetworkStatus): ReturnType<typeof text.networkOn> {
  if (s.state === 'on') return text.networkOn(s.serial, s.address ?? '', s.mode, s.previous, s.caSha256);
  if (s.state === 'refused') return text.networkRefused(s.serial, s.problem ?? '');
  if (s.state === 'phone-away') return text.networkAway(s.serial);
  if (s.state === 'off') return text.networkOff(s.serial, s.previous, s.connections.total, s.piFound);
  return text.networkStarting(s.serial);
}

/** Says each stale proxy found, with the command that clears it. */
export function offerStale(stale: StaleProxy[]): void {
  for (const s of stale) process.stderr.write(say(text.staleProxy(s.serial, s.current, s.restore, s.lease?.pid ?? null, s.connected)) + '\n');
}

/** `apprights network clear-stale [--serial S] [--data-dir D]`: every stale proxy of a connected phone (or one) cleared. */
export async function networkCommand(args: string[], fail: Fail): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'clear-stale') fail(say(text.networkUsage), 2);
  const { values } = parseArgs({ args: rest, options: { serial: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' } } });
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const bridge = adbBridge(dataDir);
  await bridge.startServer();
  const network = headlessNetwork({ bridge, dataDir, manager: () => null });
  const found = (await network.checkStale()).filter((s) => !values.serial || s.serial === values.serial);
  const cleared: StaleProxy[] = [];
  const failed: Array<{ serial: string; words: string }> = [];
  for (const s of found) {
    if (!s.connected) {
      failed.push({ serial: s.serial, words: say(text.staleAway(s.serial)) });
      continue;
    }
    try {
      await network.clearStale(s.serial);
      cleared.push(s);
    } catch (err) {
      failed.push({ serial: s.serial, words: errorWords(err) });
    }
  }
  if (values.json) process.stdout.write(JSON.stringify({ cleared, failed: failed.map((f) => f.serial) }) + '\n');
  else {
    if (!found.length) process.stderr.write(say(text.noStale) + '\n');
    for (const s of cleared) process.stderr.write(say(text.staleCleared(s.serial, s.restore)) + '\n');
    for (const f of failed) process.stderr.write(say(text.staleNotCleared(f.serial, f.words)) + '\n');
  }
  if (failed.length) process.exitCode = 1;
}
