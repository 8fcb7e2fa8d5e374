/**
 * A virtual phone in its own process for honest benchmarks (the consumer under test must not share a thread
 * with the phone). Prints `serial=S` when listening; reads commands on stdin:
 *   flood N TAG             append N lines (waiting for readers every 1,000, as a phone's ring drains) → `flooded N`
 *   background RATE         keep appending RATE lines/s (in 10 ms ticks) until `quiet`
 *   probe K INTERVAL_MS     K distinct lines `PROBE-i` INTERVAL_MS apart → `probes [epoch ms of each]`
 */
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { loadScenarioFile, VirtualDevice } from '../../../src-main/core/virtual-device/index.js';

const root = join(import.meta.dirname, '..', '..', '..');
const device = new VirtualDevice({ scenario: { ...loadScenarioFile(join(root, 'resources/scenarios/compliant-app.yaml')), device: { ...loadScenarioFile(join(root, 'resources/scenarios/compliant-app.yaml')).device, noise: false } } });
await device.start();
const log = device.system.log;
const MSG = 'x'.repeat(70);
let background: NodeJS.Timeout | null = null;
process.stdout.write(`serial=${device.serial}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, a = '0', b = ''] = line.trim().split(/\s+/);
  if (cmd === 'flood') {
    const n = Number(a);
    for (let i = 0; i < n; i++) {
      log.append({ pid: 4242, priority: 4, tag: b, message: `${i} ${MSG}` });
      if (i % 1000 === 999) await log.waitForReaders(60_000);
    }
    await log.waitForReaders(60_000);
    process.stdout.write(`flooded ${n}\n`);
  } else if (cmd === 'background') {
    const perTick = Number(a) / 100;
    let i = 0, owed = 0;
    background = setInterval(() => {
      owed += perTick;
      for (; owed >= 1; owed--) log.append({ pid: 4243, priority: 3, tag: 'Chatter', message: `${i++} ${MSG}` });
    }, 10);
  } else if (cmd === 'quiet') {
    if (background) clearInterval(background);
    background = null;
    process.stdout.write('quiet\n');
  } else if (cmd === 'probe') {
    const times: number[] = [];
    for (let i = 0; i < Number(a); i++) {
      await new Promise((r) => setTimeout(r, Number(b)));
      times.push(Date.now());
      log.append({ pid: 4244, priority: 5, tag: 'Probe', message: `PROBE-${i}` });
    }
    process.stdout.write(`probes ${JSON.stringify(times)}\n`);
  } else if (cmd === 'exit') break;
}
await device.stop();
process.exit(0);
