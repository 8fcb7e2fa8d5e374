/**
 * Our interface to the adb server, and its implementation over @devicefarmer/adbkit. The rest of the
 * workbench only sees DeviceBridge, so adbkit can be replaced. Every call has a timeout and owns the
 * connections it opens (connection-scope.ts): they are closed when it answers, fails, times out or is
 * aborted, so no phone can make the workbench pile up connections on the adb server. adbkit's known defects
 * (shifted fields in listDevicesWithPaths, silent track-devices on TCP loss) are avoided here.
 */
import { execFile } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { createRequire } from 'node:module';
import type AdbModule from '@devicefarmer/adbkit';
import { WorkbenchError } from '../errors.js';
import { ownedCall, type AdbkitClient, type CallOptions, type ConnectionScope } from './connection-scope.js';
import { shellCommand } from './shell-quote.js';
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
  /** `signal`: the caller stopped caring (a watcher replaced); the call fails and its connection is closed. */
  listDevices(signal?: AbortSignal): Promise<RawDevice[]>;
  properties(serial: string, signal?: AbortSignal): Promise<Record<string, string>>;
  shell(serial: string, command: string, timeoutMs?: number): Promise<string>;
  /** Raw bytes of a shell command (screencap), capped at maxBytes. */
  shellBytes(serial: string, command: string, timeoutMs?: number, maxBytes?: number): Promise<Buffer>;
  /** A long-running shell command's output stream (logcat); the caller ends it. */
  shellStream(serial: string, command: string): Promise<Duplex>;
  /**
   * A command's raw stdout over adb's `exec:` service (what `adb exec-out` uses: no pty, no line-ending
   * translation, binary-safe — screenrecord's H.264), built from `argv` with the quoting helper; the caller ends it.
   */
  execStream(serial: string, argv: readonly string[]): Promise<Duplex>;
  /** sync: push of a local file with progress; rejects with a clear error if the device goes away. */
  push(serial: string, localPath: string, remotePath: string, onProgress: (bytes: number) => void): Promise<void>;
  connect(host: string, port: number): Promise<string>;
  disconnect(host: string, port: number): Promise<void>;
  /** Calls back on every change track-devices reports; returns a stop function that closes its connection. */
  track(onChange: () => void, onEnd: (err?: Error) => void, signal?: AbortSignal): Promise<() => void>;
  startServer(): Promise<void>;
  /** `adb reverse tcp:REMOTE tcp:LOCAL`: the phone's loopback port `remote` reaches the host's `local`. */
  reverse(serial: string, remote: number, local: number): Promise<void>;
  /** `adb reverse --remove tcp:REMOTE`; a reverse that is not there is no error. */
  reverseRemove(serial: string, remote: number): Promise<void>;
}

function assertPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new WorkbenchError('bridge.invalid-arguments', `Not a TCP port: ${port}`, { field: 'port', problem: 'not a port' });
}

