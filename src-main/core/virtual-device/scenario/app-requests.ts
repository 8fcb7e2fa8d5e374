/**
 * A scenario app's network requests, as the player fires them: the placeholders filled with the phone's values
 * in their forms, sent by the app's HTTP client as the app's uid, on a background thread as SDKs send (the app's
 * next steps do not wait), failures printed to the app's log as the Java exception it would catch. Keeps what
 * each call did, for tests and the trainer's view.
 */
import { PI_KINDS } from '../../../../src-preload/network.js';
import type { AndroidSystem } from '../android/android-system.js';
import { sendAppRequest, DEFAULT_APP_HTTP_LIMITS, type AppHttpLimits, type AppHttpResult } from '../android/app-http.js';
import { phoneValue } from '../android/phone-values.js';
import { fillTemplate, placeholders } from './request-template.js';
import type { ScenarioApp, ScenarioRequest } from './schema.js';

const WARN = 5;

export interface AppCall {
  pkg: string;
  uid: number;
  method: string;
  /** The URL as sent (placeholders filled). */
  url: string;
  /** The phone's values the request carries, and how each was written. */
  carries: Array<{ kind: (typeof PI_KINDS)[number]; form: string }>;
  startedAt: number;
  result: AppHttpResult | null;
}

/** Whether the app trusts the CAs the user installed: its network security config says, or else its targetSdk (≤ 23). */
export function trustsUserCas(app: Pick<ScenarioApp, 'targetSdk' | 'networkSecurityConfig'>): boolean {
  if (app.networkSecurityConfig) return app.networkSecurityConfig.trustAnchors.includes('user');
  return app.targetSdk < 24;
}

/** Every hostname a scenario's apps send to (the virtual internet serves them). */
export function requestHosts(apps: ScenarioApp[]): string[] {
  const hosts = new Set<string>();
  for (const app of apps) {
    for (const b of app.behaviour) for (const a of b.do) if ('request' in a) hosts.add(new URL(a.request.url.replace(/\{\{[^}]*\}\}/g, 'x')).hostname.toLowerCase());
  }
  return [...hosts];
}

export class AppRequests {
  /** Every call made, oldest first (bounded: a periodic beacon must not grow it without end). */
  readonly calls: AppCall[] = [];
  private inFlight = new Set<Promise<void>>();
  limits: AppHttpLimits = DEFAULT_APP_HTTP_LIMITS;

  /** `systemCas`: the phone's system store now (the virtual internet's public CA once it runs). */
  constructor(private sys: AndroidSystem, private systemCas: () => string[]) {}

  /** Starts the request in the background; the returned promise is for tests (the player does not wait). */
  send(app: ScenarioApp, request: ScenarioRequest): Promise<void> {
    const p = this.sys.pm.get(app.package);
    if (!p) return Promise.resolve();
    const valueOf = (kind: Parameters<typeof phoneValue>[1]): string => phoneValue(this.sys, kind);
    const url = fillTemplate(request.url, valueOf);
    const call: AppCall = {
      pkg: app.package, uid: p.uid, method: request.method, url,
      carries: [request.url, ...Object.values(request.headers), request.body ?? ''].flatMap(placeholders),
      startedAt: Date.now(), result: null,
    };
    this.calls.push(call);
    if (this.calls.length > 1000) this.calls.splice(0, this.calls.length - 1000);
    const headers = Object.entries(request.headers).map(([n, v]): [string, string] => [n, fillTemplate(v, valueOf)]);
    const body = request.body === undefined ? null : Buffer.from(fillTemplate(request.body, valueOf), 'utf8');
    // Nothing the call does may reach the player as an exception: whatever fails is the app's logged failure.
    const work = Promise.resolve()
      .then(() => sendAppRequest(this.sys.network, p.uid, { method: request.method, url, headers, body }, { systemCas: this.systemCas(), userCas: trustsUserCas(app) }, this.limits))
      .catch((err: unknown): AppHttpResult => ({ ok: false, exception: `java.io.IOException: ${err instanceof Error ? err.message : String(err)}`, via: 'direct' }))
      .then((result) => {
        call.result = result;
        if (!result.ok) this.sys.appLog(app.package, WARN, request.tag, result.exception);
      });
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }

  /** Resolves when every request started so far has finished (tests; the phone's stop). */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }
}
