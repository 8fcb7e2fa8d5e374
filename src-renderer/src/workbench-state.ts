/**
 * Hooks over the API: the latest value of an event stream, calls whose errors become toasts, and the
 * toast list itself. The renderer keeps only what is on screen.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { BridgeError, EventName, MethodArgs, MethodName, MethodResult, WorkbenchEvents } from '../../src-preload/api';
import { api } from './api-client';

export interface Toast {
  id: number;
  error: BridgeError | null;
  /** Text already in the user's language... */
  message?: string;
  /** ...or an i18n key translated when the toast is shown (the language may change meanwhile). */
  key?: string;
  values?: Record<string, string | number>;
}

let toasts: Toast[] = [];
let nextToast = 1;
const toastListeners = new Set<() => void>();

export function pushToast(t: Omit<Toast, 'id'>): void {
  const id = nextToast++;
  toasts = [...toasts.slice(-4), { ...t, id }];
  for (const l of toastListeners) l();
  // Information fades by itself; errors stay until dismissed (Escape or ×).
  if (!t.error) setTimeout(() => dismissToast(id), 5000);
}

export function dismissToast(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  for (const l of toastListeners) l();
}

/** Errors stay until dismissed, but not onto another page. */
export function dismissErrorToasts(): void {
  if (!toasts.some((t) => t.error)) return;
  toasts = toasts.filter((t) => !t.error);
  for (const l of toastListeners) l();
}

export function useToasts(): Toast[] {
  return useSyncExternalStore((cb) => {
    toastListeners.add(cb);
    return () => toastListeners.delete(cb);
  }, () => toasts);
}

/** Calls a method; a failure is shown as a toast and returns undefined. */
export async function callOrToast<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M> | undefined> {
  const outcome = await api.call(method, args);
  if (outcome.ok) return outcome.value;
  pushToast({ error: outcome.error });
  return undefined;
}

/** The latest item of an event stream, seeded by a method call. */
export function useStream<E extends EventName, M extends MethodName>(event: E, seed: M): WorkbenchEvents[E] | undefined {
  const [value, setValue] = useState<WorkbenchEvents[E]>();
  useEffect(() => {
    let live = true;
    void api.call(seed, {} as MethodArgs<M>).then((o) => {
      if (live && o.ok) setValue((v) => v ?? (o.value as unknown as WorkbenchEvents[E]));
    });
    const off = api.subscribe(event, (items) => setValue(items[items.length - 1]));
    return () => {
      live = false;
      off();
    };
  }, [event, seed]);
  return value;
}

export function useProblems(): void {
  useEffect(() => api.subscribe('problem', (items) => items.forEach((error) => pushToast({ error }))), []);
}

export function useAsync<T>(fn: () => Promise<T | undefined>, deps: unknown[]): [T | undefined, () => void] {
  const [value, setValue] = useState<T>();
  const [tick, setTick] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(fn, deps);
  useEffect(() => {
    let live = true;
    void run().then((v) => live && setValue(v));
    return () => {
      live = false;
    };
  }, [run, tick]);
  return [value, () => setTick((t) => t + 1)];
}
