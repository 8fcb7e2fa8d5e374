/**
 * The one event union of the workbench: what monitors extract from a phone (log lines, app-op and
 * permission dumps, foreground and screen state) and what the tester does. Types only — shared by the
 * core, the bridge, the renderer and (later) sessions and evaluators.
 */
export type EventSource = 'logcat' | 'appops' | 'package' | 'activity' | 'power' | 'monitor';

export interface EventBase {
  /** Increasing per monitor. */
  seq: number;
  serial: string;
  /** The package the monitor focuses on, or the package the event concerns. */
  packageName: string | null;
  hostTime: number;
  deviceTime: number | null;
  source: EventSource;
  /** The device output the event was read from, control sequences stripped. */
  raw: string[];
}

export const GRANT_RESULT_NAMES: Record<number, string> = {
  1: 'IGNORED', 2: 'IGNORED_USER_FIXED', 3: 'IGNORED_POLICY_FIXED', 4: 'USER_GRANTED', 5: 'AUTO_GRANTED',
  6: 'USER_DENIED', 7: 'USER_DENIED_WITH_PREJUDICE', 8: 'AUTO_DENIED', 9: 'IGNORED_RESTRICTED_PERMISSION',
};

export type MonitorEventBody =
  | { type: 'permission.dialog'; uid: number; controller: string }
  | { type: 'permission.result'; uid: number; permission: string; result: number; resultName: string; granted: boolean }
  | { type: 'permission.state'; permission: string; granted: boolean; flags: string[]; change: 'granted' | 'revoked' | 'flags' }
  | { type: 'process.start'; pid: number; process: string; hostingType: string; component: string; selfStart: boolean; caller: string | null }
  | { type: 'process.death'; pid: number; process: string; state: string }
  | { type: 'package.installed' | 'package.removed'; installer: string | null }
  | { type: 'identifier.access'; method: string; uid: number | null }
  | { type: 'appop.access' | 'appop.reject'; op: string; uidState: string; flags: string; accessTime: number | null }
  | { type: 'app.foreground'; component: string }
  | { type: 'screen.state'; on: boolean }
  | { type: 'device.disconnected' | 'device.reconnected'; gapMs: number | null };

export type MonitorEvent = EventBase & MonitorEventBody;
export type MonitorEventType = MonitorEventBody['type'];
