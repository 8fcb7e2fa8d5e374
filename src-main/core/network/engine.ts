/**
 * What a network session is built from: the proxy (proxy/), the session CA (proxy/session-ca.ts), reading the
 * phone's own values and searching exchanges for them (pi/), and the SDK host table (sdk-hosts.ts). One object,
 * so the workbench, the CLI and tests build sessions the same way (tests and the demo change only `upstream`).
 */
import type { DeviceBridge } from '../adb/device-bridge.js';
import type { HttpExchange, PhoneValue, PiMatch, ProxyObserver, ProxyStartOptions, RunningProxy, SdkForHost, SessionCa, UpstreamConnector } from './contracts.js';

/** One exchange searched: the matches, and whether the whole request body was searched. */
export interface ExchangeSearch {
  matches: PiMatch[];
  bodySearched: boolean;
}

export interface NetworkEngine {
  startProxy(options: ProxyStartOptions, observer: ProxyObserver): Promise<RunningProxy>;
  createSessionCa(): Promise<SessionCa>;
  /** The phone's own values (Android ID, serial, MACs, …) read at session start, with the tester's typed ones. */
  readPhoneValues(bridge: DeviceBridge, serial: string, typed: readonly PhoneValue[]): Promise<PhoneValue[]>;
  /** A search for `values` compiled once, run on each exchange's URL, headers and request body. */
  piSearch(values: readonly PhoneValue[]): (x: HttpExchange) => Promise<ExchangeSearch>;
  sdkForHost: SdkForHost | null;
  /** Where the proxy's connections go (tests and the demo: the virtual internet); default: the real network. */
  upstream?: UpstreamConnector;
  /** CAs trusted for destinations besides the system's when intercepting (the virtual internet's). */
  upstreamTrustedCas?: string[];
}
