/**
 * zod schemas for the arguments of every API method: the trust boundary for IPC and WebSocket input.
 * The `satisfies` clause ties them to WorkbenchApi, so a method added to the contract needs a schema here.
 */
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { MethodName } from '../../src-preload/api.js';
import { TESTER_MARKS } from '../../src-preload/monitor-events.js';
import { PI_KINDS } from '../../src-preload/network.js';
import { builtOnce } from '../core/built-once.js';
import { FARM_NAME } from '../core/farm/farm-jobs.js';
import { ROM_PROFILE_IDS } from '../core/virtual-device/rom/rom-profile.js';

/** The fields of settings.json without defaults: what a client may change, one field or several at a time. */
const settingsFields = () => ({
  language: z.enum(['auto', 'zh-CN', 'en']),
  theme: z.enum(['system', 'light', 'dark']),
  adbPath: z.string().min(1).max(1024).nullable(),
  rememberedDevices: z.array(z.string().max(300)).max(100),
  allowLocalAddresses: z.boolean(),
});

/** settings.json as stored: every field, missing ones filled with their defaults. */
export const settingsSchema = builtOnce(() => {
  const fields = settingsFields();
  return z.object({
    language: fields.language.default('auto'),
    theme: fields.theme.default('system'),
    adbPath: fields.adbPath.default(null),
    rememberedDevices: fields.rememberedDevices.default([]),
    allowLocalAddresses: fields.allowLocalAddresses.default(false),
  }).strict();
});

/**
 * How long a note may be to reach the core at all: far above the note limit (NOTE_MAX_CHARS), so a note over it
 * is refused there with the limit and its length named (session.note-too-long), not as a bare invalid field.
 */
const NOTE_INPUT_MAX = 1_000_000;

/** The argument schema of every method, built when the first call arrives. */
export const methodSchemas = builtOnce(buildMethodSchemas);

