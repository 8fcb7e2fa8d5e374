/**
 * The signing identities of a data directory (identities/<id>.json, 0600): a certificate chain, the
 * private key sealed at rest (passphrase or OS keystore), and an SM2 key pair for the national-algorithms
 * signature. A tester without a lab CA gets a self-signed identity, marked self-asserted; a lab's PKCS#12
 * is imported (wrong password, no private key, unsupported key type: refused with the reason).
 */
import { createPrivateKey, createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Pki from 'pkijs';
import { asn1Lib } from './asn1-lib.js';
import { z } from 'zod';
import type { IdentityInfo } from '../../../src-preload/api.js';
import { WorkbenchError } from '../errors.js';
import { openSealed, sealedKeySchema, sealWithPassphrase, type OsKeyProtector, type SealedKey } from './key-protection.js';
import { children as derChildren, contents as derContents, element as derElement, oid as derOid, type Element as DerElement } from '../apk/signing/der.js';
import { macMatches, MAX_PKCS12_ITERATIONS, Pkcs12MacError } from './pkcs12-mac.js';
import { certificateFacts, createSelfSigned, importSigningKey } from './x509.js';

const identitySchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string().regex(/^[a-f0-9]{16}$/),
  createdAt: z.number(),
  certificates: z.array(z.string().max(100_000)).min(1).max(10),
  key: sealedKeySchema,
  sm2: z.object({ publicKey: z.string().regex(/^04[0-9a-f]{128}$/i), key: sealedKeySchema }),
}).strict();
type IdentityRecord = z.infer<typeof identitySchema>;
export const MAX_PKCS12_BYTES = 1024 * 1024;

export interface UnlockedIdentity {
  info: IdentityInfo;
  key: CryptoKey;
  chain: Buffer[];
  sm2: { publicKey: string; privateKey: string };
}

export class IdentityStore {
  private dir: string;

  constructor(dataDir: string, private os: OsKeyProtector | null = null) {
    this.dir = join(dataDir, 'identities');
  }

  list(): IdentityInfo[] {
    if (!existsSync(this.dir)) return [];
    const out: IdentityInfo[] = [];
    for (const f of readdirSync(this.dir).filter((n) => /^[a-f0-9]{16}\.json$/.test(n)).sort()) {
      try {
        out.push(describe(this.read(f.slice(0, 16))));
      } catch {
        // An unreadable identity file is skipped here; using it by id reports why.
      }
    }
    return out;
  }

  /** A self-signed P-256 identity for `name`. With an empty passphrase the OS keystore seals it (desktop only). */
  async createSelfSigned(name: string, passphrase: string): Promise<IdentityInfo> {
    const { certDer, pkcs8 } = await createSelfSigned(name);
    return this.save([certDer], pkcs8, passphrase);
  }

  /** Imports a PKCS#12 (.p12/.pfx) from a lab CA: its key and certificate chain. */
  async importPkcs12(p12: Buffer, password: string, passphrase: string): Promise<IdentityInfo> {
    const { pkcs8, chain } = await readPkcs12(p12, password);
    await importSigningKey(pkcs8).catch((err: Error) => {
      throw new WorkbenchError('evidence.bad-pkcs12', err.message, {});
    });
    return this.save(chain, pkcs8, passphrase);
  }

  async unlock(id: string, passphrase: string): Promise<UnlockedIdentity> {
    const record = this.read(id);
    const [pkcs8, sm2Key] = await openSealed([record.key, record.sm2.key], passphrase, this.os) as [Buffer, Buffer];
    const sm2Private = sm2Key.toString('utf8');
    return {
      info: describe(record),
      key: await importSigningKey(pkcs8),
      chain: record.certificates.map((c) => Buffer.from(c, 'base64')),
      sm2: { publicKey: record.sm2.publicKey, privateKey: sm2Private },
    };
  }

  private async seal(plains: Buffer[], passphrase: string): Promise<SealedKey[]> {
    const os = this.os;
    if (!passphrase && os) return plains.map((plain) => ({ kind: 'os', data: os.seal(plain) }));
    return sealWithPassphrase(plains, passphrase);
  }

