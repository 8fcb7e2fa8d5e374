/**
 * The v3 proof of rotation (SigningCertificateLineage): a version, then one node per signing certificate,
 * oldest first: the node's signed data (its certificate and the algorithm its parent signed it with), flags,
 * the algorithm this node signs its successor with, and the parent's signature over the signed data. Returns the certificates, oldest first, once every link verifies.
 */
import { X509Certificate } from 'node:crypto';
import { signatureAlgorithm, verifySignature } from './signature-algorithms.js';
import { prefixed, sequence, u32 } from './signing-block.js';
import { SchemeFailure } from './verdict.js';

const MAX_NODES = 64;

export function readLineage(value: Buffer): Buffer[] {
  const version = u32(value, 0, 'lineage version');
  if (version !== 1) throw new SchemeFailure('lineage-invalid', `unknown lineage version ${version}`);
  const nodes = sequence(value.subarray(4), 'lineage node');
  if (!nodes.length || nodes.length > MAX_NODES) throw new SchemeFailure('lineage-invalid', `lineage has ${nodes.length} certificates`);
  const certificates: Buffer[] = [];
  let previous: X509Certificate | null = null;
  let parentAlgorithm: number | null = null;
  nodes.forEach((node, i) => {
    const [signedData, afterData] = prefixed(node, 0, 'lineage signed data');
    const [certificate, afterCert] = prefixed(signedData, 0, 'lineage certificate');
    const signedWith = u32(signedData, afterCert, 'lineage algorithm');
    u32(node, afterData, 'lineage flags');
    const signsWith = u32(node, afterData + 4, 'lineage signature algorithm');
    const [signature] = prefixed(node, afterData + 8, 'lineage signature');
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(certificate);
    } catch {
      throw new SchemeFailure('lineage-invalid', `lineage certificate #${i + 1} cannot be read`);
    }
    if (previous) {
      const alg = signatureAlgorithm(parentAlgorithm!);
      if (!alg || signedWith !== parentAlgorithm) throw new SchemeFailure('lineage-invalid', `lineage certificate #${i + 1}: signature algorithm 0x${signedWith.toString(16)} is not the one its predecessor signs with`);
      if (!verifySignature(alg, previous.publicKey, signedData, signature)) throw new SchemeFailure('lineage-invalid', `lineage certificate #${i + 1} is not signed by certificate #${i}`);
    }
    previous = cert;
    parentAlgorithm = signsWith;
    certificates.push(certificate);
  });
  return certificates;
}
