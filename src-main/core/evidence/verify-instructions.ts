/** VERIFY.txt: the exact stock-tool commands (openssl, coreutils, python3) that check this package. */
import { SIGNATURE, SM2_PUBLIC_KEY, SM2_SIGNATURE, SIGNER_CERTS, SUMS, TIMESTAMP, MANIFEST } from './manifest.js';

export function verifyInstructions(o: { fileName: string; fingerprint: string; selfAsserted: boolean; national: boolean; timestamped: boolean }): string {
  const lines = [
    'AppRights Workbench evidence package — verifying it with stock tools',
    'App用户权益检测工作台 证据包 —— 用通用工具验证',
    '',
    `unzip ${o.fileName} -d evidence && cd evidence`,
    '',
    '1. Signature over manifest.json, and who signed / manifest.json 的签名与签名者',
    `   openssl cms -verify -binary -inform DER -in ${SIGNATURE} -content ${MANIFEST} -CAfile ${o.selfAsserted ? SIGNER_CERTS : 'lab-root.pem'} -purpose any -out /dev/null`,
    `   openssl pkcs7 -inform DER -in ${SIGNATURE} -print_certs -noout`,
    `   openssl x509 -in ${SIGNER_CERTS} -noout -fingerprint -sha256`,
    // The verifier checks this line names the certificate that signed (verify-package.ts).
    `   Signer certificate SHA-256 / 签名证书指纹: ${o.fingerprint}`,
    o.selfAsserted
      ? '   This identity is SELF-ASSERTED (self-signed): the check proves the package is unchanged since it was signed by this key; compare the fingerprint with the tester out of band. 该身份为自声明（自签名）：验证只能证明签名后未被修改，请另行向检测人员核对指纹。'
      : '   Use your lab\'s root certificate as lab-root.pem. 请以本实验室根证书作为 lab-root.pem。',
    '',
    '2. Every file / 每个文件的完整性校验值',
    `   sha256sum -c --strict ${SUMS}`,
    `   sha256sum ${SUMS}        # must equal "sha256sums" in ${MANIFEST} / 须等于 ${MANIFEST} 中的 "sha256sums"`,
    '   Every file of the package is listed in SHA256SUMS, except the signature files: manifest.json, manifest.json.p7s, SHA256SUMS, signer.pem and (when present) manifest.json.p7s.tsr, manifest.json.sm2.sig, signer-sm2.pem.',
    '',
    '3. The timeline hash chain / 时间线哈希链 (each line\'s "prev" is the SHA-256 of the previous line without its newline; the first is 64 zeros)',
    "   python3 - <<'EOF'",
    '   import hashlib, json',
    "   prev, n = '0' * 64, 0",
    "   for raw in open('timeline.jsonl', 'rb'):",
    "       line = raw.rstrip(b'\\n'); n += 1; o = json.loads(line)",
    "       assert o['seq'] == n and o['prev'] == prev, 'line %d breaks the chain' % n",
    '       prev = hashlib.sha256(line).hexdigest()',
    "   m = json.load(open('manifest.json', encoding='utf-8'))['timeline']",
    "   assert (m['count'], m['head']) == (n, prev), 'the timeline was truncated or extended'",
    "   print('timeline OK', n, prev)",
    '   EOF',
    '',
    '4. Trusted time / 可信时间',
    o.timestamped
      ? `   openssl ts -verify -data ${SIGNATURE} -in ${TIMESTAMP} -CAfile tsa-root.pem      # the TSA's root certificate / 时间戳机构根证书\n   openssl ts -reply -in ${TIMESTAMP} -text`
      : '   This package has no RFC 3161 timestamp: its times are the workbench host\'s clock (and the phone\'s, both recorded). 本证据包无 RFC 3161 时间戳：时间为工作台主机时钟（及手机时钟，均已记录）。',
    '',
    '5. National algorithms / 国密算法 (SM3 per file in manifest.json, SM2 signature)',
    o.national
      ? `   openssl dgst -sm3 -verify ${SM2_PUBLIC_KEY} -sigopt distid:1234567812345678 -signature ${SM2_SIGNATURE} ${MANIFEST}\n   openssl dgst -sm3 FILE     # compare with the file's "sm3" in ${MANIFEST}`
      : '   Not used for this package. 本证据包未使用国密算法。',
    '',
    'With AppRights Workbench / 使用本工作台: apprights verify ' + o.fileName + (o.selfAsserted ? '' : ' --ca lab-root.pem'),
    '',
  ];
  return lines.join('\n');
}
