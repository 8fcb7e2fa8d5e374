/**
 * Monitors for sessions recorded without the workbench window (CLI `record`, `run`, `demo`): one DeviceMonitor
 * per phone writing its raw log into the session and handing its events to the session manager.
 */
import type { DeviceBridge } from '../adb/device-bridge.js';
import { DeviceMonitor } from '../monitor/device-monitor.js';
import type { SessionManager, SessionMonitors } from './session-manager.js';

export class HeadlessMonitors implements SessionMonitors {
  private monitors = new Map<string, DeviceMonitor>();
  manager: SessionManager | null = null;

  constructor(private bridge: DeviceBridge) {}

  async start(serial: string, packageName: string, rawLogPath: string): Promise<void> {
    await this.stop(serial);
    const monitor = new DeviceMonitor({ bridge: this.bridge, serial, packageName, rawLogPath, onEvent: (e) => this.manager?.onMonitorEvent(e), onLines: () => {}, linesWanted: () => 0 });
    this.monitors.set(serial, monitor);
    await monitor.start();
  }

  /** Resolves once the phone's monitor has read its dumps after this call (see DeviceMonitor.caughtUp). */
  caughtUp(serial: string): Promise<void> {
    return this.monitors.get(serial)?.caughtUp() ?? Promise.resolve();
  }

  async stop(serial: string): Promise<void> {
    const m = this.monitors.get(serial);
    this.monitors.delete(serial);
    await m?.stop();
  }
}
