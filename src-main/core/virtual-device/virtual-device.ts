/**
 * The virtual phone: a TCP listener that speaks the ADB device protocol (so `adb connect 127.0.0.1:PORT`
 * and adbkit treat it as a phone), serving shell:/exec:/sync:/reboot:/reverse: over the simulated Android system,
 * with a scenario playing its apps. Everything else is refused with CLSE, as adbd does.
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { DeviceConnection } from './protocol/connection.js';
import type { DeviceStream } from './protocol/device-stream.js';
import { AndroidSystem } from './android/android-system.js';
import { RealClock, type Clock } from './android/clock.js';
import { ShellInterpreter, type CommandFn, type Output } from './shell/interpreter.js';
import { basicCommands } from './commands/basic-commands.js';
import { packageCommands } from './commands/package-commands.js';
import { logcatCommand } from './commands/logcat-command.js';
import { identityCommands } from './commands/identity-commands.js';
import { screenrecordCommand } from './commands/screenrecord-command.js';
import { serveSync } from './services/sync-service.js';
import { ReverseForwards } from './services/reverse-service.js';
import { ScenarioPlayer } from './scenario/scenario-player.js';
import { PhoneNoise } from './android/phone-noise.js';
import type { Scenario } from './scenario/schema.js';
import { VirtualInternet } from './internet/virtual-internet.js';
import { requestHosts } from './scenario/app-requests.js';
import { WorkbenchError } from '../errors.js';
import { romProfile } from './rom/rom-profiles.js';
import { DEFAULT_ROM_PROFILE } from './rom/rom-profile.js';

export interface VirtualDeviceOptions {
  scenario: Scenario;
  /** How the phone names itself and prints what happens (rom/): `virtual` (the scenario's device), aosp14, miui, emui, coloros. */
  profile?: string;
  /** 0 (default) picks a free ephemeral port, which is never in the emulator range 5555-5585. */
  port?: number;
  host?: string;
  requireAuth?: boolean;
  clock?: Clock;
  rebootDelayMs?: number;
  /** Overrides the ROM profile: false makes `cat /proc/net/tcp{,6}` answer Permission denied, as a stricter SELinux policy would. */
  shellReadsProcNet?: boolean;
  /** Shell commands that misbehave as a hostile or broken phone's do (e.g. a logcat that never sends a newline). */
  commandOverrides?: Record<string, CommandFn>;
  /**
   * The internet the phone's apps reach: a VirtualInternet shared with the test or the workbench (the scenario's
   * hostnames are added to it; started if it is not yet, stopped by its owner); null: the phone has no route out. By default the phone starts its own
   * when its scenario sends requests, and stops it with itself.
   */
  internet?: VirtualInternet | null;
}

function streamOutput(stream: DeviceStream): Output {
  const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
  return {
    write: (d) => stream.write(d),
    waitForDrain: () => stream.waitForDrain(),
    whenClosed: () => closed,
    get closed() {
      return stream.closed;
    },
  };
}

export class VirtualDevice extends EventEmitter<{ rebooting: []; booted: []; stopped: [] }> {
  system: AndroidSystem;
  player: ScenarioPlayer;
  readonly clock: Clock;
  /** `adb reverse` listeners on the phone's loopback. */
  readonly reverse: ReverseForwards;
  private noise: PhoneNoise | null;
  private server: Server | null = null;
  private connections = new Set<DeviceConnection>();
  private sockets = new Set<Socket>();
  private boundPort = 0;
  private stopped = false;
  private ownInternet: VirtualInternet | null = null;
  private attachedInternet: VirtualInternet | null = null;
  /** How many services hosts opened (shell, sync...): what a client costs the phone. */
  servicesOpened = 0;

  constructor(private options: VirtualDeviceOptions) {
    super();
    this.clock = options.clock ?? new RealClock();
    this.system = new AndroidSystem(options.scenario.device, this.clock, romProfile(options.profile ?? DEFAULT_ROM_PROFILE));
    if (options.shellReadsProcNet !== undefined) this.system.shellReadsProcNet = options.shellReadsProcNet;
    this.reverse = new ReverseForwards(this.system.network);
    this.player = new ScenarioPlayer(this.system, options.scenario, () => (this.attachedInternet ? [this.attachedInternet.caPem] : []), (ms) => void this.unplug(ms).catch(() => undefined));
    this.player.install();
    this.noise = options.scenario.device.noise ? new PhoneNoise(this.system) : null;
    this.noise?.start();
  }

