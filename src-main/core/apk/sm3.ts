/**
 * SM3 (GB/T 32905-2016), the hash Chinese regulators ask for beside SHA-256. Node's OpenSSL 3 has it;
 * Electron's BoringSSL does not, so this pure implementation is the fallback (same digests, tested).
 */
import { createHash, getHashes } from 'node:crypto';

const IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];
const rotl = (x: number, n: number): number => ((x << (n & 31)) | (x >>> (32 - (n & 31)))) >>> 0;
const p0 = (x: number): number => (x ^ rotl(x, 9) ^ rotl(x, 17)) >>> 0;
const p1 = (x: number): number => (x ^ rotl(x, 15) ^ rotl(x, 23)) >>> 0;

export class Sm3 {
  private v = [...IV];
  private block = Buffer.alloc(64);
  private used = 0;
  private length = 0n;
  private w = new Uint32Array(68);
  private w1 = new Uint32Array(64);

  update(data: Buffer): this {
    this.length += BigInt(data.length);
    let p = 0;
    if (this.used) {
      const n = Math.min(64 - this.used, data.length);
      data.copy(this.block, this.used, 0, n);
      this.used += n;
      p = n;
      if (this.used < 64) return this;
      this.compress(this.block, 0);
      this.used = 0;
    }
    for (; p + 64 <= data.length; p += 64) this.compress(data, p);
    if (p < data.length) {
      data.copy(this.block, 0, p);
      this.used = data.length - p;
    }
    return this;
  }

  digest(): Buffer {
    const bits = this.length * 8n;
    const padLen = this.used < 56 ? 56 - this.used : 120 - this.used;
    const pad = Buffer.alloc(padLen + 8);
    pad[0] = 0x80;
    pad.writeBigUInt64BE(bits, padLen);
    const saved = this.length;
    this.update(pad);
    this.length = saved;
    const out = Buffer.alloc(32);
    this.v.forEach((x, i) => out.writeUInt32BE(x >>> 0, i * 4));
    return out;
  }

  private compress(b: Buffer, off: number): void {
    const w = this.w;
    const w1 = this.w1;
    for (let j = 0; j < 16; j++) w[j] = b.readUInt32BE(off + j * 4);
    for (let j = 16; j < 68; j++) w[j] = (p1(w[j - 16]! ^ w[j - 9]! ^ rotl(w[j - 3]!, 15)) ^ rotl(w[j - 13]!, 7) ^ w[j - 6]!) >>> 0;
    for (let j = 0; j < 64; j++) w1[j] = (w[j]! ^ w[j + 4]!) >>> 0;
    let [a, bb, c, d, e, f, g, h] = this.v as [number, number, number, number, number, number, number, number];
    for (let j = 0; j < 64; j++) {
      const t = j < 16 ? 0x79cc4519 : 0x7a879d8a;
      const ss1 = rotl((rotl(a, 12) + e + rotl(t, j)) >>> 0, 7);
      const ss2 = (ss1 ^ rotl(a, 12)) >>> 0;
      const ff = j < 16 ? (a ^ bb ^ c) : ((a & bb) | (a & c) | (bb & c));
      const gg = j < 16 ? (e ^ f ^ g) : ((e & f) | (~e & g));
      const tt1 = (ff + d + ss2 + w1[j]!) >>> 0;
      const tt2 = (gg + h + ss1 + w[j]!) >>> 0;
      d = c;
      c = rotl(bb, 9);
      bb = a;
      a = tt1;
      h = g;
      g = rotl(f, 19);
      f = e;
      e = p0(tt2);
    }
    const v = this.v;
    v[0] = (v[0]! ^ a) >>> 0; v[1] = (v[1]! ^ bb) >>> 0; v[2] = (v[2]! ^ c) >>> 0; v[3] = (v[3]! ^ d) >>> 0;
    v[4] = (v[4]! ^ e) >>> 0; v[5] = (v[5]! ^ f) >>> 0; v[6] = (v[6]! ^ g) >>> 0; v[7] = (v[7]! ^ h) >>> 0;
  }
}

/** Whether this runtime's crypto has SM3 (Node's OpenSSL does; Electron's BoringSSL does not). */
export const nativeSm3 = getHashes().includes('sm3');

/** An SM3 hash fed piece by piece: the runtime's own where it has one, else ours. */
export function createSm3(forcePure = false): { update(data: Buffer): unknown; digest(): Buffer } {
  return nativeSm3 && !forcePure ? createHash('sm3') : new Sm3();
}

export function sm3Hex(data: Buffer, forcePure = false): string {
  const hash = createSm3(forcePure);
  hash.update(data);
  return hash.digest().toString('hex');
}
