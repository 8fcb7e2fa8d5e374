/**
 * A PKCS#12 file's integrity check (RFC 7292: the MAC key from the password by the appendix B derivation, then
 * HMAC over the authenticated safe), done with Node's native hashes in slices that give the event loop back
 * every few milliseconds, and with the iteration counts a file may ask for capped. pkijs does the same in
 * pure JavaScript in one blocking loop: a file asking for 8,388,607 iterations froze the workbench for 8 s.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** Exporters use 2,000 (Windows), 2,048 (OpenSSL), 10,000 (Java); a file asking for more is refused, not obeyed. */
export const MAX_PKCS12_ITERATIONS = 1_000_000;
const SLICE_MS = 10;

const HASHES: Record<string, { name: string; u: number; v: number }> = {
  '1.3.14.3.2.26': { name: 'sha1', u: 20, v: 64 },
  '2.16.840.1.101.3.4.2.1': { name: 'sha256', u: 32, v: 64 },
  '2.16.840.1.101.3.4.2.2': { name: 'sha384', u: 48, v: 128 },
  '2.16.840.1.101.3.4.2.3': { name: 'sha512', u: 64, v: 128 },
};

export interface MacData {
  digestOid: string;
  digest: Buffer;
  salt: Buffer;
  iterations: number;
}

export class Pkcs12MacError extends Error {}

function repeatTo(data: Buffer, v: number): Buffer {
  if (!data.length) return Buffer.alloc(0);
  const out = Buffer.alloc(v * Math.ceil(data.length / v));
  for (let i = 0; i < out.length; i++) out[i] = data[i % data.length]!;
  return out;
}

/** The password as PKCS#12 wants it: big-endian UTF-16 with a terminating zero. */
function bmpPassword(password: string): Buffer {
  const out = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

/** True when `password`'s MAC over `content` is the one in `mac`; throws when the MAC data is not acceptable. */
export async function macMatches(mac: MacData, content: Buffer, password: string): Promise<boolean> {
  const hash = HASHES[mac.digestOid];
  if (!hash) throw new Pkcs12MacError(`The PKCS#12 integrity uses an unknown digest (${mac.digestOid})`);
  if (!Number.isSafeInteger(mac.iterations) || mac.iterations < 1) throw new Pkcs12MacError('The PKCS#12 integrity check has no valid iteration count');
  if (mac.iterations > MAX_PKCS12_ITERATIONS) {
    throw new Pkcs12MacError(`The PKCS#12 asks for ${mac.iterations.toLocaleString('en')} iterations (at most ${MAX_PKCS12_ITERATIONS.toLocaleString('en')} are accepted); export it again, e.g. openssl pkcs12 -export -iter 2048`);
  }
  // Appendix B.2 with ID 3 (MAC key) and n = u: one block, A = H^iterations(D || S || P).
  const D = Buffer.alloc(hash.v, 3);
  let A = Buffer.concat([D, repeatTo(mac.salt, hash.v), repeatTo(bmpPassword(password), hash.v)]);
  let done = 0;
  while (done < mac.iterations) {
    const until = performance.now() + SLICE_MS;
    do {
      A = createHash(hash.name).update(A).digest();
      done++;
    } while (done < mac.iterations && (done & 0xff || performance.now() < until));
    if (done < mac.iterations) await yieldToLoop();
  }
  const expected = createHmac(hash.name, A.subarray(0, hash.u)).update(content).digest();
  return expected.length === mac.digest.length && timingSafeEqual(expected, mac.digest);
}
