/**
 * Signing keys sealed by the operating system's keystore in the desktop window (Electron safeStorage:
 * DPAPI on Windows, Keychain on macOS, libsecret/kwallet on Linux); null where the OS offers none, and the
 * identity then asks for a passphrase as in browser mode.
 */
import { safeStorage } from 'electron';
import type { OsKeyProtector } from '../core/evidence/index.js';

export function osKeyProtector(): OsKeyProtector | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  return {
    seal: (plain) => safeStorage.encryptString(plain.toString('base64')).toString('base64'),
    open: (sealed) => Buffer.from(safeStorage.decryptString(Buffer.from(sealed, 'base64')), 'base64'),
  };
}
