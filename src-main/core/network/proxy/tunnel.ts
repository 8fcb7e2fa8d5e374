/**
 * Carries bytes both ways between the phone's socket and the upstream stream, untouched: half-closes are
 * passed on, backpressure is kept (pipe), an error on either side destroys both, and a side that closes
 * takes the other with it once what was already written has been flushed. The downstream direction starts
 * at once (a server that speaks first is heard at once); the upstream direction starts when the caller has
 * read what it needed of the client's first bytes.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface Tunnel {
  /** Starts client → upstream, writing `head` (bytes already read from the client) first. */
  release(head: Buffer): void;
  /** Resolves with the first error (null: both sides ended cleanly) once both sides are closed. */
  readonly closed: Promise<string | null>;
}

/** How long a closing side may take to flush to a peer that does not read before it is cut. */
const FLUSH_GRACE_MS = 10_000;

/** Ends the stream's writable side and destroys it when flushed (or after the grace time). */
export function endThenDestroy(s: Duplex): void {
  if (s.destroyed) return;
  if (s.writableFinished || (!s.writable && !s.writableEnded)) {
    s.destroy();
    return;
  }
  const cut = setTimeout(() => s.destroy(), FLUSH_GRACE_MS);
  cut.unref();
  s.once('finish', () => {
    clearTimeout(cut);
    s.destroy();
  });
  s.once('close', () => clearTimeout(cut));
  if (!s.writableEnded) s.end();
}

export function whenClosed(s: Duplex): Promise<void> {
  return new Promise((resolve) => (s.closed ? resolve() : s.once('close', () => resolve())));
}

export function openTunnel(client: Socket, upstream: Duplex): Tunnel {
  let error: string | null = null;
  const onError = (side: string) => (err: Error): void => {
    error ??= `${side}: ${(err as NodeJS.ErrnoException).code ?? err.message}`;
    client.destroy();
    upstream.destroy();
  };
  client.on('error', onError('client'));
  upstream.on('error', onError('upstream'));
  client.once('close', () => endThenDestroy(upstream));
  upstream.once('close', () => endThenDestroy(client));
  upstream.pipe(client);
  const closed = Promise.all([whenClosed(client), whenClosed(upstream)]).then(() => error);
  return {
    release(head: Buffer): void {
      if (head.length > 0 && !upstream.destroyed) upstream.write(head);
      client.pipe(upstream);
    },
    closed,
  };
}