  private async save(chain: Buffer[], pkcs8: Buffer, passphrase: string): Promise<IdentityInfo> {
    // sm-crypto loads when an identity is made, not with every workbench.
    const sm2 = (await import('./sm2.js')).createSm2Key();
    const [key, sm2Key] = await this.seal([pkcs8, Buffer.from(sm2.privateKey, 'utf8')], passphrase) as [SealedKey, SealedKey];
    const record: IdentityRecord = {
      schemaVersion: 1, id: randomBytes(8).toString('hex'), createdAt: Date.now(),
      certificates: chain.map((c) => c.toString('base64')),
      key,
      sm2: { publicKey: sm2.publicKey, key: sm2Key },
    };
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, `${record.id}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(record, null, 2), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
    return describe(record);
  }

  private read(id: string): IdentityRecord {
    if (!/^[a-f0-9]{16}$/.test(id)) throw new WorkbenchError('evidence.identity-missing', `No signing identity ${id.slice(0, 40)}`, { id: id.slice(0, 40) });
    let text: string;
    try {
      text = readFileSync(join(this.dir, `${id}.json`), 'utf8');
    } catch {
      throw new WorkbenchError('evidence.identity-missing', `No signing identity ${id}; create one or import a PKCS#12`, { id });
    }
    const parsed = identitySchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new WorkbenchError('evidence.identity-missing', `The identity file ${id}.json is damaged`, { id });
    return parsed.data;
  }
}

function describe(r: IdentityRecord): IdentityInfo {
  const facts = certificateFacts(Buffer.from(r.certificates[0]!, 'base64'));
  return { id: r.id, subject: facts.subject, fingerprint: facts.fingerprint, selfSigned: facts.selfSigned, notAfter: facts.notAfter, protection: r.key.kind, hasSm2: true };
}

/** Reads a PKCS#12: integrity (MAC) with the password, the shrouded key and the certificates (leaf first). */
async function readPkcs12(der: Buffer, password: string): Promise<{ pkcs8: Buffer; chain: Buffer[] }> {
  const { asn1js, pkijs } = await asn1Lib();
  const bad = (msg: string): never => {
    throw new WorkbenchError('evidence.bad-pkcs12', msg, {});
  };
  if (der.length > MAX_PKCS12_BYTES) bad('The PKCS#12 file is larger than 1 MiB');
  const pwd = new TextEncoder().encode(password).buffer as ArrayBuffer;
  let pfx: Pki.PFX;
  try {
    const asn = asn1js.fromBER(new Uint8Array(der));
    if (asn.offset === -1) bad('The file is not a PKCS#12 (.p12/.pfx) file');
    pfx = new pkijs.PFX({ schema: asn.result });
  } catch (err) {
    if (err instanceof WorkbenchError) throw err;
    return bad('The file is not a PKCS#12 (.p12/.pfx) file');
  }
  // Integrity with native hashes that yield, iteration counts capped (pkijs would block the event loop).
  const macData = pfx.macData;
  if (!macData || !(pfx.authSafe.content instanceof asn1js.OctetString)) return bad('The PKCS#12 has no password integrity check (MAC); export it with one');
  const authSafe = Buffer.from(pfx.authSafe.content.getValue());
  try {
    tooManyIterations(authSafe);
    const matches = await macMatches({
      digestOid: macData.mac.digestAlgorithm.algorithmId, digest: Buffer.from(macData.mac.digest.valueBlock.valueHexView),
      salt: Buffer.from(macData.macSalt.valueBlock.valueHexView), iterations: macData.iterations ?? 1,
    }, authSafe, password);
    if (!matches) bad('Wrong PKCS#12 password (the integrity check failed)');
    await pfx.parseInternalValues({ password: pwd, checkIntegrity: false });
  } catch (err) {
    if (err instanceof WorkbenchError) throw err;
    bad(err instanceof Pkcs12MacError ? err.message : 'The file is not a PKCS#12 (.p12/.pfx) file');
  }
  const safe = pfx.parsedValue?.authenticatedSafe;
  if (!safe) return bad('The PKCS#12 holds no content');
  try {
    await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password: pwd })) });
  } catch (err) {
    bad(`The PKCS#12 content cannot be decrypted: ${err instanceof Error ? err.message : String(err)}`);
  }
  let pkcs8: Buffer | null = null;
  const certs: Buffer[] = [];
  for (const contents of safe.parsedValue?.safeContents ?? []) {
    for (const bag of contents.value.safeBags) {
      if (bag.bagValue instanceof pkijs.PKCS8ShroudedKeyBag) {
        await bag.bagValue.parseInternalValues({ password: pwd }).catch(() => bad('The private key in the PKCS#12 cannot be decrypted'));
        const info = bag.bagValue.parsedValue;
        if (info) pkcs8 = Buffer.from(info.toSchema().toBER(false));
      } else if (bag.bagValue instanceof pkijs.PrivateKeyInfo) {
        pkcs8 = Buffer.from(bag.bagValue.toSchema().toBER(false));
      } else if (bag.bagValue instanceof pkijs.CertBag && bag.bagValue.parsedValue instanceof pkijs.Certificate) {
        certs.push(Buffer.from(bag.bagValue.parsedValue.toSchema(true).toBER(false)));
      }
    }
  }
  if (!pkcs8) return bad('The PKCS#12 has no private key (export it with its key)');
  if (!certs.length) return bad('The PKCS#12 has no certificate');
  return { pkcs8, chain: orderChain(pkcs8, certs) };
}

