/**
 * Benchmark (not a test gate) for the Devices page's costs on the virtual phone through the real adb
 * server: screenshot round trip (ms) and the live view's frame rate, against a plain `adb exec-out
 * screencap -p > /dev/null` in the same run (rounds interleaved); and how many device commands the workbench issues per second while idle.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { AdbkitBridge, DeviceWatcher } from '../../src-main/core/adb/index.js';
import { DeviceControl } from '../../src-main/core/adb/device-control.js';
import { startAdbServer } from '../support/adb-server.js';
import { startPhone } from '../support/virtual-phone.js';

async function main(): Promise<void> {
  const adb = await startAdbServer();
  const phone = await startPhone(adb, 'compliant-app');
  const bridge = new AdbkitBridge('adb', adb.port);
  const control = new DeviceControl(bridge);
  await control.launch(phone.serial, 'com.demo.compliant');
  await control.screenshot(phone.serial); // first frame loads the font

  // Rounds interleaved; the reference runs as a user runs it: `adb exec-out screencap -p > file` (here
  // /dev/null), its output never read by Node.
  const devnull = openSync('/dev/null', 'w');
  const adbScreencap = (): Promise<void> => new Promise((resolve, reject) => {
    // Asynchronously: the phone lives in this process and must keep answering.
    const child = spawn('adb', ['-s', phone.serial, 'exec-out', 'screencap', '-p'], { env: adb.env, stdio: ['ignore', devnull, 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`adb exited ${code}`))));
  });
  const times: number[] = [];
  const cli: number[] = [];
  for (let i = 0; i < 20; i++) {
    let t = performance.now();
    await control.screenshot(phone.serial);
    times.push(performance.now() - t);
    if (i % 2) continue;
    t = performance.now();
    await adbScreencap();
    cli.push(performance.now() - t);
  }
  closeSync(devnull);
  const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  console.log(`screenshot round trip (1080x2400 PNG, unchanged screen): median ${median(times).toFixed(1)} ms via the workbench, ${median(cli).toFixed(1)} ms via "adb exec-out screencap -p > /dev/null", process start included (ratio ${(median(times) / median(cli)).toFixed(2)})`);
  console.log(`live view ceiling: ${(1000 / Math.max(median(times), 100)).toFixed(1)} fps (the view caps itself at 10 fps)`);

  // Changing screens cost a fresh render on the phone side.
  const changing: number[] = [];
  for (let i = 0; i < 6; i++) {
    // Alternate between the launcher and the app so every frame differs from the one before.
    if (i % 2) await control.launch(phone.serial, 'com.demo.compliant');
    else await control.input(phone.serial, { kind: 'key', key: 'HOME' });
    const t = performance.now();
    await control.screenshot(phone.serial);
    changing.push(performance.now() - t);
  }
  console.log(`screenshot round trip after the screen changed: median ${median(changing).toFixed(1)} ms`);

  // Idle: the device list is watched, nothing is open. Count services the phone serves in 10 s.
  const before = phone.servicesOpened;
  const watcher = new DeviceWatcher(bridge);
  watcher.start();
  await new Promise((r) => setTimeout(r, 1500));
  const settled = phone.servicesOpened;
  await new Promise((r) => setTimeout(r, 10_000));
  const idle = phone.servicesOpened - settled;
  watcher.stop();
  console.log(`device commands while the Devices page is idle: ${settled - before} at first sight (properties), then ${idle} in 10 s (${(idle / 10).toFixed(2)}/s)`);
  await adb.kill();
  await phone.stop();
}

void main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
