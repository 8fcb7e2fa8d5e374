// session.blob through the dispatcher a window calls: the first bytes of a body the session keeps, with its whole
// size; only blobs/<name> passes validation (no other file of the folder, no way out of it); a blob that is a link
// or missing is refused with the session-file refusal the UI words, never followed.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outcome, TimelineEntry } from '../../../../src-preload/api.js';
import type { NetworkEventBody } from '../../../../src-preload/network.js';
import { Dispatcher } from '../../../../src-main/bridge/dispatcher.js';
import { Workbench } from '../../../../src-main/core/workbench.js';
import { callApi } from '../../../support/dispatcher-call.js';
import { writeNetworkSession, type NetworkSession } from '../../../support/recorded-network.js';

let wb: Workbench;
let api: Dispatcher;
let session: NetworkSession;
let binaryPath: string;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'session-blob-'));
  session = await writeNetworkSession(join(dataDir, 'sessions'));
  wb = new Workbench({ dataDir, shell: 'browser', version: 'test' });
  api = new Dispatcher(wb.handlers());
  const { entries } = await callApi<{ entries: TimelineEntry[] }>(api, 'session.timeline', { id: session.id, afterSeq: 0, limit: 2000 });
  const exchange = entries.map((e) => e.event as unknown as NetworkEventBody).find((e) => e.type === 'net.request' && e.responseBody?.blob) as Extract<NetworkEventBody, { type: 'net.request' }>;
  binaryPath = exchange.responseBody!.blob!.path;
});
afterAll(async () => wb?.close());

const blob = (path: string, maxBytes = 65536): Promise<Outcome<{ base64: string; size: number }>> => api.call('session.blob', { id: session.id, path, maxBytes }) as Promise<Outcome<{ base64: string; size: number }>>;

describe('session.blob', () => {
  it('gives the first bytes of a kept body and its whole size', async () => {
    const o = await blob(binaryPath, 1000);
    expect(o.ok).toBe(true);
    if (!o.ok) return;
    expect(o.value.size).toBe(session.binarySize);
    const bytes = Buffer.from(o.value.base64, 'base64');
    expect(bytes).toHaveLength(1000);
    expect([...bytes.subarray(0, 5)]).toEqual([0x08, 0x96, 0x01, 0x00, 0xff]);
    const whole = await blob(binaryPath, 1024 * 1024);
    expect(whole.ok && Buffer.from(whole.value.base64, 'base64').length).toBe(session.binarySize);
  });

  it('passes only blobs/<name> and at most 1 MiB', async () => {
    for (const path of ['session.json', 'timeline.jsonl', 'blobs/../session.json', '../x/blobs/a', '/etc/passwd', 'blobs/a/b', 'blobs/', 'blobs\\a']) {
      const o = await blob(path);
      expect(o.ok, path).toBe(false);
      if (!o.ok) expect(o.error.code, path).toBe('bridge.invalid-arguments');
    }
    const big = await blob(binaryPath, 1024 * 1024 + 1);
    expect(!big.ok && big.error.code).toBe('bridge.invalid-arguments');
    // The core holds the same line behind the schema (the CLI and tests call it without the bridge).
    await expect(wb.handlers()['session.blob']({ id: session.id, path: 'session.json', maxBytes: 10 })).rejects.toMatchObject({ code: 'session.file-refused', details: { reason: 'outside' } });
  });

  it('refuses a blob that is a link or missing, and a session that does not exist', async () => {
    writeFileSync(join(session.dir, '..', 'outside.txt'), 'secret');
    symlinkSync(join(session.dir, '..', 'outside.txt'), join(session.dir, 'blobs', 'link.txt'));
    try {
      const link = await blob('blobs/link.txt');
      expect(!link.ok && [link.error.code, link.error.details.reason]).toEqual(['session.file-refused', 'link']);
      const missing = await blob('blobs/none.bin');
      expect(!missing.ok && [missing.error.code, missing.error.details.reason]).toEqual(['session.file-refused', 'missing']);
      const nobody = await api.call('session.blob', { id: 'no-such-session', path: binaryPath, maxBytes: 10 });
      expect(!nobody.ok && nobody.error.code).toBe('session.not-found');
    } finally {
      rmSync(join(session.dir, 'blobs', 'link.txt'));
    }
  });
});
