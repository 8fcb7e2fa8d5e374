/**
 * Tampered copies of signed APKs, made as an attacker would make them: a flipped byte in an entry (its CRC
 * fixed, so the zip stays valid), in the signing block or the central directory; an entry added after signing;
 * the signing block or the v1 files stripped. Also signs APKs with Debian's apksigner and keys made by openssl.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { ZipReader, bufferSource, entryDataOffset, readCentralDirectory } from '../../src-main/core/apk/zip-reader.js';
import { buildZip } from './zip-builder.js';

function layout(apk: Buffer): { cdOffset: number; eocd: number; blockStart: number } {
  const eocd = apk.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const cdOffset = apk.readUInt32LE(eocd + 16);
  const hasBlock = apk.toString('latin1', cdOffset - 16, cdOffset) === 'APK Sig Block 42';
  const blockStart = hasBlock ? cdOffset - Number(apk.readBigUInt64LE(cdOffset - 24)) - 8 : cdOffset;
  return { cdOffset, eocd, blockStart };
}

export function flipByte(apk: Buffer, offset: number): Buffer {
  const copy = Buffer.from(apk);
  copy[offset] = copy[offset]! ^ 0x01;
  return copy;
}

/** Flips one byte of a stored entry's data and writes the new CRC into both headers: a valid zip, a modified entry. */
export function modifyStoredEntry(apk: Buffer, name: string, at = 0): Buffer {
  const { entries } = readCentralDirectory(bufferSource(apk));
  const e = entries.get(name);
  if (!e || e.method !== 0) throw new Error(`${name} is not a stored entry of this APK`);
  const start = entryDataOffset(bufferSource(apk), e);
  const copy = flipByte(apk, start + at);
  const crc = crc32(copy.subarray(start, start + e.size));
  copy.writeUInt32LE(crc, e.localOffset + 14);
  const { cdOffset } = layout(apk);
  for (let p = cdOffset; p < copy.length - 46; p++) {
    if (copy.readUInt32LE(p) === 0x02014b50 && copy.readUInt32LE(p + 42) === e.localOffset) {
      copy.writeUInt32LE(crc, p + 16);
      break;
    }
  }
  return copy;
}

/** An offset inside an entry's (compressed) data. */
export function entryDataAt(apk: Buffer, name: string, fraction = 0.5): number {
  const e = new ZipReader(apk).entries.get(name);
  if (!e) throw new Error(`no ${name}`);
  return entryDataOffset(bufferSource(apk), e) + Math.floor(e.compressedSize * fraction);
}

export function signingBlockRange(apk: Buffer): [number, number] {
  const { blockStart, cdOffset } = layout(apk);
  return [blockStart, cdOffset];
}

/** An offset in the central directory that no zip reader checks (the first record's "version made by"). */
export function centralDirectoryHarmlessByte(apk: Buffer): number {
  return layout(apk).cdOffset + 4;
}

/** Appends a stored entry after the last entry and before the signing block, as a tool that keeps the block would. */
export function addEntryAfterSigning(apk: Buffer, name: string, data: Buffer): Buffer {
  const { cdOffset, eocd, blockStart } = layout(apk);
  const local = buildZip([{ name, data, method: 0 }]);
  const localLen = 30 + Buffer.byteLength(name) + data.length;
  const central = Buffer.from(local.subarray(localLen, local.length - 22));
  central.writeUInt32LE(blockStart, 42);
  const end = Buffer.from(apk.subarray(eocd));
  end.writeUInt16LE(end.readUInt16LE(8) + 1, 8);
  end.writeUInt16LE(end.readUInt16LE(10) + 1, 10);
  end.writeUInt32LE(end.readUInt32LE(12) + central.length, 12);
  end.writeUInt32LE(cdOffset + localLen, 16);
  return Buffer.concat([apk.subarray(0, blockStart), local.subarray(0, localLen), apk.subarray(blockStart, cdOffset), apk.subarray(cdOffset, eocd), central, end]);
}

/** Removes the APK Signing Block (v2/v3 gone, v1 left): the downgrade attack the .SF's X-Android-APK-Signed stops. */
export function stripSigningBlock(apk: Buffer): Buffer {
  const { cdOffset, eocd, blockStart } = layout(apk);
  const end = Buffer.from(apk.subarray(eocd));
  end.writeUInt32LE(blockStart, 16);
  return Buffer.concat([apk.subarray(0, blockStart), apk.subarray(cdOffset, eocd), end]);
}

