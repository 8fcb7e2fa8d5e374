/**
 * HAR 1.2 as its specification writes it (Jan Odvarko, "HAR 1.2 Spec", http://www.softwareishard.com/blog/har-12-spec/,
 * the text the W3C Web Performance draft "HTTP Archive (HAR) format" took over): the required fields of each object,
 * their types, -1 where a size or timing may be unknown, and the rule that any field the spec does not name starts
 * with an underscore ("Custom fields and elements MUST start with an underscore"). The npm validators
 * (har-validator, deprecated; har-schema) encode the same spec as JSON Schema; this is that text in zod, so the
 * workbench checks the HAR it writes without a dependency, and a test can say which field a HAR breaks.
 */
import { z } from 'zod';
import { builtOnce } from '../built-once.js';

/** An object with the spec's fields, where any other field must be a custom one (`_name`). */
function harObject<T extends z.ZodRawShape>(shape: T) {
  return z.object(shape).catchall(z.unknown()).superRefine((o, ctx) => {
    for (const key of Object.keys(o)) {
      if (!(key in shape) && !key.startsWith('_')) ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" is not a HAR 1.2 field; custom fields start with "_"` });
    }
  });
}

export const harSchema = builtOnce(() => {
  const comment = z.string().optional();
  // "startedDateTime [string] - Date and time stamp ... (ISO 8601 - YYYY-MM-DDThh:mm:ss.sTZD)".
  const dateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, 'an ISO 8601 date and time with its zone');
  const sizeOrUnknown = z.number().int().min(-1);
  const optionalTiming = z.number().min(-1).optional();
  const nameValue = harObject({ name: z.string(), value: z.string(), comment });
  const cookie = harObject({
    name: z.string(), value: z.string(), path: z.string().optional(), domain: z.string().optional(), expires: z.string().optional(),
    httpOnly: z.boolean().optional(), secure: z.boolean().optional(), comment,
  });
  // "postData ... mimeType [string], params [array], text [string]" — "text and params fields are mutually exclusive".
  const postData = harObject({
    mimeType: z.string(),
    params: z.array(harObject({ name: z.string(), value: z.string().optional(), fileName: z.string().optional(), contentType: z.string().optional(), comment })).optional(),
    text: z.string().optional(), comment,
  }).refine((p) => !(p.text !== undefined && p.params?.length), 'postData has both text and params');
  const content = harObject({
    size: z.number().int().min(0), compression: z.number().int().optional(), mimeType: z.string(), text: z.string().optional(),
    encoding: z.string().optional(), comment,
  });
  const request = harObject({
    method: z.string().min(1), url: z.string().min(1), httpVersion: z.string(), cookies: z.array(cookie), headers: z.array(nameValue),
    queryString: z.array(nameValue), postData: postData.optional(), headersSize: sizeOrUnknown, bodySize: sizeOrUnknown, comment,
  });
  const response = harObject({
    status: z.number().int().min(0), statusText: z.string(), httpVersion: z.string(), cookies: z.array(cookie), headers: z.array(nameValue),
    content, redirectURL: z.string(), headersSize: sizeOrUnknown, bodySize: sizeOrUnknown, comment,
  });
  const cacheEntry = harObject({ expires: z.string().optional(), lastAccess: z.string(), eTag: z.string(), hitCount: z.number().int(), comment });
  // "send, wait, receive [number]" are required and not -1; blocked, dns, connect, ssl may be -1 (not applicable).
  const timings = harObject({
    blocked: optionalTiming, dns: optionalTiming, connect: optionalTiming, send: z.number().min(0), wait: z.number().min(0), receive: z.number().min(0), ssl: optionalTiming, comment,
  });
  const entry = harObject({
    pageref: z.string().optional(), startedDateTime: dateTime, time: z.number().min(0), request, response,
    cache: harObject({ beforeRequest: cacheEntry.nullable().optional(), afterRequest: cacheEntry.nullable().optional(), comment }), timings,
    serverIPAddress: z.string().optional(), connection: z.string().optional(), comment,
  });
  const page = harObject({
    startedDateTime: dateTime, id: z.string().min(1), title: z.string(),
    pageTimings: harObject({ onContentLoad: z.number().min(-1).optional(), onLoad: z.number().min(-1).optional(), comment }), comment,
  });
  const creator = harObject({ name: z.string(), version: z.string(), comment });
  return z.object({
    log: harObject({ version: z.string(), creator, browser: creator.optional(), pages: z.array(page).optional(), entries: z.array(entry), comment }),
  }).strict().superRefine((har, ctx) => {
    // "pageref [string, unique, optional] - Reference to the parent page."
    const ids = new Set<string>();
    for (const [i, p] of (har.log.pages ?? []).entries()) {
      if (ids.has(p.id)) ctx.addIssue({ code: 'custom', path: ['log', 'pages', i, 'id'], message: `page id ${p.id} is not unique` });
      ids.add(p.id);
    }
    for (const [i, e] of har.log.entries.entries()) {
      if (e.pageref !== undefined && !ids.has(e.pageref)) ctx.addIssue({ code: 'custom', path: ['log', 'entries', i, 'pageref'], message: `pageref ${e.pageref} names no page` });
    }
  });
});

/** The first problems of a HAR against the spec, as "path: message" lines; empty when it is valid. */
export function harProblems(har: unknown, max = 10): string[] {
  const r = harSchema().safeParse(har);
  return r.success ? [] : r.error.issues.slice(0, max).map((i) => `${i.path.join('.')}: ${i.message}`);
}
