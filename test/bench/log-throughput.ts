/**
 * Benchmark (not a test gate): log stream throughput from the virtual phone through the real adb server,
 * read by adbkit (what the workbench uses) and by the adb CLI itself, for the same data in the same run.
 * Prints MiB/s, lines/s and the adbkit/adb-CLI ratio.
 */
import { spawn } from 'node:child_process';
import Adb from '@devicefarmer/adbkit';
import { startAdbServer } from '../support/adb-server.js';
import { startPhone } from '../support/virtual-phone.js';

const LINES = 100_000;
const MESSAGE = 'y'.repeat(80);

async function main(): Promise<void> {
  const adb = await startAdbServer();
  const phone = await startPhone(adb, 'compliant-app');
  for (let i = 0; i < LINES; i++) phone.system.log.append({ pid: 4242, priority: 4, tag: 'Bench', message: `${String(i).padStart(7, '0')} ${MESSAGE}` });
  const command = 'logcat -d -v threadtime -s Bench:I';

  const viaAdbkit = async (): Promise<{ ms: number; bytes: number; lines: number }> => {
    const client = Adb.createClient({ host: '127.0.0.1', port: adb.port });
    const t = performance.now();
    const stream = await client.getDevice(phone.serial).shell(command);
    let bytes = 0;
    let lines = 0;
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (c: Buffer) => {
        bytes += c.length;
        for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) lines++;
      });
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    return { ms: performance.now() - t, bytes, lines };
  };

  const viaAdbCli = async (): Promise<{ ms: number; bytes: number; lines: number }> => {
    const t = performance.now();
    const child = spawn('adb', ['-s', phone.serial, 'shell', command], { env: adb.env });
    let bytes = 0;
    let lines = 0;
    child.stdout.on('data', (c: Buffer) => {
      bytes += c.length;
      for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) lines++;
    });
    await new Promise((r) => child.on('close', r));
    return { ms: performance.now() - t, bytes, lines };
  };

  // Warm up both paths once, then take the best of three each.
  await viaAdbkit();
  await viaAdbCli();
  const best = async (f: () => Promise<{ ms: number; bytes: number; lines: number }>) => {
    const runs = [await f(), await f(), await f()];
    return runs.sort((a, b) => a.ms - b.ms)[0]!;
  };
  const kit = await best(viaAdbkit);
  const cli = await best(viaAdbCli);
  const mibs = (r: { ms: number; bytes: number }): string => (r.bytes / 1048576 / (r.ms / 1000)).toFixed(1);
  const lps = (r: { ms: number; lines: number }): string => Math.round(r.lines / (r.ms / 1000)).toLocaleString('en-US');
  console.log(`log throughput, ${LINES.toLocaleString('en-US')} threadtime lines (${(kit.bytes / 1048576).toFixed(1)} MiB), best of 3:`);
  console.log(`  adbkit shell stream : ${kit.ms.toFixed(0)} ms, ${mibs(kit)} MiB/s, ${lps(kit)} lines/s`);
  console.log(`  adb CLI (reference) : ${cli.ms.toFixed(0)} ms, ${mibs(cli)} MiB/s, ${lps(cli)} lines/s`);
  console.log(`  ratio adbkit / adb CLI throughput: ${(cli.ms / kit.ms).toFixed(2)}`);
  if (kit.lines !== LINES || cli.lines !== LINES) throw new Error(`line counts differ: adbkit ${kit.lines}, adb ${cli.lines}, expected ${LINES}`);
  await adb.kill();
  await phone.stop();
}

void main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
