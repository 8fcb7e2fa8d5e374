/**
 * One recording session's network capture: the session CA (when intercepting), the proxy, the phone pointed at
 * it and put back, and what the proxy reports turned into timeline events — `net.proxy` (the workbench's set-up,
 * source 'workbench'), and `net.connection` with its app and SDK, `net.closed`, `net.request` with bodies kept once
 * by hash, `pi.sent`, `net.refused` (source 'network'). The session keeps recording whatever the proxy or the
 * phone does: a refused setting is an event, a failed body write a body without blob; nothing here waits on the
 * timeline writer, and the proxy's callbacks only queue work.
 */
import { shellCommand } from '../adb/shell-quote.js';
import type { DeviceBridge } from '../adb/device-bridge.js';
import type { NetworkChoice, NetworkStatus, NetworkTimelineItem } from '../../../src-preload/network-api.js';
import type { FlowApp, FlowBody, NetworkEventBody } from '../../../src-preload/network.js';
import type { TimelineEvent } from '../../../src-preload/monitor-events.js';
import { WorkbenchError } from '../errors.js';
import { putBlobAsync } from '../session/blob-store.js';
import { Attribution } from './attribution.js';
import type { CapturedBody, ConnectionClosed, ConnectionOpened, HttpExchange, PhoneValue, ProxyRefusal, RunningProxy, SessionCa } from './contracts.js';
import type { ExchangeSearch, NetworkEngine } from './engine.js';
import { addressFacing, lanAddresses, phoneAddress } from './lan-addresses.js';
import { PhoneProxy } from './phone-proxy.js';
import { RunningApps } from './running-apps.js';
import { AppDirectory } from '../monitor/app-directory.js';
import { stripTerminalControls } from '../adb/terminal-text.js';
import type { NetworkRecord } from './network-events.js';

export interface NetworkSessionOptions {
  bridge: DeviceBridge;
  dataDir: string;
  /** Where its events go: a session's timeline (sessionRecord), or the CLI monitor's output. */
  record: NetworkRecord;
  choice: NetworkChoice;
  engine: NetworkEngine;
  onStatus: (status: NetworkStatus) => void;
  onItem: (item: NetworkTimelineItem) => void;
}

/** Bodies waiting to be written at once, in bytes: past it a body is counted and hashed but not kept. */
const MAX_PENDING_BODY_BYTES = 64 * 1024 * 1024;
/** Closed flows remembered for late exchanges (the proxy's connection limit is far below). */
const MAX_CLOSED_FLOWS = 4096;
/** How often the counts reach the session bar (only when they changed). */
const STATUS_MS = 1000;
const PROC_NET = `${shellCommand(['cat', '/proc/net/tcp6', '/proc/net/tcp'])} 2>&1`;
const PACKAGES = 'pm list packages -U 2>/dev/null';

interface Flow {
  /** The flow's last event written (net.connection first): each later one is chained after it, in the order reported. */
  tail: Promise<void>;
  host: string;
  sdk: ReturnType<NonNullable<NetworkEngine['sdkForHost']>> | null;
}

export class NetworkSession {
  private proxy: RunningProxy | null = null;
  private phone: PhoneProxy | null = null;
  private ca: SessionCa | null = null;
  private values: PhoneValue[] = [];
  private search: ((x: HttpExchange) => Promise<ExchangeSearch>) | null = null;
  private attribution: Attribution | null = null;
  private apps = new RunningApps();
  private directory = new AppDirectory();
  private flows = new Map<string, Flow>();
  private closedFlows: string[] = [];
  private pendingBodyBytes = 0;
  private piFound = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastCounts = '';
  private stopped = false;
  /** Work the proxy's callbacks queued (bodies, attribution): stop() waits for it before the session closes. */
  private work = new Set<Promise<unknown>>();
  status: NetworkStatus;
  readonly choice: NetworkChoice;
  /** The session's own events: what runs (for unattributed connections), and its phone leaving and coming back. */
  private listener = (_seq: number, e: TimelineEvent): void => {
    this.apps.observe(e);
    if (e.type === 'device.disconnected') this.phoneLost();
    else if (e.type === 'device.reconnected') this.track(this.phoneBack());
  };

