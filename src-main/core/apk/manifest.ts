/**
 * The manifest model read from an APK's AndroidManifest.xml: identity, SDK levels, permissions and
 * components with their intent filters. Shared by `pm install` on the virtual phone and APK analysis.
 */
import { parseAxml, type AttrValue, type XmlElement } from './axml.js';
import { ZipReader } from './zip-reader.js';

export interface ComponentInfo {
  kind: 'activity' | 'activity-alias' | 'service' | 'receiver' | 'provider';
  name: string;
  /** The android:exported attribute as written (null when absent). */
  exported: boolean | null;
  /** Whether other apps can reach it: the attribute, else (before Android 12 rules) having an intent filter. */
  reachable: boolean;
  permission: string | null;
  actions: string[];
  categories: string[];
}

export interface DeclaredPermission {
  name: string;
  protectionLevel: string;
}

export interface ApplicationFlags {
  debuggable: boolean;
  allowBackup: boolean;
  usesCleartextTraffic: boolean | null;
  networkSecurityConfig: boolean;
  testOnly: boolean;
}

export interface ManifestInfo {
  packageName: string;
  versionCode: number;
  versionCodeDeclared: boolean;
  versionName: string | null;
  minSdk: number | null;
  targetSdk: number | null;
  compileSdk: number | null;
  usesPermissions: Array<{ name: string; maxSdkVersion: number | null }>;
  declaredPermissions: DeclaredPermission[];
  application: ApplicationFlags;
  components: ComponentInfo[];
  /** Packages and intents the app declares it will look for (<queries>), and whether it asks for all. */
  queries: { packages: string[]; intents: number; providers: string[] };
  queryAllPackages: boolean;
  labelRef: number | null;
  label: string | null;
  /** The network security config's resource (`android:networkSecurityConfig="@xml/…"`), to be read from resources.arsc. */
  networkSecurityConfigRef: number | null;
}

const PROTECTION = ['normal', 'dangerous', 'signature', 'signatureOrSystem'];

const MAX_MANIFEST = 8 * 1024 * 1024;

const asNumber = (v: AttrValue | undefined): number | null =>
  typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null;
const asString = (v: AttrValue | undefined): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;

function qualify(pkg: string, name: string): string {
  return name.startsWith('.') ? pkg + name : name.includes('.') ? name : `${pkg}.${name}`;
}

export function manifestFromXml(root: XmlElement): ManifestInfo {
  const pkg = asString(root.attrs.package) ?? '';
  const usesSdk = root.children.find((c) => c.name === 'uses-sdk');
  const app = root.children.find((c) => c.name === 'application');
  const components: ComponentInfo[] = [];
  for (const c of app?.children ?? []) {
    if (!['activity', 'activity-alias', 'service', 'receiver', 'provider'].includes(c.name)) continue;
    const filters = c.children.filter((f) => f.name === 'intent-filter');
    const pick = (tag: string): string[] =>
      filters.flatMap((f) => f.children.filter((x) => x.name === tag).map((x) => asString(x.attrs.name) ?? ''));
    const exported = c.attrs.exported;
    const explicit = typeof exported === 'boolean' ? exported : null;
    components.push({
      kind: c.name as ComponentInfo['kind'],
      name: qualify(pkg, asString(c.attrs.name) ?? ''),
      exported: explicit,
      reachable: explicit ?? filters.length > 0,
      permission: asString(c.attrs.permission),
      actions: pick('action'),
      categories: pick('category'),
    });
  }
  const label = app?.attrs.label;
  const usesPermissions = root.children
    .filter((c) => c.name === 'uses-permission' || c.name === 'uses-permission-sdk-23')
    .map((c) => ({ name: asString(c.attrs.name) ?? '', maxSdkVersion: asNumber(c.attrs.maxSdkVersion) }))
    .filter((u) => u.name);
  const queries = root.children.filter((c) => c.name === 'queries').flatMap((q) => q.children);
  const bool = (v: AttrValue | undefined, fallback: boolean): boolean => (typeof v === 'boolean' ? v : fallback);
  return {
    packageName: pkg,
    versionCode: asNumber(root.attrs.versionCode) ?? 0,
    versionCodeDeclared: asNumber(root.attrs.versionCode) !== null,
    versionName: asString(root.attrs.versionName),
    minSdk: asNumber(usesSdk?.attrs.minSdkVersion),
    targetSdk: asNumber(usesSdk?.attrs.targetSdkVersion),
    compileSdk: asNumber(root.attrs.compileSdkVersion) ?? asNumber(root.attrs.platformBuildVersionCode),
    usesPermissions,
    declaredPermissions: root.children.filter((c) => c.name === 'permission').map((c) => {
      const level = c.attrs.protectionLevel;
      return { name: asString(c.attrs.name) ?? '', protectionLevel: typeof level === 'number' ? (PROTECTION[level & 0xf] ?? `0x${level.toString(16)}`) : asString(level) ?? 'normal' };
    }),
    application: {
      debuggable: bool(app?.attrs.debuggable, false),
      allowBackup: bool(app?.attrs.allowBackup, true),
      usesCleartextTraffic: typeof app?.attrs.usesCleartextTraffic === 'boolean' ? app.attrs.usesCleartextTraffic : null,
      networkSecurityConfig: app?.attrs.networkSecurityConfig !== undefined,
      testOnly: bool(app?.attrs.testOnly, false),
    },
    components,
    queries: {
      packages: queries.filter((q) => q.name === 'package').map((q) => asString(q.attrs.name) ?? '').filter(Boolean),
      intents: queries.filter((q) => q.name === 'intent').length,
      providers: queries.filter((q) => q.name === 'provider').map((q) => asString(q.attrs.authorities) ?? '').filter(Boolean),
    },
    queryAllPackages: usesPermissions.some((u) => u.name === 'android.permission.QUERY_ALL_PACKAGES'),
    networkSecurityConfigRef: typeof app?.attrs.networkSecurityConfig === 'object' ? app.attrs.networkSecurityConfig.ref : null,
    labelRef: typeof label === 'object' ? label.ref : null,
    label: typeof label === 'string' ? label : null,
  };
}

/** Reads the manifest of an APK held in memory. Throws WorkbenchError('apk.refused') with the reason. */
export function readManifest(apk: Buffer): ManifestInfo {
  const zip = new ZipReader(apk);
  return manifestFromXml(parseAxml(zip.read('AndroidManifest.xml', MAX_MANIFEST)));
}
