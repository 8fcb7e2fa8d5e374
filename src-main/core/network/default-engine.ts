/**
 * The network engine the workbench and the CLI use: the proxy, the session CA, the PI search and the SDK host
 * table of the network capability, loaded on first use.
 */
import { WorkbenchError } from '../errors.js';
import type { NetworkEngine } from './engine.js';

export async function loadNetworkEngine(): Promise<NetworkEngine> {
  // Until the proxy (proxy/) and the PI search (pi/) are merged here, network capture cannot start.
  throw new WorkbenchError('internal', 'The network proxy is not built into this version yet', {});
}
