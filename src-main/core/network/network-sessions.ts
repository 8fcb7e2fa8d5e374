/**
 * The network capture of every recording session of this process: on and off per session, paused with the
 * session and back on with it, the phone's setting restored on stop, on the workbench's exit, and — for a phone
 * that was away when its session stopped — when it comes back. Phones a dead workbench left pointed at its
 * proxy are found (at start, when a phone connects) and cleared on the tester's request. Each session keeps its
 * CA for the life of the process, so a phone that installed it keeps trusting it across pause and resume.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkChoice, NetworkStatus, NetworkTimelineItem, SessionCaFile, StaleProxy } from '../../../src-preload/network-api.js';
import type { DeviceBridge } from '../adb/device-bridge.js';
import { WorkbenchError } from '../errors.js';
import type { Session } from '../session/session.js';
import type { SessionCa } from './contracts.js';
import type { NetworkEngine } from './engine.js';
import { NetworkSession } from './network-session.js';
import { sessionCaFiles } from './proxy/session-ca.js';
import type { PhoneProxy } from './phone-proxy.js';
import { appendNetworkEvent, sessionRecord } from './network-events.js';
import { clearStaleProxy, findStaleProxies } from './stale-proxies.js';

export interface NetworkSessionsOptions {
  dataDir: string;
  bridge: () => DeviceBridge;
  /** Loaded on the first start (the proxy's library is large): commands without network never load it. */
  engine: () => Promise<NetworkEngine>;
  /** The open session `id`, or null. */
  session: (id: string) => Session | null;
  /** The session recording on a phone, or null. */
  recordingOn: (serial: string) => Session | null;
  onStatus?: (status: NetworkStatus) => void;
  onItem?: (item: NetworkTimelineItem) => void;
  onStale?: (stale: StaleProxy[]) => void;
}

/** Where a pushed CA goes on the phone: the folder Settings' "Install a certificate" opens first. */
const PHONE_CA_DIR = '/sdcard/Download';

export class NetworkSessions {
  private running = new Map<string, NetworkSession>();
  /** Sessions paused with network on: their choice, to be on again when they resume. */
  private suspended = new Map<string, NetworkChoice>();
  private lastStatus = new Map<string, NetworkStatus>();
  private cas = new Map<string, SessionCa>();
  private pushed = new Map<string, string>();
  /** Phones whose restore failed because they were away: restored when they are listed again. */
  private pendingRestores = new Map<string, PhoneProxy>();
  private stale: StaleProxy[] = [];

  constructor(private o: NetworkSessionsOptions) {}

  async start(sessionId: string, choice: NetworkChoice): Promise<NetworkStatus> {
    const session = this.o.session(sessionId);
    if (!session || session.meta.state !== 'recording') throw new WorkbenchError('session.not-recording', `Session ${sessionId} is not recording; start or resume it first`, { id: sessionId, reason: 'not-open' });
    const current = this.running.get(sessionId);
    if (current) {
      if (current.status.state !== 'refused') return current.status;
      await current.stop();
      this.running.delete(sessionId);
    }
    await this.restorePending(session.meta.device.serial);
    const ca = this.cas.get(sessionId) ?? null;
    const loaded = await this.o.engine();
    const engine: NetworkEngine = ca ? { ...loaded, createSessionCa: async () => ca } : loaded;
    const net = new NetworkSession({
      bridge: this.o.bridge(), dataDir: this.o.dataDir, record: sessionRecord(session), choice, engine,
      onStatus: (s) => {
        this.lastStatus.set(s.sessionId, s);
        this.o.onStatus?.(s);
      },
      onItem: (item) => this.o.onItem?.(item),
    });
    this.running.set(sessionId, net);
    try {
      const status = await net.start();
      if (net.sessionCa) this.cas.set(sessionId, net.sessionCa);
      // A stale lease for this phone was adopted and cleared by the set-up.
      if (this.stale.some((s) => s.serial === net.serial)) this.setStale(this.stale.filter((s) => s.serial !== net.serial));
      return status;
    } catch (err) {
      this.running.delete(sessionId);
      await net.stop().catch(() => undefined);
      throw err;
    }
  }

  /** Stops the session's capture (the phone restored); idempotent. */
  async stop(sessionId: string, keepForResume = false): Promise<NetworkStatus | null> {
    const net = this.running.get(sessionId);
    if (!net) {
      if (!keepForResume) this.suspended.delete(sessionId);
      return this.lastStatus.get(sessionId) ?? null;
    }
    this.running.delete(sessionId);
    if (keepForResume && net.status.state !== 'refused') this.suspended.set(sessionId, net.choice);
    const { restoreFailed } = await net.stop();
    if (restoreFailed && net.pendingRestore) this.pendingRestores.set(net.serial, net.pendingRestore);
    return net.status;
  }

