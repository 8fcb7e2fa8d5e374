/**
 * The HTTP(S) client of the virtual phone's apps, behaving as OkHttp does on Android: it honours the phone's
 * global proxy (plain HTTP as an absolute-form request to the proxy; HTTPS through a CONNECT tunnel, then TLS
 * with SNI inside it), goes direct when none is set, and opens every socket through the phone's network as the
 * app's uid. It trusts the system CAs (the virtual internet's public CA) always and the user's CAs only when the
 * app would (targetSdk ≤ 23, or a network security config naming them). Every failure is a Java exception's
 * line, as the app would print it — never a crash of the phone.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { isIP, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

/** What the client needs of the phone's network (PhoneNetwork): sockets as a uid, the proxy setting, user CAs. */
export interface AppSockets {
  connect(uid: number, host: string, port: number): Promise<Duplex>;
  proxy(): { host: string; port: number } | null;
  userCas(): string[];
}

export interface AppHttpRequest {
  method: string;
  /** http:// or https:// with its placeholders already filled. */
  url: string;
  headers: [string, string][];
  body: Buffer | null;
}

export interface AppTrust {
  /** The phone's system store: the virtual internet's public CA. */
  systemCas: string[];
  /** Whether the app trusts the CAs the user installed (targetSdk ≤ 23 or its network security config). */
  userCas: boolean;
}

export interface AppHttpLimits {
  /** OkHttp's default connect timeout: TCP, the proxy's CONNECT answer and the TLS handshake. */
  connectTimeoutMs: number;
  /** OkHttp's default read timeout: the longest silence while waiting for the response. */
  readTimeoutMs: number;
  /** The largest response (head and body) read; a larger one fails the call. */
  maxResponseBytes: number;
}

export const DEFAULT_APP_HTTP_LIMITS: AppHttpLimits = { connectTimeoutMs: 10_000, readTimeoutMs: 10_000, maxResponseBytes: 1024 * 1024 };

export type AppHttpResult =
  | { ok: true; status: number; headers: [string, string][]; body: Buffer; via: 'direct' | 'proxy' }
  /** `exception`: the line the app would log (e.g. `javax.net.ssl.SSLHandshakeException: …`). */
  | { ok: false; exception: string; via: 'direct' | 'proxy' };

/** OkHttp 4's User-Agent, as SDKs built on it send. */
export const OKHTTP_USER_AGENT = 'okhttp/4.12.0';

class CallFailed extends Error {}

/** Node's failure as the Java exception an Android app would see for it. */
function javaException(err: unknown, host: string, port: number, through: { host: string; port: number } | null): string {
  if (err instanceof CallFailed) return err.message;
  const e = err as NodeJS.ErrnoException & { reason?: string };
  const code = e?.code ?? '';
  const target = through ?? { host, port };
  switch (code) {
    case 'ENOTFOUND': case 'EAI_AGAIN':
      return `java.net.UnknownHostException: Unable to resolve host "${host}": No address associated with hostname`;
    case 'ECONNREFUSED': case 'ENETUNREACH':
      return `java.net.ConnectException: Failed to connect to /${target.host}:${target.port}`;
    case 'EMFILE':
      return 'java.net.SocketException: socket failed: EMFILE (Too many open files)';
    case 'ECONNRESET': case 'EPIPE':
      return 'java.net.SocketException: Connection reset';
    case 'SELF_SIGNED_CERT_IN_CHAIN': case 'DEPTH_ZERO_SELF_SIGNED_CERT': case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT': case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE': case 'CERT_SIGNATURE_FAILURE':
      return 'javax.net.ssl.SSLHandshakeException: java.security.cert.CertPathValidatorException: Trust anchor for certification path not found.';
    case 'CERT_HAS_EXPIRED': case 'CERT_NOT_YET_VALID':
      return 'javax.net.ssl.SSLHandshakeException: java.security.cert.CertPathValidatorException: timestamp check failed';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `javax.net.ssl.SSLPeerUnverifiedException: Hostname ${host} not verified`;
    default:
      if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /ssl|tls/i.test(e?.message ?? '')) return `javax.net.ssl.SSLHandshakeException: ${e?.message ?? 'SSL handshake aborted'}`;
      return `java.io.IOException: ${e?.message ?? String(err)}`;
  }
}

