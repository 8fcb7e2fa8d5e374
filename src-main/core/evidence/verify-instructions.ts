/**
 * VERIFY.txt: the exact stock-tool commands (openssl, coreutils, python3) that check this package, printed twice —
 * once for bash (Linux, macOS, Git Bash or WSL) and once for PowerShell (Windows) — so that each step works pasted
 * as it stands. Heredocs and here-strings start at the first column (an indented `EOF` or `'@` never ends them),
 * prose inside a section is a `#` comment in both shells, and every check fails loudly (assert, throw, exit status)
 * rather than printing something the reader must compare by eye. test/src-main/core/evidence/verify-txt-as-printed
 * runs the bash steps exactly as printed.
 */
import { quoteArg } from '../adb/shell-quote.js';
import { SIGNATURE, SM2_PUBLIC_KEY, SM2_SIGNATURE, SIGNER_CERTS, SUMS, TIMESTAMP, MANIFEST } from './manifest.js';

export interface VerifyTextInput { fileName: string; fingerprint: string; selfAsserted: boolean; national: boolean; timestamped: boolean }

/** The line that opens each shell's section (the test finds the sections by them). */
export const BASH_SECTION = '==== bash (Linux, macOS, Git Bash or WSL on Windows) ====';
export const POWERSHELL_SECTION = '==== PowerShell (Windows PowerShell 5.1 or PowerShell 7) ====';
/** A step opens with "# <n>. " in both sections. */
export const STEP = /^# (\d)\. /;

/** A string as a PowerShell single-quoted literal (a quote inside is doubled; nothing else is special). */
function psQuote(s: string): string {
  return `'${s.replace(/['\u2018\u2019\u201a\u201b]/g, "''")}'`;
}

/** The timeline's hash chain, checked against the signed manifest's count and head (python 3, stdin). */
const TIMELINE_CHECK = [
  'import hashlib, json',
  "prev, n = '0' * 64, 0",
  "for raw in open('timeline.jsonl', 'rb'):",
  "    line = raw.rstrip(b'\\n'); n += 1; o = json.loads(line)",
  "    assert o['seq'] == n and o['prev'] == prev, 'line %d breaks the chain' % n",
  '    prev = hashlib.sha256(line).hexdigest()',
  "m = json.load(open('manifest.json', encoding='utf-8'))['timeline']",
  "assert (m['count'], m['head']) == (n, prev), 'the timeline was truncated or extended'",
  "print('timeline OK', n, prev)",
];

/** SHA256SUMS is the one the signed manifest names, and it lists every file the manifest lists. */
const SUMS_CHECK = [
  'import hashlib, json',
  "m = json.load(open('manifest.json', encoding='utf-8'))",
  `sums = open('${SUMS}', 'rb').read()`,
  `assert hashlib.sha256(sums).hexdigest() == m['sha256sums'], '${SUMS} is not the one manifest.json signs'`,
  "listed = {l.split(b'  ', 1)[1].decode('utf-8') for l in sums.splitlines()}",
  "missing = [f['path'] for f in m['files'] if f['path'] not in listed]",
  `assert not missing, 'manifest.json lists files ${SUMS} does not: %s' % missing`,
  `print('${SUMS} matches manifest.json:', len(listed), 'files')`,
];

/** Each file's SM3 (openssl dgst -sm3) against the manifest's "sm3". */
const SM3_CHECK = [
  'import json, subprocess',
  "files = json.load(open('manifest.json', encoding='utf-8'))['files']",
  'for f in files:',
  "    out = subprocess.run(['openssl', 'dgst', '-sm3', '-r', f['path']], capture_output=True, check=True).stdout",
  "    assert out.split()[0].decode() == f['sm3'], f['path'] + ': SM3 differs from manifest.json'",
  "print('SM3 OK:', len(files), 'files')",
];

const bashPython = (script: string[]): string[] => ["python3 - <<'EOF'", ...script, 'EOF'];
// A here-string's closing '@ must start its line too; python reads the script from stdin ("-").
const psPython = (script: string[]): string[] => ["@'", ...script, "'@ | python -", "if ($LASTEXITCODE) { throw 'the check above failed' }"];
/** A native command's failure is no PowerShell error: stop on its exit status. */
const psChecked = (command: string, what: string): string => `${command}; if ($LASTEXITCODE) { throw ${psQuote(`${what} failed`)} }`;

function bashSteps(o: VerifyTextInput): string[] {
  const ca = o.selfAsserted ? SIGNER_CERTS : 'lab-root.pem';
  return [
    '# 0. Unpack, in the folder that holds the package / 在证据包所在文件夹解压',
    `unzip -q ${quoteArg(`./${o.fileName}`)} -d evidence && cd evidence`,
    '',
    '# 1. Signature over manifest.json, and who signed / manifest.json 的签名与签名者',
    `openssl cms -verify -binary -inform DER -in ${SIGNATURE} -content ${MANIFEST} -CAfile ${ca} -purpose any -out /dev/null`,
    `openssl pkcs7 -inform DER -in ${SIGNATURE} -print_certs -noout`,
    `openssl x509 -in ${SIGNER_CERTS} -noout -fingerprint -sha256`,
    '',
    '# 2. Every file, and SHA256SUMS against the signed manifest / 每个文件的完整性校验值',
    '# (macOS: shasum -a 256 -c SHA256SUMS)',
    `sha256sum -c --strict ${SUMS}`,
    ...bashPython(SUMS_CHECK),
    '',
    '# 3. The timeline hash chain / 时间线哈希链',
    ...bashPython(TIMELINE_CHECK),
    '',
    '# 4. Trusted time / 可信时间',
    ...(o.timestamped
      ? ['# tsa-root.pem: the time-stamping authority\'s root certificate / 时间戳机构根证书',
        `openssl ts -verify -data ${SIGNATURE} -in ${TIMESTAMP} -CAfile tsa-root.pem`, `openssl ts -reply -in ${TIMESTAMP} -text`]
      : ['# No RFC 3161 timestamp in this package: nothing to run. / 本证据包无时间戳，无须执行。']),
    '',
    '# 5. National algorithms / 国密算法',
    ...(o.national
      ? [`openssl dgst -sm3 -verify ${SM2_PUBLIC_KEY} -sigopt distid:1234567812345678 -signature ${SM2_SIGNATURE} ${MANIFEST}`, ...bashPython(SM3_CHECK)]
      : ['# Not used for this package: nothing to run. / 本证据包未使用国密算法，无须执行。']),
  ];
}

