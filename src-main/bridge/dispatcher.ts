/**
 * The one dispatcher behind both transports (Electron IPC and WebSocket): checks the method name against
 * the contract, validates arguments with zod, runs the handler and returns an Outcome — errors cross the
 * bridge as data with a stable code, never as exceptions.
 */
import type { MethodArgs, MethodName, MethodResult, Outcome } from '../../src-preload/api.js';
import { METHOD_NAMES } from '../../src-preload/api.js';
import { WorkbenchError, toBridgeError } from '../core/errors.js';
import { methodSchemas } from './schemas.js';

export type Handlers = { [M in MethodName]: (args: MethodArgs<M>) => Promise<MethodResult<M>> };

const known = new Set<string>(METHOD_NAMES);

export class Dispatcher {
  constructor(private handlers: Handlers) {}

  async call(method: unknown, args: unknown): Promise<Outcome<unknown>> {
    try {
      if (typeof method !== 'string' || !known.has(method)) {
        throw new WorkbenchError('bridge.unknown-method', `Unknown method ${String(method).slice(0, 80)}`, { method: String(method).slice(0, 80) });
      }
      const name = method as MethodName;
      const parsed = methodSchemas()[name].safeParse(args ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new WorkbenchError('bridge.invalid-arguments', `${name}: ${issue.path.join('.') || 'arguments'}: ${issue.message}`, {
          method: name, field: issue.path.join('.'), problem: issue.message,
        });
      }
      const handler = this.handlers[name] as (a: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      return { ok: false, error: toBridgeError(err) };
    }
  }
}