  status(sessionId: string): NetworkStatus | null {
    return this.running.get(sessionId)?.status ?? this.lastStatus.get(sessionId) ?? null;
  }

  /** The session manager's hooks: network follows the session's recording (pause, resume, close, shutdown). */
  readonly recording = {
    beforeStop: async (s: Session, why: 'pause' | 'close' | 'shutdown'): Promise<void> => {
      await this.stop(s.id, why === 'pause');
    },
    afterResume: async (s: Session): Promise<void> => {
      const choice = this.suspended.get(s.id);
      if (!choice) return;
      this.suspended.delete(s.id);
      await this.start(s.id, choice);
    },
  };

  /** The adb server's list changed: phones that came back get their restore; new phones are checked for stale proxies. */
  async devicesChanged(connected: string[]): Promise<void> {
    for (const serial of connected) await this.restorePending(serial);
    await this.checkStale(connected).catch(() => undefined);
  }

  private async restorePending(serial: string): Promise<void> {
    const phone = this.pendingRestores.get(serial);
    if (!phone) return;
    try {
      await phone.tearDown();
      this.pendingRestores.delete(serial);
    } catch {
      // Still away or not answering: the lease stays, the next change tries again.
    }
  }

  async checkStale(connected?: string[]): Promise<StaleProxy[]> {
    const bridge = this.o.bridge();
    const phones = connected ?? (await bridge.listDevices()).filter((d) => d.type === 'device').map((d) => d.serial);
    const stale = await findStaleProxies({ bridge, dataDir: this.o.dataDir, connected: phones, ours: (serial) => this.ours(serial) });
    this.setStale(stale);
    return stale;
  }

  private ours(serial: string): boolean {
    return this.pendingRestores.has(serial) || [...this.running.values()].some((n) => n.serial === serial && n.status.state !== 'refused');
  }

  private setStale(stale: StaleProxy[]): void {
    const changed = JSON.stringify(stale) !== JSON.stringify(this.stale);
    this.stale = stale;
    if (changed) this.o.onStale?.(stale);
  }

  /** Clears the stale proxy of `serial` (found again now); returns what is still stale. */
  async clearStale(serial: string): Promise<StaleProxy[]> {
    const found = (await this.checkStale()).find((s) => s.serial === serial);
    if (!found) return this.stale;
    if (!found.connected) throw new WorkbenchError('network.phone-away', `${serial} is not connected`, { serial });
    await clearStaleProxy(this.o.bridge(), this.o.dataDir, found);
    const recording = this.o.recordingOn(serial);
    if (recording) {
      const written = appendNetworkEvent(recording, { type: 'net.proxy', state: 'stale-cleared', mode: found.lease?.mode ?? 'usb', address: found.current ?? '', previous: found.restore, problem: null }, Date.now(), 'workbench');
      if (written) this.o.onItem?.({ sessionId: recording.id, ...written });
    }
    return this.checkStale();
  }

  ca(sessionId: string): SessionCaFile {
    const ca = this.cas.get(sessionId);
    if (!ca) throw new WorkbenchError('network.no-ca', `Session ${sessionId} does not intercept TLS`, { sessionId });
    const files = sessionCaFiles(ca);
    return { sessionId, sha256: files.sha256, pem: files.pem, derBase64: files.der.toString('base64'), fileName: files.crtFileName, phonePath: this.pushed.get(sessionId) ?? null };
  }

  /** Copies the session CA to the phone's Download folder, for Settings › Install a certificate › CA certificate. */
  async pushCa(sessionId: string): Promise<SessionCaFile> {
    const file = this.ca(sessionId);
    const net = this.running.get(sessionId);
    const serial = net?.serial ?? this.o.session(sessionId)?.meta.device.serial;
    if (!serial) throw new WorkbenchError('network.not-on', `Network capture is not on for session ${sessionId}`, { sessionId });
    const dir = join(this.o.dataDir, 'network');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const local = join(dir, `${process.pid}-${file.fileName}`);
    writeFileSync(local, file.pem, { mode: 0o600 });
    const remote = `${PHONE_CA_DIR}/${file.fileName}`;
    try {
      await this.o.bridge().push(serial, local, remote, () => undefined);
    } finally {
      rmSync(local, { force: true });
    }
    this.pushed.set(sessionId, remote);
    return { ...file, phonePath: remote };
  }

  /** Every session's capture stopped and its phone restored (the workbench's exit). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.stop(id).catch(() => null)));
  }
}
