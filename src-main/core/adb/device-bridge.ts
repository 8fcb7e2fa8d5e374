/**
 * Our interface to the adb server, and its implementation over @devicefarmer/adbkit. The rest of the
 * workbench only sees DeviceBridge, so adbkit can be replaced. Every call has a timeout; adbkit's known
 * defects (shifted fields in listDevicesWithPaths, silent track-devices on TCP loss) are avoided here.
 */
import { execFile } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { createRequire } from 'node:module';
import type AdbModule from '@devicefarmer/adbkit';
import { WorkbenchError } from '../errors.js';
import { cleanProperties } from './terminal-text.js';

/** adbkit, loaded when the first bridge is made: commands that never talk to adb do not pay its ~80 ms load. */
let adbkit: typeof AdbModule | undefined;
function loadAdbkit(): typeof AdbModule {
  adbkit ??= (createRequire(import.meta.url)('@devicefarmer/adbkit') as { default: typeof AdbModule }).default;
  return adbkit;
}

export interface RawDevice {
  serial: string;
  type: string;
}

export interface DeviceBridge {
  listDevices(): Promise<RawDevice[]>;
  properties(serial: string): Promise<Record<string, string>>;
  shell(serial: string, command: string, timeoutMs?: number): Promise<string>;
  /** Raw bytes of a shell command (screencap), capped at maxBytes. */
  shellBytes(serial: string, command: string, timeoutMs?: number, maxBytes?: number): Promise<Buffer>;
  /** A long-running shell command's output stream (logcat); the caller ends it. */
  shellStream(serial: string, command: string): Promise<Duplex>;
  /** sync: push of a local file with progress; rejects with a clear error if the device goes away. */
  push(serial: string, localPath: string, remotePath: string, onProgress: (bytes: number) => void): Promise<void>;
  connect(host: string, port: number): Promise<string>;
  disconnect(host: string, port: number): Promise<void>;
  /** Calls back on every change track-devices reports; returns a stop function. */
  track(onChange: () => void, onEnd: (err?: Error) => void): Promise<() => void>;
  startServer(): Promise<void>;
}

function withTimeout<T>(what: string, p: PromiseLike<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new WorkbenchError('adb.timeout', `${what} did not answer within ${ms} ms`, { what, ms })), ms);
    Promise.resolve(p).then(
      (v) => { clearTimeout(timer); resolve(v); },
      (e: unknown) => { clearTimeout(timer); reject(e); },
    );
  });
}

function adbError(what: string, err: unknown): WorkbenchError {
  if (err instanceof WorkbenchError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/ECONNREFUSED|ECONNRESET|EPIPE/.test(message)) {
    return new WorkbenchError('adb.server-unavailable', `The adb server is not running (${what}: ${message})`, { what });
  }
  return new WorkbenchError('adb.command-failed', `${what}: ${message}`, { what, message });
}

export class AdbkitBridge implements DeviceBridge {
  private client: ReturnType<typeof AdbModule.createClient>;

  constructor(private adbPath: string, private serverPort: number) {
    this.client = loadAdbkit().createClient({ host: '127.0.0.1', port: serverPort, bin: adbPath });
  }

  async listDevices(): Promise<RawDevice[]> {
    try {
      const list = await withTimeout<Array<{ id: string; type: string }>>('host:devices', this.client.listDevices(), 5000);
      return list.map((d) => ({ serial: d.id, type: String(d.type) }));
    } catch (err) {
      throw adbError('list devices', err);
    }
  }

  async properties(serial: string): Promise<Record<string, string>> {
    try {
      // Device text enters here: the model and every other property are cleaned once, for every consumer.
      return cleanProperties(await withTimeout<Record<string, string>>(`getprop on ${serial}`, this.client.getDevice(serial).getProperties(), 5000));
    } catch (err) {
      throw adbError(`getprop on ${serial}`, err);
    }
  }

  async shell(serial: string, command: string, timeoutMs = 10_000): Promise<string> {
    return (await this.shellBytes(serial, command, timeoutMs)).toString('utf8');
  }

