/**
 * The CLI as a user meets it when they mistype: every bad argument gets one line that says what is wrong and
 * exit code 2, never a stack trace; scenario files that are missing, malformed YAML (line:column) or an alias
 * bomb are reported as such; `virtual-device --connect --auth` leaves the phone listed as unauthorized, as a
 * real phone whose RSA prompt was not accepted, and nothing behind after Ctrl-C. Runs the built CLI.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdbServer, waitFor, type TestAdbServer } from '../../support/adb-server.js';
import { connectApi } from '../../support/ws-client.js';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'bin', 'apprights.cjs');
const tmp = mkdtempSync(join(tmpdir(), 'cli-errors-'));

function run(args: string[]): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

function userError(args: string[], message: RegExp): void {
  const r = run(args);
  expect(r.status, `${args.join(' ')} → ${r.stderr}`).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n'), 'one line').toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at |RangeError|TypeError/);
}

/** One real adb server for the device tests of this file. */
let adb: TestAdbServer;
beforeAll(async () => {
  adb = await startAdbServer();
});
afterAll(async () => adb?.kill());

beforeAll(() => {
  if (!existsSync(join(root, 'out', 'main', 'cli.js'))) throw new Error('the CLI is not built: run `npm run build` (npm test does) before these tests');
});

describe('CLI argument errors', () => {
  it('numbers out of range or not numbers', () => {
    userError(['virtual-device', '--port', 'abc'], /--port must be a whole number from 0 to 65535, not "abc"/);
    userError(['virtual-device', '--port', '70000'], /--port must be a whole number from 0 to 65535/);
    userError(['serve', '--port=-1'], /--port must be a whole number/);
    userError(['analyze', '--concurrency', '0', tmp], /--concurrency must be a whole number from 1 to 64/);
    userError(['analyze', '--timeout-ms', '1e3', tmp], /--timeout-ms must be a whole number/);
    writeFileSync(join(tmp, 'log.txt'), '');
    userError(['monitor', '--replay', join(tmp, 'log.txt'), '--year', 'next'], /--year must be a whole number from 2000 to 2100/);
  });

  it('scenario files: missing, malformed YAML with line and column, an alias bomb, an unknown shipped name', () => {
    userError(['virtual-device', '--scenario', join(tmp, 'missing.yaml')], /scenario file not found: .*missing\.yaml/);
    writeFileSync(join(tmp, 'syntax.yaml'), 'id: x\nname: "unclosed\n');
    userError(['virtual-device', '--scenario', join(tmp, 'syntax.yaml')], /syntax\.yaml:\d+:\d+: YAML: Missing closing "quote/);
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    writeFileSync(join(tmp, 'bomb.yaml'), bomb.join('\n') + '\n');
    userError(['virtual-device', '--scenario', join(tmp, 'bomb.yaml')], /bomb\.yaml: YAML: .*alias/i);
    userError(['virtual-device', '--scenario', 'no-such-scenario'], /no shipped scenario "no-such-scenario"\. Shipped scenarios: .*compliant-app/);
  });

  it('an unknown command or option', () => {
    const r = run(['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
    userError(['devices', '--colour'], /unknown option --colour \(see apprights --help\)/);
    userError(['serve', '--port', '-1'], /the value of --port starts with "-": write it as --port=VALUE/);
    userError(['verify', '--ca'], /--ca needs a value/);
  });
});

describe('virtual-device --connect --auth', () => {

  it('is listed as unauthorized while it runs, and gone after Ctrl-C', async () => {
    const child = spawn(process.execPath, [cli, 'virtual-device', '--connect', '--auth'], { env: adb.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const serial = await waitFor('the serial', async () => /serial=(\S+)/.exec(out)?.[1], 15_000);
    expect(out).toMatch(/lists .* as "unauthorized"/);
    await waitFor('unauthorized in adb devices', async () => (await adb.adb(['devices'])).stdout.includes(`${serial}\tunauthorized`), 10_000);
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await waitFor('no entry left', async () => !(await adb.adb(['devices'])).stdout.includes(serial), 10_000);
  });
});

describe('apprights devices --json', () => {

  it('reports a virtual phone started elsewhere (the demo phone of the UI) as virtual', async () => {
    const child = spawn(process.execPath, [cli, 'virtual-device', '--connect'], { env: adb.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const serial = await waitFor('the serial', async () => /serial=(\S+)/.exec(out)?.[1], 15_000);
      const r = spawnSync(process.execPath, [cli, 'devices', '--json'], { env: adb.env, encoding: 'utf8', timeout: 20_000 });
      expect(r.status, r.stderr).toBe(0);
      const list = JSON.parse(r.stdout) as Array<{ serial: string; virtual: boolean; model: string }>;
      expect(list.find((d) => d.serial === serial)).toMatchObject({ virtual: true, model: 'Pixel 7' });
    } finally {
      child.kill('SIGINT');
    }
  });
});

describe('apprights serve', () => {

  it('leaves no demo phone behind in adb when it stops', async () => {
    const serve = spawn(process.execPath, [cli, 'serve', '--data-dir', mkdtempSync(join(tmpdir(), 'serve-stop-'))], { env: adb.env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    serve.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const url = await waitFor('the URL', async () => /Open \/ 打开: (\S+)/.exec(out)?.[1], 15_000);
    const api = await connectApi(url);
    const demo = await api.call<{ serial: string }>('virtualDevice.start', { scenario: 'compliant-app' });
    await waitFor('the demo phone online', async () => (await adb.adb(['devices'])).stdout.includes(`${demo.serial}\tdevice`), 10_000);
    api.close();
    const exited = new Promise<number | null>((r) => serve.once('exit', r));
    serve.kill('SIGINT');
    expect(await exited).toBe(0);
    expect((await adb.adb(['devices'])).stdout).not.toContain(demo.serial);
  });
});
