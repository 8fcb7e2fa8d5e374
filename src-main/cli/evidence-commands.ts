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

import type { Fail } from './cli-support.js';
import { adbBridge, readPassphrase } from './command-inputs.js';
import { column, own, tty } from './terminal-guard.js';

function waitForStop(durationMs: number | null): Promise<string> {
  return new Promise((res) => {
    process.once('SIGINT', () => res('interrupted (Ctrl-C)'));
    process.once('SIGTERM', () => res('terminated'));
    if (durationMs !== null) setTimeout(() => res(`duration reached`), durationMs).unref();
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
    process.stdout.write(tty`No sessions in ${join(dataDir, 'sessions')}.\n`);
    return;
  }
  for (const s of list) {
    if (s.problem) {
      process.stdout.write(tty`${s.id}  PROBLEM: ${s.problem}\n`);
      continue;
    }
    const minutes = Math.round(((s.endedAt ?? Date.now()) - s.startedAt) / 60_000);
    // session.json is read from disk: its id, app, phone and tester are guarded values.
    process.stdout.write(tty`${column(s.id, 44)} ${column(s.state, 9)} ${column(s.app.packageName, 28)} ${column(s.device.serial, 22)} ${s.tester}  ${minutes} min  ${s.timeline.count} events${own(s.copyOf ? tty`  (a copy of ${s.copyOf})` : '')}\n`);
  }
}

export async function recordCommand(args: string[], fail: Fail, version: string): Promise<void> {
  const { values } = parseArgs({ args, options: {
    serial: { type: 'string' }, package: { type: 'string' }, duration: { type: 'string' }, launch: { type: 'boolean' },
    tester: { type: 'string' }, case: { type: 'string' }, 'session-dir': { type: 'string' }, 'data-dir': { type: 'string' },
  } });
  if (!values.serial) fail('record needs --serial S (see `apprights devices`)', 2);
  if (!values.package) fail('record needs --package P (the app under test)', 2);
  if (!values['session-dir']) fail('record needs --session-dir D (where the session is kept)', 2);
  assertPackageName(values.package);
  const duration = values.duration === undefined ? null : Number(values.duration);
  if (duration !== null && (!Number.isFinite(duration) || duration <= 0 || duration > 7 * 24 * 3600)) fail('--duration must be a number of seconds (1 to 604800)', 2);
  const serial = values.serial;
  const pkg = values.package;
  const dir = resolve(values['session-dir']);
  const bridge = adbBridge(resolve(values['data-dir'] ?? defaultDataDir()));
  await bridge.startServer();
  const control = new DeviceControl(bridge);
  const monitors = new HeadlessMonitors(bridge);
  const manager: SessionManager = new SessionManager({
    root: dirname(dir), tool: { name: TOOL_NAME, version }, monitors,
    describe: (s, p) => describePhone(bridge, control, s, p),
    onProblem: (_id, err) => process.stderr.write(tty`apprights: the session cannot be written: ${err.message}\n`),
  });
  monitors.manager = manager;
  let id: string;
  if (existsSync(join(dir, 'session.json'))) {
    const meta = readSessionMeta(dir);
    if (meta.device.serial !== serial || meta.app.packageName !== pkg) fail(`${dir} holds a session of ${meta.app.packageName} on ${meta.device.serial}; use another --session-dir`, 2);
    await recoverSession(dir);
    id = (await manager.resume(basename(dir))).id;
    process.stderr.write(tty`Resumed session ${id} in ${dir}\n`);
  } else {
    id = (await manager.start({ serial, packageName: pkg, tester: values.tester ?? userInfo().username, caseRef: values.case ?? '', dir })).id;
    process.stderr.write(tty`Recording session ${id} in ${dir} (${serial}, ${pkg}). Ctrl-C stops.\n`);
  }
  if (values.launch) {
    await control.launch(serial, pkg);
    manager.get(id)?.append({ type: 'app.action', action: 'launch', target: pkg });
  }
  const why = await waitForStop(duration === null ? null : duration * 1000);
  const info = await manager.close(id);
  process.stderr.write(tty`Session closed (${why}): ${info.timeline.count} events, timeline head ${info.timeline.head}\n`);
  process.stdout.write(tty`${dir}\n`);
}

export async function exportCommand(args: string[], fail: Fail, version: string): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: {
    out: { type: 'string' }, 'passphrase-file': { type: 'string' }, identity: { type: 'string' }, name: { type: 'string' },
    p12: { type: 'string' }, 'p12-password-file': { type: 'string' }, national: { type: 'boolean' }, compress: { type: 'boolean' }, tsa: { type: 'string' }, 'allow-local': { type: 'boolean' }, 'data-dir': { type: 'string' },
    tester: { type: 'string' }, reviewer: { type: 'string' },
  } });
  if (positionals.length !== 1) fail('export needs one session directory: apprights export D --out pkg.zip', 2);
  if (!values.out) fail('export needs --out pkg.zip', 2);
  const dir = resolve(positionals[0]!);
  if (!existsSync(join(dir, 'session.json'))) fail(`${dir} is not a session directory (no session.json)`, 2);
  const recovered = await recoverSession(dir);
  if (recovered.recovered) process.stderr.write(tty`The session was left recording by a process that stopped; recovered${own(recovered.tornBytes ? tty` (a torn last line of ${recovered.tornBytes} bytes set aside in ${recovered.tornFile})` : '')}.\n`);
  const meta = readSessionMeta(dir);
  const store = new IdentityStore(resolve(values['data-dir'] ?? defaultDataDir()));
  const passphrase = await readPassphrase(values['passphrase-file'], fail, 'Passphrase of the signing key / 签名密钥口令: ');
  let identityId = values.identity ?? null;
  if (values.p12) {
    const password = values['p12-password-file'] ? readFileSync(values['p12-password-file'], 'utf8').replace(/\r?\n$/, '') : '';
    const info = await store.importPkcs12(readFileSync(values.p12), password, passphrase);
    process.stderr.write(tty`Imported ${info.subject} (SHA-256 ${info.fingerprint})\n`);
    identityId = info.id;
  }
  if (!identityId) identityId = store.list()[0]?.id ?? null;
  if (!identityId) {
    const info = await store.createSelfSigned(values.name ?? meta.tester ?? userInfo().username, passphrase);
    process.stderr.write(tty`Created a self-signed (self-asserted) signing identity: ${info.subject}\n  certificate SHA-256 ${info.fingerprint}\n`);
    identityId = info.id;
  }
  const identity = await store.unlock(identityId, passphrase);
  let last = 0;
  const out = await exportPackage({
    sessionDir: dir, out: resolve(values.out), identity, national: values.national ?? false, compress: values.compress ?? false, tsaUrl: values.tsa ?? null, allowLocalTsa: values['allow-local'] ?? false, tool: { name: TOOL_NAME, version },
    signOff: { tester: values.tester?.trim().slice(0, 200) || null, reviewer: values.reviewer?.trim().slice(0, 200) || null },
    onProgress: (p) => {
      if (!process.stderr.isTTY || Date.now() - last < 200) return;
      last = Date.now();
      process.stderr.write(tty`\r${p.phase} ${own((p.bytes / 1048576).toFixed(1))}/${own((p.total / 1048576).toFixed(1))} MiB   `);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  for (const w of out.warnings) process.stderr.write(tty`warning: ${w}\n`);
  process.stderr.write(tty`Signed by ${identity.info.subject}${own(identity.info.selfSigned ? ' (self-asserted)' : '')}; manifest SHA-256 ${out.manifestSha256}${own(out.timestamped ? '; timestamped' : '')}\n`);
  process.stdout.write(tty`${out.path}\n`);
}
