// The built CLI with network capture, as a tester runs it, on the REAL adb server and the virtual phone:
// `record --network` points the phone at its proxy and puts it back at Ctrl-C; killed with SIGKILL it leaves the
// phone pointing at a dead proxy — the next `record` says so, `network clear-stale` puts the phone back, and a
// `record --network` on that phone clears it first (stale-cleared in its session). Needs `npm run build`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualDevice } from '../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../support/adb-server.js';
import { CLI, runCli } from '../../support/cli.js';
import { startPhone } from '../../support/virtual-phone.js';

let adb: TestAdbServer;
let phone: VirtualDevice;
let work: string;
const APP = 'com.demo.compliant';

const httpProxy = async (): Promise<string> => (await adb.adb(['-s', phone.serial, 'shell', 'settings', 'get', 'global', 'http_proxy'])).stdout.trim();
const env = (): NodeJS.ProcessEnv => ({ ...adb.env, LANG: 'en_US.UTF-8', LC_ALL: '' });

/** `apprights record … --network` in its own process; resolves once the phone points at its proxy. */
async function recording(dataDir: string, dir: string): Promise<{ child: ChildProcess; stderr: () => string; proxy: string }> {
  const child = spawn(process.execPath, [CLI, 'record', '--serial', phone.serial, '--package', APP, '--session-dir', dir, '--data-dir', dataDir, '--network'], { env: env() });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const proxy = await waitFor('the phone on the CLI\'s proxy', async () => {
    const p = await httpProxy();
    return /^127\.0\.0\.1:\d+$/.test(p) && /Network capture on/.test(stderr) ? p : null;
  }, 30_000, 100);
  return { child, stderr: () => stderr, proxy };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code))));
}

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhone(adb, 'compliant-app');
  work = mkdtempSync(join(tmpdir(), 'network-cli-'));
});
afterAll(async () => {
  await adb?.kill();
  await phone?.stop();
});

describe('apprights record --network and network clear-stale (built CLI, real adb server)', () => {
  it('Ctrl-C (SIGINT) puts the phone back as it was', async () => {
    const dataDir = join(work, 'a');
    await adb.adb(['-s', phone.serial, 'shell', 'settings', 'put', 'global', 'http_proxy', 'proxy.lab:3128']);
    const r = await recording(dataDir, join(work, 'a-session'));
    r.child.kill('SIGINT');
    expect(await exited(r.child)).toBe(0);
    expect(await httpProxy()).toBe('proxy.lab:3128');
    expect(r.stderr()).toMatch(/proxy is back to proxy\.lab:3128/);
    await adb.adb(['-s', phone.serial, 'shell', 'settings', 'put', 'global', 'http_proxy', ':0']);
    await adb.adb(['-s', phone.serial, 'shell', 'settings', 'delete', 'global', 'http_proxy']);
  });

  it('monitor --network prints the proxy\'s set-up among the events (JSON) and puts the phone back at Ctrl-C', async () => {
    const child = spawn(process.execPath, [CLI, 'monitor', '--serial', phone.serial, '--json', '--network', 'usb', '--data-dir', join(work, 'm'), '--raw-log', join(work, 'm.log')], { env: env() });
    let stdout = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    await waitFor('net.proxy on', async () => /"type":"net.proxy","state":"on"/.test(stdout) && /^127\.0\.0\.1:\d+$/.test(await httpProxy()), 30_000, 100);
    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
    const proxies = stdout.split('\n').filter((l) => l.includes('"net.proxy"')).map((l) => JSON.parse(l) as { state: string; source: string; previous: string | null });
    expect(proxies.map((p) => [p.state, p.source, p.previous])).toEqual([['on', 'workbench', null], ['restored', 'workbench', null]]);
    expect(await httpProxy()).toBe('null');
  });

  it('SIGKILL leaves a stale proxy: the next record offers it, clear-stale puts the phone back', async () => {
    const dataDir = join(work, 'b');
    const r = await recording(dataDir, join(work, 'b-session'));
    r.child.kill('SIGKILL');
    await exited(r.child);
    expect(await httpProxy()).toBe(r.proxy);
    // The next start (without --network) says the phone points at a dead proxy and how to clear it.
    const next = await runCli(['record', '--serial', phone.serial, '--package', APP, '--session-dir', join(work, 'b-next'), '--data-dir', dataDir, '--duration', '1'], env());
    expect(next.code).toBe(0);
    expect(next.stderr).toContain(`${phone.serial} points at a proxy of a workbench that is gone`);
    expect(next.stderr).toContain(`apprights network clear-stale --serial ${phone.serial}`);
    const cleared = await runCli(['network', 'clear-stale', '--serial', phone.serial, '--data-dir', dataDir], env());
    expect(cleared.code).toBe(0);
    expect(cleared.stderr).toContain(`Cleared ${phone.serial}`);
    expect(await httpProxy()).toBe('null');
    expect(phone.system.network.proxy()).toBeNull();
    expect((await adb.adb(['-s', phone.serial, 'reverse', '--list'])).stdout.trim()).toBe('');
    const again = await runCli(['network', 'clear-stale', '--data-dir', dataDir], env());
    expect(again.stderr).toContain('No phone points at a dead workbench proxy');
  });

  it('SIGKILL, then record --network on that phone: the stale proxy is cleared first, in its session', async () => {
    const dataDir = join(work, 'c');
    const first = await recording(dataDir, join(work, 'c-session'));
    first.child.kill('SIGKILL');
    await exited(first.child);
    const dir = join(work, 'c-next');
    const second = await recording(dataDir, dir);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
    expect(await httpProxy()).toBe('null');
    const timeline = readFileSync(join(dir, 'timeline.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { event: { type: string; state?: string; address?: string } }).event);
    expect(timeline.filter((e) => e.type === 'net.proxy').map((e) => [e.state, e.address])).toEqual([['stale-cleared', first.proxy], ['on', second.proxy], ['restored', second.proxy]]);
  });
});