const PBKDF2 = '1.2.840.113549.1.5.12';

/**
 * Refuses a PKCS#12 whose key or certificate encryption asks for more PBKDF2 iterations than any exporter
 * uses: the derivation runs in libuv's threads, but a file may ask for billions. Reads the cleartext
 * structure (nested DER in OCTET STRINGs included), bounded in depth.
 */
function tooManyIterations(der: Buffer, depth = 0): void {
  if (depth > 12) return;
  let elements: DerElement[];
  try {
    const top = derElement(der, 0);
    if (top.end !== der.length) return;
    elements = [top];
  } catch {
    return;
  }
  const visit = (e: DerElement, d: number): void => {
    if (d > 32) return;
    if (e.tag === 0x04) {
      const inner = derContents(der, e);
      if (inner[0] === 0x30) tooManyIterations(inner, depth + 1);
      return;
    }
    if (!(e.tag & 0x20)) return;
    const kids = derChildren(der, e);
    if (kids[0]?.tag === 0x06 && kids[1]?.tag === 0x30 && derOid(der, kids[0]) === PBKDF2) {
      const count = derChildren(der, kids[1])[1];
      const bytes = count?.tag === 0x02 ? derContents(der, count) : null;
      if (bytes && (bytes.length > 4 || bytes.readUIntBE(0, bytes.length) > MAX_PKCS12_ITERATIONS)) {
        throw new Pkcs12MacError(`The PKCS#12 encrypts with more than ${MAX_PKCS12_ITERATIONS.toLocaleString('en')} PBKDF2 iterations; export it again, e.g. openssl pkcs12 -export -iter 2048`);
      }
    }
    for (const k of kids) visit(k, d + 1);
  };
  try {
    for (const e of elements) visit(e, 0);
  } catch (err) {
    if (err instanceof Pkcs12MacError) throw err;
  }
}

/** The certificate whose public key matches the private key first, then the rest. */
function orderChain(pkcs8: Buffer, certs: Buffer[]): Buffer[] {
  const pub = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' });
  const leaf = certs.find((c) => {
    try {
      return new X509Certificate(c).publicKey.export({ type: 'spki', format: 'der' }).equals(pub);
    } catch {
      return false;
    }
  });
  if (!leaf) throw new WorkbenchError('evidence.bad-pkcs12', 'No certificate in the PKCS#12 matches its private key', {});
  return [leaf, ...certs.filter((c) => c !== leaf)];
}
