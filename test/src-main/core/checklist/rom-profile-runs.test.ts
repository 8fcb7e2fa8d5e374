/**
 * The demo run end to end under each vendor ROM profile (issue #24): a fresh virtual phone wearing the profile is
 * connected to a REAL adb server, the headless checklist run walks it, and it proposes "violation" for exactly
 * what the scenario declares. Three scenarios whose happenings each ROM prints its own way: an identifier read and a
 * permission dialog before consent (MIUI's DevicePolicyManager line, TelephonyPermissions from the phone process,
 * Android 14 START forms), a death right after a denial (`has died: fore TOP ` as Android 10+ pads it), and starts
 * without the user (MIUI's `caller=`, EMUI's iAware, uidBFSL FGS lines, vendor autostart refusals).
 * The default profile's runs are demo-runs.test.ts. All twelve runs go at once at the demo's fast timing (they mostly wait: 12 s of CPU in all).
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdbkitBridge } from '../../../../src-main/core/adb/device-bridge.js';
import { loadTemplateFile } from '../../../../src-main/core/checklist/load-template.js';
import { runDemo } from '../../../../src-main/core/checklist/run/demo-run.js';
import type { ChecklistRunResult } from '../../../../src-main/core/checklist/run/run-checklist.js';
import { IdentityStore, type UnlockedIdentity } from '../../../../src-main/core/evidence/identity-store.js';
import { loadScenarioFile, romProfile } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, type TestAdbServer } from '../../../support/adb-server.js';
import { SCENARIOS } from '../../../support/virtual-phone.js';

const root = join(import.meta.dirname, '../../../..');
const template = loadTemplateFile(join(root, 'resources', 'templates', 'miit-164.yaml'));
const PROFILES = ['aosp14', 'miui', 'emui', 'coloros'] as const;
const RUNS: Array<{ scenario: string; profile: (typeof PROFILES)[number] }> = ['collects-before-consent', 'exits-on-denial', 'self-start-and-associated-start']
  .flatMap((scenario) => PROFILES.map((profile) => ({ scenario, profile })));

/** A line each profile prints in each scenario's run, and only that profile: proof the phone wore it through adb. */
const SIGNATURE: Record<(typeof PROFILES)[number], RegExp> = {
  aosp14: / I ActivityTaskManager: Displayed [\w.]+\/\.MainActivity for user 0: \+\d+ms/,
  miui: / I MiuiNetworkPolicy: updateUidState uid = \d+, uidState = 16/,
  emui: / I HwMtmBroadcastResourceManager: removeReceiver mtm Broadcast/,
  coloros: / I OplusAppSwitchManagerService: appswitch unregisterAppSwitchObserver/,
};

let adb: TestAdbServer;
let bridge: AdbkitBridge;
let work: string;
let identity: UnlockedIdentity;
const results = new Map<string, { result: ChecklistRunResult; ms: number }>();

beforeAll(async () => {
  adb = await startAdbServer();
  bridge = new AdbkitBridge('adb', adb.port);
  work = mkdtempSync(join(tmpdir(), 'apprights-rom-runs-'));
  const store = new IdentityStore(join(work, 'ids'));
  identity = await store.unlock((await store.createSelfSigned('ROM profile runs', 'passphrase-1')).id, 'passphrase-1');
}, 60_000);

afterAll(async () => {
  await adb?.kill();
  rmSync(work, { recursive: true, force: true });
});

async function inBatches<T>(items: T[], size: number, fn: (t: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

describe('demo runs under each ROM profile, through the real adb server', () => {
  it('propose exactly the violations each scenario declares', async () => {
    const t0 = Date.now();
    await inBatches(RUNS, 12, async ({ scenario, profile }) => {
      const name = `${scenario}@${profile}`;
      const started = Date.now();
      const result = await runDemo({
        bridge, scenario: loadScenarioFile(join(SCENARIOS, `${scenario}.yaml`)), profile, fast: true, template, identity,
        out: join(work, `${name}.zip`), sessionDir: join(work, `${name}-session`), tool: { name: 'test', version: '0' }, tester: 't', log: () => {},
      });
      results.set(name, { result, ms: Date.now() - started });
    });
    const wall = Date.now() - t0;
    const failures: string[] = [];
    for (const { scenario, profile } of RUNS) {
      const name = `${scenario}@${profile}`;
      const { result } = results.get(name)!;
      expect(result.incomplete, name).toBeNull();
      const declared = [...loadScenarioFile(join(SCENARIOS, `${scenario}.yaml`)).violates].sort();
      const proposed = result.proposals.filter((p) => p.status === 'violation').map((p) => p.item).sort();
      if (JSON.stringify(proposed) !== JSON.stringify(declared)) failures.push(`${name}: proposed ${proposed.join(', ') || 'none'}, declared ${declared.join(', ')}`);
      // The phone wore the profile: the session read its identity over adb (getprop) and its own lines through the monitor.
      const meta = JSON.parse(readFileSync(join(result.sessionDir, 'session.json'), 'utf8')) as { device: { model: string; fingerprint: string; androidVersion: string } };
      const id = romProfile(profile).identity!;
      expect(meta.device, name).toMatchObject({ model: id.model, fingerprint: id.fingerprint, androidVersion: id.release });
      expect(readFileSync(join(result.sessionDir, 'logcat.log'), 'utf8'), name).toMatch(SIGNATURE[profile]);
    }
    const times = RUNS.map(({ scenario, profile }) => `${scenario}@${profile} ${(results.get(`${scenario}@${profile}`)!.ms / 1000).toFixed(1)} s`);
    console.log(`ROM profile runs: ${RUNS.length} in ${(wall / 1000).toFixed(1)} s wall (all at once)\n  ${times.join('\n  ')}`);
    expect(failures).toEqual([]);
  }, 600_000);
});
