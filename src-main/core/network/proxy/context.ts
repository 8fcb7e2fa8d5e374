/**
 * What every handler of the proxy shares: the limits, the connector, the observer (guarded so a throwing
 * observer cannot take a socket handler down), refusals, the interceptor, and the registry of every stream
 * the proxy holds, so `stop()` can close them all and wait for them.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Interceptor, ProxyLimits, ProxyObserver, ProxyRefusal, UpstreamConnector } from '../contracts.js';
import { RefusalReporter } from './refusals.js';

/** One socket the phone (or another client) opened to the proxy. */
export interface ClientConnection {
  socket: Socket;
  /** Without the IPv4-mapped prefix: `127.0.0.1`, `192.168.1.20`. */
  address: string;
  port: number;
  acceptedAt: number;
  /** Set until the first request head (or CONNECT) arrived. */
  handshakeTimer: NodeJS.Timeout | null;
  /** Closes the upstream connections this client's plain HTTP requests opened (http-forward.ts). */
  release: (() => void) | null;
}

export class ProxyContext {
  readonly observer: ProxyObserver;
  readonly refusals: RefusalReporter;
  /** Causes of TLS failures the interceptor reported, by flow, for the flow's `closed` event. */
  readonly tlsFailures = new Map<string, string>();
  private readonly streams = new Set<Duplex>();
  /** Handlers still running (a tunnel until its `closed` is reported); stop() waits for them. */
  private readonly running = new Set<Promise<void>>();
  /** Waits cut short at stop (settle()). */
  private readonly settling = new Set<() => void>();

  constructor(
    readonly limits: ProxyLimits,
    readonly upstream: UpstreamConnector,
    readonly intercept: (host: string, port: number) => boolean,
    observer: ProxyObserver,
    public interceptor: Interceptor | null,
  ) {
    this.observer = guarded(observer);
    this.refusals = new RefusalReporter((r) => this.observer.refused(r));
  }

  newFlowId(): string {
    return randomUUID();
  }

  /** `subject`: refusals of one reason and client fold together per second unless their subjects differ. */
  refuse(reason: ProxyRefusal['reason'], client: ClientConnection | string, detail: string, subject = ''): void {
    this.refusals.refuse({ reason, client: typeof client === 'string' ? client : client.address, detail }, subject);
  }

  /** Registers a stream the proxy holds; it leaves the registry when it closes. */
  hold(s: Duplex): void {
    if (s.closed) return;
    this.streams.add(s);
    s.once('close', () => this.streams.delete(s));
  }

  /** Runs a socket handler to its end: a failure closes `socket` and is printed, never thrown; stop() waits for it. */
  run(what: string, socket: Socket, task: Promise<void>): void {
    const tracked = task.catch((err: unknown) => {
      console.error(`proxy: ${what} failed:`, err);
      socket.destroy();
    });
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
  }

  /** Resolves after `ms`, or at once when the proxy stops. */
  settle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.settling.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.settling.add(done);
    });
  }

  /** At stop, after every socket is closed: ends the waits and lets every handler report its end. */
  async finishAll(): Promise<void> {
    for (const done of [...this.settling]) done();
    await Promise.all([...this.running]);
    this.tlsFailures.clear();
  }

  /** Destroys every stream held; resolves when all have closed. */
  async closeAll(): Promise<void> {
    const waits = [...this.streams].map((s) => new Promise<void>((resolve) => {
      if (s.closed) return resolve();
      s.once('close', () => resolve());
      s.destroy();
    }));
    await Promise.all(waits);
  }

  get openStreams(): number {
    return this.streams.size;
  }
}

/** The observer's calls never throw into a socket handler: a failure there is printed, the proxy keeps serving. */
function guarded(observer: ProxyObserver): ProxyObserver {
  const call = <T>(name: keyof ProxyObserver, f: (x: T) => void) => (x: T): void => {
    try {
      f.call(observer, x);
    } catch (err) {
      console.error(`proxy observer ${name} failed:`, err);
    }
  };
  return { opened: call('opened', observer.opened), closed: call('closed', observer.closed), exchange: call('exchange', observer.exchange), refused: call('refused', observer.refused) };
}
