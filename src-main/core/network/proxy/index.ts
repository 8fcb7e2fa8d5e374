/**
 * The workbench's HTTP proxy: `startProxy(options, observer)` listens on the session's address and reports
 * every connection, exchange and refusal to the observer. Plain HTTP requests and WebSocket upgrades are
 * forwarded and read; CONNECT tunnels are carried untouched (host, SNI and bytes reported) unless the session
 * chose to intercept them and has a CA, then they go to the Interceptor (interceptor.ts, on mockttp).
 */
import type { ProxyObserver, ProxyStartOptions, RunningProxy } from '../contracts.js';
import { ProxyContext } from './context.js';
import { createInterceptor } from './interceptor.js';
import { resolveLimits } from './limits.js';
import { listen } from './proxy-server.js';
import { worldConnector } from './upstream.js';

export { DEFAULT_PROXY_LIMITS } from './limits.js';
export { worldConnector } from './upstream.js';

export async function startProxy(options: ProxyStartOptions, observer: ProxyObserver): Promise<RunningProxy> {
  const limits = resolveLimits(options.limits);
  const upstream = options.upstream ?? worldConnector;
  const ctx = new ProxyContext(limits, upstream, options.intercept, observer, null);
  if (options.ca) {
    ctx.interceptor = await createInterceptor({
      ca: options.ca,
      upstream,
      upstreamTrustedCas: options.upstreamTrustedCas,
      limits,
      exchange: (x) => ctx.observer.exchange(x),
      tlsFailed: (flowId, cause) => ctx.tlsFailures.set(flowId, cause),
    });
  }
  try {
    return await listen(ctx, options);
  } catch (err) {
    await ctx.interceptor?.stop();
    throw err;
  }
}