function buildMethodSchemas() {
  const none = z.object({}).strict();

  /** A change: only the fields sent (zod 4's .partial() would keep .default()s and reset the others). */
  const settingsPatchSchema = z.object(settingsFields()).partial().strict();

  /** host:port (IPv4, [IPv6] or a host name) with a valid port. */
  const deviceAddress = z.string().max(300).regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'host:port').refine((a) => {
    const port = Number(a.slice(a.lastIndexOf(':') + 1));
    return port > 0 && port < 65536;
  }, 'port must be 1-65535');

  const serial = z.string().min(1).max(300).regex(/^[\x21-\x7e]+$/, 'a device serial');
  const onDevice = z.object({ serial }).strict();
  const packageAction = z.object({ serial, packageName: z.string().regex(/^[a-zA-Z][\w]*(\.[a-zA-Z][\w]*)+$/, 'a package name').max(255) }).strict();
  const coordinate = z.number().finite().min(0).max(100_000);

  const inputActionSchema = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('tap'), x: coordinate, y: coordinate }).strict(),
    z.object({ kind: z.literal('swipe'), x1: coordinate, y1: coordinate, x2: coordinate, y2: coordinate, durationMs: z.number().int().min(0).max(10_000) }).strict(),
    z.object({ kind: z.literal('key'), key: z.enum(['BACK', 'HOME', 'APP_SWITCH', 'POWER', 'VOLUME_UP', 'VOLUME_DOWN', 'ENTER', 'DEL']) }).strict(),
    // `input text` types ASCII only on stock Android; other characters are refused here, not mangled there.
    z.object({ kind: z.literal('text'), text: z.string().min(1).max(1000).regex(/^[\x20-\x7e]+$/, 'printable ASCII (input text cannot type other characters)') }).strict(),
  ]);

  const packageName = z.string().regex(/^[a-zA-Z][\w]*(\.[a-zA-Z][\w]*)+$/, 'a package name').max(255);
  const sessionId = z.object({ id: z.string().regex(/^[\w.-]{1,200}$/, 'a session id') }).strict();
  const fileId = z.string().regex(/^[a-f0-9]{32}$/);
  const sessionIdValue = z.string().regex(/^[\w.-]{1,200}$/, 'a session id');
  /** A farm job's id: its kind and 40 hex digits (farm-jobs.ts jobId). */
  const farmJobId = z.string().regex(/^(analyze|check)-[0-9a-f]{40}$/, 'a job id');
  const watchId = z.string().regex(/^[a-f0-9]{32}$/, 'a watch id');
  const templateId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a template id');
  const templateVersion = z.string().regex(/^\d+\.\d+(\.\d+)?$/, 'a version');
  /** Printable text without control characters (names, case references, notes). */
  const plainText = (max: number) => z.string().max(max).regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'text without control characters');

  /** A host address to listen on: IPv4 dotted quad or IPv6 (no zone), checked again against the host's own addresses. */
  const lanAddress = z.string().max(64).regex(/^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]{2,39})$/, 'an IP address');
  const networkChoice = z.object({
    mode: z.enum(['usb', 'wifi']),
    intercept: z.boolean(),
    lanAddress: lanAddress.nullable(),
    // A typed value is searched for in every form (hashes included): short ones would match everywhere.
    values: z.array(z.object({ kind: z.enum(PI_KINDS), value: plainText(200).trim().min(4) }).strict()).max(32),
  }).strict();

  return {
    'app.info': none,
    'settings.get': none,
    'settings.update': settingsPatchSchema,
    'adb.status': none,
    'adb.restart': none,
    'devices.list': none,
    'devices.connect': z.object({ address: deviceAddress }).strict(),
    'devices.disconnect': z.object({ serial: z.string().min(1).max(300) }).strict(),
    'virtualDevice.scenarios': none,
    'virtualDevice.start': z.object({ scenario: z.string().regex(/^[a-z0-9-]{1,64}$/), profile: z.enum(ROM_PROFILE_IDS).optional() }).strict(),
    'virtualDevice.profiles': none,
    'virtualDevice.stop': none,
    'virtualDevice.status': none,
    'files.stage': z.object({ path: z.string().min(1).max(4096) }).strict(),
    'device.details': onDevice,
    'device.packages': onDevice,
    'device.install': z.object({ serial, fileId: z.string().regex(/^[a-f0-9]{32}$/) }).strict(),
    'device.uninstall': packageAction,
    'device.clearData': packageAction,
    'device.forceStop': packageAction,
    'device.launch': packageAction,
    'device.screenshot': z.object({ serial, save: z.boolean() }).strict(),
    'device.input': z.object({ serial, action: inputActionSchema }).strict(),
    'device.uiTree': onDevice,
    'device.shell': z.object({ serial, command: z.string().min(1).max(4096) }).strict(),
    'monitor.start': z.object({ serial, packageName: z.string().regex(/^[a-zA-Z][\w]*(\.[a-zA-Z][\w]*)+$/, 'a package name').max(255).nullable() }).strict(),
    'monitor.stop': onDevice,
    'monitor.status': none,
    'monitor.recent': onDevice,
    'apk.analyze': z.object({ fileId }).strict(),
    'session.list': none,
    'session.start': z.object({ serial, packageName, tester: plainText(200).min(1), caseRef: plainText(200), video: z.boolean().optional() }).strict(),
    'session.pause': sessionId,
    'session.resume': sessionId,
    'session.close': sessionId,
    'session.delete': sessionId,
    'session.mark': sessionId.extend({ mark: z.enum(TESTER_MARKS), label: plainText(500).nullable() }).strict(),
    'session.note': sessionId.extend({ text: z.string().min(1).max(NOTE_INPUT_MAX) }).strict(),
    'session.attach': sessionId.extend({ fileId }).strict(),
    'session.timeline': sessionId.extend({ afterSeq: z.number().int().min(0), limit: z.number().int().min(1).max(2000) }).strict(),
    // Only a file the workbench itself wrote under blobs/: one plain name, never a path elsewhere in the folder.
    'session.blob': sessionId.extend({ path: z.string().regex(/^blobs\/[\w.-]{1,255}$/, 'a blob path (blobs/<name>)'), maxBytes: z.number().int().min(1).max(1024 * 1024) }).strict(),
    'evidence.identities': none,
    'evidence.createIdentity': z.object({ name: plainText(100).min(1), passphrase: z.string().max(1000) }).strict(),
    'evidence.importIdentity': z.object({ fileId, password: z.string().max(1000), passphrase: z.string().max(1000) }).strict(),
    'evidence.export': z.object({
      sessionId: z.string().regex(/^[\w.-]{1,200}$/), identityId: z.string().regex(/^[a-f0-9]{16}$/).nullable(), passphrase: z.string().max(1000),
      national: z.boolean(), compress: z.boolean(), tsaUrl: z.string().url().max(2000).regex(/^https?:/, 'an http(s) URL').nullable(),
      tester: z.string().trim().max(200).nullable().optional(), reviewer: z.string().trim().max(200).nullable().optional(),
      video: z.boolean().optional(),
    }).strict(),
    'evidence.verify': z.object({ fileId, caPem: z.string().max(200_000).nullable(), tsaCaPem: z.string().max(200_000).nullable() }).strict(),
    'evidence.reportPdf': z.object({ fileId }).strict(),
    'checklist.templates': none,
    'checklist.template': z.object({ id: templateId, version: templateVersion.nullable() }).strict(),
    'checklist.schema': none,
    'checklist.validate': z.object({ text: z.string().max(2 * 1024 * 1024) }).strict(),
    'checklist.save': z.object({ text: z.string().max(2 * 1024 * 1024) }).strict(),
    'checklist.session': z.object({ sessionId: sessionIdValue, templateSha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256').nullable().optional() }).strict(),
    'checklist.use': z.object({ sessionId: sessionIdValue, templateId, version: templateVersion.nullable() }).strict(),
    'checklist.verdict': z.object({
      sessionId: sessionIdValue, item: z.string().regex(/^\d{3}-\d+(\.\d+)?$/, 'an item id'), verdict: z.enum(['pass', 'fail', 'not-applicable']).nullable(),
      note: z.string().max(NOTE_INPUT_MAX).nullable(), attachments: z.array(z.number().int().min(1)).max(100),
    }).strict(),
    'checklist.capture': z.object({ sessionId: sessionIdValue, kind: z.enum(['screenshot', 'ui.dump', 'log']) }).strict(),
    'checklist.exportFindings': z.object({ sessionId: sessionIdValue, format: z.enum(['csv', 'xlsx']) }).strict(),
    'policy.appTypes': none,
    'policy.view': z.object({ sessionId: sessionIdValue }).strict(),
    'policy.loadFile': z.object({ sessionId: sessionIdValue, fileId }).strict(),
    'policy.fetch': z.object({ sessionId: sessionIdValue, url: z.string().max(2000).regex(/^https?:\/\/[^\s]+$/i, 'an http(s) URL') }).strict(),
    'policy.capture': z.object({ sessionId: sessionIdValue, openLink: z.boolean() }).strict(),
    'explore.start': z.object({
      sessionId: sessionIdValue,
      limits: z.object({
        maxTaps: z.number().int().min(1).max(2000), maxDepth: z.number().int().min(1).max(12),
        maxMs: z.number().int().min(5_000).max(3_600_000), maxScreens: z.number().int().min(1).max(500),
      }).partial().strict(),
    }).strict(),
    'explore.stop': z.object({ sessionId: sessionIdValue }).strict(),
    'explore.status': z.object({ sessionId: sessionIdValue }).strict(),
    'policy.setAppType': z.object({ sessionId: sessionIdValue, typeNo: z.number().int().min(1).max(39) }).strict(),
    // Pasted text is bounded below the bridge's 1 MiB messages (policy-service.ts says so in words past it).
    'policy.paste': z.object({ sessionId: sessionIdValue, text: z.string().max(220_000) }).strict(),
    'policy.captureList': z.object({
      sessionId: sessionIdValue, list: z.enum(['collected', 'shared']),
      source: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('tap') }).strict(), z.object({ kind: z.literal('screen') }).strict(),
        z.object({ kind: z.literal('url'), url: z.string().max(2000).regex(/^https?:\/\/[^\s]+$/i, 'an http(s) URL') }).strict(),
        z.object({ kind: z.literal('file'), fileId }).strict(),
        z.object({ kind: z.literal('text'), text: z.string().max(220_000) }).strict(),
      ]),
    }).strict(),
    'policy.check': z.object({
      policyFileId: fileId.nullable(), url: z.string().max(2000).regex(/^https?:\/\/[^\s]+$/i, 'an http(s) URL').nullable(),
      apkFileId: fileId.nullable(), typeNo: z.number().int().min(1).max(39).nullable(),
    }).strict().refine((a) => (a.policyFileId === null) !== (a.url === null), { message: 'either a policy file or a URL', path: ['url'] }),
    'network.start': z.object({ sessionId: sessionIdValue, choice: networkChoice }).strict(),
    'network.stop': z.object({ sessionId: sessionIdValue }).strict(),
    'network.status': z.object({ sessionId: sessionIdValue }).strict(),
    'network.lanAddresses': none,
    'network.staleProxies': none,
    'network.clearStale': onDevice,
    'network.ca': z.object({ sessionId: sessionIdValue }).strict(),
    'network.pushCa': z.object({ sessionId: sessionIdValue }).strict(),
    'screen.watch': z.object({ serial: onDevice.shape.serial, watchId: watchId.nullable() }).strict(),
    'screen.unwatch': z.object({ watchId }).strict(),
    'evidence.estimate': z.object({ sessionId: sessionIdValue }).strict(),
    // The URL is checked again by the farm (farm-connection.ts) and never echoed with its password.
    'farm.connect': z.object({ redisUrl: z.string().max(2000).regex(/^rediss?:\/\/[^\s]+$/, 'a Redis URL'), farm: z.string().regex(FARM_NAME, 'a farm name').nullable() }).strict(),
    'farm.status': none,
    'farm.retry': z.object({ jobId: farmJobId }).strict(),
    'farm.cancel': z.object({ jobId: farmJobId }).strict(),
    'farm.join': z.object({
      phones: z.array(serial).max(64).refine((p) => new Set(p).size === p.length, 'each phone once'),
      storeDir: z.string().min(1).max(4096).regex(/^[^\u0000]*$/, 'a folder').refine((p) => isAbsolute(p), 'not absolute'),
      analyze: z.number().int().min(0).max(64),
      identityId: z.string().regex(/^[a-f0-9]{16}$/).nullable(),
      passphrase: z.string().max(1000),
      dwellSeconds: z.number().int().min(1).max(3600).optional(),
    }).strict().refine((a) => a.phones.length > 0 || a.analyze > 0, { message: 'a phone or an analysis', path: ['analyze'] }),
    'farm.leave': none,
    'farm.offered': none,
  } satisfies Record<MethodName, z.ZodType>;
}
