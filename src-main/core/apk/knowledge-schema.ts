/**
 * The schemas of the shipped knowledge bases (permissions, SDK signatures): the types the analysis reads them
 * as, and the full check the test suite runs on every shipped file (test/src-main/core/apk/knowledge.test.ts).
 * The analysis process imports only the types, so it does not pay for loading zod.
 */
import { z } from 'zod';

const text = z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict();

export const permissionKbSchema = z.object({
  source: z.string(),
  categories: z.record(z.string(), text),
  permissions: z.array(z.object({
    name: z.string().regex(/^[\w.]+$/),
    protectionLevel: z.string(),
    category: z.string(),
    label: text,
    description: text,
    appOps: z.array(z.string().regex(/^[A-Z_]+$/)),
  }).strict()),
}).strict();

export const sdkDbSchema = z.object({
  note: z.string(),
  categories: z.record(z.string(), text),
  collects: z.record(z.string(), text),
  sdks: z.array(z.object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: text,
    vendor: z.string().min(1),
    /** The vendor's company group (affiliates share one): informational, e.g. for "腾讯" naming any Tencent company. */
    group: z.string().regex(/^[a-z0-9-]+$/).optional(),
    category: z.string(),
    collects: z.array(z.string()),
    classPrefixes: z.array(z.string().regex(/^[\w.$]+$/)),
    components: z.array(z.string()),
    nativeLibraries: z.array(z.string().regex(/^lib[\w.+-]+\.so$/)),
    source: z.string().url(),
  }).strict()).min(80),
}).strict().superRefine((db, ctx) => {
  const ids = new Set<string>();
  db.sdks.forEach((s, i) => {
    if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['sdks', i, 'id'], message: `duplicate id ${s.id}` });
    ids.add(s.id);
    if (!(s.category in db.categories)) ctx.addIssue({ code: 'custom', path: ['sdks', i, 'category'], message: `unknown category ${s.category}` });
    for (const c of s.collects) if (!(c in db.collects)) ctx.addIssue({ code: 'custom', path: ['sdks', i, 'collects'], message: `unknown collected item ${c}` });
    if (!s.classPrefixes.length && !s.components.length && !s.nativeLibraries.length) ctx.addIssue({ code: 'custom', path: ['sdks', i], message: 'no signature' });
  });
});

export type PermissionKb = z.infer<typeof permissionKbSchema>;
export type SdkDb = z.infer<typeof sdkDbSchema>;

