/**
 * `adb reverse`, device side, as adbd does it (adb.cpp handle_forward_request, adb_listeners.cpp, sockets.cpp
 * connect_to_remote): `reverse:forward:[norebind:]LOCAL;REMOTE`, `reverse:killforward:LOCAL`,
 * `reverse:killforward-all`, `reverse:list-forward`. A listener binds the phone's loopback (IPv4, as adbd's
 * network_loopback_server prefers) and belongs to the transport that asked for it: when that transport ends
 * its listeners go. Each connection an app makes to it becomes a stream the device OPENs to the host with the
 * REMOTE spec (`tcp:L`), the adb server connecting it to its own port L; bytes flow both ways under ADB flow
 * control (the app's bytes wait for the host's OKAY; the host's wait until the app read them).
 */
import type { Duplex } from 'node:stream';
import type { DeviceConnection } from '../protocol/connection.js';
import type { DeviceStream } from '../protocol/device-stream.js';
import { PhoneNetError, type PhoneNetwork } from '../android/phone-network.js';

interface ReverseListener {
  localName: string;
  connectTo: string;
  connection: DeviceConnection;
  /** adbd's transport serial: `host-N` for a TCP transport (transport_local.cpp). */
  serial: string;
  close: () => void;
}

const MAX_LISTENERS = 64;
const MAX_SPEC = 256;

/** adb's protocol string: four hex digits of length, then the bytes. */
function protocolString(s: string): string {
  const bytes = Buffer.byteLength(s, 'utf8');
  return bytes.toString(16).padStart(4, '0') + s;
}

function fail(stream: DeviceStream, message: string): void {
  stream.end(`FAIL${protocolString(message)}`);
}

export class ReverseForwards {
  private listeners: ReverseListener[] = [];
  private serials = new WeakMap<DeviceConnection, string>();
  private nextSerial = 19;
  /** Streams opened towards the host for app connections, and bytes carried (what a test or the UI can show). */
  readonly stats = { opened: 0, refused: 0, bytesToHost: 0, bytesToPhone: 0 };

  constructor(private network: PhoneNetwork) {}

  /** `adb reverse --list` lines. */
  list(): string[] {
    return this.listeners.map((l) => `${l.serial} ${l.localName} ${l.connectTo}`);
  }

  /** The handler for a `reverse:` service, or null if `service` is not one. */
  handler(service: string, connection: DeviceConnection): ((stream: DeviceStream) => void) | null {
    if (!service.startsWith('reverse:')) return null;
    const command = service.slice('reverse:'.length);
    return (stream) => this.serve(command, connection, stream);
  }

  /** A transport went away: its listeners go with it (adb_listeners.cpp listener_disconnect). */
  transportEnded(connection: DeviceConnection): void {
    for (const l of this.listeners.filter((x) => x.connection === connection)) this.remove(l);
  }

  /** Every listener goes (a reboot restarts adbd). */
  clear(): void {
    for (const l of [...this.listeners]) this.remove(l);
  }

