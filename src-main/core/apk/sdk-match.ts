/**
 * Which third-party SDKs an APK embeds: class prefixes looked up in the sorted DEX class descriptors by binary
 * search (no per-class loop over every SDK, no class name built unless it is shown), manifest components and
 * native libraries. The same matches as testing every class name against every prefix.
 */
import { descriptorToClassName } from './dex.js';
import type { SdkDb } from './knowledge-schema.js';

export interface SdkMatch {
  id: string;
  name: { zh: string; en: string };
  vendor: string;
  category: string;
  collects: string[];
  source: string;
  evidence: { classes: number; exampleClasses: string[]; components: string[]; nativeLibraries: string[] };
}

function lowerBound(sorted: string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `descriptors` is sorted in place. */
export function matchSdks(descriptors: string[], db: SdkDb, componentNames: Set<string>, nativeLibraries: string[]): SdkMatch[] {
  descriptors.sort();
  const found: SdkMatch[] = [];
  for (const sdk of db.sdks) {
    const matched: string[] = [];
    for (const prefix of sdk.classPrefixes) {
      const key = `L${prefix.replace(/\./g, '/')}`;
      for (let i = lowerBound(descriptors, key); i < descriptors.length && descriptors[i]!.startsWith(key); i++) matched.push(descriptors[i]!);
    }
    const comps = sdk.components.filter((c) => componentNames.has(c));
    const libs = sdk.nativeLibraries.filter((l) => nativeLibraries.includes(l));
    if (!matched.length && !comps.length && !libs.length) continue;
    // A class under two of the SDK's prefixes (cn.jiguang. and cn.jiguang.analytics.) counts once.
    const classes = sdk.classPrefixes.length > 1 ? [...new Set(matched)].sort() : matched;
    found.push({
      id: sdk.id, name: sdk.name, vendor: sdk.vendor, category: sdk.category, collects: sdk.collects, source: sdk.source,
      evidence: { classes: classes.length, exampleClasses: classes.slice(0, 3).map(descriptorToClassName), components: comps, nativeLibraries: libs },
    });
  }
  return found;
}
