/**
 * One APK, analysed: hashes, manifest (with the label resolved from resources.arsc), permissions with what
 * they reach, DEX classes, native libraries, third-party SDKs found by class prefix / component / native
 * library, signing certificates, and the risk context a tester needs (self-start receivers, exported
 * components, cleartext, backup, debuggable, Janus, debug keys, app-list access). Everything is read in
 * memory with size caps; anything malformed becomes a refusal or a finding, never a crash.
 */
import { basename } from 'node:path';
import { WorkbenchError } from '../errors.js';
import { ResourceTable } from './arsc.js';
import { dexNamesOf, readDexClasses } from './dex-classes.js';
import { loadKnowledge } from './knowledge.js';
import { manifestFromXml, type ComponentInfo } from './manifest.js';
import { parseAxml } from './axml.js';
import { matchSdks, type SdkMatch } from './sdk-match.js';
import { readSignatures, type SignatureInfo } from './signatures.js';
import { fileHashes, withHashes } from './file-hashes.js';
import { readUserCaTrust, type UserCaTrust } from './user-ca-trust.js';
import { ZipReader } from './zip-reader.js';

/** 2: signatures.verification (v1/v2/v3/v3.1 verified as apksigner does); 3: userCaTrust. The README documents the JSON. */
export const ANALYSIS_SCHEMA_VERSION = 3;
const MAX_MANIFEST = 8 * 1024 * 1024;
const MAX_ARSC = 64 * 1024 * 1024;

type Bilingual = { zh: string; en: string };

export interface ApkAnalysis {
  schemaVersion: number;
  file: { name: string; size: number; sha256: string; sm3: string; md5: string };
  packageName: string;
  /** null when the manifest declares none (aapt prints ''). */
  versionCode: number | null;
  versionName: string | null;
  minSdk: number | null;
  targetSdk: number | null;
  compileSdk: number | null;
  label: { default: string | null; zhCN: string | null; en: string | null };
  permissions: Array<{ name: string; maxSdkVersion: number | null; protectionLevel: string | null; category: string | null; label: Bilingual | null; dangerous: boolean }>;
  declaredPermissions: Array<{ name: string; protectionLevel: string }>;
  application: { debuggable: boolean; allowBackup: boolean; usesCleartextTraffic: boolean | null; networkSecurityConfig: boolean; testOnly: boolean };
  components: ComponentInfo[];
  queries: { packages: string[]; intents: number; providers: string[] };
  dex: { files: number; classes: number };
  nativeLibraries: string[];
  sdks: SdkMatch[];
  signatures: SignatureInfo;
  /** Whether the app would trust a user-installed CA (the session CA that reads its HTTPS): network security config + targetSdk. */
  userCaTrust: UserCaTrust;
  /** `detail` is English; `params` holds the names in it, so a UI can say it in the user's language. */
  risks: Array<{ code: string; severity: 'high' | 'medium' | 'low' | 'info'; detail: string; params?: Record<string, string> }>;
  findings: string[];
}

const SELF_START_ACTIONS = [
  'android.intent.action.BOOT_COMPLETED', 'android.intent.action.LOCKED_BOOT_COMPLETED', 'android.net.conn.CONNECTIVITY_CHANGE',
  'android.intent.action.PACKAGE_ADDED', 'android.intent.action.PACKAGE_REMOVED', 'android.intent.action.PACKAGE_REPLACED',
  'android.intent.action.USER_PRESENT', 'android.intent.action.ACTION_POWER_CONNECTED', 'android.intent.action.ACTION_POWER_DISCONNECTED',
  'android.intent.action.MEDIA_MOUNTED', 'android.net.wifi.STATE_CHANGE', 'android.net.wifi.WIFI_STATE_CHANGED', 'android.intent.action.TIME_SET',
  'android.intent.action.SCREEN_ON', 'android.intent.action.SCREEN_OFF', 'android.intent.action.PHONE_STATE', 'android.provider.Telephony.SMS_RECEIVED',
];

export async function analyzeApk(bytes: Buffer, name: string, onProgress: (step: string) => void = () => {}): Promise<ApkAnalysis> {
  onProgress('hash');
  const hashes = fileHashes(bytes);
  return withHashes(await analyzeContents(bytes, name, { dexInThreads: true }, onProgress), hashes);
}

/** An analysis but for the file's hashes, which are computed beside it (in a thread, or by the caller). */
export type ApkContents = Omit<ApkAnalysis, 'file'> & { file: Pick<ApkAnalysis['file'], 'name' | 'size'> };

/**
 * Everything but the file's hashes. `dexInThreads`: DEX files inflate in libuv's thread pool meanwhile (for a
 * process with cores to spare), else one after the other on this thread.
 */
