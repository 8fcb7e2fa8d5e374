/**
 * A minimal ADB host speaking raw packets to a device port, for transport tests that must control exactly
 * what the host sends (packet sizes, when OKAYs go out, a second CNXN). Everything else goes through the
 * real adb server.
 */
import { connect, type Socket } from 'node:net';
import { A_CNXN, A_VERSION, PacketReader, encodePacket, type Packet } from '../../src-main/core/virtual-device/protocol/packet.js';

export class RawAdbHost {
  readonly packets: Packet[] = [];
  private waiters: Array<() => void> = [];
  private reader = new PacketReader(() => 16 * 1024 * 1024);

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.packets.push(...this.reader.push(chunk));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(port: number, maxdata = 256 * 1024): Promise<RawAdbHost> {
    const socket = connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const host = new RawAdbHost(socket);
    host.send(A_CNXN, A_VERSION, maxdata, Buffer.from('host::features=shell_v2'));
    return host;
  }

  send(command: number, arg0: number, arg1: number, data?: Buffer): void {
    this.socket.write(encodePacket(command, arg0, arg1, data));
  }

  /** Waits for the first packet, after index `from`, that matches. */
  async next(match: (p: Packet) => boolean, from = 0, timeoutMs = 3000): Promise<{ packet: Packet; index: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.packets.findIndex((p, i) => i >= from && match(p));
      if (index >= 0) return { packet: this.packets[index]!, index };
      if (Date.now() > deadline) throw new Error('timed out waiting for a packet');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
