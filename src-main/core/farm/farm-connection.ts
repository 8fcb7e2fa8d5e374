/**
 * The farm's Redis: one URL (`redis://[:password@]host:port[/db]`, or `rediss://` for TLS). Commands that ask
 * once (add, status, results) check it answers first and say clearly when it does not; a worker's connection
 * instead waits and reconnects for as long as it runs (ioredis retries, BullMQ resumes).
 */
import { Redis, type RedisOptions } from 'ioredis';

export class FarmRedisError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FarmRedisError';
  }
}

/** The URL as it may be shown: never its password. */
export function shown(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//…@').slice(0, 100);
}

/** Options from the URL, refused in words when it is not a Redis URL. */
export function redisOptions(url: string): { url: string; host: string; port: number } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new FarmRedisError(`"${shown(url)}" is not a Redis URL (redis://HOST:PORT)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new FarmRedisError(`"${shown(url)}" is not a Redis URL (redis://HOST:PORT)`);
  if (!u.hostname) throw new FarmRedisError(`"${shown(url)}" names no host (redis://HOST:PORT)`);
  return { url, host: u.hostname, port: Number(u.port || 6379) };
}

/** A connection for a worker: BullMQ needs maxRetriesPerRequest null; it reconnects every 0.5–5 s, forever. */
export function workerConnection(url: string, onState?: (state: 'down' | 'up', why?: string) => void): Redis {
  redisOptions(url);
  const options: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy: (n) => Math.min(500 * n, 5000) };
  const redis = new Redis(url, options);
  // A server that goes away cleanly (a restart) closes the connection without an error: both say "down".
  redis.on('error', (err: Error) => onState?.('down', err.message));
  redis.on('close', () => onState?.('down', 'connection closed'));
  redis.on('ready', () => onState?.('up'));
  return redis;
}

/** A connection for a one-shot command: it answers within `timeoutMs`, or a clear error says where and why not. */
export async function commandConnection(url: string, timeoutMs = 5000): Promise<Redis> {
  const { host, port } = redisOptions(url);
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: timeoutMs, retryStrategy: () => null, enableOfflineQueue: true });
  let last = '';
  redis.on('error', (err: Error) => void (last = err.message));
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new FarmRedisError(`cannot reach Redis at ${host}:${port}: ${last || (err instanceof Error ? err.message : String(err))}`);
  }
  return redis;
}
