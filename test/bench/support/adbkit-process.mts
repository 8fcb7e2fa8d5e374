/**
 * A bare adbkit logcat stream in its own process, the floor of what any adbkit consumer pays: the monitor's
 * logcat command, bytes discarded, newlines counted. stdin `expect N` → `got N` once N more lines arrived
 * (the phone runs without background noise, so every line is the round's).
 */
import { createInterface } from 'node:readline';
import * as adbkit from '@devicefarmer/adbkit';

// The package is CommonJS: under ESM its class sits one `default` deeper.
const Adb = ((adbkit as { default?: { default?: unknown } }).default?.default ?? (adbkit as { default?: unknown }).default) as typeof import('@devicefarmer/adbkit').default;

const [serial] = process.argv.slice(2) as [string];
const client = Adb.createClient({ host: '127.0.0.1', port: Number(process.env.ANDROID_ADB_SERVER_PORT) });
const stream = await client.getDevice(serial).shell('logcat -v threadtime -v year -v UTC -b main,system,events,crash -T 1');
let want: number | null = null;
let got = 0;
stream.on('data', (c: Buffer) => {
  if (want === null) return;
  for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) got++;
  if (got >= want) {
    process.stdout.write(`got ${got}\n`);
    want = null;
  }
});
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, n] = line.split(' ');
  if (cmd === 'expect') {
    got = 0;
    want = Number(n);
  } else if (cmd === 'exit') break;
}
stream.destroy();
process.exit(0);