  get port(): number {
    return this.boundPort;
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  /** The serial the adb server gives this device after `adb connect`. */
  get serial(): string {
    return `${this.host}:${this.boundPort}`;
  }

  get scenario(): Scenario {
    return this.options.scenario;
  }

  /** The ROM profile the phone wears. */
  get profile(): string {
    return this.system.profile.id;
  }

  /** The virtual internet the phone's apps reach (null: none); its `connector` is what a workbench proxy needs upstream. */
  get internet(): VirtualInternet | null {
    return this.attachedInternet;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.attachInternet();
    try {
      await this.listen(this.options.port ?? 0);
    } catch (err) {
      await this.ownInternet?.stop();
      throw err;
    }
  }

  private async attachInternet(): Promise<void> {
    const hosts = requestHosts(this.options.scenario.apps);
    let internet = this.options.internet;
    if (internet === undefined) {
      if (!hosts.length) return;
      internet = this.ownInternet = new VirtualInternet();
      await internet.start();
    }
    if (!internet) return;
    // A shared internet not started yet is started (it stays its owner's to stop): a CA-less one would fail every call.
    await internet.start();
    for (const h of hosts) internet.addHost(h);
    this.attachedInternet = internet;
    const net = this.system.network;
    const resolveAny = net.resolve;
    net.upstream = internet.connector;
    // The phone's DNS knows the virtual internet's names only; /proc/net shows each at a stable made-up address.
    net.resolve = (host) => (internet.resolves(host) ? resolveAny(host) : null);
  }

  private listen(port: number): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(err.code === 'EADDRINUSE'
          ? new WorkbenchError('virtual-device.port-in-use', `Port ${port} is in use`, { port })
          : err);
      });
      server.listen(port, this.host, () => {
        const addr = server.address();
        this.boundPort = typeof addr === 'object' && addr ? addr.port : port;
        if (this.boundPort >= 5555 && this.boundPort <= 5585) {
          server.close();
          reject(new WorkbenchError('virtual-device.port-in-use', 'Ports 5555-5585 are probed by adb as emulators; choose another', { port: this.boundPort }));
          return;
        }
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.player.stop();
    this.noise?.stop();
    await this.closeAll();
    await this.ownInternet?.stop();
    this.ownInternet = null;
    this.attachedInternet = null;
    this.emit('stopped');
  }

  /** Drops every connection, stays away for a moment, comes back and delivers BOOT_COMPLETED. */
  async reboot(): Promise<void> {
    this.emit('rebooting');
    const port = this.boundPort;
    await this.closeAll();
    for (const p of [...this.system.am.processes.values()]) if (p.pid > 4000) this.system.am.kill(p.packageName, 'died');
    // The proxy is read back from the settings as a boot does; open sockets die with their processes, and
    // adbd starts without reverse listeners.
    this.reverse.clear();
    this.system.network.reboot();
    await new Promise((r) => setTimeout(r, this.options.rebootDelayMs ?? 1500));
    await this.listen(port);
    this.noise?.boot();
    this.system.emit('signal', { type: 'boot' });
    this.emit('booted');
  }

  /** The cable is pulled for `ms` and plugged back: connections drop, the phone keeps running and logging. */
  async unplug(ms: number): Promise<void> {
    const port = this.boundPort;
    await this.closeAll();
    await new Promise((r) => setTimeout(r, ms));
    // A phone stopped while it was away stays stopped.
    if (this.stopped) return;
    await this.listen(port);
  }

  private async closeAll(): Promise<void> {
    for (const c of this.connections) c.close();
    for (const s of this.sockets) s.destroy();
    this.connections.clear();
    this.sockets.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    // A lone log line must go out now, not wait for the previous packet's acknowledgement (Nagle).
    socket.setNoDelay(true);
    const sys = this.system;
    const d = sys.identity;
    const connection: DeviceConnection = new DeviceConnection(socket, {
      banner: () => `device::ro.product.name=${d.device};ro.product.model=${d.model};ro.product.device=${d.device};features=`,
      requireAuth: this.options.requireAuth ?? false,
      openService: (service, from) => this.service(service, from),
      onTransportEnd: () => this.reverse.transportEnded(connection),
    });
    this.connections.add(connection);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.connections.delete(connection);
    });
  }

  private service(service: string, connection: DeviceConnection): ((stream: DeviceStream) => void) | null {
    this.servicesOpened++;
    const reverse = this.reverse.handler(service, connection);
    if (reverse) return reverse;
    const shellPrefix = ['shell:', 'exec:'].find((p) => service.startsWith(p));
    if (shellPrefix) {
      const line = service.slice(shellPrefix.length);
      return (stream) => (line ? this.runShell(line, stream) : this.interactiveShell(stream));
    }
    if (service === 'sync:') return (stream) => serveSync(stream, this.system.fs);
    if (service === 'reboot:' || service.startsWith('reboot:')) {
      return (stream) => {
        stream.end();
        setTimeout(() => void this.reboot(), 50);
      };
    }
    return null;
  }

  /** The phone's command table, built once; each shell session gets its own interpreter (its own env). */
  private commands: Record<string, CommandFn> | null = null;

  private shell(): ShellInterpreter {
    const sys = this.system;
    if (!this.commands) {
      this.commands = { ...basicCommands(sys), ...packageCommands(sys), ...identityCommands(sys), logcat: logcatCommand(sys), screenrecord: screenrecordCommand(sys), reboot: async () => {
        setTimeout(() => void this.reboot(), 50);
        return 0;
      }, ...this.options.commandOverrides };
      sys.shellCommands = this.commands;
    }
    return new ShellInterpreter({
      commands: this.commands,
      readFile: (p) => sys.fs.readFile(p),
      writeFile: (p, data, append) => sys.fs.writeFile(p, data, 0o644, append),
    });
  }

  private runShell(line: string, stream: DeviceStream): void {
    const out = streamOutput(stream);
    void this.shell().run(line, out).finally(() => stream.end());
  }

  /** `adb shell` with no command: a line-based shell with a prompt, enough for the workbench's terminal. */
  private interactiveShell(stream: DeviceStream): void {
    const out = streamOutput(stream);
    const shell = this.shell();
    const prompt = `${this.system.identity.device}:/ $ `;
    let pending = '';
    let running = Promise.resolve();
    stream.write(prompt);
    stream.on('data', (data: Buffer) => {
      pending += data.toString('utf8').replace(/\r/g, '\n');
      if (pending.length > 64 * 1024) pending = pending.slice(-64 * 1024);
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        running = running.then(async () => {
          if (line === 'exit') return stream.end();
          if (line) await shell.run(line, out);
          stream.write(prompt);
        });
      }
    });
  }
}
