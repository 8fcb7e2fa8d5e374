/**
 * Which app opened a connection the proxy carried. The proxy only sees adbd (USB) or the phone's address (Wi-Fi);
 * the phone's own socket tables, read by the shell when the connection opens, name the uid that owns the socket:
 * USB — the app's socket to the reversed port on the phone's loopback, among the sockets no earlier connection
 * claimed; Wi-Fi — the socket whose local port is the client port the proxy saw (exact). Reads are coalesced: one
 * read at a time per phone, shared by every connection that opened before it began. Where the phone does not let
 * the shell read /proc/net, or nothing matched (the socket was gone), the connection is `unattributed` with the
 * foreground app and the processes the session knows were alive.
 */
import type { FlowApp, ProxyMode } from '../../../src-preload/network.js';
import { isLoopback, parseProcNet, type ProcNetSocket, type ProcNetTable } from './proc-net.js';

export interface AttributionOptions {
  mode: ProxyMode;
  /** USB: the phone's loopback port reversed to the proxy. Wi-Fi: the proxy's port on the host. */
  proxyPort: number;
  /** Reads `/proc/net/tcp6` and `/proc/net/tcp` on the phone (their text, bounded by the caller). */
  readTables: () => Promise<string>;
  /** The app of a uid (the phone's package list); null when unknown or shared. */
  packageOfUid: (uid: number) => string | null;
  /** Asked once per read that found a uid nobody knows: the package list read again. */
  refreshPackages?: () => Promise<void>;
  /** What the session knows is running (for an unattributed connection). */
  running: () => { foreground: string | null; alive: string[] };
}

export interface OpenedSocket {
  flowId: string;
  /** Host time the proxy accepted the connection. */
  openedAt: number;
  /** The client port the proxy saw (Wi-Fi: the phone's own socket's port). */
  clientPort: number;
}

interface Read {
  startedAt: number;
  waiting: Array<{ c: OpenedSocket; resolve: (app: FlowApp) => void }>;
}

/** A socket seen unclaimed in this many reads is an old one (opened before, or its connection never came). */
const OLD_AFTER_READS = 3;
/** Sockets remembered (claimed or seen): the phone's table is bounded, so is this. */
const MAX_REMEMBERED = 50_000;

/** Socket states that can be a connection the proxy is being handed (the phone's side of it). */
const LIVE_STATES = new Set([1 /* ESTABLISHED */, 2 /* SYN_SENT */, 4 /* FIN_WAIT1 */, 5 /* FIN_WAIT2 */, 8 /* CLOSE_WAIT */]);

export class Attribution {
  private inFlight: Read | null = null;
  private queued: Read | null = null;
  private claimed = new Set<string>();
  private seenUnclaimed = new Map<string, number>();
  /** Whether the last read could see the tables at all (for the session: said once). */
  lastReadable: boolean | null = null;
  readonly stats = { reads: 0, failedReads: 0 };

  constructor(private o: AttributionOptions) {}

  /** The app of a connection that just opened; never rejects (a failed read is `unattributed`). */
  attribute(c: OpenedSocket): Promise<FlowApp> {
    return new Promise((resolve) => {
      // A read that began after the connection opened sees its socket: the phone made it before the proxy saw it.
      if (this.inFlight && this.inFlight.startedAt >= c.openedAt) this.inFlight.waiting.push({ c, resolve });
      else if (this.inFlight) (this.queued ??= { startedAt: 0, waiting: [] }).waiting.push({ c, resolve });
      else {
        this.inFlight = { startedAt: Date.now(), waiting: [{ c, resolve }] };
        void this.run(this.inFlight);
      }
    });
  }

