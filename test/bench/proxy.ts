/**
 * Benchmark (not a test gate) of the workbench's proxy against going direct, on loopback, in the same run,
 * rounds interleaved. The origin server and the latency client run in processes of their own; the proxy runs
 * here, as in the workbench, with a no-op observer (its callbacks are the session's cost, not the proxy's).
 * 1. Latency: LATENCY_ROUNDS × 500 sequential GETs of a 64-byte answer, each on one keep-alive connection
 *    (client → origin, client → proxy → origin; the proxy keeps its upstream connection alive too), timed
 *    per request from writing it to the end of the response body; the first 50 of each round are warm-up.
 *    Reports p50 and p95 of each path and the proxy's added p50/p95 (goal: ≤ 2 ms added at p50).
 * 2. Throughput: a 100 MB download with curl to /dev/null, `curl http://127.0.0.1:ORIGIN/big` against
 *    `curl -x http://127.0.0.1:PROXY http://origin.bench:ORIGIN/big` (curl's own speed_download), median of
 *    BENCH_ROUNDS (default 5) each; the proxy keeps the body's first 16 MiB and hashes all of it, as it does
 *    for the session (goal: ≥ 80% of direct).
 */
import { execFile, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startProxy } from '../../src-main/core/network/proxy/index.js';

const run = promisify(execFile);
const ROUNDS = Number(process.env.BENCH_ROUNDS) || 5;
const LATENCY_ROUNDS = 4;
const PER_ROUND = 500;
const WARMUP = 50;
const BIG = 100 * 1000 * 1000;
const here = join(process.cwd(), 'test', 'bench', 'support');

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const median = (xs: number[]): number => pct(xs, 50);

async function latencyRound(originPort: number, proxyPort: number): Promise<number[]> {
  const { stdout } = await run(process.execPath, [join(here, 'proxy-latency-client.mjs'), String(originPort), String(proxyPort), String(PER_ROUND)], { maxBuffer: 1 << 24 });
  return (JSON.parse(stdout) as number[]).slice(WARMUP);
}

async function curlSpeed(args: string[]): Promise<number> {
  const { stdout } = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{speed_download} %{size_download}', ...args]);
  const [speed, size] = stdout.trim().split(' ').map(Number);
  if (size !== BIG) throw new Error(`curl got ${size} bytes, not ${BIG}`);
  return speed!; // bytes per second
}

async function main(): Promise<void> {
  const origin = spawn(process.execPath, [join(here, 'proxy-origin.mjs'), String(BIG)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const originPort = Number(await new Promise<string>((resolve) => origin.stdout.once('data', (c: Buffer) => resolve(c.toString().trim()))));
  let flows = 0;
  let exchanges = 0;
  const proxy = await startProxy({
    mode: 'usb', bindAddress: '127.0.0.1', port: 0, allowedClients: null, intercept: () => false, ca: null,
    // The bench's one destination name, on loopback (the default connector refuses the machine itself).
    upstream: (_host, port) => connect({ host: '127.0.0.1', port, noDelay: true }),
  }, { opened: () => flows++, closed: () => {}, exchange: () => exchanges++, refused: (r) => console.error('refused', r) });

  try {
    const direct: number[] = [];
    const proxied: number[] = [];
    for (let r = 0; r < LATENCY_ROUNDS; r++) {
      direct.push(...await latencyRound(originPort, 0));
      proxied.push(...await latencyRound(originPort, proxy.port));
    }
    const d50 = pct(direct, 50), d95 = pct(direct, 95), p50 = pct(proxied, 50), p95 = pct(proxied, 95);
    console.log(`latency, ${direct.length} sequential keep-alive GETs per path (64-byte answer):`);
    console.log(`  direct        p50 ${d50.toFixed(3)} ms  p95 ${d95.toFixed(3)} ms`);
    console.log(`  via proxy     p50 ${p50.toFixed(3)} ms  p95 ${p95.toFixed(3)} ms`);
    console.log(`  added         p50 ${(p50 - d50).toFixed(3)} ms  p95 ${(p95 - d95).toFixed(3)} ms   (goal ≤ 2 ms at p50: ${p50 - d50 <= 2 ? 'met' : 'NOT met'})`);
    console.log(`  proxy flows ${flows} (one upstream connection per client connection), exchanges reported ${exchanges}`);

    const speedDirect: number[] = [];
    const speedProxy: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      speedDirect.push(await curlSpeed([`http://127.0.0.1:${originPort}/big`]));
      speedProxy.push(await curlSpeed(['-x', `http://127.0.0.1:${proxy.port}`, `http://origin.bench:${originPort}/big`]));
    }
    const mbps = (b: number): string => `${(b / 1e6).toFixed(0)} MB/s`;
    const ratio = median(speedProxy) / median(speedDirect);
    console.log(`throughput, 100 MB download with curl to /dev/null, median of ${ROUNDS}:`);
    console.log(`  direct        ${mbps(median(speedDirect))}  (all: ${speedDirect.map(mbps).join(', ')})`);
    console.log(`  via proxy     ${mbps(median(speedProxy))}  (all: ${speedProxy.map(mbps).join(', ')})`);
    console.log(`  ratio         ${(ratio * 100).toFixed(0)}% of direct   (goal ≥ 80%: ${ratio >= 0.8 ? 'met' : 'NOT met'})`);
  } finally {
    await proxy.stop();
    origin.kill();
  }
}

void main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
