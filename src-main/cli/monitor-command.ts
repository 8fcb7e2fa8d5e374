/**
 * `apprights monitor`: a phone's events streamed until Ctrl-C, or events extracted from a logcat captured
 * elsewhere (--replay), read line by line so a log of any size never becomes one string.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AdbkitBridge, locateAdb } from '../core/adb/index.js';
import { assertPackageName } from '../core/adb/shell-quote.js';
import { DeviceMonitor, summarize } from '../core/monitor/index.js';
import { replayFile } from '../core/monitor/replay-file.js';
import { WorkbenchError } from '../core/errors.js';
import { defaultDataDir } from '../core/data-dir.js';
import { SettingsStore } from '../core/settings/index.js';
import type { MonitorEvent, TimelineEvent } from '../../src-preload/monitor-events.js';
import type { NetworkChoice } from '../../src-preload/network-api.js';
import type { DeviceBridge } from '../core/adb/device-bridge.js';
import { loadNetworkEngine } from '../core/network/default-engine.js';
import type { NetworkRecord } from '../core/network/network-events.js';
import { NetworkSession } from '../core/network/network-session.js';
import { headlessStatusLine } from './cli-network.js';
import { NETWORK_OPTIONS, networkChoice, takeNetworkOption } from './network-options.js';
import { fail, intOption, waitForSignal } from './cli-support.js';
import { errorWords } from './cli-errors.js';
import { say } from './cli-language.js';
import { text } from './cli-text.js';
import { column, own, tty } from './terminal-guard.js';
import { offsetText, replayReport, replaySummary } from './replay-report.js';

/** `offsetMinutes`: the zone the readable output prints times in (named in its heading). */
function eventText(e: MonitorEvent | TimelineEvent, json: boolean, offsetMinutes: number): string {
  if (json) return JSON.stringify(e) + '\n';
  // The summary quotes what the phone logged (components, processes, permissions) or sent (hosts, URLs): a guarded value.
  return tty`${own(e.deviceTime === null && e.source === 'logcat' ? '(no time)   ' : clockText((e.deviceTime ?? e.hostTime) + offsetMinutes * 60_000))}  ${column(e.type, 19)} ${column(e.packageName ?? '', 28)} ${summarize(e)}\n`;
}

function printEvent(e: MonitorEvent | TimelineEvent, json: boolean, offsetMinutes: number): void {
  process.stdout.write(eventText(e, json, offsetMinutes));
}

/** A replay's events, written about a megabyte at a time (one write per event was a tenth of a replay's time). */
function printEvents(events: readonly MonitorEvent[], json: boolean, offsetMinutes: number): void {
  let batch = '';
  for (const e of events) {
    batch += eventText(e, json, offsetMinutes);
    if (batch.length >= 1 << 20) {
      process.stdout.write(batch);
      batch = '';
    }
  }
  if (batch) process.stdout.write(batch);
}

/** HH:MM:SS.mmm, or question marks for a time no Date holds (a replayed log can say anything). */
function clockText(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '??:??:??.???' : d.toISOString().slice(11, 23);
}

