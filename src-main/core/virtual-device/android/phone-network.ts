/**
 * The virtual phone's TCP network as its apps, adbd and the shell see it. Owns the loopback (listeners such as
 * adbd's `adb reverse` ports, connections between them), the route out (the virtual internet's UpstreamConnector),
 * the table of open sockets with their owners' uids that /proc/net/tcp{,6} print, the global HTTP proxy read
 * from `settings`, and the user-installed CA certificates.
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import type { UpstreamConnector } from '../../network/contracts.js';
import { loopbackPair, type LoopbackEnd } from './loopback-pair.js';
import { formatProcNetTcp, type ProcTcpRow, type TcpState } from './proc-net-tcp.js';
import { GlobalProxy, type ProxyEndpoint } from './global-proxy.js';
import type { SettingsStore } from './settings-store.js';

/** adbd runs as the shell user on an unrooted phone: its reverse listeners are uid 2000's. */
export const SHELL_UID = 2000;
/** Linux's default net.ipv4.ip_local_port_range. */
const EPHEMERAL_FIRST = 32768;
const EPHEMERAL_LAST = 60999;
const MAX_SOCKETS = 16384;
const MAX_USER_CAS = 256;

export interface PhoneSocket {
  table: 'tcp' | 'tcp6';
  uid: number;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  state: TcpState;
  inode: number;
}

export interface ListenOptions {
  /** Owner of the listener and of the sockets it accepts (default: the shell user, as adbd). */
  uid?: number;
  /** AF_INET (default, as adbd's loopback server) or AF_INET6. */
  table?: 'tcp' | 'tcp6';
}

export interface ConnectOptions {
  /** Java opens AF_INET6 sockets (IPv4 peers as ::ffff:a.b.c.d in tcp6): the default; native code may use tcp. */
  table?: 'tcp' | 'tcp6';
}

export interface PhoneNetworkOptions {
  upstream?: UpstreamConnector | null;
  /** The phone's DNS: a hostname to the address /proc/net shows for it; null means it does not resolve. */
  resolve?: (host: string) => string | null;
  /** The phone's Wi-Fi address, the local side of sockets that leave the phone. */
  deviceAddress?: string;
}

type Listener = { port: number; uid: number; table: 'tcp' | 'tcp6'; onSocket: (socket: Duplex) => void; row: PhoneSocket };

export type NetErrorCode = 'ECONNREFUSED' | 'ENETUNREACH' | 'EADDRINUSE' | 'ENOTFOUND' | 'EMFILE';

/**
 * A socket error as the phone's kernel gives it to an app (errno-style `code`, like Node's own net errors). It is
 * the simulated apps' business, inside the virtual phone; it never reaches the tester, so it is not a WorkbenchError.
 */
export class PhoneNetError extends Error {
  readonly errno: number;
  constructor(readonly code: NetErrorCode, readonly syscall: string, readonly address: string, readonly port: number, detail: string) {
    super(`${syscall} ${code} ${address}:${port}${detail ? ` (${detail})` : ''}`);
    this.errno = { ECONNREFUSED: -111, ENETUNREACH: -101, EADDRINUSE: -98, ENOTFOUND: -3008, EMFILE: -24 }[code];
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', 'ip6-localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase()) || /^127\./.test(host) || host.toLowerCase() === '::ffff:127.0.0.1';
}

/** A stable made-up public address for a hostname, when no resolver was given (198.18.0.0/15, the benchmark range). */
function syntheticAddress(host: string): string {
  let h = 2166136261;
  for (const c of host.toLowerCase()) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return `198.${18 + ((h >>> 16) & 1)}.${(h >>> 8) & 0xff}.${(h & 0xff) || 1}`;
}

export class PhoneNetwork {
  private listeners = new Map<number, Listener>();
  private sockets = new Set<PhoneSocket>();
  /** The live streams behind the table's rows (a reboot closes them all). */
  private live = new Set<Duplex>();
  private usedPorts = new Set<number>();
  private nextPort = EPHEMERAL_FIRST;
  private nextInode = 4_200_000 + Math.floor(Math.random() * 100_000);
  private cas: { pem: string; sha256: string }[] = [];
  private readonly globalProxy: GlobalProxy;
  upstream: UpstreamConnector | null;
  resolve: (host: string) => string | null;
  deviceAddress: string;