  constructor(private o: NetworkSessionOptions) {
    this.choice = o.choice;
    this.status = {
      sessionId: o.record.id, serial: o.record.serial, state: 'starting', mode: o.choice.mode, intercept: o.choice.intercept,
      address: null, previous: null, problem: null, connections: { open: 0, total: 0, refused: 0 }, piFound: 0, caSha256: null,
    };
  }

  get serial(): string {
    return this.status.serial;
  }

  get sessionCa(): SessionCa | null {
    return this.ca;
  }

  /**
   * Starts the proxy and points the phone at it. A phone that refuses is not an error of the session: the state
   * becomes 'refused' with the phone's words, a net.proxy event says so, and the session records on.
   */
  async start(): Promise<NetworkStatus> {
    const { bridge, engine, choice, record } = this.o;
    const serial = this.serial;
    record.appended.add(this.listener);
    if (choice.intercept) {
      this.ca = await engine.createSessionCa();
      this.status.caSha256 = this.ca.sha256;
    }
    this.values = await engine.readPhoneValues(bridge, serial, choice.values).catch(() => [...choice.values]);
    this.search = this.values.length ? engine.piSearch(this.values) : null;
    this.directory.loadPackageList(stripTerminalControls(await bridge.shell(serial, PACKAGES, 10_000).catch(() => '')));
    const { host, clients } = choice.mode === 'usb' ? { host: '127.0.0.1', clients: null } : await this.wifiEnds();
    const ca = this.ca;
    this.proxy = await engine.startProxy({
      mode: choice.mode, bindAddress: host, port: 0, allowedClients: clients, ca,
      intercept: () => ca !== null, upstream: engine.upstream, upstreamTrustedCas: engine.upstreamTrustedCas,
    }, {
      opened: (c) => this.opened(c),
      closed: (c) => this.closed(c),
      exchange: (x) => this.exchange(x),
      refused: (r) => this.refused(r),
    });
    this.attribution = new Attribution({
      mode: choice.mode, proxyPort: this.proxy.port,
      readTables: async () => (await bridge.shellBytes(serial, PROC_NET, 5000, 8 * 1024 * 1024)).toString('latin1'),
      packageOfUid: (uid) => this.directory.packageOfUid(uid),
      refreshPackages: async () => void this.directory.loadPackageList(stripTerminalControls(await bridge.shell(serial, PACKAGES, 10_000))),
      running: () => this.apps.running(),
    });
    this.phone = new PhoneProxy({ bridge, dataDir: this.o.dataDir, serial, mode: choice.mode, host, port: this.proxy.port, sessionId: record.id });
    try {
      const r = await this.phone.setUp();
      if (r.staleCleared) this.writeProxy('stale-cleared', r.staleCleared.address, r.staleCleared.previous, null);
      this.status.previous = r.previous;
      this.status.address = this.phone.address;
      this.status.state = 'on';
      this.writeProxy('on', this.phone.address, r.previous, null);
    } catch (err) {
      const problem = err instanceof WorkbenchError ? String(err.details.reason ?? err.message) : err instanceof Error ? err.message : String(err);
      this.status.state = 'refused';
      this.status.problem = problem;
      this.writeProxy('refused', this.phone.address, this.phone.previous, problem);
      this.phone = null;
      await this.proxy.stop().catch(() => undefined);
      this.proxy = null;
      record.appended.delete(this.listener);
      this.announce();
      return this.status;
    }
    this.timer = setInterval(() => this.announceCounts(), STATUS_MS);
    this.timer.unref();
    this.announce();
    return this.status;
  }

  /** Wi-Fi mode: the host address the phone reaches (the tester's choice, else the one on its subnet) and the phone's own. */
  private async wifiEnds(): Promise<{ host: string; clients: string[] }> {
    const said = await this.o.bridge.shell(this.serial, 'ip -o addr show 2>/dev/null', 10_000).catch(() => '');
    const phone = phoneAddress(stripTerminalControls(said));
    if (!phone) throw new WorkbenchError('network.no-lan-address', `${this.serial} has no IPv4 address on a network (ip -o addr)`, { serial: this.serial, problem: 'the phone has no address' });
    const mine = lanAddresses();
    const chosen = this.o.choice.lanAddress;
    if (chosen && !mine.some((a) => a.address === chosen)) throw new WorkbenchError('network.no-lan-address', `${chosen} is not an address of this computer`, { problem: `${chosen} is not an address of this computer` });
    const host = chosen ?? addressFacing(phone, mine);
    if (!host) throw new WorkbenchError('network.no-lan-address', `No address of this computer is on ${phone}'s network`, { problem: `no address on ${phone}'s network` });
    return { host, clients: [phone] };
  }

