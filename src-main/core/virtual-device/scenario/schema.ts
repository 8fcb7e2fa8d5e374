/**
 * The scenario file format (YAML, validated here): the phone, and each simulated app's identity, screens and
 * behaviour as triggers and actions. Trainers write these; the workbench ships one per violation pattern.
 */
import { z } from 'zod';
import { builtOnce } from '../../built-once.js';
import { placeholderProblem } from './request-template.js';
import { EXPLORE_TARGETS, type ExploreTarget } from '../../../../src-preload/explore.js';

const PACKAGE = /^[a-zA-Z][\w]*(\.[a-zA-Z][\w]*)+$/;

/** The schema of a scenario file, built when the first scenario is read. */
export const scenarioSchema = builtOnce(buildScenarioSchema);

export type Scenario = z.infer<ReturnType<typeof scenarioSchema>>;
export type ScenarioApp = Scenario['apps'][number];
export type ScenarioDevice = Scenario['device'];
export type ScenarioTrigger = ScenarioApp['behaviour'][number]['on'];
export type ScenarioAction = ScenarioApp['behaviour'][number]['do'][number];
export type Localized = Scenario['name'];
export type ScenarioRequest = Extract<ScenarioAction, { request: unknown }>['request'];

/** Bounds of one scenario request (the file is untrusted): what an SDK's beacon needs, with room to spare. */
export const REQUEST_LIMITS = { urlChars: 2048, headers: 32, headerValueChars: 1024, bodyChars: 64 * 1024 } as const;
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
type HttpMethod = (typeof HTTP_METHODS)[number];
/** Headers the app's HTTP client writes itself (as OkHttp does): a scenario may not set them. */
const CLIENT_HEADERS = ['host', 'content-length', 'transfer-encoding', 'connection', 'proxy-connection', 'upgrade', 'te'];

