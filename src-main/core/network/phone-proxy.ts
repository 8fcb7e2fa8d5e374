/**
 * Points one phone at one of our proxies and puts it back exactly as it was. Set-up: the phone's http_proxy read
 * (the previous value, exactly), the lease written, then `adb reverse tcp:P tcp:P` (USB) and
 * `settings put global http_proxy ADDRESS` — each read back. Tear-down: the previous value put back (deleted when
 * it was unset), the reverse removed, the lease deleted — in that order, so a phone is never left pointing at
 * nothing while we still know what it had. A phone that refuses either step is restored at once and the caller
 * told why (network.phone-refused). A phone must never be left without internet by us.
 */
import type { ProxyMode } from '../../../src-preload/network.js';
import type { DeviceBridge } from '../adb/device-bridge.js';
import { WorkbenchError } from '../errors.js';
import { leaseDead, readLease, removeLease, writeLease, type ProxyLease } from './proxy-lease.js';
import { readHttpProxy, restoreHttpProxy, writeHttpProxy } from './proxy-setting.js';

export interface PhoneProxyOptions {
  bridge: DeviceBridge;
  dataDir: string;
  serial: string;
  mode: ProxyMode;
  /** USB: 127.0.0.1 (the phone's loopback, reversed); Wi-Fi: the host's LAN address the proxy listens on. */
  host: string;
  /** The proxy's port; in USB mode the same port on the phone's loopback. */
  port: number;
  sessionId: string | null;
}

export interface SetUpResult {
  previous: string | null;
  /** A lease a dead workbench left for this phone was cleared first (its previous value adopted). */
  staleCleared: ProxyLease | null;
}

export class PhoneProxy {
  readonly address: string;
  previous: string | null = null;
  /** The phone holds our setting (set up and not yet restored). */
  active = false;

  constructor(private o: PhoneProxyOptions) {
    this.address = `${o.host}:${o.port}`;
  }

  async setUp(): Promise<SetUpResult> {
    const { bridge, serial, dataDir } = this.o;
    const held = readLease(dataDir, serial);
    if (held && !leaseDead(held) && held.pid !== process.pid) {
      throw new WorkbenchError('network.busy', `Another workbench (process ${held.pid}) has pointed ${serial} at its proxy`, { serial, pid: held.pid });
    }
    let staleCleared: ProxyLease | null = null;
    const now = await readHttpProxy(bridge, serial);
    if (held) {
      // A lease a dead workbench (or this process's earlier session) left: the phone's true setting is the lease's
      // previous value, as long as the phone still holds what that lease set.
      staleCleared = held;
      this.previous = now === held.address ? held.previous : now;
      if (held.reverse) await bridge.reverseRemove(serial, held.port).catch(() => undefined);
    } else this.previous = now;
    writeLease(dataDir, { serial, previous: this.previous, address: this.address, pid: process.pid, port: this.o.port, mode: this.o.mode, reverse: this.o.mode === 'usb', startedAt: Date.now(), sessionId: this.o.sessionId });
    try {
      if (this.o.mode === 'usb') await this.reverse();
      this.active = true;
      await writeHttpProxy(bridge, serial, this.address);
    } catch (err) {
      // Refused half-way: whatever was done is undone before the refusal is reported.
      await this.tearDown().catch(() => undefined);
      throw err;
    }
    return { previous: this.previous, staleCleared };
  }

  private async reverse(): Promise<void> {
    try {
      await this.o.bridge.reverse(this.o.serial, this.o.port, this.o.port);
    } catch (err) {
      const reason = err instanceof Error ? err.message.slice(0, 300) : String(err);
      throw new WorkbenchError('network.phone-refused', `${this.o.serial} refused \`adb reverse tcp:${this.o.port}\`: ${reason}`, { serial: this.o.serial, what: 'adb reverse', reason });
    }
  }

  /**
   * The phone came back after being unplugged: USB's reverse died with the connection (adbd forgets it), the
   * setting survived — unless someone changed it meanwhile, then it is set again (the lease still says what to
   * restore).
   */
  async reapply(): Promise<void> {
    if (!this.active) return;
    if (this.o.mode === 'usb') await this.reverse();
    if ((await readHttpProxy(this.o.bridge, this.o.serial)) !== this.address) await writeHttpProxy(this.o.bridge, this.o.serial, this.address);
  }

  /**
   * Puts the phone back: the previous value, then the reverse removed, then the lease deleted. Throws when the
   * phone cannot be reached: the lease stays, so the next start (or the phone's return) restores it.
   */
  async tearDown(): Promise<void> {
    const { bridge, serial, dataDir } = this.o;
    let failure: unknown = null;
    try {
      await restoreHttpProxy(bridge, serial, this.previous);
    } catch (err) {
      failure = err;
    }
    // The reverse goes whatever the setting did: a phone that refuses settings still takes adb's own commands.
    if (this.o.mode === 'usb') await bridge.reverseRemove(serial, this.o.port).catch((err: unknown) => void (failure ??= err));
    // A refused write changed nothing: a phone that still holds its previous value is restored all the same.
    if (failure && (await readHttpProxy(bridge, serial).catch(() => undefined)) !== this.previous) throw failure;
    this.active = false;
    removeLease(dataDir, serial);
  }
}