  /** The phone was unplugged: the proxy waits; the setting stays on the phone (it is restored when it is back). */
  phoneLost(): void {
    if (this.status.state !== 'on') return;
    this.status.state = 'phone-away';
    this.announce();
  }

  /** The phone is back: its reverse made again (USB's died with the connection), the setting checked. */
  async phoneBack(): Promise<void> {
    if (this.status.state !== 'phone-away' || !this.phone) return;
    try {
      await this.phone.reapply();
      this.status.state = 'on';
      this.status.problem = null;
    } catch (err) {
      this.status.problem = err instanceof Error ? err.message : String(err);
    }
    this.announce();
  }

  /**
   * Stops the capture: the phone restored (net.proxy 'restored'), the proxy stopped, queued work written. Throws
   * network.phone-away-like errors only through `restoreFailed`: a phone that cannot be reached now keeps its
   * lease, and the caller restores it when the phone is back.
   */
  async stop(): Promise<{ restoreFailed: Error | null }> {
    if (this.stopped) return { restoreFailed: null };
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    let restoreFailed: Error | null = null;
    if (this.phone?.active) {
      try {
        await this.phone.tearDown();
        this.writeProxy('restored', this.phone.address, this.phone.previous, null);
      } catch (err) {
        restoreFailed = err instanceof Error ? err : new Error(String(err));
        this.writeProxy('restored', this.phone.address, this.phone.previous, `not yet: ${restoreFailed.message.slice(0, 200)}; restored when the phone is back`);
      }
    }
    await this.proxy?.stop().catch(() => undefined);
    // What the proxy reported before it stopped reaches the timeline before the session closes.
    while (this.work.size) await Promise.allSettled([...this.work]);
    this.o.record.appended.delete(this.listener);
    this.status.state = 'off';
    this.status.connections = this.proxy ? this.proxy.stats() : this.status.connections;
    this.announce();
    return { restoreFailed };
  }

  /** The phone whose restore failed at stop (away): tried again when it is back. */
  get pendingRestore(): PhoneProxy | null {
    return this.phone?.active ? this.phone : null;
  }

  private track<T>(p: Promise<T>): void {
    this.work.add(p);
    void p.catch(() => undefined).finally(() => this.work.delete(p));
  }

  private opened(c: ConnectionOpened): void {
    const host = c.sni ?? c.host;
    const sdk = this.o.engine.sdkForHost?.(host) ?? (c.sni && c.sni !== c.host ? this.o.engine.sdkForHost?.(c.host) ?? null : null);
    const attribution = this.attribution!.attribute({ flowId: c.flowId, openedAt: c.openedAt, clientPort: c.clientPort });
    const tail = attribution.then((app: FlowApp) => {
      this.write({ type: 'net.connection', flowId: c.flowId, via: c.via, host: c.host, port: c.port, sni: c.sni, tls: c.tls, intercepted: c.intercepted, app, sdk }, c.openedAt);
    });
    this.flows.set(c.flowId, { tail, host: c.host, sdk });
    this.track(tail);
  }

  /** Writes `write` after the flow's earlier events (or at once for a flow never opened here). */
  private after(flowId: string, write: () => void | Promise<void>): void {
    const flow = this.flows.get(flowId);
    if (!flow) {
      this.track(Promise.resolve().then(write));
      return;
    }
    flow.tail = flow.tail.then(write, write);
    this.track(flow.tail);
  }

