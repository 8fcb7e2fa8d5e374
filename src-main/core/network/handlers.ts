/** The network slice of the API: capture on and off per session, its state, stale proxies, the session CA. */
import type { Handlers } from '../../bridge/dispatcher.js';
import { lanAddresses } from './lan-addresses.js';
import type { NetworkSessions } from './network-sessions.js';

type NetworkMethods = 'network.start' | 'network.stop' | 'network.status' | 'network.lanAddresses' | 'network.staleProxies' | 'network.clearStale' | 'network.ca' | 'network.pushCa';

export function networkHandlers(network: NetworkSessions): Pick<Handlers, NetworkMethods> {
  return {
    'network.start': async ({ sessionId, choice }) => network.start(sessionId, choice),
    'network.stop': async ({ sessionId }) => network.stop(sessionId),
    'network.status': async ({ sessionId }) => network.status(sessionId),
    'network.lanAddresses': async () => lanAddresses(),
    'network.staleProxies': async () => network.checkStale(),
    'network.clearStale': async ({ serial }) => network.clearStale(serial),
    'network.ca': async ({ sessionId }) => network.ca(sessionId),
    'network.pushCa': async ({ sessionId }) => network.pushCa(sessionId),
  };
}