  private serve(command: string, connection: DeviceConnection, stream: DeviceStream): void {
    if (command === 'list-forward') {
      stream.end(protocolString(this.list().map((l) => `${l}\n`).join('')));
      return;
    }
    if (command === 'killforward-all') {
      this.clear();
      stream.end('OKAY');
      return;
    }
    const kill = command.startsWith('killforward:');
    if (!kill && !command.startsWith('forward:')) {
      fail(stream, 'not a reverse forwarding command');
      return;
    }
    let spec = command.slice(kill ? 'killforward:'.length : 'forward:'.length);
    const noRebind = !kill && spec.startsWith('norebind:');
    if (noRebind) spec = spec.slice('norebind:'.length);
    const pieces = spec.split(';');
    if (kill) {
      if (pieces.length !== 1 || !pieces[0]) return fail(stream, `bad killforward: ${spec}`);
      const l = this.listeners.find((x) => x.localName === pieces[0]);
      if (!l) return fail(stream, `listener '${spec}' not found`);
      this.remove(l);
      stream.end('OKAY');
      return;
    }
    if (pieces.length !== 2 || !pieces[0] || !pieces[1] || pieces[1].startsWith('*') || spec.length > MAX_SPEC) {
      return fail(stream, `bad forward: ${spec}`);
    }
    const [localName, connectTo] = pieces as [string, string];
    const existing = this.listeners.find((x) => x.localName === localName);
    if (existing) {
      if (noRebind) return fail(stream, 'cannot rebind existing socket');
      existing.connectTo = connectTo;
      existing.connection = connection;
      existing.serial = this.serialOf(connection);
      stream.end('OKAY');
      return;
    }
    const m = /^tcp:(\d{1,5})$/.exec(localName);
    if (!m) return fail(stream, `cannot bind listener: unknown socket specification '${localName}'`);
    let port = Number(m[1]);
    if (port > 65535) return fail(stream, `cannot bind listener: invalid port '${m[1]}'`);
    if (this.listeners.length >= MAX_LISTENERS) return fail(stream, 'cannot bind listener: Too many open files');
    const resolved = port === 0;
    if (resolved) port = this.freePort();
    const listener: ReverseListener = { localName: `tcp:${port}`, connectTo, connection, serial: this.serialOf(connection), close: () => {} };
    try {
      listener.close = this.network.listen(port, (socket) => this.accept(listener, socket));
    } catch (err) {
      const reason = err instanceof PhoneNetError && err.code === 'EADDRINUSE' ? 'Address already in use' : String(err);
      return fail(stream, `cannot bind listener: ${reason}`);
    }
    this.listeners.push(listener);
    // With tcp:0 the device sends the port it chose after OKAY, and `adb reverse` prints it.
    stream.end(resolved ? `OKAY${protocolString(String(port))}` : 'OKAY');
  }

  private serialOf(connection: DeviceConnection): string {
    let s = this.serials.get(connection);
    if (!s) {
      s = `host-${this.nextSerial++}`;
      this.serials.set(connection, s);
    }
    return s;
  }

  private freePort(): number {
    for (let i = 0; i < 1000; i++) {
      const port = 40000 + Math.floor(Math.random() * 20000);
      if (!this.network.listening(port)) return port;
    }
    return 0;
  }

  private remove(l: ReverseListener): void {
    const i = this.listeners.indexOf(l);
    if (i >= 0) this.listeners.splice(i, 1);
    l.close();
  }

  /** An app reached the listener: adbd accepts, then OPENs the remote spec to the host and joins the two. */
  private accept(l: ReverseListener, socket: Duplex): void {
    const stream = l.connection.openStream(l.connectTo);
    if (!stream) {
      this.stats.refused++;
      socket.destroy();
      return;
    }
    this.stats.opened++;
    stream.holdAcks = true;
    let accepted = false;
    stream.once('accepted', () => {
      accepted = true;
      socket.resume();
    });
    // Until the host accepts, the app's bytes stay in its socket.
    socket.pause();
    socket.on('data', (chunk: Buffer) => {
      this.stats.bytesToHost += chunk.length;
      if (!stream.write(chunk)) {
        socket.pause();
        void stream.waitForDrain().then(() => {
          if (!stream.closed) socket.resume();
        });
      }
    });
    socket.on('end', () => stream.end());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (!stream.closed) stream.end();
    });
    stream.on('data', (data: Buffer) => {
      this.stats.bytesToPhone += data.length;
      if (socket.destroyed || socket.writableEnded) return;
      // The host's next WRTE waits until the app took this one.
      if (socket.write(data)) stream.ack();
      else socket.once('drain', () => stream.ack());
    });
    stream.on('close', () => {
      if (!accepted) this.stats.refused++;
      // The host closed (or refused): the app reads EOF after what already arrived, as after adbd's close(fd).
      if (!socket.destroyed) socket.end();
    });
  }
}
