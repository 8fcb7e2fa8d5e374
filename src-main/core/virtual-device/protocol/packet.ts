/**
 * ADB transport packets, device side: the 24-byte header (six little-endian u32) and a reader that cuts
 * a byte stream into packets. It owns framing only; it never trusts a length without a bound and never
 * rejects a packet for its checksum (the host sends 0 with version 0x01000001 and on reconnect).
 */
export const A_CNXN = 0x4e584e43;
export const A_AUTH = 0x48545541;
export const A_OPEN = 0x4e45504f;
export const A_OKAY = 0x59414b4f;
export const A_CLSE = 0x45534c43;
export const A_WRTE = 0x45545257;

export const A_VERSION = 0x01000001;
export const HEADER_SIZE = 24;
const KNOWN = new Set([A_CNXN, A_AUTH, A_OPEN, A_OKAY, A_CLSE, A_WRTE]);

export interface Packet {
  command: number;
  arg0: number;
  arg1: number;
  data: Buffer;
}

export function commandName(command: number): string {
  return Buffer.from(Uint32Array.of(command).buffer).toString('latin1');
}

function checksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum = (sum + data[i]!) >>> 0;
  return sum;
}

export function encodePacket(command: number, arg0: number, arg1: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.allocUnsafe(HEADER_SIZE);
  header.writeUInt32LE(command, 0);
  header.writeUInt32LE(arg0 >>> 0, 4);
  header.writeUInt32LE(arg1 >>> 0, 8);
  header.writeUInt32LE(data.length, 12);
  header.writeUInt32LE(checksum(data), 16);
  header.writeUInt32LE((command ^ 0xffffffff) >>> 0, 20);
  return data.length ? Buffer.concat([header, data]) : header;
}

export class ProtocolViolation extends Error {}

/**
 * Accumulates socket bytes and yields whole packets. Holds at most one header plus one payload of at most
 * `maxPayload` bytes: anything larger, a bad magic or an unknown command is a ProtocolViolation.
 */
export class PacketReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private maxPayload: () => number) {}

  push(chunk: Buffer): Packet[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const packets: Packet[] = [];
    for (;;) {
      if (this.buffered < HEADER_SIZE) break;
      const head = this.peek(HEADER_SIZE);
      const command = head.readUInt32LE(0);
      const length = head.readUInt32LE(12);
      const magic = head.readUInt32LE(20);
      if (!KNOWN.has(command)) throw new ProtocolViolation(`unknown command 0x${command.toString(16)}`);
      if (((command ^ 0xffffffff) >>> 0) !== magic) throw new ProtocolViolation('bad magic');
      if (length > this.maxPayload()) throw new ProtocolViolation(`payload ${length} exceeds maxdata ${this.maxPayload()}`);
      if (this.buffered < HEADER_SIZE + length) break;
      const whole = this.take(HEADER_SIZE + length);
      packets.push({
        command,
        arg0: whole.readUInt32LE(4),
        arg1: whole.readUInt32LE(8),
        data: whole.subarray(HEADER_SIZE),
      });
    }
    return packets;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!.subarray(0, n);
  }

  private take(n: number): Buffer {
    if (this.chunks[0]!.length < n) this.chunks = [Buffer.concat(this.chunks)];
    const first = this.chunks[0]!;
    const out = Buffer.from(first.subarray(0, n));
    const rest = first.subarray(n);
    this.chunks = rest.length ? [rest, ...this.chunks.slice(1)] : this.chunks.slice(1);
    this.buffered -= n;
    return out;
  }
}
