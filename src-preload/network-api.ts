/**
 * The network slice of the API, types only: what the tester chooses for a session's network capture, the state
 * the session bar shows, a phone left pointing at a dead workbench proxy (offered to be cleared), and the session
 * CA the phone must trust for interception. The core's network capability (src-main/core/network/) serves them.
 */
import type { PiKind, ProxyMode } from './network.js';
import type { TimelineEvent } from './monitor-events.js';

/** A value the tester types to look for in what the phone sends (its phone number, OAID, an account id). */
export interface TypedValue {
  kind: PiKind;
  value: string;
}

/** What the tester chose for one session. */
export interface NetworkChoice {
  mode: ProxyMode;
  /** Decrypt TLS with the session's own CA where the app trusts user CAs; off: tunnels are only counted. */
  intercept: boolean;
  /** Wi-Fi mode: the host's LAN address to listen on (one of network.lanAddresses); null: the one on the phone's subnet. */
  lanAddress: string | null;
  values: TypedValue[];
}

/**
 * The proxy of a session as the session bar shows it. `on`: the phone is pointed at the proxy; `phone-away`:
 * the phone was unplugged (the proxy waits, the phone is set up again when it is back); `refused`: the phone
 * did not take the setting or the reverse (`problem` says why; the session keeps recording without network);
 * `off`: stopped, the phone restored to `previous`.
 */
export interface NetworkStatus {
  sessionId: string;
  serial: string;
  state: 'starting' | 'on' | 'phone-away' | 'refused' | 'off';
  mode: ProxyMode;
  intercept: boolean;
  /** What the phone's http_proxy is set to (host:port), null while not set. */
  address: string | null;
  /** The phone's http_proxy before the session (null: none), restored exactly at the end. */
  previous: string | null;
  problem: string | null;
  connections: { open: number; total: number; refused: number };
  /** pi.sent events so far. */
  piFound: number;
  /** The session CA's SHA-256 (hex) when intercepting. */
  caSha256: string | null;
}

/**
 * A phone whose proxy setting points at a workbench proxy that is no longer there (the workbench was killed):
 * the phone has no internet until it is cleared. `restore`: what clearing sets (the value before that session,
 * from its lease; null: the setting is deleted).
 */
export interface StaleProxy {
  serial: string;
  /** http_proxy on the phone now (null when the phone is not connected or not readable). */
  current: string | null;
  restore: string | null;
  /** `dead-workbench`: the lease's process is gone; `nothing-listening`: no lease, and no proxy answers on the port. */
  reason: 'dead-workbench' | 'nothing-listening';
  lease: { pid: number; port: number; mode: ProxyMode; startedAt: number; sessionId: string | null } | null;
  /** Only a connected phone can be cleared; a lease for an absent phone waits for it. */
  connected: boolean;
}

/** The session CA to install on the phone as a user CA (Settings › Security › Install a certificate › CA certificate). */
export interface SessionCaFile {
  sessionId: string;
  sha256: string;
  pem: string;
  /** The certificate's DER, base64. */
  derBase64: string;
  fileName: string;
  /** Where network.pushCa put it on the phone; null until pushed. */
  phonePath: string | null;
}

/** A host address the proxy may listen on in Wi-Fi mode. */
export interface LanAddress {
  interfaceName: string;
  address: string;
  family: 'IPv4' | 'IPv6';
}

/** One network event of a session, as it is written (for the live Network view; the timeline has them all). */
export interface NetworkTimelineItem {
  sessionId: string;
  seq: number;
  event: TimelineEvent;
}
