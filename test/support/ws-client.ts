/** A minimal client of browser mode's WebSocket API for tests: calls by id, events collected by stream. */
import WebSocket from 'ws';

export interface ApiClient {
  call<T = unknown>(method: string, args?: unknown): Promise<T>;
  events: Map<string, unknown[]>;
  close(): void;
}

/** `url` is the address `apprights serve` prints (http://127.0.0.1:PORT/?token=T). */
export async function connectApi(url: string): Promise<ApiClient> {
  const u = new URL(url);
  const ws = new WebSocket(`ws://${u.host}/api?token=${u.searchParams.get('token')}`, { headers: { origin: `http://${u.host}` } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const waiting = new Map<number, (outcome: { ok: boolean; value?: unknown; error?: unknown }) => void>();
  const events = new Map<string, unknown[]>();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { kind: string; id?: number; outcome?: { ok: boolean }; batch?: Array<{ event: string; items: unknown[] }> };
    if (msg.kind === 'result') waiting.get(msg.id!)?.(msg.outcome!);
    else for (const b of msg.batch ?? []) events.set(b.event, [...(events.get(b.event) ?? []), ...b.items]);
  });
  return {
    events,
    call: (method, args = {}) => new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, (o) => (o.ok ? resolve(o.value as never) : reject(new Error(`${method}: ${JSON.stringify(o.error)}`))));
      ws.send(JSON.stringify({ id, method, args }));
    }),
    close: () => ws.close(),
  };
}
