/**
 * Benchmark (not a test gate) behind the monitor's choice of logcat format: the same 200,000 lines read from
 * the virtual phone through the real adb server as `-v threadtime -v year -v UTC` text (parsed by the
 * monitor's parseLogLine) and as `-B` binary logger_entry records (decoded here), bytes and lines/s.
 */
import Adb from '@devicefarmer/adbkit';
import { parseLogLine } from '../../src-main/core/monitor/index.js';
import { startAdbServer } from '../support/adb-server.js';
import { startPhone } from '../support/virtual-phone.js';

const N = 200_000;

function decodeBinary(buf: Buffer, onEntry: (e: { pid: number; sec: number; tag: string; message: string }) => void): Buffer {
  let p = 0;
  while (p + 4 <= buf.length) {
    const len = buf.readUInt16LE(p);
    const hdr = buf.readUInt16LE(p + 2) || 20;
    if (p + hdr + len > buf.length) break;
    const payload = buf.subarray(p + hdr, p + hdr + len);
    const tagEnd = payload.indexOf(0, 1);
    onEntry({ pid: buf.readInt32LE(p + 4), sec: buf.readInt32LE(p + 12), tag: payload.toString('utf8', 1, tagEnd), message: payload.toString('utf8', tagEnd + 1, payload.length - 1) });
    p += hdr + len;
  }
  return buf.subarray(p);
}

async function main(): Promise<void> {
  const adb = await startAdbServer();
  const phone = await startPhone(adb, 'compliant-app');
  for (let i = 0; i < N; i++) phone.system.log.append({ pid: 4242, priority: 4, tag: 'Fmt', message: `${i} ${'q'.repeat(60)}` });
  const client = Adb.createClient({ host: '127.0.0.1', port: adb.port });
  const read = async (cmd: string, onData: (c: Buffer) => void): Promise<number> => {
    const t = performance.now();
    const s = await client.getDevice(phone.serial).shell(cmd);
    await new Promise<void>((resolve, reject) => s.on('data', onData).on('end', resolve).on('error', reject));
    return performance.now() - t;
  };
  for (let round = 0; round < 2; round++) {
    let textBytes = 0, textLines = 0, partial = '';
    const textMs = await read('logcat -d -v threadtime -v year -v UTC -s Fmt', (c) => {
      textBytes += c.length;
      const lines = (partial + c.toString('utf8')).split('\n');
      partial = lines.pop()!;
      for (const l of lines) if (parseLogLine(l, { year: 2026, offsetMinutes: 0 })) textLines++;
    });
    let binBytes = 0, binLines = 0;
    let rest: Buffer = Buffer.alloc(0);
    const binMs = await read('logcat -d -B -s Fmt', (c) => {
      binBytes += c.length;
      rest = decodeBinary(rest.length ? Buffer.concat([rest, c]) : c, () => binLines++);
    });
    if (round === 0) continue; // warm-up
    const rate = (n: number, ms: number): string => Math.round(n / (ms / 1000)).toLocaleString('en-US');
    console.log(`logcat formats, ${N.toLocaleString('en-US')} lines through adb:`);
    console.log(`  threadtime,year,UTC text: ${(textBytes / 1048576).toFixed(1)} MiB, ${textMs.toFixed(0)} ms, ${rate(textLines, textMs)} lines/s parsed`);
    console.log(`  binary (-B):              ${(binBytes / 1048576).toFixed(1)} MiB, ${binMs.toFixed(0)} ms, ${rate(binLines, binMs)} lines/s decoded`);
    console.log(`  ratio text/binary throughput: ${(binMs / textMs).toFixed(2)}`);
  }
  await adb.kill();
  await phone.stop();
}

void main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
