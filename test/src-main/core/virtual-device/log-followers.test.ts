/**
 * The virtual phone serves many log readers through the real adb server: two idle `adb logcat` followers cost
 * next to nothing (they used to wake each other forever: a core busy and 2 GB in 8 s), both receive what the
 * phone logs, and a dump alongside them finishes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualDevice } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, waitFor, type TestAdbServer } from '../../../support/adb-server.js';
import { startPhone } from '../../../support/virtual-phone.js';

let adb: TestAdbServer;
let phone: VirtualDevice;
const followers: ChildProcess[] = [];

beforeAll(async () => {
  adb = await startAdbServer();
  phone = await startPhone(adb, 'compliant-app');
}, 60_000);

afterAll(async () => {
  for (const f of followers) f.kill('SIGKILL');
  await phone?.stop();
  await adb?.kill();
});

describe('log followers', () => {
  it('two idle followers stay idle, both get new lines, and a dump beside them ends', async () => {
    const outputs = ['', ''];
    for (const i of [0, 1]) {
      const f = spawn('adb', ['-s', phone.serial, 'logcat', '-v', 'brief'], { env: adb.env, stdio: ['ignore', 'pipe', 'ignore'] });
      f.stdout!.on('data', (d: Buffer) => (outputs[i] = (outputs[i]! + d.toString()).slice(-100_000)));
      followers.push(f);
    }
    await new Promise((r) => setTimeout(r, 1000));
    const cpu = process.cpuUsage();
    const heap = process.memoryUsage().heapUsed;
    await new Promise((r) => setTimeout(r, 3000));
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    console.log(`3 s with two idle followers: ${cpuMs.toFixed(0)} ms of CPU, heap ${((process.memoryUsage().heapUsed - heap) / 1048576).toFixed(1)} MiB`);
    // The phone's own background apps log every two seconds; two followers of that cost a few ms, not a core.
    expect(cpuMs).toBeLessThan(600);
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(64 * 1024 * 1024);
    phone.system.appLog('com.demo.compliant', 4, 'Probe', 'probe line 42');
    await waitFor('both followers got the probe', async () => outputs.every((o) => o.includes('probe line 42')), 5000);
    const dump = await adb.adb(['-s', phone.serial, 'logcat', '-d', '-v', 'brief'], { timeoutMs: 10_000 });
    expect(dump.stdout).toContain('probe line 42');
  }, 60_000);
});

describe('many log readers at once', () => {
  it('4 followers and a dumper for 30 s: every follower gets every line, memory stays bounded', async () => {
    const outputs: Array<Set<number>> = [];
    const procs: ChildProcess[] = [];
    for (let i = 0; i < 4; i++) {
      const got = new Set<number>();
      outputs.push(got);
      let rest = '';
      const f = spawn('adb', ['-s', phone.serial, 'logcat', '-v', 'brief', 'Load:I', '*:S'], { env: adb.env, stdio: ['ignore', 'pipe', 'ignore'] });
      f.stdout!.on('data', (d: Buffer) => {
        const lines = (rest + d.toString()).split('\n');
        rest = lines.pop() ?? '';
        for (const l of lines) {
          const m = / n(\d+)$/.exec(l.trimEnd());
          if (m) got.add(Number(m[1]));
        }
      });
      procs.push(f);
      followers.push(f);
    }
    await new Promise((r) => setTimeout(r, 1500));
    let n = 0;
    let peakRss = 0;
    const until = Date.now() + 30_000;
    let dumps = 0;
    while (Date.now() < until) {
      for (let i = 0; i < 200; i++) phone.system.appLog('com.demo.compliant', 4, 'Load', `line n${n++}`);
      if (n % 20_000 === 0) {
        await adb.adb(['-s', phone.serial, 'logcat', '-d', '-t', '100'], { timeoutMs: 10_000 });
        dumps++;
      }
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      await new Promise((r) => setTimeout(r, 100));
    }
    await waitFor('every follower has every line', async () => outputs.every((o) => o.size === n), 15_000);
    for (const p of procs) p.kill();
    console.log(`${n} lines in 30 s to 4 followers (${dumps} dumps beside them); peak RSS ${(peakRss / 1048576).toFixed(0)} MiB`);
    expect(dumps).toBeGreaterThan(0);
    expect(peakRss).toBeLessThan(300 * 1024 * 1024);
  }, 90_000);
});
