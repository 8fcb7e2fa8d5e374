/**
 * The upstream connections a client's plain HTTP requests travel on. Each client connection gets its own
 * keep-alive pool (an http.Agent whose sockets come from the session's connector), so an upstream connection
 * is one flow: opened when it connects, closed with the bytes the upstream server saw, and never shared
 * between two phone sockets (attribution stays exact). The pool dies with the client connection.
 */
import { Agent, type ClientRequest, type ClientRequestArgs } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ClientConnection, ProxyContext } from './context.js';
import { meter } from './meter.js';
import { whenConnected } from './upstream.js';

const flowOfStream = new WeakMap<Duplex, string>();

/** The flow an upstream stream of this pool carries. */
export function flowOf(s: Duplex | null | undefined): string | null {
  return (s && flowOfStream.get(s)) ?? null;
}

export class FlowPool extends Agent {
  constructor(
    private readonly ctx: ProxyContext,
    private readonly conn: ClientConnection,
  ) {
    super({ keepAlive: true, scheduling: 'lifo' });
  }

  override createConnection(options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    const host = String(options.host);
    const port = Number(options.port);
    const done = callback ?? (() => {});
    whenConnected(this.ctx.upstream, host, port, this.ctx.limits.handshakeTimeoutMs).then(
      (stream) => done(null, this.open(stream, host, port)),
      (err: Error) => done(err, undefined as never),
    );
    return undefined;
  }

  private open(stream: Duplex, host: string, port: number): Duplex {
    const { ctx, conn } = this;
    const flowId = ctx.newFlowId();
    const openedAt = Date.now();
    const bytes = meter(stream);
    let error: string | null = null;
    flowOfStream.set(stream, flowId);
    ctx.hold(stream);
    stream.on('error', (err: NodeJS.ErrnoException) => (error ??= err.code ?? err.message));
    stream.once('close', () => {
      const b = bytes();
      ctx.observer.closed({ flowId, bytesUp: b.written, bytesDown: b.read, durationMs: Date.now() - openedAt, error });
    });
    ctx.observer.opened({ flowId, via: 'http', host, port, sni: null, tls: false, intercepted: false, clientAddress: conn.address, clientPort: conn.port, openedAt });
    return stream;
  }

  // Node's defaults call net.Socket methods (setKeepAlive, unref, ref); a connector may return any Duplex.
  override keepSocketAlive(socket: Duplex): boolean {
    return socket instanceof Socket ? (super.keepSocketAlive(socket) as unknown as boolean) : true;
  }

  override reuseSocket(socket: Duplex, req: ClientRequest): void {
    if (socket instanceof Socket) super.reuseSocket(socket, req);
    else req.reusedSocket = true;
  }
}
