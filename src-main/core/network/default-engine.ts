/**
 * The network engine the workbench and the CLI use: the proxy with its mockttp interceptor, the session CA, the
 * phone's values and their search, the SDK host table — loaded on first use (mockttp is large; a command without
 * network capture never loads it).
 */
import type { NetworkEngine } from './engine.js';

export async function loadNetworkEngine(): Promise<NetworkEngine> {
  const [{ startProxy }, { createSessionCa }, { PiSearch, readPhoneValues }, { sdkForHost }] = await Promise.all([
    import('./proxy/index.js'), import('./proxy/session-ca.js'), import('./pi/index.js'), import('./sdk-hosts.js'),
  ]);
  return {
    startProxy,
    createSessionCa: () => createSessionCa(),
    readPhoneValues: async (bridge, serial, typed) => (await readPhoneValues(bridge, serial, { typed })).values,
    piSearch: (values) => {
      const search = PiSearch.compile(values);
      return async (x) => {
        const r = await search.search({ url: x.url, headers: x.requestHeaders, body: x.requestBody });
        return { matches: r.matches, bodySearched: r.body.searched };
      };
    },
    sdkForHost,
  };
}
