/**
 * What a network session is built from: the proxy (proxy/), the session CA (proxy/session-ca.ts), reading the
 * phone's own values and searching exchanges for them (pi/), and the SDK host table (sdk-hosts.ts). One object,
 * so the workbench, the CLI and tests build sessions the same way.
 */
import type { DeviceBridge } from '../adb/device-bridge.js';
import type { HttpExchange, PhoneValue, PiMatch, ProxyObserver, ProxyStartOptions, RunningProxy, SdkForHost, SessionCa, UpstreamConnector } from './contracts.js';

export interface NetworkEngine {
  startProxy(options: ProxyStartOptions, observer: ProxyObserver): Promise<RunningProxy>;
  createSessionCa(): Promise<SessionCa>;
  /** The phone's own values (Android ID, serial, MACs, …) read at session start; what cannot be read is left out. */
  readPhoneValues(bridge: DeviceBridge, serial: string): Promise<PhoneValue[]>;
  /** A search for `values` in one exchange's URL, headers and request body. */
  piSearch(values: PhoneValue[]): (x: HttpExchange) => PiMatch[];
  sdkForHost: SdkForHost | null;
  /** Where the proxy's connections go (tests and the demo: the virtual internet); default: the real network. */
  upstream?: UpstreamConnector;
}
