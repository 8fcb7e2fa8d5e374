/**
 * The identity of an APK file: SHA-256, SM3 (GB/T 32905, our implementation, as Electron's BoringSSL has none)
 * and MD5 of its bytes, as an evidence package and a regulator quote them.
 */
import { createHash } from 'node:crypto';
import { sm3Hex } from './sm3.js';

export interface FileHashes {
  sha256: string;
  sm3: string;
  md5: string;
}

export function fileHashes(bytes: Buffer): FileHashes {
  return { sha256: createHash('sha256').update(bytes).digest('hex'), sm3: sm3Hex(bytes), md5: createHash('md5').update(bytes).digest('hex') };
}