export async function analyzeContents(bytes: Buffer, name: string, o: { dexInThreads: boolean }, onProgress: (step: string) => void = () => {}): Promise<ApkContents> {
  const kb = loadKnowledge();
  const file = { name: basename(name), size: bytes.length };
  onProgress('zip');
  const zip = new ZipReader(bytes);
  const findings = zip.findings.map((f) => `${f.code}: ${f.entry}`);
  onProgress('manifest');
  const manifest = manifestFromXml(parseAxml(zip.read('AndroidManifest.xml', MAX_MANIFEST)));
  if (!manifest.packageName) throw new WorkbenchError('apk.refused', 'the manifest names no package');
  let label = { default: manifest.label, zhCN: manifest.label, en: manifest.label };
  let table: ResourceTable | null = null;
  if ((manifest.labelRef !== null || manifest.networkSecurityConfigRef !== null) && zip.entries.has('resources.arsc')) {
    onProgress('resources');
    try {
      table = new ResourceTable(zip.read('resources.arsc', MAX_ARSC));
    } catch (err) {
      findings.push(`resources.arsc: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (table && manifest.labelRef !== null) {
    label = { default: table.resolveString(manifest.labelRef), zhCN: table.resolveString(manifest.labelRef, 'zh-CN'), en: table.resolveString(manifest.labelRef, 'en') };
  }
  const userCa = readUserCaTrust(zip, table, manifest.networkSecurityConfigRef, manifest.targetSdk, manifest.application.debuggable);
  onProgress('dex');
  const dexNames = dexNamesOf(zip);
  const dex = readDexClasses(zip, dexNames, o.dexInThreads);
  const nativeLibraries = [...new Set([...zip.entries.keys()].filter((n) => /^lib\/[^/]+\/[^/]+\.so$/.test(n)).map((n) => n.split('/').pop()!))].sort();

  // While the DEX files inflate in the thread pool.
  onProgress('signatures');
  let signatures: SignatureInfo;
  try {
    signatures = readSignatures(bytes, zip, manifest);
  } finally {
    // Never leave the DEX reading unawaited, even when the signatures throw.
    await dex.catch(() => undefined);
  }
  const { descriptors, findings: dexFindings } = await dex;
  findings.push(...dexFindings);

  onProgress('sdks');
  const sdks = matchSdks(descriptors, kb.sdks, new Set(manifest.components.map((c) => c.name)), nativeLibraries);

  const byName = new Map(kb.permissions.permissions.map((p) => [p.name, p]));
  const permissions = manifest.usesPermissions.map((u) => {
    const k = byName.get(u.name);
    return { name: u.name, maxSdkVersion: u.maxSdkVersion, protectionLevel: k?.protectionLevel ?? null, category: k?.category ?? null, label: k?.label ?? null, dangerous: k?.protectionLevel === 'dangerous' };
  });

  const risks: ApkAnalysis['risks'] = [];
  for (const c of manifest.components) {
    const selfStart = c.actions.filter((a) => SELF_START_ACTIONS.includes(a));
    if (c.kind === 'receiver' && selfStart.length) risks.push({ code: 'self-start-receiver', severity: 'medium', detail: `${c.name} listens for ${selfStart.join(', ')}`, params: { component: c.name, actions: selfStart.join(', ') } });
    if (c.reachable && !c.permission && c.kind !== 'activity' && c.kind !== 'activity-alias') risks.push({ code: 'exported-component', severity: 'low', detail: `${c.kind} ${c.name} is reachable by other apps without a permission`, params: { kind: c.kind, component: c.name } });
  }
  if (manifest.application.usesCleartextTraffic === true || (manifest.application.usesCleartextTraffic === null && !manifest.application.networkSecurityConfig && (manifest.targetSdk ?? 0) < 28)) {
    risks.push({ code: 'cleartext-traffic', severity: 'medium', detail: 'plain HTTP is allowed' });
  }
  if (manifest.application.allowBackup) risks.push({ code: 'allow-backup', severity: 'low', detail: 'app data can be backed up with adb backup / cloud backup' });
  if (manifest.application.debuggable) risks.push({ code: 'debuggable', severity: 'high', detail: 'android:debuggable="true": any user of adb can attach a debugger' });
  if (manifest.application.testOnly) risks.push({ code: 'test-only', severity: 'medium', detail: 'android:testOnly="true"' });
  const sigErrors = signatures.verification.errors;
  if (sigErrors.length && signatures.schemes.length) {
    const first = sigErrors[0]!;
    risks.push({ code: 'signature-invalid', severity: 'high', detail: `the signature does not verify (${first.scheme}: ${first.detail})`, params: { scheme: first.scheme, failure: first.kind, detail: first.detail } });
  }
  if (!signatures.schemes.length) risks.push({ code: 'unsigned', severity: 'high', detail: 'the APK is not signed: Android will not install it' });
  const lineage = Object.values(signatures.verification.schemes).filter((r) => r.status === 'verified').flatMap((r) => r.signers).find((x) => (x.lineage?.length ?? 0) > 1)?.lineage;
  if (lineage) risks.push({ code: 'key-rotated', severity: 'info', detail: `the signing key was rotated (${lineage.length} certificates in the v3 lineage)`, params: { count: String(lineage.length) } });
  if (signatures.janusRisk) risks.push({ code: 'janus', severity: 'high', detail: 'signed with v1 only and minSdk < 24 (CVE-2017-13156)' });
  for (const c of signatures.certificates) {
    if (c.debugKey) risks.push({ code: 'debug-key', severity: 'medium', detail: `signed with a debug key (${c.subject})`, params: { subject: c.subject } });
    if (c.aospTestKey) risks.push({ code: 'aosp-test-key', severity: 'high', detail: `signed with the public AOSP test key (${c.subject})`, params: { subject: c.subject } });
  }
  if (manifest.queryAllPackages) risks.push({ code: 'query-all-packages', severity: 'medium', detail: 'QUERY_ALL_PACKAGES: can list every installed app' });
  // The worst first: a signature that does not verify must not hide below forty exported components.
  const rank = { high: 0, medium: 1, low: 2, info: 3 };
  risks.sort((a, b) => rank[a.severity] - rank[b.severity]);

  return {
    schemaVersion: ANALYSIS_SCHEMA_VERSION, file, packageName: manifest.packageName, versionCode: manifest.versionCodeDeclared ? manifest.versionCode : null, versionName: manifest.versionName,
    minSdk: manifest.minSdk, targetSdk: manifest.targetSdk, compileSdk: manifest.compileSdk, label, permissions,
    declaredPermissions: manifest.declaredPermissions, application: manifest.application, components: manifest.components, queries: manifest.queries,
    dex: { files: dexNames.length, classes: descriptors.length }, nativeLibraries, sdks, signatures, userCaTrust: userCa, risks, findings,
  };
}

