/**
 * The CLI's session and evidence commands: `sessions`, `record` (headless recording of a phone's monitors
 * and the app's lifecycle into a session directory), `export` (a signed package; a self-signed identity is
 * created on first use) and `verify` (per-check report, exit 1 on any failure).
 */
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DeviceControl } from '../core/adb/device-control.js';
import { assertPackageName } from '../core/adb/shell-quote.js';
import { defaultDataDir } from '../core/data-dir.js';
import { exportPackage } from '../core/evidence/export-package.js';
import { IdentityStore } from '../core/evidence/identity-store.js';
import { describePhone, readSessionMeta, recoverSession, SessionManager } from '../core/session/index.js';
import { HeadlessMonitors } from '../core/session/headless-monitors.js';
import { TOOL_NAME } from '../core/tool-name.js';

import { refuseToReplace, type Fail } from './cli-support.js';
import { say } from './cli-language.js';
import { text } from './cli-text.js';
import { adbBridge, readPassphrase } from './command-inputs.js';
import { headlessNetwork, offerStale } from './cli-network.js';
import { errorWords } from './cli-errors.js';
import { headlessScreenStreams, videoLines } from './cli-video.js';
import { SessionVideo } from '../core/screen/session-video.js';
import { NETWORK_OPTIONS, networkChoice, takeNetworkOption } from './network-options.js';
import { column, tty } from './terminal-guard.js';

function waitForStop(durationMs: number | null): Promise<string> {
  return new Promise((res) => {
    process.once('SIGINT', () => res(say(text.stoppedByCtrlC)));
    process.once('SIGTERM', () => res(say(text.stoppedBySignal)));
    if (durationMs !== null) setTimeout(() => res(say(text.stoppedByDuration)), durationMs).unref();
  });
}

export async function sessionsCommand(args: string[], version: string): Promise<void> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, 'data-dir': { type: 'string' } } });
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const manager = new SessionManager({
    root: join(dataDir, 'sessions'), tool: { name: TOOL_NAME, version },
    monitors: { start: async () => undefined, stop: async () => undefined }, describe: async () => { throw new Error('not used'); },
  });
  const list = manager.list();
  if (values.json) {
    process.stdout.write(JSON.stringify(list, null, 2) + '\n');
    return;
  }
  if (!list.length) {
    process.stdout.write(say(text.noSessions(join(dataDir, 'sessions'))) + '\n');
    return;
  }
  for (const s of list) {
    if (s.problem) {
      process.stdout.write(say(text.sessionProblem(s.id, s.problem)) + '\n');
      continue;
    }
    const minutes = Math.round(((s.endedAt ?? Date.now()) - s.startedAt) / 60_000);
    // session.json is read from disk: its id, app, phone and tester are guarded values.
    process.stdout.write(tty`${column(s.id, 44)} ${column(s.state, 9)} ${column(s.app.packageName, 28)} ${column(s.device.serial, 22)} ` + say(text.sessionTail(s.tester, minutes, s.timeline.count, s.copyOf)) + '\n');
  }
}

export async function recordCommand(argv: string[], fail: Fail, version: string): Promise<void> {
  const { args, mode } = takeNetworkOption(argv);
  const { values } = parseArgs({ args, options: {
    serial: { type: 'string' }, package: { type: 'string' }, duration: { type: 'string' }, launch: { type: 'boolean' },
    tester: { type: 'string' }, case: { type: 'string' }, 'session-dir': { type: 'string' }, 'data-dir': { type: 'string' },
    ...NETWORK_OPTIONS, 'no-video': { type: 'boolean' },
  } });
  const choice = networkChoice(mode, values);
  if (!values.serial) fail(say(text.recordNeedsSerial), 2);
  if (!values.package) fail(say(text.recordNeedsPackage), 2);
  if (!values['session-dir']) fail(say(text.recordNeedsDir), 2);
  assertPackageName(values.package);
  const duration = values.duration === undefined ? null : Number(values.duration);
  if (duration !== null && (!Number.isFinite(duration) || duration <= 0 || duration > 7 * 24 * 3600)) fail(say(text.durationRange), 2);
  const serial = values.serial;
  const pkg = values.package;
  const dir = resolve(values['session-dir']);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const bridge = adbBridge(dataDir);
  await bridge.startServer();
  const control = new DeviceControl(bridge);
  const monitors = new HeadlessMonitors(bridge);
  let manager: SessionManager | null = null;
  const network = headlessNetwork({ bridge, dataDir, manager: () => manager });
  const streams = headlessScreenStreams(bridge, values['no-video']);
  const video = new SessionVideo(() => streams);
  manager = new SessionManager({
    root: dirname(dir), tool: { name: TOOL_NAME, version }, monitors,
    describe: (s, p) => describePhone(bridge, control, s, p),
    onProblem: (_id, err) => process.stderr.write(say(text.sessionUnwritable(err.message)) + '\n'),
    recording: [network.recording, video],
  });
  monitors.manager = manager;
  // A phone a killed workbench left pointing at its proxy: said before anything else (with --network on this
  // phone, the set-up restores it first).
  offerStale((await network.checkStale().catch(() => [])).filter((s) => !choice || s.serial !== serial));
  let id: string;
  if (existsSync(join(dir, 'session.json'))) {
    const meta = readSessionMeta(dir);
    if (meta.device.serial !== serial || meta.app.packageName !== pkg) fail(say(text.otherSession(dir, meta.app.packageName, meta.device.serial)), 2);
    await recoverSession(dir);
    id = (await manager.resume(basename(dir))).id;
    process.stderr.write(say(text.resumed(id, dir)) + '\n');
  } else {
    id = (await manager.start({ serial, packageName: pkg, tester: values.tester ?? userInfo().username, caseRef: values.case ?? '', dir, video: !values['no-video'] })).id;
    process.stderr.write(say(text.recording(id, dir, serial, pkg)) + '\n');
  }
  // Listening for the stop before the network is set up: Ctrl-C during the set-up still restores the phone.
  const stop = waitForStop(duration === null ? null : duration * 1000);
  if (choice) {
    try {
      await network.start(id, choice);
    } catch (err) {
      process.stderr.write(say(text.networkNotStarted(errorWords(err))) + '\n');
    }
  }
  if (values.launch) {
    await control.launch(serial, pkg);
    manager.get(id)?.append({ type: 'app.action', action: 'launch', target: pkg });
  }
  const why = await stop;
  const info = await manager.close(id);
  await streams?.stopAll();
  process.stderr.write(say(text.sessionClosed(why, info.timeline.count, info.timeline.head)) + '\n');
  for (const line of videoLines(video.written(id), values['no-video'] ?? false)) process.stderr.write(line + '\n');
  process.stdout.write(tty`${dir}\n`);
}

