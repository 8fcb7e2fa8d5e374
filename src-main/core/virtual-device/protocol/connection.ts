/**
 * One host connection to the virtual device: the CNXN handshake (optionally AUTH that never succeeds, to
 * show the "unauthorized" state), stream bookkeeping and packet dispatch. Hostile bytes end this connection
 * only; the listener and other connections carry on.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import {
  A_AUTH, A_CLSE, A_CNXN, A_OKAY, A_OPEN, A_VERSION, A_WRTE, PacketReader, ProtocolViolation, encodePacket,
  type Packet,
} from './packet.js';
import { DeviceStream, type StreamSink } from './device-stream.js';

export const DEVICE_MAXDATA = 256 * 1024;
const MAX_STREAMS = 512;
const AUTH_TOKEN = 1;
const AUTH_SIGNATURE = 2;

export interface ConnectionOptions {
  /** `device::ro.product.name=...;features=...` */
  banner: () => string;
  requireAuth: boolean;
  /** Returns the handler that will own the stream, or null to refuse the service like adbd (CLSE). */
  openService: (service: string, connection: DeviceConnection) => ((stream: DeviceStream) => void) | null;
  /** The transport ended (socket closed, or a new CNXN reset it): adbd drops what was tied to it (reverse listeners). */
  onTransportEnd?: () => void;
}

export class DeviceConnection implements StreamSink {
  private reader = new PacketReader(() => (this.online ? this.maxdata : 4096 + 1024 * 1024));
  private streams = new Map<number, DeviceStream>();
  private nextId = 1;
  private maxdata = DEVICE_MAXDATA;
  private online = false;

  constructor(private socket: Socket, private options: ConnectionOptions) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onBytes(chunk));
    socket.on('close', () => this.endTransport());
    socket.on('error', () => this.endTransport());
  }

  close(): void {
    this.endTransport();
    this.socket.destroy();
  }

  private endTransport(): void {
    this.dropStreams();
    this.options.onTransportEnd?.();
  }

  maxData(): number {
    return this.maxdata;
  }

  sendWrite(localId: number, remoteId: number, data: Buffer): void {
    this.send(A_WRTE, localId, remoteId, data);
  }

  sendClose(localId: number, remoteId: number): void {
    this.send(A_CLSE, localId, remoteId);
  }

  sendOkay(localId: number, remoteId: number): void {
    this.send(A_OKAY, localId, remoteId);
  }

  /** Whether the host is connected and past CNXN. */
  get isOnline(): boolean {
    return this.online && !this.socket.destroyed;
  }

  /**
   * A stream the device opens towards the host (adbd's connect_to_remote for `adb reverse`): OPEN with the
   * NUL-terminated destination; pending until the host's OKAY, 'close' without 'accepted' if refused.
   */
  openStream(destination: string): DeviceStream | null {
    if (!this.isOnline || this.streams.size >= MAX_STREAMS) return null;
    const localId = this.allocateId();
    const stream = new DeviceStream(localId, 0, destination, this);
    this.streams.set(localId, stream);
    this.send(A_OPEN, localId, 0, Buffer.from(`${destination}\0`, 'utf8'));
    return stream;
  }

  forget(localId: number): void {
    this.streams.delete(localId);
  }

  private send(command: number, arg0: number, arg1: number, data?: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(encodePacket(command, arg0, arg1, data));
  }

  private onBytes(chunk: Buffer): void {
    let packets: Packet[];
    try {
      packets = this.reader.push(chunk);
    } catch (err) {
      if (err instanceof ProtocolViolation) {
        this.close();
        return;
      }
      throw err;
    }
    for (const packet of packets) this.onPacket(packet);
  }

  private onPacket(p: Packet): void {
    switch (p.command) {
      case A_CNXN:
        this.endTransport();
        this.maxdata = Math.max(4096, Math.min(p.arg1 || DEVICE_MAXDATA, DEVICE_MAXDATA));
        if (this.options.requireAuth) {
          this.online = false;
          this.send(A_AUTH, AUTH_TOKEN, 0, randomBytes(20));
        } else {
          this.online = true;
          this.send(A_CNXN, A_VERSION, this.maxdata, Buffer.from(this.options.banner(), 'utf8'));
        }
        return;
      case A_AUTH:
        // Every signature is refused with a fresh token; a public key is "shown" and never accepted.
        if (p.arg0 === AUTH_SIGNATURE) this.send(A_AUTH, AUTH_TOKEN, 0, randomBytes(20));
        return;
      case A_OPEN:
        this.onOpen(p);
        return;
      case A_OKAY: {
        const stream = this.streams.get(p.arg1);
        if (!stream || p.arg0 === 0) return;
        if (!stream.accepted) stream.onAccepted(p.arg0);
        else if (stream.remoteId === p.arg0) stream.onAck();
        return;
      }
      case A_WRTE: {
        const stream = this.streams.get(p.arg1);
        if (!stream || !stream.accepted) return;
        if (!stream.holdAcks) this.send(A_OKAY, stream.localId, stream.remoteId);
        stream.onData(p.data);
        return;
      }
      case A_CLSE: {
        const stream = this.streams.get(p.arg1);
        if (stream) stream.onRemoteClose();
        return;
      }
    }
  }

  private onOpen(p: Packet): void {
    if (!this.online || p.arg0 === 0) return;
    const nul = p.data.indexOf(0);
    const service = p.data.subarray(0, nul >= 0 ? nul : p.data.length).toString('utf8');
    const handler = this.streams.size < MAX_STREAMS ? this.options.openService(service, this) : null;
    if (!handler) {
      this.send(A_CLSE, 0, p.arg0);
      return;
    }
    const localId = this.allocateId();
    const stream = new DeviceStream(localId, p.arg0, service, this);
    this.streams.set(localId, stream);
    this.send(A_OKAY, localId, p.arg0);
    try {
      handler(stream);
    } catch (err) {
      stream.end(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }

  private allocateId(): number {
    let id = this.nextId;
    while (this.streams.has(id)) id = id >= 0x7fffffff ? 1 : id + 1;
    this.nextId = id >= 0x7fffffff ? 1 : id + 1;
    return id;
  }

  private dropStreams(): void {
    const all = [...this.streams.values()];
    this.streams.clear();
    for (const stream of all) stream.onRemoteClose();
  }
}