/** Resolves when a socket is connected (a net.Socket still connecting), rejects on its error or after `ms`. */
function whenConnected(socket: Duplex, ms: number): Promise<void> {
  const s = socket as Partial<Socket>;
  if (!s.connecting) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new CallFailed('java.net.SocketTimeoutException: connect timed out')), ms);
    const done = (err?: Error): void => {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('error', done);
      if (err) reject(err);
      else resolve();
    };
    const onConnect = (): void => done();
    socket.once('connect', onConnect);
    socket.once('error', done);
  });
}

/** Writes a CONNECT for `host:port` as OkHttp does and reads the proxy's answer head; resolves on 200. */
function tunnel(socket: Duplex, host: string, port: number, ms: number): Promise<void> {
  const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\nProxy-Connection: Keep-Alive\r\nUser-Agent: ${OKHTTP_USER_AGENT}\r\n\r\n`);
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const timer = setTimeout(() => finish(new CallFailed('java.net.SocketTimeoutException: timeout')), ms);
    const finish = (err?: Error, rest?: Buffer): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('end', onEnd);
      if (err) return reject(err);
      // Bytes past the proxy's answer belong to the tunnel (the server speaks first only in theory).
      if (rest?.length) socket.unshift(rest);
      resolve();
    };
    const onError = (err: Error): void => finish(err);
    const onEnd = (): void => finish(new CallFailed('java.io.IOException: Unexpected end of stream on the proxy\'s answer to CONNECT'));
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 16 * 1024) finish(new CallFailed('java.io.IOException: The proxy\'s answer to CONNECT is too long'));
        return;
      }
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head.subarray(0, end).toString('latin1'))?.[1];
      if (status === '200') return finish(undefined, head.subarray(end + 4));
      if (status === '407') return finish(new CallFailed('java.io.IOException: Failed to authenticate with proxy'));
      finish(new CallFailed(`java.io.IOException: Unexpected response code for CONNECT: ${status ?? 'none'}`));
    };
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('end', onEnd);
  });
}

function handshake(socket: Duplex, host: string, trust: AppTrust, userCas: string[], ms: number): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({
      socket,
      servername: isIP(host) ? undefined : host,
      ca: [...trust.systemCas, ...(trust.userCas ? userCas : [])],
      ALPNProtocols: ['http/1.1'],
      minVersion: 'TLSv1.2',
    });
    const timer = setTimeout(() => {
      tls.destroy();
      reject(new CallFailed('java.net.SocketTimeoutException: SSL handshake timed out'));
    }, ms);
    tls.once('secureConnect', () => {
      clearTimeout(timer);
      resolve(tls);
    });
    tls.once('error', (err) => {
      clearTimeout(timer);
      tls.destroy();
      reject(err);
    });
  });
}

/**
 * The request's headers as OkHttp's bridge writes them: the app's own first, then Content-Length, Host,
 * Connection, Accept-Encoding and User-Agent (the last only when the app set none).
 */
function wireHeaders(req: AppHttpRequest, url: URL): [string, string][] {
  const has = (name: string): boolean => req.headers.some(([n]) => n.toLowerCase() === name);
  const headers: [string, string][] = [...req.headers];
  if (req.body) headers.push(['Content-Length', String(req.body.length)]);
  headers.push(['Host', url.host], ['Connection', 'Keep-Alive']);
  if (!has('accept-encoding')) headers.push(['Accept-Encoding', 'gzip']);
  if (!has('user-agent')) headers.push(['User-Agent', OKHTTP_USER_AGENT]);
  return headers;
}

/** How long an idle connection stays open after its exchange (OkHttp's pool keeps one up to 5 minutes). */
const IDLE_CONNECTION_MS = 5000;

/**
 * The connection as Node's HTTP client may hold it: its ending and destroying stay with the client's copy, so
 * the call's end does not close the app's socket (OkHttp returns it to its pool); bytes pass both ways.
 */
function lend(conn: Duplex): Duplex {
  const onData = (c: Buffer): void => {
    if (!borrowed.push(c)) conn.pause();
  };
  const onEnd = (): void => {
    borrowed.push(null);
  };
  const onError = (err: Error): void => {
    borrowed.destroy(err);
  };
  const borrowed: Duplex = new Duplex({
    read: () => conn.resume(),
    write: (chunk: Buffer, _enc, done) => conn.write(chunk, done),
    final: (done) => done(),
    destroy: (err, done) => {
      conn.off('data', onData).off('end', onEnd).off('error', onError);
      done(err);
    },
  });
  conn.on('data', onData).once('end', onEnd).once('error', onError);
  return borrowed;
}

/** One HTTP/1.1 exchange on an open connection; `target`: origin form, or absolute form through a proxy. */
function exchange(conn: Duplex, req: AppHttpRequest, url: URL, target: string, limits: AppHttpLimits, keepIdle: boolean): Promise<{ status: number; headers: [string, string][]; body: Buffer }> {
  return new Promise((resolve, reject) => {
    // No agent: the call runs on the connection given (an agent would open its own).
    const call = httpRequest({
      method: req.method, path: target, setHost: false, headers: wireHeaders(req, url).flat(),
      createConnection: () => (keepIdle ? lend(conn) : conn) as Socket, maxHeaderSize: 16 * 1024,
    });
    let settled = false;
    // The read timeout: the longest silence from the server while the call waits (the socket's own may not be a net.Socket).
    let timer = setTimeout(() => fail(new CallFailed('java.net.SocketTimeoutException: timeout')), limits.readTimeoutMs);
    const quiet = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => fail(new CallFailed('java.net.SocketTimeoutException: timeout')), limits.readTimeoutMs);
    };
    const fail = (err: unknown): void => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      call.destroy();
      conn.destroy();
      reject(err);
    };
    call.on('error', fail);
    call.on('response', (res: IncomingMessage) => {
      quiet();
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        quiet();
        size += c.length;
        if (size > limits.maxResponseBytes) return fail(new CallFailed(`java.io.IOException: response body over ${limits.maxResponseBytes} bytes`));
        chunks.push(c);
      });
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        if (settled) return;
        settled = true;
        const pairs: [string, string][] = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        // OkHttp keeps the connection in its pool, idle, rather than closing it with the response: the phone's
        // socket (and its /proc/net line with the app's uid) outlives the exchange, as on a real phone.
        // (Plain HTTP only: over TLS the client's own copy is the TLS socket, which must end with the call.)
        if (keepIdle) setTimeout(() => conn.end(), IDLE_CONNECTION_MS).unref();
        else conn.end();
        resolve({ status: res.statusCode ?? 0, headers: pairs, body: Buffer.concat(chunks) });
      });
    });
    call.end(req.body ?? undefined);
  });
}

/** A header value OkHttp would refuse to send (it throws before opening a connection). */
function badHeader(headers: [string, string][]): string | null {
  for (const [name, value] of headers) {
    const i = [...value].findIndex((ch) => ch !== '\t' && (ch < ' ' || ch > '~'));
    if (i >= 0) return `java.lang.IllegalArgumentException: Unexpected char 0x${value.charCodeAt(i).toString(16).padStart(2, '0')} at ${i} in ${name} value`;
  }
  return null;
}

/** Sends one request as the app `uid` would; resolves with the response or the exception the app would see. */
export async function sendAppRequest(net: AppSockets, uid: number, req: AppHttpRequest, trust: AppTrust, limits: AppHttpLimits = DEFAULT_APP_HTTP_LIMITS): Promise<AppHttpResult> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return { ok: false, exception: `java.lang.IllegalArgumentException: Expected URL scheme 'http' or 'https' but no scheme was found for ${req.url.slice(0, 60)}`, via: 'direct' };
  }
  const tls = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port) || (tls ? 443 : 80);
  const proxy = net.proxy();
  const via = proxy ? 'proxy' : 'direct';
  const refused = badHeader(req.headers);
  if (refused) return { ok: false, exception: refused, via };
  let socket: Duplex | null = null;
  try {
    socket = await net.connect(uid, proxy?.host ?? host, proxy?.port ?? port);
    // An error before the call has its own handlers still fails the call, never the phone.
    socket.on('error', () => undefined);
    await whenConnected(socket, limits.connectTimeoutMs);
    let conn: Duplex = socket;
    if (tls) {
      if (proxy) await tunnel(socket, host, port, limits.connectTimeoutMs);
      conn = await handshake(socket, host, trust, trust.userCas ? net.userCas() : [], limits.connectTimeoutMs);
      conn.on('error', () => undefined);
    }
    // Through a proxy, plain HTTP is asked of the proxy with the whole URL (absolute form).
    const target = proxy && !tls ? url.href.replace(/#.*$/, '') : url.pathname + url.search;
    const res = await exchange(conn, req, url, target, limits, !tls);
    return { ok: true, ...res, via };
  } catch (err) {
    socket?.destroy();
    return { ok: false, exception: javaException(err, host, port, proxy), via };
  }
}