export async function exportCommand(args: string[], fail: Fail, version: string): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: {
    out: { type: 'string' }, force: { type: 'boolean' }, 'passphrase-file': { type: 'string' }, identity: { type: 'string' }, name: { type: 'string' },
    p12: { type: 'string' }, 'p12-password-file': { type: 'string' }, national: { type: 'boolean' }, compress: { type: 'boolean' }, tsa: { type: 'string' }, 'allow-local': { type: 'boolean' }, 'data-dir': { type: 'string' },
    tester: { type: 'string' }, reviewer: { type: 'string' }, 'no-video': { type: 'boolean' },
  } });
  if (positionals.length !== 1) fail(say(text.exportNeedsDir), 2);
  if (!values.out) fail(say(text.exportNeedsOut), 2);
  refuseToReplace(resolve(values.out), values.force);
  const dir = resolve(positionals[0]!);
  if (!existsSync(join(dir, 'session.json'))) fail(say(text.notSessionDir(dir)), 2);
  const recovered = await recoverSession(dir);
  if (recovered.recovered) process.stderr.write(say(text.recovered(recovered.tornBytes, recovered.tornFile)) + '\n');
  const meta = readSessionMeta(dir);
  const store = new IdentityStore(resolve(values['data-dir'] ?? defaultDataDir()));
  const passphrase = await readPassphrase(values['passphrase-file'], fail);
  let identityId = values.identity ?? null;
  if (values.p12) {
    const password = values['p12-password-file'] ? readFileSync(values['p12-password-file'], 'utf8').replace(/\r?\n$/, '') : '';
    const info = await store.importPkcs12(readFileSync(values.p12), password, passphrase);
    process.stderr.write(say(text.imported(info.subject, info.fingerprint)) + '\n');
    identityId = info.id;
  }
  if (!identityId) identityId = store.list()[0]?.id ?? null;
  if (!identityId) {
    const info = await store.createSelfSigned(values.name ?? meta.tester ?? userInfo().username, passphrase);
    process.stderr.write(say(text.createdIdentity(info.subject, info.fingerprint)) + '\n');
    identityId = info.id;
  }
  const identity = await store.unlock(identityId, passphrase);
  let last = 0;
  const out = await exportPackage({
    sessionDir: dir, out: resolve(values.out), identity, national: values.national ?? false, compress: values.compress ?? false, tsaUrl: values.tsa ?? null, allowLocalTsa: values['allow-local'] ?? false, tool: { name: TOOL_NAME, version },
    video: !values['no-video'],
    signOff: { tester: values.tester?.trim().slice(0, 200) || null, reviewer: values.reviewer?.trim().slice(0, 200) || null },
    onProgress: (p) => {
      if (!process.stderr.isTTY || Date.now() - last < 200) return;
      last = Date.now();
      process.stderr.write(say(text.exportProgress(p.phase, (p.bytes / 1048576).toFixed(1), (p.total / 1048576).toFixed(1))));
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  for (const w of out.warnings) process.stderr.write(say(text.warning(w)) + '\n');
  process.stderr.write(say(text.signed(identity.info.subject, identity.info.selfSigned, out.manifestSha256, out.timestamped)) + '\n');
  process.stdout.write(tty`${out.path}\n`);
}
