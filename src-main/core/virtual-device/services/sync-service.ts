/**
 * `sync:` v1, device side: STAT, LIST, RECV, SEND, QUIT over the in-memory filesystem. Requests are
 * reassembled across WRTE boundaries (hosts pack them in packets of any size); paths and DATA chunks are
 * bounded; RECV streams with backpressure.
 */
import type { DeviceStream } from '../protocol/device-stream.js';
import { FsError, MemoryFs, S_IFREG } from '../android/memory-fs.js';

const MAX_PATH = 1024;
const MAX_CHUNK = 64 * 1024;

interface PendingSend {
  path: string;
  mode: number;
  parts: Buffer[];
  size: number;
  error?: string;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

function reply(id: string, ...nums: number[]): Buffer {
  return Buffer.concat([Buffer.from(id, 'latin1'), ...nums.map(u32)]);
}

function fail(message: string): Buffer {
  const msg = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from('FAIL', 'latin1'), u32(msg.length), msg]);
}

export function serveSync(stream: DeviceStream, fs: MemoryFs, onFileWritten: (path: string) => void = () => {}): void {
  let pending: Buffer = Buffer.alloc(0);
  let send: PendingSend | null = null;
  let busy = false;

  const take = (n: number): Buffer => {
    const out = pending.subarray(0, n);
    pending = pending.subarray(n);
    return out;
  };

  const recv = async (path: string): Promise<void> => {
    const data = fs.readFile(path);
    if (!data) {
      stream.write(fail(fs.stat(path) ? `${path}: Is a directory` : `${path}: No such file or directory`));
      return;
    }
    for (let off = 0; off < data.length && !stream.closed; off += MAX_CHUNK) {
      const chunk = data.subarray(off, off + MAX_CHUNK);
      if (!stream.write(Buffer.concat([Buffer.from('DATA', 'latin1'), u32(chunk.length), chunk]))) {
        await stream.waitForDrain();
      }
    }
    stream.write(reply('DONE', 0));
  };

  const step = async (): Promise<boolean> => {
    if (pending.length < 8) return false;
    const id = pending.toString('latin1', 0, 4);
    const len = pending.readUInt32LE(4);
    if (send) {
      if (id === 'DATA') {
        if (len > MAX_CHUNK) throw new FsError('sync DATA chunk too large');
        if (pending.length < 8 + len) return false;
        const chunk = Buffer.from(take(8 + len).subarray(8));
        if (!send.error) {
          send.size += chunk.length;
          if (send.size > fs.freeBytes) send.error = `${send.path}: No space left on device`;
          else send.parts.push(chunk);
        }
        return true;
      }
      if (id === 'DONE') {
        take(8);
        const done = send;
        send = null;
        if (!done.error) {
          try {
            fs.writeFile(done.path, Buffer.concat(done.parts, done.size), done.mode);
            const entry = fs.stat(done.path);
            if (entry) entry.mtime = len;
            onFileWritten(done.path);
          } catch (err) {
            done.error = err instanceof Error ? err.message : String(err);
          }
        }
        stream.write(done.error ? fail(done.error) : reply('OKAY', 0));
        return true;
      }
      throw new FsError(`unexpected ${JSON.stringify(id)} during SEND`);
    }
    if (len > MAX_PATH) throw new FsError('sync path too long');
    if (pending.length < 8 + len) return false;
    const arg = take(8 + len).subarray(8).toString('utf8');
    switch (id) {
      case 'STAT': {
        const e = fs.stat(arg);
        stream.write(reply('STAT', e?.mode ?? 0, e?.data?.length ?? 0, e?.mtime ?? 0));
        return true;
      }
      case 'LIST': {
        const parts: Buffer[] = [];
        for (const name of ['.', '..', ...fs.list(arg)]) {
          const e = name === '.' || name === '..' ? fs.stat(arg) : fs.stat(`${arg}/${name}`);
          const nameBuf = Buffer.from(name, 'utf8');
          parts.push(reply('DENT', e?.mode ?? 0, e?.data?.length ?? 0, e?.mtime ?? 0, nameBuf.length), nameBuf);
        }
        parts.push(reply('DONE', 0, 0, 0, 0));
        stream.write(Buffer.concat(parts));
        return true;
      }
      case 'RECV':
        await recv(arg);
        return true;
      case 'SEND': {
        const comma = arg.lastIndexOf(',');
        const path = comma >= 0 ? arg.slice(0, comma) : arg;
        const mode = comma >= 0 ? Number.parseInt(arg.slice(comma + 1), 10) : 0o644;
        send = { path, mode: Number.isFinite(mode) ? mode : S_IFREG | 0o644, parts: [], size: 0 };
        if (!path.startsWith('/')) send.error = `${path}: path must be absolute`;
        return true;
      }
      case 'QUIT':
        stream.end();
        return false;
      default:
        throw new FsError(`unknown sync request ${JSON.stringify(id)}`);
    }
  };

  let arrived = false;
  const drive = async (): Promise<void> => {
    arrived = true;
    if (busy) return;
    busy = true;
    try {
      // Bytes that arrive while a step awaits are picked up here, not left for a next packet that may never come.
      while (!stream.closed && arrived) {
        arrived = false;
        while (!stream.closed && (await step()));
      }
    } catch (err) {
      stream.end(fail(err instanceof Error ? err.message : String(err)));
    } finally {
      busy = false;
    }
  };

  stream.on('data', (data: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, data]) : data;
    if (pending.length > 8 * 1024 * 1024) {
      // A host that keeps sending while we stream a RECV to it is abusing the protocol.
      stream.end(fail('sync: too much unread input'));
      return;
    }
    void drive();
  });
}