/** What is wrong with a request URL (placeholders already checked), or null: http(s), a host, no credentials. */
function urlProblem(template: string): string | null {
  const [scheme, rest] = template.split('://', 2);
  if (rest === undefined || !['http', 'https'].includes(scheme!)) return 'an http:// or https:// URL';
  const authority = rest.split(/[/?#]/, 1)[0]!;
  if (authority.includes('{{')) return 'the host may not carry a placeholder';
  let url: URL;
  try {
    url = new URL(template.replace(/\{\{[^}]*\}\}/g, 'x'));
  } catch {
    return 'not a URL';
  }
  if (!url.hostname) return 'a URL with a host';
  if (url.username || url.password) return 'no user or password in the URL';
  if (url.hash) return 'no #fragment: it is never sent';
  return null;
}

function buildScenarioSchema() {
  /** "30s", "500ms", "2m", "1h" or a number of milliseconds. */
  const duration = z.union([
    z.number().int().nonnegative(),
    z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/, 'a duration such as 500ms, 30s, 2m'),
  ]).transform((v) => {
    if (typeof v === 'number') return v;
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(v)!;
    return Math.round(Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h']);
  });

  const localized = z.union([z.string(), z.object({ zh: z.string(), en: z.string() }).strict()]);

  const packageName = z.string().regex(PACKAGE, 'a package name such as com.example.app');
  const permission = z.string().regex(/^[a-zA-Z][\w.]*\.[A-Z_0-9]+$/, 'a permission such as android.permission.CAMERA');

  const nodeFields = {
    id: z.string().min(1),
    text: localized.default(''),
    style: z.enum(['title', 'text', 'button', 'primary', 'checkbox', 'switch', 'link', 'dialog', 'panel', 'icon', 'document']).default('text'),
    bounds: z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]),
    resourceId: z.string().optional(),
    className: z.string().optional(),
    clickable: z.boolean().optional(),
    checkable: z.boolean().default(false),
    checked: z.boolean().default(false),
    /** Absent from the screen (dumps, pictures, taps) until a `reveal` action shows it: an ad's late close button. */
    hidden: z.boolean().default(false),
  };
  /**
   * `children`: nodes inside this one, as real apps nest them — a text in a clickable row, a page's elements
   * inside an android.webkit.WebView (which uiautomator often reports as not clickable; a tap on them still
   * reaches the page). One level of nesting inside a child at most: enough for a row or a page's panel.
   */
  const leafSchema = z.object(nodeFields).strict();
  const childSchema = z.object({ ...nodeFields, children: z.array(leafSchema).max(40).optional() }).strict();
  const nodeSchema = z.object({
    ...nodeFields,
    children: z.array(childSchema).max(40).optional(),
    /**
     * A list the user scrolls (a RecyclerView, a settings page's ScrollView): its children are laid out from its
     * top as if it were as tall as they need, and may lie below its bottom edge. The dump and the picture show the
     * rows in view (rows cut by an edge are clipped, as uiautomator reports them; rows out of view are absent), and
     * a swipe inside it scrolls it by the finger's travel.
     */
    scrollable: z.boolean().optional(),
  }).strict();

  const screenSchema = z.object({
    id: z.string().min(1),
    activity: z.string().optional(),
    background: z.string().regex(/^#[0-9a-fA-F]{6}$/).default('#fffbfe'),
    nodes: z.array(nodeSchema).max(200),
    /** The window sets FLAG_SECURE (a login or payment page): screenshots and screen recordings show it black. */
    secure: z.boolean().optional(),
  }).strict();

  const identifierKinds = z.enum(['IMEI', 'IMSI', 'SERIAL', 'ANDROID_ID', 'MAC', 'ICCID']);

  /**
   * A request the app sends over the network: to an SDK's server or its own. The URL's path and query, header
   * values and body may carry the phone's values as `{{kind|form}}` (request-template.ts); the host may not.
   * `tag`: the log tag the app prints a failure under (an SDK's own, e.g. UMLog), as System.err by default.
   */
  const requestSchema = z.object({
    // A refinement rather than an enum: inside the union of actions, an enum's refusal was reported as the
    // whole action's "Invalid input", without the field.
    method: z.string().refine((m): m is HttpMethod => (HTTP_METHODS as readonly string[]).includes(m), `one of ${HTTP_METHODS.join(', ')}`).default('GET'),
    url: z.string().max(REQUEST_LIMITS.urlChars).superRefine((url, ctx) => {
      const problem = placeholderProblem(url) ?? urlProblem(url);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    // The names are checked in a refinement of the whole map: inside the union of actions, a refused record key
    // was reported as the whole action's "Invalid input".
    headers: z.record(
      z.string(),
      z.string().max(REQUEST_LIMITS.headerValueChars).regex(/^[\t\x20-\x7e]*$/, 'printable ASCII only (no line breaks)').superRefine((v, ctx) => {
        const problem = placeholderProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    ).superRefine((h, ctx) => {
      const names = Object.keys(h);
      if (names.length > REQUEST_LIMITS.headers) ctx.addIssue({ code: 'custom', message: `at most ${REQUEST_LIMITS.headers} headers` });
      for (const name of names) {
        if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'a header name such as Content-Type' });
        else if (CLIENT_HEADERS.includes(name.toLowerCase())) ctx.addIssue({ code: 'custom', path: [name], message: 'the app\'s HTTP client writes this header itself' });
      }
    }).default({}),
    body: z.string().max(REQUEST_LIMITS.bodyChars).superRefine((v, ctx) => {
      const problem = placeholderProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }).optional(),
    tag: z.string().regex(/^[\w.$-]{1,64}$/, 'a log tag such as UMLog').default('System.err'),
  }).strict().refine((r) => r.body === undefined || !['GET', 'HEAD'].includes(r.method), { message: 'a GET or HEAD request has no body', path: ['body'] });

  /** A node the app changes: on `screen`, else on every screen of the app with a node of that id. */
  const nodeRef = { node: z.string().min(1), screen: z.string().optional() };

  const actionSchema = z.union([
    /** Opens a screen: over the current one when it is another activity (BACK returns), else in its place. */
    z.object({ show: z.string() }).strict(),
    /** The app shows a hidden node, or hides one (a closed ad's panel). */
    z.object({ reveal: z.object(nodeRef).strict() }).strict(),
    z.object({ hide: z.object(nodeRef).strict() }).strict(),
    /** The app checks or unchecks a checkable node itself (a personalisation switch turned back on). */
    z.object({ setChecked: z.object({ ...nodeRef, checked: z.boolean() }).strict() }).strict(),
    z.object({ requestPermissions: z.array(permission).min(1) }).strict(),
    z.object({ access: z.string().regex(/^[A-Z_]+$/, 'an app op such as FINE_LOCATION') }).strict(),
    z.object({ log: z.object({ tag: z.string().max(64), message: z.string().max(4000), level: z.enum(['V', 'D', 'I', 'W', 'E', 'F']).default('I') }).strict() }).strict(),
    z.object({ identifierAccess: identifierKinds }).strict(),
    /** `process`: a named sub-process such as ":pushcore" (an SDK's own process, started beside the app's). */
    z.object({ startProcess: z.object({ for: z.enum(['broadcast', 'service', 'content provider']), component: z.string(), process: z.string().regex(/^:[a-z][\w]{0,30}$/, 'a sub-process name such as :pushcore').optional() }).strict() }).strict(),
    z.object({ startPackage: packageName }).strict(),
    /** The app tries to (re)start its service from the background and the phone refuses: AOSP's background-start limit or the vendor's autostart manager, as the ROM profile prints it. */
    z.object({ backgroundStartRefused: z.string().min(1).max(200) }).strict(),
    z.object({ installPackage: z.object({ package: packageName, label: localized, versionCode: z.number().int().default(1), versionName: z.string().default('1.0') }).strict() }).strict(),
    z.object({ wait: duration }).strict(),
    z.object({ exit: z.literal(true) }).strict(),
    /** The app crashes: AndroidRuntime's FATAL EXCEPTION in the log, its process dies and the launcher is in front. */
    z.object({ crash: z.literal(true) }).strict(),
    /** The phone's screen goes off (its timeout, or the power key): uiautomator reads no window until it is woken. */
    z.object({ screenOff: z.literal(true) }).strict(),
    /**
     * The app takes the phone down with it (a kernel panic, a driver it wedges): every ADB connection drops and the
     * phone answers again after this long, as a phone that rebooted itself; the host loses it mid-command.
     */
    z.object({ dropConnection: duration }).strict(),
    /** The app store updates the app; `grant` are permissions the update turns on without asking (164-5.5). */
    z.object({ update: z.object({ versionCode: z.number().int().nonnegative(), versionName: z.string().max(40), grant: z.array(permission).max(20).default([]) }).strict() }).strict(),
    z.object({ request: requestSchema }).strict(),
  ]);

  const triggerSchema = z.union([
    /** launch: any cold start by the user; first-launch: one with nothing remembered (after install or clear data); relaunch: the others. */
    z.enum(['launch', 'first-launch', 'relaunch', 'background', 'foreground', 'screen-off', 'screen-on', 'boot', 'connectivity', 'process-start']),
    z.object({ tap: z.string(), screen: z.string().optional() }).strict(),
    z.object({ key: z.enum(['BACK', 'HOME', 'POWER', 'APP_SWITCH']) }).strict(),
    z.object({ after: duration }).strict(),
    /** Repeats while the process lives; with `screen`, only while the app's current screen is that one. */
    z.object({ every: duration.refine((ms) => ms >= 100, 'at least 100ms'), screen: z.string().optional() }).strict(),
    z.object({ permissionResult: z.object({ permission: permission.optional(), result: z.enum(['granted', 'denied']) }).strict() }).strict(),
  ]);

  const behaviourSchema = z.object({
    on: triggerSchema,
    do: z.array(actionSchema).min(1).max(100),
    /** Run at most once per process life (e.g. a first-run check). */
    once: z.boolean().default(false),
  }).strict();

  const componentSchema = z.object({
    kind: z.enum(['activity', 'service', 'receiver', 'provider']),
    name: z.string().min(1),
    exported: z.boolean().optional(),
    actions: z.array(z.string()).default([]),
  }).strict();

  const appSchema = z.object({
    package: packageName,
    label: localized,
    versionCode: z.number().int().nonnegative().default(1),
    versionName: z.string().default('1.0'),
    targetSdk: z.number().int().min(1).max(40).default(33),
    /**
     * The app's network security config (res/xml, named by android:networkSecurityConfig): the trust anchors of
     * its base-config. `user` lets the app trust CAs the user installed (an intercepting proxy's); without a
     * config, an app trusts them only when it targets SDK 23 or lower. `system` must stay: the virtual
     * internet's servers are certified by a CA of the phone's system store.
     */
    networkSecurityConfig: z.object({
      trustAnchors: z.array(z.enum(['system', 'user'])).min(1).max(2).refine((a) => a.includes('system'), 'keep "system": the virtual internet\'s public CA is a system CA'),
    }).strict().optional(),
    permissions: z.array(permission).default([]),
    components: z.array(componentSchema).default([]),
    launcher: z.string().default('.MainActivity'),
    installed: z.boolean().default(true),
    screens: z.array(screenSchema).default([]),
    behaviour: z.array(behaviourSchema).default([]),
  }).strict();

  const deviceSchema = z.object({
    model: z.string().regex(/^[^:;=\n]+$/, 'no ":", ";" or "=" (they break the ADB banner)').default('AppRights Virtual Phone'),
    manufacturer: z.string().regex(/^[^:;=\n]+$/).default('AppRights'),
    brand: z.string().regex(/^[^:;=\n]+$/).default('apprights'),
    device: z.string().regex(/^[\w.-]+$/).default('vphone'),
    androidVersion: z.enum(['13', '14']).default('13'),
    serial: z.string().regex(/^[\w.-]{4,32}$/).default('VPHONE0001'),
    locale: z.enum(['zh-CN', 'en-US']).default('zh-CN'),
    timezoneOffsetMinutes: z.number().int().min(-720).max(840).default(480),
    /** Other apps and the system log, boot and start processes, ask for permissions and read data, as on a real phone. */
    noise: z.boolean().default(true),
    screen: z.object({ width: z.number().int().min(240).max(2160).default(1080), height: z.number().int().min(320).max(3840).default(2400), density: z.number().int().default(440) }).strict().default({ width: 1080, height: 2400, density: 440 }),
    /**
     * How `screenrecord` fares on this phone: `works`; `no-codec` (its ROM has no usable AVC encoder: it prints
     * "ERROR: unable to create video/avc codec instance" and exits, as some builds do); `silent` (it starts and
     * never sends a byte, as a wedged encoder does, until it is stopped).
     */
    screenrecord: z.enum(['works', 'no-codec', 'silent']).default('works'),
  }).strict();

  /** The labels of the taps from the main screen to a target, as the explorer names them (a row: its words). */
  const tapPath = z.array(z.string().min(1).max(80)).max(12);
  /**
   * What the explorer (issue #29) finds when it walks the first app from its main screen to the end, for tests to
   * compare a walk with (the run never reads it): each target's shortest tap path, or null when the app has none;
   * the personalisation switch once turned off (`was-off`: off already; absent: no switch); and, when an ad shows
   * its close control late, how long after the ad it comes.
   */
  const exploreSchema = z.object({
    targets: z.object(Object.fromEntries(EXPLORE_TARGETS.map((t) => [t, tapPath.nullable()])) as Record<ExploreTarget, z.ZodNullable<typeof tapPath>>).strict(),
    switch: z.enum(['stays-off', 'back-on', 'not-off', 'was-off', 'no-switch']).optional(),
    adCloseAfter: duration.optional(),
  }).strict();

  const scenarioSchema = z.object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: localized,
    description: localized,
    /**
     * Checklist item ids (shared/reference/campaign-rules.md) this scenario is built to violate. Items the explorer
     * judges (164-1.7, 164-4.1, 164-7.2, 191-6.x) show as violations only when the run explores (--explore).
     */
    violates: z.array(z.string().regex(/^\d{3}-\d+(\.\d+)?$/)).default([]),
    explore: exploreSchema.optional(),
    device: deviceSchema.default(deviceSchema.parse({})),
    apps: z.array(appSchema).max(20).default([]),
  }).strict();
  return scenarioSchema;
}
