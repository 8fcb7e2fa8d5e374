/**
 * A real Debian redis-server for tests, on a private port, its data (appendonly on) in a temp folder: never the
 * machine's own service. `restart()` stops it cleanly (SHUTDOWN, the AOF written) and starts it again on the same
 * port and folder, as a lab's Redis comes back after a reboot.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './adb-server.js';

export interface TestRedis {
  port: number;
  url: string;
  dir: string;
  /** The server's process, for a test that kills it. */
  process(): ChildProcess;
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Stops it and removes its folder. */
  kill(): Promise<void>;
}

function answers(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    let got = '';
    s.setTimeout(1000, () => (s.destroy(), res(false)));
    s.on('error', () => res(false));
    s.on('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => {
      got += d.toString();
      if (got.includes('\r\n')) {
        s.destroy();
        res(got.startsWith('+PONG'));
      }
    });
  });
}

export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'apprights-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async (): Promise<void> => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always',
      '--save', '', '--daemonize', 'no', '--maxmemory-policy', 'noeviction', '--protected-mode', 'yes', '--logfile', join(dir, 'redis.log')], { stdio: 'ignore' });
    await waitFor(`redis-server on ${port}`, () => answers(port), 10_000);
  };
  const stop = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((res) => c.once('exit', () => res()));
    c.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    port, dir, url: `redis://127.0.0.1:${port}`,
    process: () => child!,
    start, stop,
    restart: async () => {
      await stop();
      await start();
    },
    kill: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
