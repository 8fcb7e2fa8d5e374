/**
 * The seams of the network capability, types only: the proxy (proxy/), the TLS interceptor it hands tunnels to
 * (proxy/interceptor.ts), the search for the phone's own values (pi/), the SDK host table (sdk-hosts.ts) and the
 * per-session wiring (network-session.ts) meet here, so each part is built and tested on its own.
 */
import type { Duplex } from 'node:stream';
import type { NetworkEventBody, PiForm, PiKind, ProxyMode, SdkRef } from '../../../src-preload/network.js';

/** Opens a TCP connection to a destination: `net.connect` for the world; tests and the demo give their own resolver. */
export type UpstreamConnector = (host: string, port: number) => Duplex;

export interface ProxyLimits {
  /** Connections open at once; more are refused (`too-many-connections`), never queued. */
  maxConnections: number;
  /** Request line plus headers of one request. */
  maxHeaderBytes: number;
  /** A body's first bytes kept (searched, stored); past it a body is only counted and hashed. */
  keepBodyBytes: number;
  /** A connection with no bytes either way for this long is closed. */
  idleTimeoutMs: number;
  /** From accept to a complete CONNECT/request head, and from tunnel to TLS client hello. */
  handshakeTimeoutMs: number;
}

/** The session's own certificate authority, for interception (the phone must trust it as a user CA). */
export interface SessionCa {
  keyPem: string;
  certPem: string;
  /** SHA-256 of the certificate's DER, as `openssl x509 -fingerprint -sha256` prints it (hex, no colons, lower case). */
  sha256: string;
}

export interface ProxyStartOptions {
  mode: ProxyMode;
  /** 127.0.0.1 for USB (`adb reverse`); the chosen LAN address for Wi-Fi. */
  bindAddress: string;
  /** 0: any free port. */
  port: number;
  /** Wi-Fi mode: the only client addresses served (the phone's); null: any (USB mode, loopback only). */
  allowedClients: string[] | null;
  /** Whether a TLS tunnel to this destination is intercepted (needs `ca`); false: tunnelled untouched. */
  intercept: (host: string, port: number) => boolean;
  ca: SessionCa | null;
  upstream?: UpstreamConnector;
  /** Passed to the interceptor: PEM CAs trusted for destinations besides the system's. */
  upstreamTrustedCas?: string[];
  limits?: Partial<ProxyLimits>;
}

export interface ConnectionOpened {
  flowId: string;
  via: 'connect' | 'http' | 'websocket';
  host: string;
  port: number;
  sni: string | null;
  tls: boolean;
  intercepted: boolean;
  /** The socket that reached the proxy: in Wi-Fi mode the phone's own address and port (exact attribution). */
  clientAddress: string;
  clientPort: number;
  /** Date.now() when the connection reached the proxy. */
  openedAt: number;
}

export interface ConnectionClosed {
  flowId: string;
  bytesUp: number;
  bytesDown: number;
  durationMs: number;
  error: string | null;
}

/** A body as the proxy kept it: its first `keepBodyBytes` bytes, its whole size and SHA-256. */
export interface CapturedBody {
  bytes: Buffer;
  size: number;
  sha256: string;
  truncated: boolean;
}

export interface HttpExchange {
  flowId: string;
  requestId: string;
  startedAt: number;
  method: string;
  url: string;
  httpVersion: string;
  status: number | null;
  requestHeaders: [string, string][];
  responseHeaders: [string, string][];
  requestBody: CapturedBody | null;
  responseBody: CapturedBody | null;
  durationMs: number | null;
}

export type ProxyRefusal = Omit<Extract<NetworkEventBody, { type: 'net.refused' }>, 'type'>;

/** What the proxy reports; called synchronously from its sockets' handlers — keep them cheap. */
export interface ProxyObserver {
  opened(c: ConnectionOpened): void;
  closed(c: ConnectionClosed): void;
  exchange(x: HttpExchange): void;
  refused(r: ProxyRefusal): void;
}

export interface RunningProxy {
  address: string;
  port: number;
  stats(): { open: number; total: number; refused: number };
  /** Closes the listener and every connection; resolves when all are closed. */
  stop(): Promise<void>;
}

/** Handles the TLS tunnels the proxy chose to intercept (proxy/interceptor.ts, on mockttp). */
export interface Interceptor {
  /**
   * `client`: the phone's side of the tunnel after "200 Connection established"; `head`: bytes already read from it.
   * Settles once the tunnel is closed and `tlsFailed` has been called if the handshake failed (the phone closes
   * first when it refuses the CA; the cause comes after its socket's close event, before this settles).
   */
  handle(client: Duplex, target: { host: string; port: number }, flowId: string, head: Buffer): Promise<void>;
  stop(): Promise<void>;
}

export interface InterceptorOptions {
  ca: SessionCa;
  upstream?: UpstreamConnector;
  /** PEM CAs trusted for destinations besides the system's (the virtual internet's CA in tests and the demo). */
  upstreamTrustedCas?: string[];
  limits: ProxyLimits;
  exchange(x: HttpExchange): void;
  /** The phone refused the session CA (it does not trust user CAs), or the handshake failed otherwise. */
  tlsFailed(flowId: string, cause: string): void;
}

/** One of the phone's values to look for in what it sends. */
export interface PhoneValue {
  kind: PiKind;
  value: string;
}

export interface PiMatch {
  kind: PiKind;
  form: PiForm;
  where: 'url' | 'header' | 'body';
  /** The value as the UI and report show it: enough to recognise, not enough to reuse. */
  masked: string;
}

/** Maps a destination host to an SDK from the knowledge base's host table (sdk-hosts.ts). */
export type SdkForHost = (host: string) => SdkRef | null;
