/**
 * The knowledge policy reading and comparison stand on, from resources/knowledge: the PI dictionary (how
 * policies name personal information, permissions, purposes, the two lists and SDKs) and the 39 app types
 * of 国信办秘字〔2021〕14号 with their necessary personal information. Both schema-checked on load.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { builtOnce } from '../built-once.js';
import { resourcesDir } from '../resources-dir.js';

/** The two files' schemas, built when the knowledge is first read. */
const knowledgeSchemas = builtOnce(() => {
  const bilingual = <T extends z.ZodType>(t: T) => z.object({ zh: t, en: t }).strict();
  const terms = bilingual(z.array(z.string().min(1)).min(1));

  const dictionary = z.object({
    note: z.string(),
    categories: z.record(z.string().regex(/^[a-zA-Z]+$/), z.object({
      zh: z.string(), en: z.string(), observable: z.boolean(), permissionCategories: z.array(z.string()), terms,
    }).strict()),
    negations: terms,
    sharingNegations: terms,
    purposeMarkers: terms,
    lists: z.object({ collected: terms, shared: terms, referenceMarkers: terms }).strict(),
    fields: z.object({ type: terms, purpose: terms, scenario: terms, method: terms }).strict(),
    sdkAliases: z.record(z.string(), z.array(z.string().min(2))),
    vendorAliases: z.record(z.string(), z.array(z.string().min(2))),
  }).strict();

  const appTypes = z.object({
    source: z.string(),
    note: z.string(),
    types: z.array(z.object({
      no: z.number().int().min(1).max(39),
      name: bilingual(z.string().min(1)),
      basicFunction: bilingual(z.string().min(1)),
      necessaryPi: z.object({ zh: z.array(z.string()), en: z.string() }).strict(),
      categories: z.array(z.string()),
      noPiNeeded: z.boolean(),
      level: z.enum(['A', 'B', 'C']),
      toVerify: z.boolean(),
      sources: z.string(),
    }).strict()).length(39),
  }).strict();
  return { dictionary, appTypes };
});

export type PiDictionary = z.infer<ReturnType<typeof knowledgeSchemas>['dictionary']>;
export type AppType = z.infer<ReturnType<typeof knowledgeSchemas>['appTypes']>['types'][number];

let cache: { dictionary: PiDictionary; appTypes: AppType[] } | undefined;

export function policyKnowledge(dir = join(resourcesDir(), 'knowledge')): { dictionary: PiDictionary; appTypes: AppType[] } {
  if (cache) return cache;
  const read = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'));
  const schemas = knowledgeSchemas();
  const dictionary = schemas.dictionary.parse(read('pi-dictionary.json'));
  const appTypes = schemas.appTypes.parse(read('app-types.json')).types;
  for (const t of appTypes) {
    for (const c of t.categories) if (!(c in dictionary.categories)) throw new Error(`app-types.json: type ${t.no} names unknown category ${c}`);
  }
  cache = { dictionary, appTypes };
  return cache;
}

export function appTypeByNo(no: number): AppType | null {
  return policyKnowledge().appTypes.find((t) => t.no === no) ?? null;
}

/** A type given as its number, its Chinese name (with or without 类) or its English name. */
export function findAppType(name: string): AppType | null {
  const s = name.trim().toLowerCase();
  if (/^\d+$/.test(s)) return appTypeByNo(Number(s));
  return policyKnowledge().appTypes.find((t) => t.name.zh === s || t.name.zh === `${s}类` || t.name.en.toLowerCase() === s) ?? null;
}
