/** Evidence packages: public surface of src-main/core/evidence. */
export { exportPackage, type ExportRequest, type ExportOutcome } from './export-package.js';
export { verifyPackage, type VerifyOptions } from './verify-package.js';
export { IdentityStore, type UnlockedIdentity } from './identity-store.js';
export type { OsKeyProtector } from './key-protection.js';
export { pemToDers, toPem } from './x509.js';
export { MANIFEST, SIGNATURE, SUMS, TIMESTAMP, SM2_SIGNATURE, SM2_PUBLIC_KEY, SIGNER_CERTS } from './manifest.js';
