/**
 * Private keys at rest: sealed with a passphrase (scrypt, then AES-256-GCM) in browser mode and the CLI, or
 * by the operating system's keystore (Electron safeStorage, provided by the desktop shell) in the window.
 * A wrong passphrase fails the GCM tag check and says so; nothing is written in the clear.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import { WorkbenchError } from '../errors.js';

/** The desktop shell's OS keystore (Electron safeStorage); absent in browser mode and the CLI. */
export interface OsKeyProtector {
  seal(plain: Buffer): string;
  open(sealed: string): Buffer;
}

export const sealedKeySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('passphrase'), kdf: z.literal('scrypt'), N: z.number().int().min(1024).max(1 << 20), r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16), salt: z.string().max(100), iv: z.string().max(100), tag: z.string().max(100), data: z.string().max(1_000_000),
  }).strict(),
  z.object({ kind: z.literal('os'), data: z.string().max(1_000_000) }).strict(),
]);
export type SealedKey = z.infer<typeof sealedKeySchema>;

const SCRYPT = { N: 1 << 15, r: 8, p: 1 };

/**
 * scrypt on libuv's thread pool: ~100 ms of derivation (several hundred on a busy machine) never holds the
 * event loop, where the monitors, the bridge and the live screen run.
 */
function derive(passphrase: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(passphrase, salt, 32, options, (err, key) => (err ? reject(err) : resolve(key))));
}
export const MIN_PASSPHRASE = 8;

/** Seals several secrets under one scrypt derivation (one salt, a fresh IV each), so opening them costs one. */
export async function sealWithPassphrase(plains: Buffer[], passphrase: string): Promise<SealedKey[]> {
  if (passphrase.length < MIN_PASSPHRASE) throw new WorkbenchError('evidence.wrong-passphrase', `The passphrase must have at least ${MIN_PASSPHRASE} characters`, { field: 'passphrase', reason: 'passphrase-too-short', min: MIN_PASSPHRASE });
  const salt = randomBytes(16);
  const key = await derive(passphrase, salt, { ...SCRYPT, maxmem: 256 * SCRYPT.N * SCRYPT.r });
  return plains.map((plain) => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const data = Buffer.concat([cipher.update(plain), cipher.final()]);
    return { kind: 'passphrase', kdf: 'scrypt', ...SCRYPT, salt: salt.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  });
}

/** Opens sealed secrets; secrets sealed together share one scrypt derivation here too. */
export async function openSealed(sealed: SealedKey[], passphrase: string, os: OsKeyProtector | null): Promise<Buffer[]> {
  const derived = new Map<string, Buffer>();
  const out: Buffer[] = [];
  for (const s of sealed) {
    if (s.kind === 'os') {
      if (!os) throw new WorkbenchError('evidence.wrong-passphrase', 'This identity is protected by the desktop window\'s keystore; export from the desktop window', { reason: 'identity-in-keystore' });
      out.push(os.open(s.data));
      continue;
    }
    const id = `${s.salt}:${s.N}:${s.r}:${s.p}`;
    let key = derived.get(id);
    if (!key) derived.set(id, (key = await derive(passphrase, Buffer.from(s.salt, 'base64'), { N: s.N, r: s.r, p: s.p, maxmem: 256 * s.N * s.r + 1024 * 1024 })));
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(s.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(s.tag, 'base64'));
    try {
      out.push(Buffer.concat([decipher.update(Buffer.from(s.data, 'base64')), decipher.final()]));
    } catch {
      throw new WorkbenchError('evidence.wrong-passphrase', 'Wrong passphrase for the signing identity', { reason: 'passphrase-wrong' });
    }
  }
  return out;
}