/** A request to the adb server: its length as 4 hex digits, then the request. */
function encodeHostRequest(request: string): Buffer {
  const body = Buffer.from(request, 'utf8');
  return Buffer.concat([Buffer.from(body.length.toString(16).padStart(4, '0'), 'ascii'), body]);
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
  private client: AdbkitClient;
  private starting: Promise<void> | null = null;

  constructor(private adbPath: string, private serverPort: number) {
    this.client = loadAdbkit().createClient({ host: '127.0.0.1', port: serverPort, bin: adbPath });
  }

  /** One adbkit call on connections of its own, closed whatever happens (see connection-scope.ts). */
  private call<T>(o: CallOptions, run: (client: AdbkitClient, scope: ConnectionScope) => PromiseLike<T>): Promise<T> {
    return ownedCall(this.client, () => this.startServer(), o, run).catch((err: unknown) => {
      throw adbError(o.what, err);
    });
  }

  async listDevices(signal?: AbortSignal): Promise<RawDevice[]> {
    const list = await this.call<Array<{ id: string; type: string }>>({ what: 'list devices', timeoutMs: 5000, signal }, (c) => c.listDevices());
    return list.map((d) => ({ serial: d.id, type: String(d.type) }));
  }

  async properties(serial: string, signal?: AbortSignal): Promise<Record<string, string>> {
    // Device text enters here: the model and every other property are cleaned once, for every consumer.
    return cleanProperties(await this.call<Record<string, string>>({ what: `getprop on ${serial}`, timeoutMs: 5000, signal }, (c) => c.getDevice(serial).getProperties()));
  }

  async shell(serial: string, command: string, timeoutMs = 10_000): Promise<string> {
    return (await this.shellBytes(serial, command, timeoutMs)).toString('utf8');
  }

  shellBytes(serial: string, command: string, timeoutMs = 10_000, maxBytes = 64 * 1024 * 1024): Promise<Buffer> {
    const what = `shell on ${serial}`;
    return this.call({ what, timeoutMs }, async (c) => {
      const stream = await c.getDevice(serial).shell(command);
      return new Promise<Buffer>((resolve, reject) => {
        const parts: Buffer[] = [];
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) reject(new WorkbenchError('adb.command-failed', `${what}: output larger than ${maxBytes} bytes`, { what }));
          else parts.push(chunk);
        });
        stream.on('end', () => resolve(Buffer.concat(parts, size)));
        stream.on('error', reject);
      });
    });
  }

  shellStream(serial: string, command: string): Promise<Duplex> {
    return this.call<Duplex>({ what: `shell on ${serial}`, timeoutMs: 10_000, handOff: true }, (c) => c.getDevice(serial).shell(command));
  }

  /**
   * adbkit's shell() asks for `shell:` (a pty on older adbd turns \n into \r\n and eats bytes of a binary
   * stream), so `exec:` is asked for on the device's transport here, as adb's protocol has it: OKAY for the
   * transport, OKAY (or FAIL + reason) for the service, then the connection carries the command's bytes.
   */
  execStream(serial: string, argv: readonly string[]): Promise<Duplex> {
    const command = shellCommand(argv);
    const what = `exec ${argv[0] ?? ''} on ${serial}`;
    return this.call<Duplex>({ what, timeoutMs: 10_000, handOff: true }, async (c) => {
      const conn = await c.getDevice(serial).transport();
      conn.write(encodeHostRequest(`exec:${command}`));
      const reply = await conn.parser.readAscii(4);
      if (reply === 'FAIL') throw new WorkbenchError('adb.command-failed', `${what}: ${String(await conn.parser.readValue()).slice(0, 200)}`, { what });
      if (reply !== 'OKAY') throw new WorkbenchError('adb.command-failed', `${what}: unexpected ${reply}`, { what });
      return conn.parser.raw();
    });
  }

  push(serial: string, localPath: string, remotePath: string, onProgress: (bytes: number) => void): Promise<void> {
    const what = `push to ${serial}`;
    // No overall deadline (an APK may be large): a stalled transfer (phone unplugged, adb wedged) fails after
    // 15 s without progress instead, and its connection is closed with it.
    return this.call({ what }, async (c) => {
      const transfer = await c.getDevice(serial).push(localPath, remotePath, 0o644);
      await new Promise<void>((resolve, reject) => {
        const stalled = (): void => fail(new WorkbenchError('adb.timeout', `${what}: no progress for 15 s`, { what, ms: 15_000 }));
        let idle = setTimeout(stalled, 15_000);
        const fail = (err: unknown): void => {
          clearTimeout(idle);
          transfer.cancel();
          reject(err);
        };
        transfer.on('progress', (stats: { bytesTransferred: number }) => {
          clearTimeout(idle);
          idle = setTimeout(stalled, 15_000);
          onProgress(stats.bytesTransferred);
        });
        transfer.on('end', () => {
          clearTimeout(idle);
          resolve();
        });
        transfer.on('error', fail);
      });
    });
  }

  async connect(host: string, port: number): Promise<string> {
    try {
      return await this.call<string>({ what: `connect ${host}:${port}`, timeoutMs: 15_000 }, (c) => c.connect(host, port));
    } catch (err) {
      const e = err as WorkbenchError;
      throw e.code === 'adb.command-failed' ? new WorkbenchError('adb.connect-failed', e.message, { address: `${host}:${port}` }) : e;
    }
  }

  async disconnect(host: string, port: number): Promise<void> {
    await this.call({ what: `disconnect ${host}:${port}`, timeoutMs: 5000 }, (c) => c.disconnect(host, port));
  }

  async reverse(serial: string, remote: number, local: number): Promise<void> {
    assertPort(remote);
    assertPort(local);
    await this.call({ what: `reverse tcp:${remote} on ${serial}`, timeoutMs: 10_000 }, (c) => c.getDevice(serial).reverse(`tcp:${remote}`, `tcp:${local}`));
  }

  /**
   * The adb protocol's own `reverse:killforward:tcp:N` on the phone's transport (adbkit has no call for it):
   * OKAY for the transport, then OKAY or FAIL for the removal. adbd answers FAIL for a reverse it does not
   * hold ("listener 'tcp:N' not found"): the state wanted is reached, so that is no error.
   */
  async reverseRemove(serial: string, remote: number): Promise<void> {
    assertPort(remote);
    const what = `reverse --remove tcp:${remote} on ${serial}`;
    await this.call({ what, timeoutMs: 10_000 }, async (c) => {
      const conn = await c.getDevice(serial).transport();
      conn.write(encodeHostRequest(`reverse:killforward:tcp:${remote}`));
      const first = await conn.parser.readAscii(4);
      if (first === 'FAIL') throw new WorkbenchError('adb.command-failed', `${what}: ${String(await conn.parser.readValue())}`, { what });
      const second = await conn.parser.readAscii(4);
      if (second === 'OKAY') return;
      const reason = second === 'FAIL' ? String(await conn.parser.readValue()) : `unexpected ${second}`;
      if (/not found/i.test(reason)) return;
      throw new WorkbenchError('adb.command-failed', `${what}: ${reason.slice(0, 200)}`, { what });
    });
  }

  /** The tracker's connection is handed to the caller: the returned stop function (or the stream's end) closes it. */
  async track(onChange: () => void, onEnd: (err?: Error) => void, signal?: AbortSignal): Promise<() => void> {
    let scope: ConnectionScope | undefined;
    const tracker = await this.call<EventEmitter>({ what: 'track-devices', timeoutMs: 5000, signal, handOff: true }, (c, s) => {
      scope = s;
      return c.trackDevices();
    });
    let ended = false;
    const end = (err?: Error): void => {
      scope?.close();
      if (ended) return;
      ended = true;
      onEnd(err);
    };
    tracker.on('changeSet', () => onChange());
    tracker.on('error', (err: Error) => end(err));
    tracker.on('end', () => end());
    return () => {
      ended = true;
      scope?.close();
    };
  }

  /**
   * `adb start-server` on our port, without a shell (arguments as an array). Calls that overlap share one
   * process: a burst of refused connections or restarts starts adb once, not once each.
   */
  startServer(): Promise<void> {
    this.starting ??= new Promise<void>((resolve, reject) => {
      execFile(this.adbPath, ['-P', String(this.serverPort), 'start-server'], { timeout: 20_000, windowsHide: true }, (err, _out, stderr) => {
        if (err) reject(new WorkbenchError('adb.server-unavailable', `adb start-server failed: ${String(stderr || err.message).trim()}`, { adbPath: this.adbPath }));
        else resolve();
      });
    }).finally(() => {
      this.starting = null;
    });
    return this.starting;
  }
}