  constructor(readonly settings: SettingsStore, options: PhoneNetworkOptions = {}) {
    this.upstream = options.upstream ?? null;
    this.resolve = options.resolve ?? ((h) => (isIP(h) ? h : syntheticAddress(h)));
    this.deviceAddress = options.deviceAddress ?? '192.168.1.23';
    this.globalProxy = new GlobalProxy(settings);
  }

  /** The global HTTP proxy apps honour now (null: none). */
  proxy(): ProxyEndpoint | null {
    return this.globalProxy.get();
  }

  /**
   * What a reboot does: every socket and listener is gone, and the proxy is read back from the settings (a deleted
   * http_proxy takes effect only now).
   */
  reboot(): void {
    for (const socket of [...this.live]) socket.destroy();
    this.live.clear();
    this.listeners.clear();
    this.sockets.clear();
    this.usedPorts.clear();
    this.globalProxy.boot();
  }

  /**
   * A listener on the phone's loopback (127.0.0.1:port). Returns its close function; a port already listened
   * on is refused with EADDRINUSE. Connections it accepts are handed to `onSocket`.
   */
  listen(port: number, onSocket: (socket: Duplex) => void, options: ListenOptions = {}): () => void {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new PhoneNetError('EADDRINUSE', 'bind', '127.0.0.1', port, 'bad port');
    if (this.listeners.has(port) || this.usedPorts.has(port)) throw new PhoneNetError('EADDRINUSE', 'bind', '127.0.0.1', port, 'Address already in use');
    const table = options.table ?? 'tcp';
    const uid = options.uid ?? SHELL_UID;
    const any = table === 'tcp' ? '127.0.0.1' : '::ffff:127.0.0.1';
    const row: PhoneSocket = { table, uid, localAddress: any, localPort: port, remoteAddress: table === 'tcp' ? '0.0.0.0' : '::', remotePort: 0, state: 'LISTEN', inode: this.inode() };
    const listener: Listener = { port, uid, table, onSocket, row };
    this.listeners.set(port, listener);
    this.usedPorts.add(port);
    this.sockets.add(row);
    return () => {
      if (this.listeners.get(port) !== listener) return;
      this.listeners.delete(port);
      this.usedPorts.delete(port);
      this.sockets.delete(row);
    };
  }

  /** Whether something listens on the phone's loopback port. */
  listening(port: number): boolean {
    return this.listeners.has(port);
  }

  /**
   * An app's TCP connection. Loopback reaches a phone listener (or is refused, ECONNREFUSED); anything else goes
   * out through the upstream connector (ENETUNREACH when the phone has no route). The socket is listed under
   * the app's uid in /proc/net until it closes.
   */
  async connect(uid: number, host: string, port: number, options: ConnectOptions = {}): Promise<Duplex> {
    const table = options.table ?? 'tcp6';
    if (this.sockets.size >= MAX_SOCKETS) throw new PhoneNetError('EMFILE', 'socket', host, port, 'Too many open files');
    if (isLoopback(host)) return this.connectLoopback(uid, host, port, table);
    const upstream = this.upstream;
    if (!upstream) throw new PhoneNetError('ENETUNREACH', 'connect', host, port, 'no route to the internet');
    const address = isIP(host) ? host : this.resolve(host);
    if (!address) throw new PhoneNetError('ENOTFOUND', 'getaddrinfo', host, port, 'Unable to resolve host');
    const socket = upstream(host, port);
    await connected(socket, host, port);
    const row = this.register({ table, uid, localAddress: this.deviceAddress, localPort: this.ephemeralPort(), remoteAddress: address, remotePort: port, state: 'ESTABLISHED', inode: this.inode() });
    this.track(socket, row);
    return socket;
  }

  /** The open sockets (copies), as /proc/net lists them. */
  openSockets(): PhoneSocket[] {
    return [...this.sockets].map((s) => ({ ...s }));
  }

  /** The text of /proc/net/tcp or /proc/net/tcp6. */
  procNetTcp(table: 'tcp' | 'tcp6'): string {
    return formatProcNetTcp([...this.sockets] as ProcTcpRow[], table);
  }

  /** PEMs of the CA certificates the user installed (Settings > Security > Install a certificate > CA). */
  userCas(): string[] {
    return this.cas.map((c) => c.pem);
  }

