/**
 * The three scenarios that talk, played by the demo run with network capture through the REAL adb server, the
 * virtual phone, the real proxy and interceptor: each session holds exactly its scenario's connections (host, app by
 * uid, SDK), and exactly its pi.sent values — Umeng gets the MD5 of the Android ID before consent, Getui the app list
 * after decline (plain HTTP), the compliant app only its own server after agreement and nothing else. After each run
 * the phone's proxy is what it was (the demo phone starts with none).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../../src-preload/monitor-events.js';
import { AdbkitBridge } from '../../../../src-main/core/adb/device-bridge.js';
import { loadTemplateFile } from '../../../../src-main/core/checklist/load-template.js';
import { runDemo } from '../../../../src-main/core/checklist/run/demo-run.js';
import { IdentityStore, type UnlockedIdentity } from '../../../../src-main/core/evidence/identity-store.js';
import { listLeases } from '../../../../src-main/core/network/proxy-lease.js';
import { loadScenarioFile } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, type TestAdbServer } from '../../../support/adb-server.js';

const root = join(import.meta.dirname, '../../../..');
const template = loadTemplateFile(join(root, 'resources', 'templates', 'miit-164.yaml'));
const SCENARIOS = ['sdk-sends-id-before-consent', 'uploads-app-list-after-decline', 'compliant-network'] as const;

let adb: TestAdbServer;
let work: string;
let identity: UnlockedIdentity;
const timelines = new Map<string, TimelineEvent[]>();

function timeline(dir: string): TimelineEvent[] {
  return readFileSync(join(dir, 'timeline.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { event: TimelineEvent }).event);
}
const of = <T extends TimelineEvent['type']>(list: TimelineEvent[], type: T): Array<Extract<TimelineEvent, { type: T }>> => list.filter((e): e is Extract<TimelineEvent, { type: T }> => e.type === type);

beforeAll(async () => {
  adb = await startAdbServer();
  work = mkdtempSync(join(tmpdir(), 'net-scenarios-'));
  const store = new IdentityStore(join(work, 'ids'));
  identity = await store.unlock((await store.createSelfSigned('Network scenarios', 'passphrase-1')).id, 'passphrase-1');
  const bridge = new AdbkitBridge('adb', adb.port);
  for (const id of SCENARIOS) {
    const scenario = loadScenarioFile(join(root, 'resources', 'scenarios', `${id}.yaml`));
    const sessionDir = join(work, `${id}-session`);
    await runDemo({
      bridge, scenario, fast: true, template, out: join(work, `${id}.zip`), sessionDir, identity, tool: { name: 'test', version: '0' }, tester: 't', log: () => undefined,
      network: { choice: { mode: 'usb', intercept: true, lanAddress: null, values: [] }, dataDir: join(work, 'data') },
    });
    timelines.set(id, timeline(sessionDir));
  }
}, 600_000);

afterAll(async () => {
  await adb?.kill();
});

/** The scenario's connections as [host, port, app, sdk, intercepted]. */
function connections(id: string): Array<[string, number, string | null, string | null, boolean]> {
  return of(timelines.get(id)!, 'net.connection').map((c) => [c.host, c.port, c.app.attribution === 'uid' ? c.app.packageName : c.app.attribution, c.sdk?.id ?? null, c.intercepted]);
}

describe('the three scenarios that talk, with network capture (demo run, real adb server and proxy)', () => {
  it('Umeng gets the MD5 of the Android ID before consent (and again after it), attributed to the app by uid', () => {
    const events = timelines.get('sdk-sends-id-before-consent')!;
    const conns = connections('sdk-sends-id-before-consent');
    expect(conns.length).toBeGreaterThan(0);
    expect(new Set(conns.map((c) => JSON.stringify(c)))).toEqual(new Set([JSON.stringify(['ulogs.umeng.com', 443, 'com.demo.weather', 'umeng-analytics', true])]));
    const sent = of(events, 'pi.sent');
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(sent.map((p) => `${p.kind}|${p.form}|${p.where}|${p.host}|${p.sdk?.id}`))).toEqual(new Set(['android-id|md5|body|ulogs.umeng.com|umeng-analytics']));
    // The first one before the consent mark.
    const consent = events.find((e) => e.type === 'tester.mark' && e.mark.startsWith('consent.'));
    expect(sent[0]!.hostTime).toBeLessThan(consent?.hostTime ?? Infinity);
  });

  it('Getui gets the app list after decline, over plain HTTP', () => {
    const events = timelines.get('uploads-app-list-after-decline')!;
    const conns = of(events, 'net.connection');
    expect(conns.length).toBeGreaterThan(0);
    expect(new Set(conns.map((c) => JSON.stringify([c.host, c.port, c.sdk?.id, c.intercepted])))).toEqual(new Set([JSON.stringify(['sdk.open.phone.igexin.com', 80, 'getui', false])]));
    // The app by uid: its socket to the proxy outlives the exchange (OkHttp's pool keeps it idle), so /proc/net
    // still lists it when read. (When the virtual app closed it with the response, it lived ~27 ms and 1 run in 10
    // came out unattributed — and demo-runs lost its 164-1.3.)
    for (const c of conns) expect(c.app).toMatchObject({ attribution: 'uid', packageName: 'com.demo.reader' });
    expect(of(events, 'net.connection').every((c) => c.via === 'http' && !c.tls)).toBe(true);
    const sent = of(events, 'pi.sent');
    expect(new Set(sent.map((p) => `${p.kind}|${p.where}|${p.host}|${p.sdk?.id}`))).toEqual(new Set(['package-list|body|sdk.open.phone.igexin.com|getui']));
    const decline = events.find((e) => e.type === 'tester.mark' && e.mark === 'consent.declined');
    expect(decline).toBeDefined();
    expect(sent.every((p) => p.hostTime > decline!.hostTime)).toBe(true);
  });

  it('the compliant app: only its own server, only after agreement, and no personal value in what it sends', () => {
    const events = timelines.get('compliant-network')!;
    expect(new Set(connections('compliant-network').map((c) => JSON.stringify(c)))).toEqual(new Set([JSON.stringify(['api.good-stores.example', 443, 'com.demo.goodstores', null, true])]));
    expect(of(events, 'pi.sent')).toEqual([]);
    const agreed = events.find((e) => e.type === 'tester.mark' && e.mark === 'consent.given');
    expect(agreed).toBeDefined();
    expect(of(events, 'net.connection').every((c) => c.hostTime > agreed!.hostTime)).toBe(true);
  });

  it('every run put the phone\'s proxy back (on, restored; no lease left)', () => {
    for (const id of SCENARIOS) {
      const states = of(timelines.get(id)!, 'net.proxy').map((p) => p.state);
      expect(states[0]).toBe('on');
      expect(states.at(-1)).toBe('restored');
      expect(of(timelines.get(id)!, 'net.proxy').every((p) => p.problem === null)).toBe(true);
    }
    expect(listLeases(join(work, 'data')).leases).toEqual([]);
  });
});
