/**
 * Local and private addresses (policy pages, the TSA) are the host's decision: through the real WebSocket host
 * of `apprights serve`, a browser can neither allow them in the settings nor per call, and a policy URL or a
 * TSA there is refused before any connection is made; `apprights serve --allow-local`, set on the host, allows
 * both.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportResult, IdentityInfo, Settings } from '../../../src-preload/api.js';
import type { PolicyComparison } from '../../../src-preload/policy.js';
import { startAdbServer, type TestAdbServer } from '../../support/adb-server.js';
import { makeSession, PASSPHRASE, startTsa } from '../../support/evidence-fixtures.js';
import { startServe, type ServedWorkbench } from '../../support/serve.js';

const root = mkdtempSync(join(tmpdir(), 'local-addresses-'));
let adb: TestAdbServer;
let tsa: Awaited<ReturnType<typeof startTsa>>;
let policyServer: Server;
let policyUrl: string;
let policyRequests = 0;

beforeAll(async () => {
  adb = await startAdbServer();
  tsa = await startTsa(join(root, 'tsa'));
  policyServer = createServer((_req, res) => {
    policyRequests++;
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(readFileSync(join(__dirname, '../../fixtures/policies/tool-flashlight.txt')));
  });
  await new Promise<void>((r) => policyServer.listen(0, '127.0.0.1', r));
  policyUrl = `http://127.0.0.1:${(policyServer.address() as AddressInfo).port}/privacy.txt`;
});

afterAll(async () => {
  await tsa?.close();
  policyServer?.closeAllConnections();
  await new Promise((r) => policyServer?.close(r));
  await adb?.kill();
});

/** A workbench with one recorded session to export, served with `args`. */
async function served(name: string, args: string[] = []): Promise<ServedWorkbench> {
  const dataDir = join(root, name);
  await makeSession(join(dataDir, 'sessions', 'S1'));
  return startServe(['--data-dir', dataDir, ...args], adb.env);
}

async function exportWithTsa(wb: ServedWorkbench): Promise<ExportResult> {
  const identity = await wb.api.call<IdentityInfo>('evidence.createIdentity', { name: '张三', passphrase: PASSPHRASE });
  return wb.api.call<ExportResult>('evidence.export', { sessionId: 'S1', identityId: identity.id, passphrase: PASSPHRASE, national: false, compress: false, tsaUrl: tsa.url });
}

describe('local addresses from a browser', () => {
  it('cannot be allowed by a browser, in the settings or per call; a policy page or TSA there is not even connected to', async () => {
    const wb = await served('browser');
    try {
      await expect(wb.api.call('settings.update', { allowLocalAddresses: true })).rejects.toThrow(/bridge\.forbidden-sender.*can be allowed in the desktop window only/);
      expect(await wb.api.call<Settings>('settings.get')).toMatchObject({ allowLocalAddresses: false });
      // No call takes an "allow" argument any more: the schema refuses it.
      await expect(wb.api.call('policy.check', { policyFileId: null, url: policyUrl, allowLocal: true, apkFileId: null, typeNo: null })).rejects.toThrow(/bridge\.invalid-arguments/);
      await expect(wb.api.call('policy.check', { policyFileId: null, url: policyUrl, apkFileId: null, typeNo: null }))
        .rejects.toThrow(/policy\.fetch-failed.*127\.0\.0\.1:\d+ is a local or private address; fetching it is off on this workbench \(local addresses are allowed only on its host/);
      expect(policyRequests).toBe(0);

      const exported = await exportWithTsa(wb);
      expect(exported.timestamped).toBe(false);
      expect(exported.warnings[0]).toMatch(/the TSA is unreachable or not allowed: it is at a local or private address/);
      expect(tsa.requests).toBe(0);
    } finally {
      await wb.stop();
    }
  });

  it('are allowed by the host: apprights serve --allow-local fetches the policy page and timestamps with the local TSA', async () => {
    const wb = await served('host-allows', ['--allow-local']);
    try {
      const checked = await wb.api.call<{ comparison: PolicyComparison }>('policy.check', { policyFileId: null, url: policyUrl, apkFileId: null, typeNo: null });
      expect(checked.comparison.policy).toMatchObject({ source: 'url', origin: policyUrl });
      expect(policyRequests).toBe(1);
      const exported = await exportWithTsa(wb);
      expect(exported).toMatchObject({ timestamped: true, warnings: [] });
      expect(tsa.requests).toBe(1);
    } finally {
      await wb.stop();
    }
  });
});