  /** Adds a user CA (what the certificate installer does once the user confirms); false if it was already there. */
  addUserCa(pem: string): boolean {
    const cert = new X509Certificate(pem);
    const sha256 = cert.fingerprint256;
    if (this.cas.some((c) => c.sha256 === sha256)) return false;
    if (this.cas.length >= MAX_USER_CAS) throw new Error('too many user certificates');
    this.cas.push({ pem: cert.toString(), sha256 });
    return true;
  }

  removeUserCa(sha256: string): boolean {
    const before = this.cas.length;
    this.cas = this.cas.filter((c) => c.sha256 !== sha256);
    return this.cas.length !== before;
  }

  private connectLoopback(uid: number, host: string, port: number, table: 'tcp' | 'tcp6'): Duplex {
    const listener = this.listeners.get(port);
    if (!listener) throw new PhoneNetError('ECONNREFUSED', 'connect', host, port, 'Connection refused');
    const localPort = this.ephemeralPort();
    const v6 = host.includes(':') || table === 'tcp6';
    const clientAddress = host === '::1' ? '::1' : v6 ? '::ffff:127.0.0.1' : '127.0.0.1';
    const serverAddress = listener.table === 'tcp' ? '127.0.0.1' : clientAddress;
    const [client, server] = loopbackPair(
      { address: clientAddress, port: localPort, family: v6 ? 'IPv6' : 'IPv4' },
      { address: serverAddress, port, family: listener.table === 'tcp' ? 'IPv4' : 'IPv6' },
    );
    const mine = this.register({ table: v6 ? 'tcp6' : 'tcp', uid, localAddress: clientAddress, localPort, remoteAddress: serverAddress, remotePort: port, state: 'ESTABLISHED', inode: this.inode() });
    const theirs = this.register({ table: listener.table, uid: listener.uid, localAddress: serverAddress, localPort: port, remoteAddress: listener.table === 'tcp' ? '127.0.0.1' : clientAddress, remotePort: localPort, state: 'ESTABLISHED', inode: this.inode() });
    this.track(client, mine, theirs);
    this.track(server, theirs, mine, false);
    queueMicrotask(() => {
      try {
        listener.onSocket(server);
      } catch {
        // A listener that throws resets the connection; the phone carries on.
        server.destroy();
      }
    });
    return client;
  }

  private register(row: PhoneSocket): PhoneSocket {
    this.sockets.add(row);
    return row;
  }

  /** Follows a socket's life in the table: FIN sent → FIN_WAIT2 (and CLOSE_WAIT at the peer), closed → gone. */
  private track(socket: Duplex | LoopbackEnd, row: PhoneSocket, peer?: PhoneSocket, ownsPort = true): void {
    this.live.add(socket);
    socket.once('finish', () => {
      if (row.state === 'ESTABLISHED') row.state = 'FIN_WAIT2';
      if (peer?.state === 'ESTABLISHED') peer.state = 'CLOSE_WAIT';
    });
    socket.once('close', () => {
      this.live.delete(socket);
      this.sockets.delete(row);
      if (ownsPort) this.usedPorts.delete(row.localPort);
    });
  }

  private ephemeralPort(): number {
    for (let i = 0; i <= EPHEMERAL_LAST - EPHEMERAL_FIRST; i++) {
      const port = this.nextPort;
      this.nextPort = port >= EPHEMERAL_LAST ? EPHEMERAL_FIRST : port + 1;
      if (!this.usedPorts.has(port)) {
        this.usedPorts.add(port);
        return port;
      }
    }
    throw new PhoneNetError('EADDRINUSE', 'connect', '0.0.0.0', 0, 'no ephemeral port left');
  }

  private inode(): number {
    return this.nextInode++;
  }
}

/** Waits for an upstream socket to connect (net.Socket's 'connect'), or passes one that already is. */
function connected(socket: Duplex, host: string, port: number): Promise<void> {
  const pending = (socket as Duplex & { connecting?: boolean; pending?: boolean }).connecting === true;
  if (!pending) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onConnect = (): void => {
      socket.off('error', onError);
      resolve();
    };
    const onError = (err: NodeJS.ErrnoException): void => {
      socket.off('connect', onConnect);
      socket.destroy();
      reject(err.code === 'ECONNREFUSED' ? new PhoneNetError('ECONNREFUSED', 'connect', host, port, 'Connection refused') : err);
    };
    socket.once('connect', onConnect);
    socket.once('error', onError);
  });
}
