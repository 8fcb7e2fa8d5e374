/**
 * What the app was seen to contain and do, in the policy comparison's terms: third-party SDKs (in the APK,
 * and at run time from the components its processes and intents start and the SDK servers it contacted through
 * the workbench's proxy), personal-information categories
 * (from its dangerous permissions, and at run time from app-op accesses, identifier reads, the reads only the log
 * shows and permission requests) and the permissions it requests. Each keeps its evidence: APK analysis entries and timeline seqs.
 */
import type { SensitiveData } from '../../../src-preload/monitor-events.js';
import type { SdkRef } from '../../../src-preload/network.js';
import type { ApkAnalysis } from '../apk/analyze-apk.js';
import { loadKnowledge } from '../apk/knowledge.js';
import type { TimelineFacts } from '../checklist/timeline-facts.js';
import { policyKnowledge } from './policy-knowledge.js';

export interface ObservedThing {
  static: string[];
  runtime: number[];
}

export interface Observed {
  sdks: Map<string, ObservedThing>;
  pi: Map<string, ObservedThing>;
  permissions: Map<string, ObservedThing>;
  /** SDKs seen only through the host table, by id: their names when the signature table does not know the id. */
  sdkRefs: Map<string, SdkRef>;
  /** Whether the comparison had an APK analysis and a timeline to look at. */
  sources: { analysis: boolean; timeline: boolean };
}

/** App ops that read something no runtime permission guards. */
const OP_CATEGORY: Record<string, string> = { READ_CLIPBOARD: 'clipboard', READ_DEVICE_IDENTIFIERS: 'deviceId', GET_USAGE_STATS: 'appList', READ_ICC_SMS: 'sms' };

/** The PI category of each read only the log shows (an OAID is a device identifier, resettable or not). */
const DATA_CATEGORY: Record<SensitiveData, string> = {
  clipboard: 'clipboard', 'wifi-info': 'network', 'cell-info': 'location', 'running-apps': 'appList', 'foreground-app': 'appList', oaid: 'deviceId',
};

/** The PI category a permission reaches (READ_PHONE_STATE reads identifiers; READ_PHONE_NUMBERS the number). */
export function piCategoryOfPermission(permission: string): string | null {
  if (permission.endsWith('.READ_PHONE_NUMBERS')) return 'phoneNumber';
  if (permission.endsWith('.READ_PHONE_STATE') || permission.endsWith('.READ_PRIVILEGED_PHONE_STATE')) return 'deviceId';
  const kb = loadKnowledge().permissions.permissions.find((p) => p.name === permission);
  if (!kb || (!kb.protectionLevel.includes('dangerous') && kb.category !== 'appList')) return null;
  return Object.entries(policyKnowledge().dictionary.categories).find(([, c]) => c.permissionCategories.includes(kb.category))?.[0] ?? null;
}

/** The class a component name points to: "pkg/.Svc" → "pkg.Svc", "pkg/a.b.C" → "a.b.C". */
function componentClass(component: string): string {
  const [pkg, cls] = component.includes('/') ? component.split('/', 2) as [string, string] : ['', component];
  return cls.startsWith('.') ? pkg + cls : cls;
}

function add(map: Map<string, ObservedThing>, key: string, stat: string | null, seq: number | null): void {
  const t = map.get(key) ?? { static: [], runtime: [] };
  if (stat !== null && !t.static.includes(stat)) t.static.push(stat);
  if (seq !== null && t.runtime.length < 50 && !t.runtime.includes(seq)) t.runtime.push(seq);
  map.set(key, t);
}

export function observe(analysis: ApkAnalysis | null, facts: TimelineFacts | null): Observed {
  const o: Observed = { sdks: new Map(), pi: new Map(), permissions: new Map(), sdkRefs: new Map(), sources: { analysis: !!analysis, timeline: !!facts } };
  if (analysis) {
    for (const s of analysis.sdks) add(o.sdks, s.id, `sdk:${s.id}`, null);
    for (const p of analysis.permissions) {
      const cat = piCategoryOfPermission(p.name);
      if (!cat) continue;
      add(o.permissions, p.name, `permission:${p.name}`, null);
      add(o.pi, cat, `permission:${p.name}`, null);
    }
  }
  if (facts) {
    const sdkDb = loadKnowledge().sdks.sdks;
    const classOwner = (cls: string): string | null => sdkDb.find((s) => s.components.includes(cls) || s.classPrefixes.some((p) => cls.startsWith(p)))?.id ?? null;
    for (const { seq, event } of facts.appEvents('process.start', 'intent.start', 'app.foreground')) {
      const component = event.type === 'intent.start' ? event.target : event.component;
      const sdk = component ? classOwner(componentClass(component)) : null;
      if (sdk) add(o.sdks, sdk, null, seq);
    }
    // An SDK server the app itself (by uid) contacted: the SDK ran. A connection only possibly the app's is not counted.
    for (const c of facts.network().contacts) {
      if (c.whose !== 'uid' || !c.sdk) continue;
      add(o.sdks, c.sdk.id, null, c.seq);
      o.sdkRefs.set(c.sdk.id, c.sdk);
    }
    for (const { seq, event } of facts.appEvents('appop.access', 'appop.reject')) {
      if (!facts.knowledge.isSensitiveOp(event.op)) continue;
      const cat = OP_CATEGORY[event.op] ?? facts.knowledge.permissionsOfOp(event.op).map(piCategoryOfPermission).find((c) => c) ?? null;
      if (cat) add(o.pi, cat, null, seq);
    }
    for (const { seq } of facts.appEvents('identifier.access')) add(o.pi, 'deviceId', null, seq);
    for (const { seq, event } of facts.appEvents('sensitive.access')) add(o.pi, DATA_CATEGORY[event.data], null, seq);
    for (const { seq, event } of facts.appEvents('permission.result')) {
      const cat = piCategoryOfPermission(event.permission);
      if (!cat) continue;
      add(o.permissions, event.permission, null, seq);
      add(o.pi, cat, null, seq);
    }
  }
  return o;
}
