/**
 * `apprights serve` as a user starts it (the built CLI in its own process, so a test measures the workbench's
 * event loop, not its own), with a WebSocket client of its API and uploads as the browser sends them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { connectApi, type ApiClient } from './ws-client.js';

const CLI = join(__dirname, '..', '..', 'bin', 'apprights.cjs');

export interface ServedWorkbench {
  url: string;
  api: ApiClient;
  /** Stages a file as the browser's upload does; its fileId. */
  upload(name: string, bytes: Buffer): Promise<string>;
  stop(): Promise<void>;
}

export async function startServe(args: string[], env: NodeJS.ProcessEnv): Promise<ServedWorkbench> {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'serve', ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no URL: ${seen}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString();
      const m = /Open \/ 打开: (http:\/\/\S+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${seen}`)));
  });
  const api = await connectApi(url);
  const u = new URL(url);
  return {
    url,
    api,
    upload: async (name, bytes) => {
      const res = await fetch(`${u.origin}/upload?name=${encodeURIComponent(name)}&token=${u.searchParams.get('token')}`, { method: 'POST', body: new Uint8Array(bytes) });
      const outcome = await res.json() as { ok: boolean; value?: { fileId: string }; error?: unknown };
      if (!outcome.ok) throw new Error(`upload refused: ${JSON.stringify(outcome.error)}`);
      return outcome.value!.fileId;
    },
    stop: async () => {
      api.close();
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
