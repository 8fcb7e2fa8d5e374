/**
 * Crashes while recording: a writer killed with SIGKILL loses at most the last second; `apprights record`
 * and `apprights serve` killed with SIGKILL mid-session leave a session that reopens (paused, chain intact,
 * everything older than a second kept) and exports to a package that verifies. Real adb server, real
 * virtual phone, the built CLI.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSessionMeta, scanTimeline } from '../../../../src-main/core/session/index.js';
import { verifyPackage } from '../../../../src-main/core/evidence/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone } from '../../../support/virtual-phone.js';
import { connectApi } from '../../../support/ws-client.js';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';

const root = join(__dirname, '..', '..', '..', '..');
const cli = join(root, 'bin', 'apprights.cjs');
const tmp = mkdtempSync(join(tmpdir(), 'crash-'));
writeFileSync(join(tmp, 'pass'), 'correct horse battery\n');

function lines(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in ${seen}`)), timeoutMs);
    child[stream]!.on('data', (d: Buffer) => {
      seen += d.toString();
      const m = pattern.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function exportAndVerify(sessionDir: string, out: string, env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [cli, 'export', sessionDir, '--out', out, '--passphrase-file', join(tmp, 'pass'), '--data-dir', join(tmp, 'identity')], { env, encoding: 'utf8', timeout: 30_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stderr;
}

describe('a writer killed with SIGKILL', () => {
  it('loses at most the last second of events', async () => {
    const file = join(tmp, 'appender.jsonl');
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test', 'support', 'timeline-appender.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    await lines(child, 'stdout', /ready/);
    await new Promise((r) => setTimeout(r, 1500));
    const killTime = Date.now();
    await killed(child);
    const scan = scanTimeline(file);
    expect(scan.broken).toBeNull();
    expect(scan.count).toBeGreaterThan(100);
    const text = readFileSync(file, 'utf8').slice(0, scan.goodBytes).trim().split('\n');
    const lastTime = JSON.parse(text[text.length - 1]!).event.hostTime as number;
    expect(killTime - lastTime, 'ms of events lost').toBeLessThanOrEqual(1000);
  });
});

describe('recording processes killed with SIGKILL', () => {
  let adb: TestAdbServer;
  let phone: VirtualDevice;

  beforeAll(async () => {
    if (!existsSync(join(root, 'out', 'main', 'cli.js'))) throw new Error('the CLI is not built: run `npm run build` (npm test does) before these tests');
    adb = await startAdbServer();
    phone = await startPhone(adb, 'collects-before-consent');
  });
  afterAll(async () => {
    await phone?.stop();
    await adb?.kill();
  });

  it('apprights record: the session reopens and exports a package that verifies', async () => {
    const dir = join(tmp, 'record-session');
    const rec = spawn(process.execPath, [cli, 'record', '--serial', phone.serial, '--package', 'com.demo.shop', '--session-dir', dir, '--launch', '--tester', '张三', '--data-dir', join(tmp, 'rec-data')], { env: adb.env, stdio: ['ignore', 'pipe', 'pipe'] });
    await lines(rec, 'stderr', /Recording session/);
    await waitFor('the launch recorded', async () => existsSync(join(dir, 'timeline.jsonl')) && readFileSync(join(dir, 'timeline.jsonl'), 'utf8').includes('"app.action"'), 10_000);
    await new Promise((r) => setTimeout(r, 1200));
    await killed(rec);
    expect(readSessionMeta(dir).state).toBe('recording');
    const stderr = exportAndVerify(dir, join(tmp, 'record.zip'), adb.env);
    expect(stderr).toMatch(/left recording by a process that stopped; recovered/);
    expect(readSessionMeta(dir).state).toBe('paused');
    const timeline = readFileSync(join(dir, 'timeline.jsonl'), 'utf8');
    expect(timeline).toContain('"type":"app.action","action":"launch"');
    expect(timeline).toMatch(/"type":"session.paused","reason":"the recording process stopped/);
    const report = await verifyPackage(join(tmp, 'record.zip'));
    expect(report.ok, JSON.stringify(report.checks.filter((c) => !c.ok))).toBe(true);
  });

  it('apprights serve: after a restart the session is listed paused, keeps what was marked, and exports', async () => {
    const dataDir = join(tmp, 'serve-data');
    const start = async () => {
      const serve = spawn(process.execPath, [cli, 'serve', '--data-dir', dataDir], { env: adb.env, stdio: ['ignore', 'pipe', 'inherit'] });
      const [, url] = await lines(serve, 'stdout', /Open \/ 打开: (http:\/\/\S+)/);
      return { serve, api: await connectApi(url!) };
    };
    const first = await start();
    await waitFor('the phone online', async () => (await first.api.call<Array<{ serial: string; state: string }>>('devices.list')).some((d) => d.serial === phone.serial && d.state === 'device'), 10_000);
    const session = await first.api.call<{ id: string; dir: string }>('session.start', { serial: phone.serial, packageName: 'com.demo.shop', tester: '张三', caseRef: 'CRASH-1' });
    const { seq } = await first.api.call<{ seq: number }>('session.mark', { id: session.id, mark: 'consent.given', label: null });
    await first.api.call('device.launch', { serial: phone.serial, packageName: 'com.demo.shop' });
    await new Promise((r) => setTimeout(r, 1200));
    first.api.close();
    await killed(first.serve);

    const second = await start();
    try {
      const list = await second.api.call<Array<{ id: string; state: string; timeline: { count: number } }>>('session.list');
      const again = list.find((s) => s.id === session.id)!;
      expect(again.state).toBe('paused');
      expect(again.timeline.count).toBeGreaterThan(seq);
      const timeline = readFileSync(join(session.dir, 'timeline.jsonl'), 'utf8');
      expect(timeline).toContain('"mark":"consent.given"');
      expect(timeline).toContain('"action":"launch"');
      expect(scanTimeline(join(session.dir, 'timeline.jsonl')).broken).toBeNull();
    } finally {
      second.api.close();
      await killed(second.serve);
    }
    exportAndVerify(session.dir, join(tmp, 'serve.zip'), adb.env);
    const report = await verifyPackage(join(tmp, 'serve.zip'));
    expect(report.ok, JSON.stringify(report.checks.filter((c) => !c.ok))).toBe(true);
  });
});