function parseOffset(s: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(s);
  if (!m) fail(say(text.badUtcOffset(s)), 2);
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

export async function monitorCommand(argv: string[]): Promise<void> {
  const { args, mode } = takeNetworkOption(argv);
  const { values } = parseArgs({ args, options: {
    ...NETWORK_OPTIONS,
    serial: { type: 'string' }, package: { type: 'string' }, json: { type: 'boolean' }, 'raw-log': { type: 'string' },
    replay: { type: 'string' }, dumps: { type: 'string' }, year: { type: 'string' }, 'utc-offset': { type: 'string' }, 'data-dir': { type: 'string' },
  } });
  const pkg = values.package ?? null;
  if (pkg) assertPackageName(pkg);
  const choice = networkChoice(mode, values);
  if (values.replay) {
    if (choice) fail(say(text.networkNotOnReplay), 2);
    if (!existsSync(values.replay)) fail(say(text.noSuchFile(values.replay)));
    const dumps = values.dumps ? readdirSync(values.dumps).filter((f) => statSync(join(values.dumps!, f)).isFile()).map((f) => readFileSync(join(values.dumps!, f), 'utf8')) : [];
    const offset = values['utc-offset'] ? parseOffset(values['utc-offset']) : -new Date().getTimezoneOffset();
    const year = intOption(values.year, '--year', 2000, 2100, new Date().getFullYear());
    const json = values.json ?? false;
    try {
      // Read line by line: a log of any size up to the 2 GiB limit never becomes one string.
      const { result, source } = await replayFile(values.replay, { packageName: pkg, year, yearGiven: values.year !== undefined, offsetMinutes: offset, offsetGiven: values['utc-offset'] !== undefined, dumps });
      const zone = result.clock.zone.offsetMinutes;
      if (!json) process.stdout.write(say(text.replayTimes(offsetText(zone), result.clock.zoneNeeded && result.clock.zone.source === 'assumed')) + '\n');
      printEvents(result.events, json, zone);
      if (json) process.stdout.write(JSON.stringify(replaySummary(result, source)) + '\n');
      for (const line of replayReport(result, source)) process.stderr.write(tty`${line}\n`);
    } catch (err) {
      if (err instanceof WorkbenchError && err.code === 'monitor.unreadable-log') fail(say(text.unreadableLog(values.replay, errorWords(err))));
      throw err;
    }
    return;
  }
  if (!values.serial) fail(say(text.monitorNeedsSerial), 2);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const settings = new SettingsStore(dataDir);
  const adb = locateAdb({ settingPath: settings.get().adbPath, env: process.env, platform: process.platform });
  const bridge = new AdbkitBridge(adb.path, Number(process.env.ANDROID_ADB_SERVER_PORT) || 5037);
  await bridge.startServer();
  const rawLog = resolve(values['raw-log'] ?? join(defaultDataDir(), 'logs', `${values.serial.replace(/[^\w.-]/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`));
  // Listening for the stop before the first event is printed: a reader that leaves at once (`| head -1`)
  // stops the monitor as Ctrl-C does, its raw log closed whole.
  const stopped = waitForSignal();
  const json = values.json ?? false;
  // With --network, what the proxy sees is printed among the monitor's events (bodies are not kept: no session).
  const appended = new Set<(seq: number, e: TimelineEvent) => void>();
  const monitor = new DeviceMonitor({
    bridge, serial: values.serial, packageName: pkg, rawLogPath: rawLog, onLines: () => {}, linesWanted: () => 0,
    onEvent: (e) => {
      printEvent(e, json, 0);
      for (const l of appended) l(e.seq, e);
    },
  });
  await monitor.start();
  process.stderr.write(say(text.monitoring(values.serial, pkg, rawLog)) + '\n');
  const network = choice ? await monitorNetwork(bridge, dataDir, values.serial, pkg, choice, appended, json) : null;
  await stopped;
  await network?.stop();
  await monitor.stop();
  process.stderr.write(say(text.monitorStats(monitor.stats.lines, monitor.stats.events, monitor.stats.reconnects)) + '\n');
}


/** The phone pointed at a proxy for as long as the monitor runs; its events printed as the monitor's are. */
async function monitorNetwork(bridge: DeviceBridge, dataDir: string, serial: string, pkg: string | null, choice: NetworkChoice, appended: NetworkRecord['appended'], json: boolean): Promise<NetworkSession> {
  let seq = 0;
  const record: NetworkRecord = {
    id: serial, serial, blobDir: null, appended,
    append: (body, hostTime, source) => {
      const event = { seq: ++seq, serial, packageName: pkg, hostTime, deviceTime: null, source, raw: [], ...body } as TimelineEvent;
      printEvent(event, json, 0);
      return { seq, event };
    },
  };
  const log = headlessStatusLine();
  const network = new NetworkSession({ bridge, dataDir, record, choice, engine: await loadNetworkEngine(), onStatus: log, onItem: () => undefined });
  await network.start();
  return network;
}