  private async run(read: Read): Promise<void> {
    let table: ProcNetTable | null = null;
    this.stats.reads++;
    try {
      table = parseProcNet(await this.o.readTables());
    } catch {
      this.stats.failedReads++;
    }
    this.lastReadable = table?.readable ?? false;
    if (table?.readable && this.o.refreshPackages && this.hasUnknownUid(table.sockets)) await this.o.refreshPackages().catch(() => undefined);
    const answers = table?.readable ? this.match(table.sockets, read.waiting.map((w) => w.c)) : null;
    read.waiting.forEach((w, i) => w.resolve(answers?.[i] ?? this.unattributed()));
    this.inFlight = null;
    const next = this.queued;
    this.queued = null;
    if (next) {
      next.startedAt = Date.now();
      this.inFlight = next;
      void this.run(next);
    }
  }

  private candidates(sockets: ProcNetSocket[]): ProcNetSocket[] {
    // uid 0 is what the kernel prints for a socket in TIME_WAIT (no owner left) and for root: not an app's.
    return sockets.filter((s) => s.uid !== 0 && LIVE_STATES.has(s.state) && s.remotePort === this.o.proxyPort && (this.o.mode === 'wifi' || isLoopback(s.remoteAddress)));
  }

  private hasUnknownUid(sockets: ProcNetSocket[]): boolean {
    return this.candidates(sockets).some((s) => s.uid >= 10_000 && this.o.packageOfUid(s.uid) === null);
  }

  private match(sockets: ProcNetSocket[], batch: OpenedSocket[]): FlowApp[] {
    const live = this.candidates(sockets);
    if (this.o.mode === 'wifi') {
      return batch.map((c) => {
        const mine = live.filter((s) => s.localPort === c.clientPort);
        return this.appOf([...new Set(mine.map((s) => s.uid))]);
      });
    }
    const fresh = live.filter((s) => {
      const k = key(s);
      return !this.claimed.has(k) && (this.seenUnclaimed.get(k) ?? 0) < OLD_AFTER_READS;
    });
    const uids = [...new Set(fresh.map((s) => s.uid))];
    const answers = batch.map(() => this.appOf(uids));
    // One app: each connection of the batch is one of its sockets. Several: only when there are no more fresh
    // sockets than connections is each of them surely one of this batch's (otherwise they wait, and age).
    const claims = uids.length === 1 ? fresh.slice(0, batch.length) : fresh.length <= batch.length ? fresh : [];
    for (const s of claims) this.claim(key(s));
    for (const s of fresh) {
      const k = key(s);
      if (!this.claimed.has(k)) this.seenUnclaimed.set(k, (this.seenUnclaimed.get(k) ?? 0) + 1);
    }
    this.forgetGone(live);
    return answers;
  }

  private claim(k: string): void {
    if (this.claimed.size >= MAX_REMEMBERED) this.claimed.clear();
    this.claimed.add(k);
    this.seenUnclaimed.delete(k);
  }

  /** Sockets no longer in the table are forgotten (their ports and inodes will be reused). */
  private forgetGone(live: ProcNetSocket[]): void {
    const present = new Set(live.map(key));
    for (const k of this.claimed) if (!present.has(k)) this.claimed.delete(k);
    for (const k of this.seenUnclaimed.keys()) if (!present.has(k)) this.seenUnclaimed.delete(k);
    if (this.seenUnclaimed.size > MAX_REMEMBERED) this.seenUnclaimed.clear();
  }

  private appOf(uids: number[]): FlowApp {
    if (uids.length === 0) return this.unattributed();
    if (uids.length === 1) {
      const uid = uids[0]!;
      return { attribution: 'uid', uid, packageName: this.o.packageOfUid(uid), candidates: [], foreground: null, alive: [] };
    }
    const candidates = uids.map((u) => this.o.packageOfUid(u) ?? `uid:${u}`).sort();
    return { attribution: 'ambiguous', uid: null, packageName: null, candidates, foreground: null, alive: [] };
  }

  private unattributed(): FlowApp {
    const { foreground, alive } = this.o.running();
    return { attribution: 'unattributed', uid: null, packageName: null, candidates: [], foreground, alive: alive.slice(0, 64) };
  }
}

function key(s: ProcNetSocket): string {
  return `${s.family}|${s.localAddress}|${s.localPort}|${s.inode}`;
}
