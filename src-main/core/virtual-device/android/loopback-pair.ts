/**
 * Two connected in-memory TCP ends on the phone's loopback (what `connect()` to 127.0.0.1 gives an app and the
 * listener it reached). Each end is a Duplex with a socket's face (addresses, setNoDelay/setKeepAlive/setTimeout)
 * so Node's http/tls clients accept it. Backpressure is real: a write waits until the peer's reader asks for
 * more, so a slow reader stalls its writer instead of growing memory. end() sends a FIN (the peer reads EOF
 * after every byte sent before it, then ends too, as net.Socket does without allowHalfOpen); destroy() is a
 * close: the peer reads EOF, and a write still waiting towards the closed end fails with ECONNRESET.
 */
import { Duplex } from 'node:stream';

export interface EndpointAddress {
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
}

export class LoopbackEnd extends Duplex {
  peer: LoopbackEnd | null = null;
  /** A write the peer could not take yet: its callback runs when the peer reads again. */
  private blocked: ((error?: Error) => void) | null = null;
  private idleMs = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  readonly connecting = false;

  constructor(private local: EndpointAddress, private remote: EndpointAddress) {
    super({ allowHalfOpen: false });
    this.on('end', () => this.touch());
  }

  get localAddress(): string { return this.local.address; }
  get localPort(): number { return this.local.port; }
  get remoteAddress(): string { return this.remote.address; }
  get remotePort(): number { return this.remote.port; }
  get remoteFamily(): string { return this.remote.family; }
  address(): EndpointAddress { return { ...this.local }; }

  setNoDelay(): this { return this; }
  setKeepAlive(): this { return this; }
  ref(): this { return this; }
  unref(): this { return this; }

  /** Idle timeout as net.Socket has it: emits 'timeout' after `ms` without bytes either way (0 turns it off). */
  setTimeout(ms: number, onTimeout?: () => void): this {
    this.idleMs = ms;
    if (onTimeout) this.once('timeout', onTimeout);
    this.touch();
    return this;
  }

  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.idleMs > 0 && !this.destroyed) {
      this.idleTimer = setTimeout(() => this.emit('timeout'), this.idleMs);
      this.idleTimer.unref();
    }
  }

  override _read(): void {
    const release = this.peer?.blocked;
    if (release && this.peer) {
      this.peer.blocked = null;
      release();
    }
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    if (!peer || peer.destroyed || peer.readableEnded) {
      callback(resetError());
      return;
    }
    this.touch();
    peer.touch();
    if (peer.push(chunk)) callback();
    else this.blocked = callback;
  }

  override _final(callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    if (peer && !peer.destroyed) peer.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const mine = this.blocked;
    this.blocked = null;
    mine?.(resetError());
    const peer = this.peer;
    this.peer = null;
    if (peer) {
      peer.peer = null;
      const theirs = peer.blocked;
      peer.blocked = null;
      theirs?.(resetError());
      if (!peer.destroyed && !peer.readableEnded) peer.push(null);
    }
    callback(error);
  }
}

function resetError(): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error('read ECONNRESET');
  e.code = 'ECONNRESET';
  e.errno = -104;
  e.syscall = 'read';
  return e;
}

/** A connected pair: `[client, server]`, client at `from`, server at `to`. */
export function loopbackPair(from: EndpointAddress, to: EndpointAddress): [LoopbackEnd, LoopbackEnd] {
  const client = new LoopbackEnd(from, to);
  const server = new LoopbackEnd(to, from);
  client.peer = server;
  server.peer = client;
  return [client, server];
}
