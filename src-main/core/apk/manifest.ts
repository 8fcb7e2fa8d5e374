/**
 * The manifest model read from an APK's AndroidManifest.xml: identity, SDK levels, permissions and
 * components with their intent filters. Shared by `pm install` on the virtual phone and APK analysis.
 */
import { parseAxml, type AttrValue, type XmlElement } from './axml.js';
import { ZipReader } from './zip-reader.js';

export interface ComponentInfo {
  kind: 'activity' | 'activity-alias' | 'service' | 'receiver' | 'provider';
  name: string;
  exported: boolean | null;
  actions: string[];
  categories: string[];
}

export interface ManifestInfo {
  packageName: string;
  versionCode: number;
  versionName: string | null;
  minSdk: number | null;
  targetSdk: number | null;
  usesPermissions: Array<{ name: string; maxSdkVersion: number | null }>;
  components: ComponentInfo[];
  labelRef: number | null;
  label: string | null;
}

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
    components.push({
      kind: c.name as ComponentInfo['kind'],
      name: qualify(pkg, asString(c.attrs.name) ?? ''),
      exported: typeof exported === 'boolean' ? exported : null,
      actions: pick('action'),
      categories: pick('category'),
    });
  }
  const label = app?.attrs.label;
  return {
    packageName: pkg,
    versionCode: asNumber(root.attrs.versionCode) ?? 0,
    versionName: asString(root.attrs.versionName),
    minSdk: asNumber(usesSdk?.attrs.minSdkVersion),
    targetSdk: asNumber(usesSdk?.attrs.targetSdkVersion),
    usesPermissions: root.children
      .filter((c) => c.name === 'uses-permission' || c.name === 'uses-permission-sdk-23')
      .map((c) => ({ name: asString(c.attrs.name) ?? '', maxSdkVersion: asNumber(c.attrs.maxSdkVersion) }))
      .filter((u) => u.name),
    components,
    labelRef: typeof label === 'object' ? label.ref : null,
    label: typeof label === 'string' ? label : null,
  };
}

/** Reads the manifest of an APK held in memory. Throws WorkbenchError('apk.refused') with the reason. */
export function readManifest(apk: Buffer): ManifestInfo {
  const zip = new ZipReader(apk);
  return manifestFromXml(parseAxml(zip.read('AndroidManifest.xml', MAX_MANIFEST)));
}