  private closed(c: ConnectionClosed): void {
    this.after(c.flowId, () => void this.write({ type: 'net.closed', flowId: c.flowId, bytesUp: c.bytesUp, bytesDown: c.bytesDown, durationMs: c.durationMs, error: c.error }));
    // Kept a while: an intercepted exchange may be reported just after its tunnel closed (mockttp finishes it).
    const flow = this.flows.get(c.flowId);
    if (flow) this.closedFlows.push(c.flowId);
    while (this.closedFlows.length > MAX_CLOSED_FLOWS) this.flows.delete(this.closedFlows.shift()!);
  }

  private exchange(x: HttpExchange): void {
    const flow = this.flows.get(x.flowId);
    // Bodies are claimed now (the proxy may reuse nothing, but the budget is counted as they arrive).
    const request = this.keepBody(x.requestBody);
    const response = this.keepBody(x.responseBody);
    const host = flow?.host ?? hostOf(x.url);
    const sdk = flow?.sdk ?? this.o.engine.sdkForHost?.(host) ?? null;
    // The search and the body writes start now, off the proxy's callback (a 16 MiB body takes a while); the
    // events wait for the flow's earlier ones, so a flow reads connection, requests, closed in that order.
    const work = (async () => {
      await new Promise((r) => setImmediate(r));
      const found = this.search ? await this.search(x).catch(() => null) : null;
      const [requestBody, responseBody] = await Promise.all([request, response]);
      if (requestBody) requestBody.searched = found?.bodySearched ?? false;
      return { matches: found?.matches ?? [], requestBody, responseBody };
    })();
    this.track(work);
    this.after(x.flowId, async () => {
      const { matches, requestBody, responseBody } = await work;
      const seq = this.write({
        type: 'net.request', flowId: x.flowId, requestId: x.requestId, method: x.method, url: x.url, httpVersion: x.httpVersion, status: x.status,
        requestHeaders: x.requestHeaders, responseHeaders: x.responseHeaders, requestBody, responseBody, durationMs: x.durationMs,
      }, x.startedAt);
      if (seq === null) return;
      for (const m of matches) {
        this.piFound++;
        this.write({ type: 'pi.sent', flowId: x.flowId, requestId: x.requestId, kind: m.kind, form: m.form, where: m.where, host, sdk, masked: m.masked }, x.startedAt);
      }
    });
  }

  /** A body kept once in the session's blobs by hash (its first bytes when the proxy cut it); bounded in flight. */
  private async keepBody(b: CapturedBody | null): Promise<FlowBody | null> {
    if (!b) return null;
    const body: FlowBody = { blob: null, size: b.size, truncated: b.truncated, sha256: b.sha256, searched: false };
    const dir = this.o.record.blobDir;
    if (!dir || this.pendingBodyBytes + b.bytes.length > MAX_PENDING_BODY_BYTES) return body;
    this.pendingBodyBytes += b.bytes.length;
    try {
      body.blob = await putBlobAsync(dir, b.bytes, 'application/octet-stream');
    } catch {
      // The session's folder refused the write (full disk): the event keeps the body's hash and size.
    } finally {
      this.pendingBodyBytes -= b.bytes.length;
    }
    return body;
  }

  private refused(r: ProxyRefusal): void {
    this.write({ type: 'net.refused', ...r });
  }

  private writeProxy(state: 'on' | 'restored' | 'refused' | 'stale-cleared', address: string, previous: string | null, problem: string | null): void {
    this.write({ type: 'net.proxy', state, mode: this.o.choice.mode, address, previous, problem }, Date.now(), 'workbench');
  }

  /** Appends one network event to the session (while it records); returns its seq, or null when it no longer records. */
  private write(body: NetworkEventBody, hostTime = Date.now(), source: 'network' | 'workbench' = 'network'): number | null {
    const written = this.o.record.append(body, hostTime, source);
    if (!written) return null;
    this.o.onItem({ sessionId: this.o.record.id, ...written });
    return written.seq;
  }

  private announce(): void {
    if (this.proxy) this.status.connections = this.proxy.stats();
    this.status.piFound = this.piFound;
    this.lastCounts = JSON.stringify([this.status.connections, this.piFound]);
    this.o.onStatus(structuredClone(this.status));
  }

  private announceCounts(): void {
    if (!this.proxy) return;
    if (JSON.stringify([this.proxy.stats(), this.piFound]) !== this.lastCounts) this.announce();
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
