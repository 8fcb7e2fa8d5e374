/**
 * The renderer's WorkbenchApi: Electron's preload provides `window.workbench`; in browser mode the same
 * interface is implemented here over the token-protected WebSocket. Pages never know which one they have.
 */
import type { EventBatch, Outcome, WorkbenchApi } from '../../src-preload/api';

declare global {
  interface Window {
    workbench?: WorkbenchApi;
  }
}

type Pending = { resolve: (o: Outcome<unknown>) => void };

/** Whether the page still reaches the workbench host (always true in Electron). */
export const connection = {
  online: true,
  listeners: new Set<(online: boolean) => void>(),
  set(online: boolean): void {
    if (online === this.online) return;
    this.online = online;
    for (const l of this.listeners) l(online);
  },
};

function webSocketApi(): WorkbenchApi {
  const listeners = new Map<string, Set<(items: unknown[]) => void>>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let ready: Promise<WebSocket> | null = null;

  const fail = (message: string): Outcome<never> => ({ ok: false, error: { code: 'bridge.disconnected', messageKey: 'error.bridge.disconnected', details: { message } } });

  const open = (): Promise<WebSocket> => {
    ready ??= new Promise((resolve, reject) => {
      const token = new URLSearchParams(location.search).get('token') ?? '';
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?token=${encodeURIComponent(token)}`);
      ws.onopen = () => {
        socket = ws;
        connection.set(true);
        resolve(ws);
      };
      ws.onerror = () => reject(new Error('WebSocket error'));
      ws.onclose = () => {
        socket = null;
        ready = null;
        for (const p of pending.values()) p.resolve(fail('connection closed'));
        pending.clear();
        connection.set(false);
        // Reconnect so event streams resume after a restart of the host.
        setTimeout(() => void open().catch(() => {}), 1000);
      };
      ws.onmessage = (ev) => {
        const msg = JSON.parse(String(ev.data)) as { kind: 'result'; id: number; outcome: Outcome<unknown> } | { kind: 'events'; batch: EventBatch };
        if (msg.kind === 'result') {
          pending.get(msg.id)?.resolve(msg.outcome);
          pending.delete(msg.id);
        } else {
          for (const { event, items } of msg.batch) for (const l of listeners.get(event) ?? []) l(items);
        }
      };
    });
    return ready;
  };

  return {
    call: async (method, args) => {
      let ws: WebSocket;
      try {
        ws = socket ?? (await open());
      } catch {
        return fail('cannot reach the workbench host') as never;
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, { resolve: resolve as Pending['resolve'] });
        ws.send(JSON.stringify({ id, method, args }));
      });
    },
    subscribe: (event, listener) => {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (items: unknown[]) => void;
      set.add(l);
      void open().catch(() => {});
      return () => set.delete(l);
    },
    // Browser mode: the file travels to the host by an authenticated upload (the token cookie).
    stageFile: async (file) => {
      try {
        const res = await fetch(`/upload?name=${encodeURIComponent(file.name)}`, { method: 'POST', body: file, credentials: 'same-origin' });
        return (await res.json()) as Outcome<{ fileId: string; fileName: string; size: number }>;
      } catch {
        return fail('the upload did not reach the workbench host') as never;
      }
    },
  };
}

export const api: WorkbenchApi = window.workbench ?? webSocketApi();
