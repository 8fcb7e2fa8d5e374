/** Calls a workbench method through the dispatcher, as a window does, and unwraps its answer (an error throws). */
import type { Dispatcher } from '../../src-main/bridge/dispatcher.js';

export async function callApi<T>(api: Dispatcher, method: string, args: Record<string, unknown>): Promise<T> {
  const r = await api.call(method as never, args as never);
  if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}
