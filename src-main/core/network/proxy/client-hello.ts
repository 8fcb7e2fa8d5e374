/**
 * The first bytes a client sends into a CONNECT tunnel, read before the tunnel is wired: a TLS client hello
 * (its SNI read with read-tls-client-hello), something else (tunnelled as is), or a record that claims to be
 * a TLS handshake and is not one (refused: `bad-tls-hello`).
 *
 * The rule, precisely: bytes starting 0x16 0x03 (a TLS handshake record) must hold a parseable client hello
 * within one record of at most 2^14 bytes, complete within the handshake timeout; any other first byte is not
 * TLS. A client that sends nothing within the timeout (a server-speaks-first protocol) is not TLS either.
 */
import { Readable } from 'node:stream';
import type { Socket } from 'node:net';
import { getExtensionData, readTlsClientHello } from 'read-tls-client-hello';

export type FirstBytes =
  | { kind: 'tls'; sni: string | null; bytes: Buffer }
  | { kind: 'not-tls'; bytes: Buffer }
  | { kind: 'bad-tls'; bytes: Buffer; detail: string };

const RECORD_HEADER = 5;
const MAX_RECORD = 16 * 1024;

type Verdict = { kind: 'need-more' } | { kind: 'not-tls' } | { kind: 'bad-tls'; detail: string } | { kind: 'record'; length: number };

function classify(buf: Buffer): Verdict {
  if (buf.length === 0) return { kind: 'need-more' };
  if (buf[0] !== 0x16) return { kind: 'not-tls' };
  if (buf.length < 2) return { kind: 'need-more' };
  if (buf[1] !== 0x03) return { kind: 'not-tls' };
  if (buf.length < RECORD_HEADER) return { kind: 'need-more' };
  const length = buf.readUInt16BE(3);
  if (length === 0 || length > MAX_RECORD) return { kind: 'bad-tls', detail: `TLS record length ${length}` };
  return buf.length < RECORD_HEADER + length ? { kind: 'need-more' } : { kind: 'record', length };
}

async function parseHello(record: Buffer, bytes: Buffer): Promise<FirstBytes> {
  try {
    const hello = await readTlsClientHello(Readable.from([record], { objectMode: false }));
    const sni = getExtensionData(hello, 'server_name')?.serverName;
    return { kind: 'tls', sni: typeof sni === 'string' && sni.length > 0 ? sni.toLowerCase() : null, bytes };
  } catch (err) {
    return { kind: 'bad-tls', bytes, detail: `not a TLS client hello: ${err instanceof Error ? err.message : String(err)}`.slice(0, 200) };
  }
}

/**
 * Reads the socket until the first bytes are classified (or it ends, or `timeoutMs` passes), then leaves it
 * paused with no listener of ours: the bytes read are in the result, nothing is pushed back.
 */
export function readFirstBytes(socket: Socket, head: Buffer, timeoutMs: number): Promise<FirstBytes> {
  return new Promise((resolve) => {
    let buf = head;
    let done = false;
    const finish = (result: FirstBytes | Promise<FirstBytes>): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('end', onStop);
      socket.removeListener('close', onStop);
      socket.pause();
      resolve(result);
    };
    const decide = (final: boolean): void => {
      const v = classify(buf);
      if (v.kind === 'not-tls') return finish({ kind: 'not-tls', bytes: buf });
      if (v.kind === 'bad-tls') return finish({ kind: 'bad-tls', bytes: buf, detail: v.detail });
      if (v.kind === 'record') return finish(parseHello(buf.subarray(0, RECORD_HEADER + v.length), buf));
      if (!final) return;
      // need-more at the end: nothing sent is not TLS; a started handshake record that stopped is a bad hello.
      finish(buf.length === 0 ? { kind: 'not-tls', bytes: buf } : { kind: 'bad-tls', bytes: buf, detail: `incomplete TLS client hello (${buf.length} bytes)` });
    };
    const onData = (chunk: Buffer): void => {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      decide(false);
    };
    const onStop = (): void => decide(true);
    const timer = setTimeout(() => decide(true), timeoutMs);
    socket.on('data', onData);
    socket.once('end', onStop);
    socket.once('close', onStop);
    decide(false);
    if (!done) socket.resume();
  });
}
