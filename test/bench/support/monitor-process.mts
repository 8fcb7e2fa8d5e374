/**
 * The live monitor alone in a process (what it holds is what is measured, Buffers included): the workbench's
 * Monitors (DeviceMonitor, raw log, line throttle, recent-lines ring) with an event hub nobody listens to.
 * argv: SERIAL RAW_LOG. stdin: `mem` → one JSON line of memory after a full GC; `lines` → lines ingested.
 */
import { createInterface } from 'node:readline';
import { EventHub } from '../../../src-main/bridge/event-hub.js';
import { AdbkitBridge } from '../../../src-main/core/adb/device-bridge.js';
import type { AdbService } from '../../../src-main/core/adb/adb-service.js';
import { Monitors } from '../../../src-main/core/monitor/monitors.js';

const [serial, rawLog] = process.argv.slice(2) as [string, string];
const bridge = new AdbkitBridge('adb', Number(process.env.ANDROID_ADB_SERVER_PORT));
const monitors = new Monitors(new EventHub(), { requireBridge: () => bridge } as unknown as AdbService, '/tmp');
await monitors.start(serial, null, rawLog);
process.stdout.write('started\n');
const gc = (globalThis as { gc?: () => void }).gc!;
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'mem') {
    gc();
    const m = process.memoryUsage();
    process.stdout.write(`mem ${JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers })}\n`);
  } else if (line === 'lines') process.stdout.write(`lines ${monitors.status(serial).lines}\n`);
  else if (line === 'exit') break;
}
await monitors.stop(serial);
process.exit(0);
