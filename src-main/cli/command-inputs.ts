/**
 * What headless commands read from the machine and the user: the adb server to use (the data folder's
 * settings, then the usual places) and the signing key's passphrase (a file, or typed without echo).
 * Kept apart so a command that needs them loads nothing else.
 */
import { readFileSync } from 'node:fs';
import { AdbkitBridge, locateAdb } from '../core/adb/index.js';
import { SettingsStore } from '../core/settings/index.js';
import type { DeviceBridge } from '../core/adb/device-bridge.js';
import type { Fail } from './cli-support.js';
import { errorWords } from './cli-errors.js';
import { say } from './cli-language.js';
import { text as sentence } from './cli-text.js';

export function adbBridge(dataDir: string): AdbkitBridge {
  const settings = new SettingsStore(dataDir);
  const adb = locateAdb({ settingPath: settings.get().adbPath, env: process.env, platform: process.platform });
  return new AdbkitBridge(adb.path, Number(process.env.ANDROID_ADB_SERVER_PORT) || 5037);
}

/** The phones named by `--connect HOST:PORT` (STF's remote ADB), connected through the bridge: their serials. */
export async function connectTargets(bridge: DeviceBridge, targets: string[], fail: Fail): Promise<string[]> {
  const serials: string[] = [];
  for (const target of targets) {
    const m = /^([\w.-]+|\[[0-9a-f:]+\]):(\d{1,5})$/i.exec(target);
    if (!m) fail(say(sentence.connectForm(target)), 2);
    try {
      serials.push(await bridge.connect(m![1]!.replace(/^\[|\]$/g, ''), Number(m![2])));
    } catch (err) {
      fail(say(sentence.cannotConnect(target, errorWords(err))), 1);
    }
  }
  return serials;
}

/** Refuses, in words, a serial adb does not list or lists in another state than ready. */
export function refuseUnready(listed: Array<{ serial: string; type: string }>, serials: string[], fail: Fail): void {
  for (const s of serials) {
    const d = listed.find((x) => x.serial === s);
    if (!d) fail(say(sentence.noPhone(s)), 2);
    if (d!.type !== 'device') fail(say(sentence.phoneNotReady(s, d!.type)), 2);
  }
}

export async function readPassphrase(file: string | undefined, fail: Fail): Promise<string> {
  if (file) {
    try {
      return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch {
      fail(say(sentence.passphraseFileUnreadable(file)), 2);
    }
  }
  if (!process.stdin.isTTY) fail(say(sentence.noPassphrase), 2);
  process.stderr.write(say(sentence.passphrasePrompt));
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  let text = '';
  return new Promise((res) => {
    const onData = (d: Buffer): void => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          res(text);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        text = ch === '\u007f' ? text.slice(0, -1) : text + ch;
      }
    };
    stdin.on('data', onData);
  });
}
