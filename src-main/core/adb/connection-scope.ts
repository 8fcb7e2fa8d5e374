/**
 * Who owns a connection to the adb server. adbkit opens one per call and hands back only a promise, so a
 * timeout that abandons the promise left the socket — and the adb server's stream to the phone — open for
 * ever: a phone that never answered getprop leaked one per watcher timeout until Debian's adb server aborted
 * ("bit out of range 0 - FD_SETSIZE") and every phone disappeared. Here each call runs in a ConnectionScope:
 * a view of the adbkit client whose every connection the scope holds from the moment its socket exists, and
 * whose close() destroys them all (one still connecting included). `ownedCall` closes the scope on every path
 * — answer, error, timeout, abort — except when the call hands a live stream to its caller (logcat,
 * track-devices), who then owns it and ends it.
 *
 * Relies on adbkit 3.3.9 internals (pinned in package.json): `Client.connection()` is the one place
 * connections are made, and `Connection` is created here so that adbkit's own "start the server on a refused
 * connection" (one `adb start-server` process per call while the server is down) is replaced by the bridge's
 * single shared start.
 */
import { createRequire } from 'node:module';
import type AdbModule from '@devicefarmer/adbkit';
import type Connection from '@devicefarmer/adbkit/dist/src/adb/connection';
import { WorkbenchError } from '../errors.js';

export type AdbkitClient = ReturnType<typeof AdbModule.createClient>;
type ConnectionClass = typeof Connection;

let connectionClass: ConnectionClass | undefined;
function loadConnection(): ConnectionClass {
  connectionClass ??= (createRequire(import.meta.url)('@devicefarmer/adbkit/dist/src/adb/connection') as { default: ConnectionClass }).default;
  return connectionClass;
}

/** Why a scope's sockets were destroyed; adbkit's pending reads reject with it and are then ignored. */
class ClosedByOwner extends Error {
  constructor() {
    super('connection closed by its owner');
  }
}

const ignore = (): void => undefined;

export class ConnectionScope {
  /** The client to run adbkit calls on: every connection it makes belongs to this scope. */
  readonly client: AdbkitClient;
  private connections = new Set<Connection>();
  private closed = false;

  /** `startServer` is called (shared by the bridge) once when the server refuses a connection of this scope. */
  constructor(base: AdbkitClient, private startServer: () => Promise<void>) {
    const client = Object.create(base) as AdbkitClient;
    client.connection = () => this.open(true);
    this.client = client;
  }

  private open(mayStartServer: boolean): ReturnType<AdbkitClient['connection']> {
    const Conn = loadConnection();
    const conn = new Conn(this.client.options);
    // adbkit would spawn `adb start-server` from every refused connection; the retry below shares one start.
    (conn as unknown as { triedStarting: boolean }).triedStarting = true;
    // Failures reach the call through its promise; an unheard 'error' event would crash the process.
    conn.on('error', ignore);
    const connecting = conn.connect();
    conn.socket.on('error', ignore);
    this.connections.add(conn);
    conn.socket.once('close', () => this.connections.delete(conn));
    if (this.closed) conn.socket.destroy(new ClosedByOwner());
    return connecting.catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNREFUSED' || !mayStartServer || this.closed) throw err;
      return this.startServer().then(() => this.open(false));
    });
  }

  /** Destroys every connection of the scope, now and any that is still being made. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.connections) c.socket.destroy(new ClosedByOwner());
    this.connections.clear();
  }
}

export interface CallOptions {
  what: string;
  /** The whole call's budget; undefined: the call bounds itself (a transfer's progress timer). */
  timeoutMs?: number;
  /** Aborting (the caller stopped caring: a watcher replaced) fails the call and closes its connections. */
  signal?: AbortSignal;
  /** The answer is a live stream the caller now owns: a successful call leaves its connection open. */
  handOff?: boolean;
}

/**
 * Runs one adbkit call in its own scope, bounded by `timeoutMs` and `signal`. The scope is closed when the
 * call settles — unless it succeeded with `handOff` — so nothing it opened outlives it.
 */
export async function ownedCall<T>(base: AdbkitClient, startServer: () => Promise<void>, o: CallOptions, run: (client: AdbkitClient, scope: ConnectionScope) => PromiseLike<T>): Promise<T> {
  const scope = new ConnectionScope(base, startServer);
  let keep = false;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    if (o.signal?.aborted) throw aborted(o.what);
    const work = Promise.resolve(run(scope.client, scope));
    // What adbkit rejects with after the scope was closed is already answered: never an unhandled rejection.
    work.catch(ignore);
    const limits = new Promise<never>((_, reject) => {
      if (o.timeoutMs !== undefined) {
        const ms = o.timeoutMs;
        timer = setTimeout(() => reject(new WorkbenchError('adb.timeout', `${o.what} did not answer within ${ms} ms`, { what: o.what, ms })), ms);
      }
      onAbort = () => reject(aborted(o.what));
      o.signal?.addEventListener('abort', onAbort, { once: true });
    });
    const value = await Promise.race([work, limits]);
    keep = o.handOff === true;
    return value;
  } finally {
    clearTimeout(timer);
    if (onAbort) o.signal?.removeEventListener('abort', onAbort);
    if (!keep) scope.close();
  }
}

function aborted(what: string): WorkbenchError {
  return new WorkbenchError('adb.command-failed', `${what}: no longer needed`, { what, message: 'aborted' });
}
