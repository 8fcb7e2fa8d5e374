/**
 * Builds zip files byte by byte for hostile-input tests: duplicate names, traversal names, bombs,
 * local/central disagreement. Never downloads anything; every case is made here.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipSpec {
  name: string;
  data?: Buffer;
  /** Pre-deflated bytes with the uncompressed size and CRC they claim (for bombs). */
  deflated?: { bytes: Buffer; size: number; crc: number };
  method?: number;
  localName?: string;
  flags?: number;
}

export function buildZip(entries: ZipSpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const method = e.method ?? 8;
    const raw = e.data ?? Buffer.alloc(0);
    const body = e.deflated?.bytes ?? (method === 8 ? deflateRawSync(raw) : raw);
    const size = e.deflated?.size ?? raw.length;
    const crc = e.deflated?.crc ?? crc32(raw);
    const name = Buffer.from(e.name);
    const localName = Buffer.from(e.localName ?? e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.flags ?? 0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(localName.length, 26);
    locals.push(local, localName, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.flags ?? 0, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + localName.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