function powershellSteps(o: VerifyTextInput): string[] {
  const ca = o.selfAsserted ? SIGNER_CERTS : 'lab-root.pem';
  return [
    '# 0. Unpack, in the folder that holds the package / 在证据包所在文件夹解压',
    `Expand-Archive -LiteralPath ${psQuote(o.fileName)} -DestinationPath evidence; Set-Location evidence`,
    '',
    '# 1. Signature over manifest.json, and who signed / manifest.json 的签名与签名者',
    psChecked(`openssl cms -verify -binary -inform DER -in ${SIGNATURE} -content ${MANIFEST} -CAfile ${ca} -purpose any -out NUL`, 'the signature check'),
    `openssl pkcs7 -inform DER -in ${SIGNATURE} -print_certs -noout`,
    `openssl x509 -in ${SIGNER_CERTS} -noout -fingerprint -sha256`,
    '',
    '# 2. Every file, and SHA256SUMS against the signed manifest / 每个文件的完整性校验值',
    `Get-Content -LiteralPath ${SUMS} -Encoding UTF8 | ForEach-Object { $hash, $file = $_ -split '  ', 2; if ((Get-FileHash -Algorithm SHA256 -LiteralPath $file).Hash -ne $hash) { throw "FAILED: $file" }; "$($file): OK" }`,
    ...psPython(SUMS_CHECK),
    '',
    '# 3. The timeline hash chain / 时间线哈希链',
    ...psPython(TIMELINE_CHECK),
    '',
    '# 4. Trusted time / 可信时间',
    ...(o.timestamped
      ? ['# tsa-root.pem: the time-stamping authority\'s root certificate / 时间戳机构根证书',
        psChecked(`openssl ts -verify -data ${SIGNATURE} -in ${TIMESTAMP} -CAfile tsa-root.pem`, 'the timestamp check'), `openssl ts -reply -in ${TIMESTAMP} -text`]
      : ['# No RFC 3161 timestamp in this package: nothing to run. / 本证据包无时间戳，无须执行。']),
    '',
    '# 5. National algorithms / 国密算法',
    ...(o.national
      ? [psChecked(`openssl dgst -sm3 -verify ${SM2_PUBLIC_KEY} -sigopt distid:1234567812345678 -signature ${SM2_SIGNATURE} ${MANIFEST}`, 'the SM2 signature check'), ...psPython(SM3_CHECK)]
      : ['# Not used for this package: nothing to run. / 本证据包未使用国密算法，无须执行。']),
  ];
}

export function verifyInstructions(o: VerifyTextInput): string {
  const lines = [
    'AppRights Workbench evidence package — verifying it with stock tools',
    'App用户权益检测工作台 证据包 —— 用通用工具验证',
    '',
    // The verifier checks this line names the certificate that signed (verify-package.ts).
    `Signer certificate SHA-256 / 签名证书指纹: ${o.fingerprint}`,
    o.selfAsserted
      ? 'This identity is SELF-ASSERTED (self-signed): the check proves the package is unchanged since it was signed by this key; compare the fingerprint with the tester out of band. 该身份为自声明（自签名）：验证只能证明签名后未被修改，请另行向检测人员核对指纹。'
      : 'Put your lab\'s root certificate into the unpacked folder as lab-root.pem before step 1. 执行第 1 步前，请将本实验室根证书以 lab-root.pem 放入解压后的文件夹。',
    o.timestamped ? 'Step 4 needs the time-stamping authority\'s root certificate in the folder as tsa-root.pem. 第 4 步需将时间戳机构根证书以 tsa-root.pem 放入该文件夹。' : '',
    '',
    'The same checks follow twice: for bash and for PowerShell. Paste a step into the shell as it stands; each step',
    'stops with an error when its check fails. Needs openssl 3 and python 3 (Windows: python.org or py -3).',
    '以下同一组检查分别给出 bash 与 PowerShell 两种写法。逐步原样粘贴到命令行执行；检查不通过时该步报错。需要 openssl 3 与 python 3。',
    '',
    BASH_SECTION,
    '',
    ...bashSteps(o),
    '',
    POWERSHELL_SECTION,
    '',
    ...powershellSteps(o),
    '',
    '==== With AppRights Workbench / 使用本工作台 ====',
    `apprights verify ${quoteArg(o.fileName)}${o.selfAsserted ? '' : ' --ca lab-root.pem'}`,
    '',
  ];
  return lines.filter((l, i) => l !== '' || lines[i - 1] !== '').join('\n');
}