  async shellBytes(serial: string, command: string, timeoutMs = 10_000, maxBytes = 64 * 1024 * 1024): Promise<Buffer> {
    const what = `shell on ${serial}`;
    try {
      const stream = await withTimeout<Duplex>(what, this.client.getDevice(serial).shell(command), timeoutMs);
      return await withTimeout<Buffer>(what, new Promise<Buffer>((resolve, reject) => {
        const parts: Buffer[] = [];
        let size = 0;
        stream.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            stream.destroy();
            reject(new WorkbenchError('adb.command-failed', `${what}: output larger than ${maxBytes} bytes`, { what }));
          } else parts.push(c);
        });
        stream.on('end', () => resolve(Buffer.concat(parts, size)));
        stream.on('error', reject);
      }), timeoutMs).finally(() => stream.destroy());
    } catch (err) {
      throw adbError(what, err);
    }
  }

  async shellStream(serial: string, command: string): Promise<Duplex> {
    try {
      return await withTimeout<Duplex>(`shell on ${serial}`, this.client.getDevice(serial).shell(command), 10_000);
    } catch (err) {
      throw adbError(`shell on ${serial}`, err);
    }
  }

  async push(serial: string, localPath: string, remotePath: string, onProgress: (bytes: number) => void): Promise<void> {
    const what = `push to ${serial}`;
    try {
      const transfer = await withTimeout<EventEmitter & { cancel(): void }>(what, this.client.getDevice(serial).push(localPath, remotePath, 0o644), 10_000);
      await new Promise<void>((resolve, reject) => {
        // A stalled transfer (phone unplugged, adb wedged) must not hang the UI: 15 s without progress fails it.
        let idle = setTimeout(() => fail(new WorkbenchError('adb.timeout', `${what}: no progress for 15 s`, { what, ms: 15_000 })), 15_000);
        const fail = (err: unknown): void => {
          clearTimeout(idle);
          transfer.cancel();
          reject(err);
        };
        transfer.on('progress', (stats: { bytesTransferred: number }) => {
          clearTimeout(idle);
          idle = setTimeout(() => fail(new WorkbenchError('adb.timeout', `${what}: no progress for 15 s`, { what, ms: 15_000 })), 15_000);
          onProgress(stats.bytesTransferred);
        });
        transfer.on('end', () => {
          clearTimeout(idle);
          resolve();
        });
        transfer.on('error', fail);
      });
    } catch (err) {
      throw adbError(what, err);
    }
  }

  async connect(host: string, port: number): Promise<string> {
    try {
      return await withTimeout<string>(`connect ${host}:${port}`, this.client.connect(host, port), 15_000);
    } catch (err) {
      const e = adbError(`connect ${host}:${port}`, err);
      throw e.code === 'adb.command-failed' ? new WorkbenchError('adb.connect-failed', e.message, { address: `${host}:${port}` }) : e;
    }
  }

  async disconnect(host: string, port: number): Promise<void> {
    try {
      await withTimeout(`disconnect ${host}:${port}`, this.client.disconnect(host, port), 5000);
    } catch (err) {
      throw adbError(`disconnect ${host}:${port}`, err);
    }
  }

  async track(onChange: () => void, onEnd: (err?: Error) => void): Promise<() => void> {
    const tracker = await withTimeout<EventEmitter & { end(): unknown }>('track-devices', this.client.trackDevices(), 5000);
    tracker.on('changeSet', () => onChange());
    tracker.on('error', (err: Error) => onEnd(err));
    tracker.on('end', () => onEnd());
    return () => {
      tracker.end();
    };
  }

  /** `adb start-server` on our port, without a shell (arguments as an array). */
  startServer(): Promise<void> {
    return new Promise((resolve, reject) => {
      execFile(this.adbPath, ['-P', String(this.serverPort), 'start-server'], { timeout: 20_000, windowsHide: true }, (err, _out, stderr) => {
        if (err) reject(new WorkbenchError('adb.server-unavailable', `adb start-server failed: ${String(stderr || err.message).trim()}`, { adbPath: this.adbPath }));
        else resolve();
      });
    });
  }
}