/** Rebuilds the APK without its META-INF signature files, keeping its signing block before the new directory. */
export function stripJarSignature(apk: Buffer): Buffer {
  const zip = new ZipReader(apk);
  const keep = [...zip.entries.values()].filter((e) => !/^META-INF\/(MANIFEST\.MF|[^/]+\.(SF|RSA|DSA|EC))$/i.test(e.name));
  const rebuilt = buildZip(keep.map((e) => ({ name: e.name, data: zip.read(e.name, 1 << 30), method: e.method })));
  const [bs, be] = signingBlockRange(apk);
  const { cdOffset, eocd } = layout(rebuilt);
  const end = Buffer.from(rebuilt.subarray(eocd));
  end.writeUInt32LE(cdOffset + (be - bs), 16);
  return Buffer.concat([rebuilt.subarray(0, cdOffset), apk.subarray(bs, be), rebuilt.subarray(cdOffset, eocd), end]);
}

export interface TestKey { key: string; cert: string }

/** An RSA or EC key pair with a self-signed certificate, as apksigner takes them (PKCS#8 DER key, PEM certificate). */
export function makeKey(dir: string, name: string, kind: 'rsa' | 'ec' = 'rsa'): TestKey {
  mkdirSync(dir, { recursive: true });
  const pem = join(dir, `${name}.key.pem`);
  const cert = join(dir, `${name}.cert.pem`);
  const key = join(dir, `${name}.pk8`);
  const newkey = kind === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  execFileSync('openssl', ['req', '-x509', ...newkey, '-nodes', '-keyout', pem, '-out', cert, '-days', '3650', '-subj', `/CN=${name}/O=AppRights test`], { stdio: 'ignore' });
  execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', pem, '-outform', 'DER', '-out', key], { stdio: 'ignore' });
  return { key, cert };
}

/** Signs `apk` with apksigner; `options` are apksigner's (e.g. --v2-signing-enabled false). */
export function apksignerSign(apk: Buffer, dir: string, out: string, signers: TestKey[], options: string[] = [], lineage?: string): Buffer {
  const input = join(dir, `${out}.unsigned.apk`);
  const output = join(dir, `${out}.apk`);
  writeFileSync(input, apk);
  const signerArgs = signers.flatMap((s, i) => [...(i ? ['--next-signer'] : []), '--key', s.key, '--cert', s.cert]);
  execFileSync('apksigner', ['sign', ...(lineage ? ['--lineage', lineage] : []), ...signerArgs, ...options, '--in', input, '--out', output], { stdio: ['ignore', 'ignore', 'pipe'] });
  return readFileSync(output);
}

/** A lineage file rotating from `from` to `to` (apksigner rotate). */
export function rotate(dir: string, from: TestKey, to: TestKey): string {
  const out = join(dir, 'lineage.bin');
  execFileSync('apksigner', ['rotate', '--out', out, '--old-signer', '--key', from.key, '--cert', from.cert, '--new-signer', '--key', to.key, '--cert', to.cert], { stdio: 'ignore' });
  return out;
}

export interface ApksignerVerdict { verifies: boolean; schemes: Record<string, boolean>; errors: string[] }

/** `apksigner verify -v --print-certs`, read back: the verdict, each scheme's line and the ERROR lines. */
export function apksignerVerify(file: string, minSdk?: number): ApksignerVerdict {
  let out: string;
  try {
    out = execFileSync('apksigner', ['verify', '-v', '--print-certs', ...(minSdk ? ['--min-sdk-version', String(minSdk)] : []), file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    out = `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
  const schemes: Record<string, boolean> = {};
  for (const m of out.matchAll(/Verified using (v[\d.]+) scheme \([^)]*\): (true|false)/g)) schemes[m[1]!] = m[2] === 'true';
  return { verifies: /^Verifies$/m.test(out), schemes, errors: [...out.matchAll(/^ERROR: (.*)$/gm)].map((m) => m[1]!) };
}

/** Adds a copy of one signing-block pair under another ID (e.g. the v3 block as a v3.1 block): same signed contents. */
export function addSchemeCopy(apk: Buffer, fromId: number, toId: number): Buffer {
  const { cdOffset, eocd, blockStart } = layout(apk);
  const pairs: Buffer[] = [];
  let copy: Buffer | null = null;
  for (let p = blockStart + 8; p < cdOffset - 24;) {
    const len = Number(apk.readBigUInt64LE(p));
    const pair = apk.subarray(p, p + 8 + len);
    pairs.push(pair);
    if (pair.readUInt32LE(8) === fromId) {
      copy = Buffer.from(pair);
      copy.writeUInt32LE(toId, 8);
    }
    p += 8 + len;
  }
  if (!copy) throw new Error(`no pair 0x${fromId.toString(16)}`);
  const body = Buffer.concat([copy, ...pairs]);
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(body.length + 24));
  const block = Buffer.concat([size, body, size, Buffer.from('APK Sig Block 42')]);
  const end = Buffer.from(apk.subarray(eocd));
  end.writeUInt32LE(blockStart + block.length, 16);
  return Buffer.concat([apk.subarray(0, blockStart), block, apk.subarray(cdOffset, eocd), end]);
}
