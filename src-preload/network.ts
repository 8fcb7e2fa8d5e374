/**
 * What left the phone, as the session records it: the proxy's state on the phone, each connection the proxy
 * carried (who opened it, to where, tunnelled or intercepted, how many bytes), each HTTP exchange it could
 * read, and each of the phone's own values found in one (`pi.sent`). Types only — shared by the core's network
 * capability, the session timeline, evaluators, the evidence package (HAR), the Network view and the CLI.
 */
import type { BlobRef } from './monitor-events.js';

/** USB: the proxy on 127.0.0.1 reached through `adb reverse`; Wi-Fi: on a LAN address, only the phone may use it. */
export type ProxyMode = 'usb' | 'wifi';

/** The phone's own values searched for in what it sends (read at session start, or typed by the tester). */
export const PI_KINDS = ['android-id', 'serial', 'imei', 'meid', 'wifi-mac', 'bluetooth-mac', 'ip-address', 'package-list', 'location', 'phone-number', 'oaid', 'other'] as const;
export type PiKind = (typeof PI_KINDS)[number];

/** How a value was written where it was found. */
export const PI_FORMS = ['plain', 'upper', 'lower', 'url-encoded', 'base64', 'hex', 'md5', 'sha1', 'sha256'] as const;
export type PiForm = (typeof PI_FORMS)[number];

/** Which SDK (and company) a destination belongs to, from the SDK knowledge base's host table. */
export interface SdkRef {
  id: string;
  name: { zh: string; en: string };
  vendor: string;
  /** sdk: the host serves this SDK; company: the host is the vendor's, which of its SDKs is not told by the host. */
  scope?: 'sdk' | 'company';
}

/**
 * Which app opened a connection. `uid`: read from the phone's /proc/net/tcp{,6} when the connection opened;
 * `unattributed`: the phone did not let the shell read it, or the socket was gone — then `foreground` and
 * `alive` say what was running; `ambiguous`: several apps had sockets to the proxy at that moment (`candidates`).
 */
export interface FlowApp {
  attribution: 'uid' | 'unattributed' | 'ambiguous';
  uid: number | null;
  packageName: string | null;
  candidates: string[];
  foreground: string | null;
  alive: string[];
}

/** A readable HTTP body: kept once in the session's blobs; bodies over the search cap are hashed and stored, not searched. */
export interface FlowBody {
  blob: BlobRef | null;
  size: number;
  /** The body was larger than the cap kept: `blob` holds its first bytes, `sha256` the whole. */
  truncated: boolean;
  sha256: string;
  searched: boolean;
}

export type NetworkEventBody =
  /** The proxy was set on the phone, cleared (restored to `previous`), or could not be set (`problem`). */
  | { type: 'net.proxy'; state: 'on' | 'restored' | 'refused' | 'stale-cleared'; mode: ProxyMode; address: string; previous: string | null; problem: string | null }
  /**
   * A connection through the proxy opened. `via`: a CONNECT tunnel, a plain HTTP request, a WebSocket upgrade.
   * `host`/`port`: the CONNECT target or Host header; `sni`: the TLS client hello's server name (may differ).
   */
  | { type: 'net.connection'; flowId: string; via: 'connect' | 'http' | 'websocket'; host: string; port: number; sni: string | null; tls: boolean; intercepted: boolean; app: FlowApp; sdk: SdkRef | null }
  /** The connection closed: bytes from the phone (`up`) and to it (`down`), its length, and why it ended if it failed. */
  | { type: 'net.closed'; flowId: string; bytesUp: number; bytesDown: number; durationMs: number; error: string | null }
  /** One HTTP exchange the proxy could read (plain HTTP, or inside an intercepted tunnel). */
  | { type: 'net.request'; flowId: string; requestId: string; method: string; url: string; httpVersion: string; status: number | null; requestHeaders: [string, string][]; responseHeaders: [string, string][]; requestBody: FlowBody | null; responseBody: FlowBody | null; durationMs: number | null }
  /** One of the phone's own values found in a request: which, how written, where, to whom. `masked`: the value as shown. */
  | { type: 'pi.sent'; flowId: string; requestId: string; kind: PiKind; form: PiForm; where: 'url' | 'header' | 'body'; host: string; sdk: SdkRef | null; masked: string }
  /** The proxy refused something (another host in Wi-Fi mode, a malformed CONNECT, a header bomb, too many connections). */
  | { type: 'net.refused'; reason: 'not-the-phone' | 'malformed' | 'headers-too-large' | 'too-many-connections' | 'bad-tls-hello' | 'upstream-failed'; client: string; detail: string };

export type NetworkEventType = NetworkEventBody['type'];
