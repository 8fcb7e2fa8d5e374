/**
 * A real adb server for tests, on its own port (ANDROID_ADB_SERVER_PORT) so tests never touch a user's
 * server, plus helpers to run the adb CLI against it. Requires Debian's `adb` (installed by .ci/run).
 */
import { execFile, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

function bindable(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(null));
    s.listen(port, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : null));
    });
  });
}

/**
 * A port free now, for a server another process will bind (adb). Taken below Linux's ephemeral range
 * (32768-60999): the kernel hands ports of that range to every listen(0) and outgoing connection of the tests
 * running beside this one, so one could take it before adb binds it (adb then met a stranger: "protocol fault").
 */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = await bindable(20_000 + Math.floor(Math.random() * 12_000));
    if (port) return port;
  }
  const any = await bindable(0);
  if (!any) throw new Error('no free port on 127.0.0.1');
  return any;
}

export interface TestAdbServer {
  port: number;
  env: NodeJS.ProcessEnv;
  adb(args: string[], opts?: { encoding?: 'buffer'; timeoutMs?: number }): Promise<{ stdout: string; stderr: string }>;
  adbBuffer(args: string[], timeoutMs?: number): Promise<Buffer>;
  kill(): Promise<void>;
}

export async function startAdbServer(attempt = 1): Promise<TestAdbServer> {
  const port = await freePort();
  const env = { ...process.env, ANDROID_ADB_SERVER_PORT: String(port) };
  const adb = async (args: string[], opts: { timeoutMs?: number } = {}): Promise<{ stdout: string; stderr: string }> => {
    const { stdout, stderr } = await run('adb', args, { env, timeout: opts.timeoutMs ?? 20_000, maxBuffer: 256 * 1024 * 1024 });
    return { stdout: String(stdout), stderr: String(stderr) };
  };
  const adbBuffer = async (args: string[], timeoutMs = 20_000): Promise<Buffer> => {
    const { stdout } = await run('adb', args, { env, timeout: timeoutMs, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  };
  try {
    await adb(['start-server']);
  } catch (err) {
    // Another test's server took the port between the check and adb's bind: another port, a few times.
    if (attempt < 4 && /protocol fault|cannot bind|Address already in use/i.test(String((err as { stderr?: unknown }).stderr ?? err))) return startAdbServer(attempt + 1);
    throw err;
  }
  return {
    port,
    env,
    adb,
    adbBuffer,
    kill: async () => {
      spawnSync('adb', ['kill-server'], { env, timeout: 10_000 });
    },
  };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 5000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
