/**
 * A recording session with network capture on a virtual phone, as the CLI's `record --network` builds it: the real
 * adb server, the headless monitors, the session manager with its network follower, the real engine (proxy,
 * interceptor, PI search, SDK hosts) whose upstream is the phone's virtual internet.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkChoice, NetworkStatus } from '../../src-preload/network-api.js';
import type { TimelineEvent } from '../../src-preload/monitor-events.js';
import { AdbkitBridge } from '../../src-main/core/adb/device-bridge.js';
import { DeviceControl } from '../../src-main/core/adb/device-control.js';
import { loadNetworkEngine } from '../../src-main/core/network/default-engine.js';
import type { NetworkEngine } from '../../src-main/core/network/engine.js';
import { NetworkSessions } from '../../src-main/core/network/network-sessions.js';
import { describePhone } from '../../src-main/core/session/describe-phone.js';
import { HeadlessMonitors } from '../../src-main/core/session/headless-monitors.js';
import { SessionManager } from '../../src-main/core/session/session-manager.js';
import type { VirtualDevice } from '../../src-main/core/virtual-device/index.js';
import type { TestAdbServer } from './adb-server.js';

export interface NetworkRig {
  bridge: AdbkitBridge;
  control: DeviceControl;
  manager: SessionManager;
  network: NetworkSessions;
  dataDir: string;
  statuses: NetworkStatus[];
  /** The session's timeline events (read from disk). */
  events(id: string): Promise<TimelineEvent[]>;
}

/** The engine with the phone's virtual internet as the proxy's upstream (and its CA trusted when intercepting). */
export async function virtualEngine(phone: VirtualDevice): Promise<NetworkEngine> {
  const engine = await loadNetworkEngine();
  const internet = phone.internet;
  return internet ? { ...engine, upstream: internet.connector, upstreamTrustedCas: [internet.caPem] } : engine;
}

export function networkRig(adb: TestAdbServer, phone: VirtualDevice, o: { dataDir?: string } = {}): NetworkRig {
  const bridge = new AdbkitBridge('adb', adb.port);
  const control = new DeviceControl(bridge);
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'net-session-'));
  const monitors = new HeadlessMonitors(bridge);
  const statuses: NetworkStatus[] = [];
  let manager: SessionManager | null = null;
  const network = new NetworkSessions({
    dataDir, bridge: () => bridge, engine: () => virtualEngine(phone),
    session: (id) => manager?.get(id) ?? null, recordingOn: (serial) => manager?.recordingOn(serial) ?? null,
    onStatus: (s) => statuses.push(s),
  });
  manager = new SessionManager({
    root: join(dataDir, 'sessions'), tool: { name: 'test', version: '0' }, monitors,
    describe: (s, p) => describePhone(bridge, control, s, p), recording: network.recording,
  });
  monitors.manager = manager;
  const m = manager;
  return {
    bridge, control, manager: m, network, dataDir, statuses,
    events: async (id) => (await m.timeline(id, 0, 2000)).entries.map((e) => e.event),
  };
}

export const USB_INTERCEPT: NetworkChoice = { mode: 'usb', intercept: true, lanAddress: null, values: [] };
export const USB_TUNNEL: NetworkChoice = { mode: 'usb', intercept: false, lanAddress: null, values: [] };
