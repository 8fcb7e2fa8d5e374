/**
 * The consent variants as the virtual phone plays them, judged by the demo run through the real adb server
 * (issue #26): a guest-only dialog whose text sits in a clickable row (the run declines through the guest mode,
 * which still collects: 164-1.3), a WebView notice whose only button is "好的" (164-1.4), a consent switch on
 * before any tap (164-1.5), and the acknowledge-only notice that also implies consent in its text (164-1.4, 1.5).
 * Each run proposes a violation for exactly what its scenario declares.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdbkitBridge } from '../../../../src-main/core/adb/device-bridge.js';
import { loadTemplateFile } from '../../../../src-main/core/checklist/load-template.js';
import { runDemo } from '../../../../src-main/core/checklist/run/demo-run.js';
import type { ChecklistRunResult } from '../../../../src-main/core/checklist/run/run-checklist.js';
import { IdentityStore, type UnlockedIdentity } from '../../../../src-main/core/evidence/identity-store.js';
import { loadScenarioFile } from '../../../../src-main/core/virtual-device/index.js';
import { startAdbServer, type TestAdbServer } from '../../../support/adb-server.js';

const root = join(import.meta.dirname, '../../../..');
const template = loadTemplateFile(join(root, 'resources', 'templates', 'miit-164.yaml'));
const SCENARIOS = ['guest-mode-collects', 'webview-notice-ok-only', 'pre-ticked-switch', 'no-decline-button'];

let adb: TestAdbServer;
let work: string;
let identity: UnlockedIdentity;
const results = new Map<string, ChecklistRunResult>();

beforeAll(async () => {
  adb = await startAdbServer();
  work = mkdtempSync(join(tmpdir(), 'apprights-consent-'));
  const store = new IdentityStore(join(work, 'ids'));
  identity = await store.unlock((await store.createSelfSigned('Consent scenarios', 'passphrase-1')).id, 'passphrase-1');
  const bridge = new AdbkitBridge('adb', adb.port);
  // Two at a time: four phones at once on a loaded 2-core machine only queue behind each other.
  for (let i = 0; i < SCENARIOS.length; i += 2) {
    await Promise.all(SCENARIOS.slice(i, i + 2).map(async (id) => {
      const scenario = loadScenarioFile(join(root, 'resources', 'scenarios', `${id}.yaml`));
      results.set(id, await runDemo({ bridge, scenario, fast: true, template, out: join(work, `${id}.zip`), sessionDir: join(work, `${id}-session`), identity, tool: { name: 'test', version: '0' }, tester: 't', log: () => undefined }));
    }));
  }
}, 420_000);

afterAll(async () => {
  await adb?.kill();
  rmSync(work, { recursive: true, force: true });
});

const proposal = (id: string, item: string) => results.get(id)!.proposals.find((p) => p.item === item)!;
/** The session's timeline as written (one chained line per event: { seq, prev, event }). */
const timeline = (id: string) => readFileSync(join(work, `${id}-session`, 'timeline.jsonl'), 'utf8').split('\n').filter(Boolean)
  .map((l) => { const { seq, event } = JSON.parse(l) as { seq: number; event: { type: string; kind?: string; mark?: string; label?: string | null; name?: string | null } }; return { seq, ...event }; });

describe('consent variants played by the virtual phone', () => {
  it('each run proposes a violation for exactly what its scenario declares', () => {
    for (const id of SCENARIOS) {
      const scenario = loadScenarioFile(join(root, 'resources', 'scenarios', `${id}.yaml`));
      const r = results.get(id)!;
      expect(r.incomplete, id).toBeNull();
      expect(r.proposals.filter((p) => p.status === 'violation').map((p) => p.item).sort(), id).toEqual([...scenario.violates].sort());
    }
  });

  it('a guest mode is the decline path when the dialog has no decline button: tapped in its row, marked, and what it collects is 164-1.3', () => {
    const id = 'guest-mode-collects';
    expect(results.get(id)!.stages.find((s) => s.stage === 'decline')).toMatchObject({ outcome: 'done' });
    expect(timeline(id).find((e) => e.type === 'tester.mark' && e.mark === 'consent.declined')!.label).toBe('tapped "仅浏览" (guest mode)');
    expect(proposal(id, '164-1.4')).toMatchObject({ status: 'none-observed', explanation: { zh: expect.stringContaining('可以“仅浏览”进入游客/浏览模式') } });
    expect(proposal(id, '164-1.3').explanation.zh).toContain('COARSE_LOCATION');
  });

  it('a WebView notice whose only button is "好的" is 164-1.4, with its UI dump and screenshot; the run goes on through "好的"', () => {
    const id = 'webview-notice-ok-only';
    const p = proposal(id, '164-1.4');
    expect(p.explanation.zh).toMatch(/只有确认类按钮：“好的”（弹窗文字在 WebView 中）/);
    const events = timeline(id);
    const kinds = p.evidence.map((seq) => events.find((e) => e.seq === seq)!).map((e) => `${e.type}:${e.kind}:${e.name}`);
    expect(kinds).toEqual(['capture:screenshot:first launch', 'capture:ui.dump:first launch']);
    expect(results.get(id)!.stages.find((s) => s.stage === 'agree')).toMatchObject({ outcome: 'done' });
    expect(events.find((e) => e.type === 'tester.mark' && e.mark === 'consent.given')!.label).toBe('tapped "好的"');
  });

  it('a consent switch on before any tap is 164-1.5, named as a switch with the words beside it', () => {
    expect(proposal('pre-ticked-switch', '164-1.5').explanation.zh).toBe('同意开关在任何操作前已打开：“我已阅读并同意《用户协议》和《隐私政策》”。');
    expect(proposal('pre-ticked-switch', '164-1.4').status).toBe('none-observed');
  });

  it('"我知道了" alone is 164-1.4, and "使用本应用即表示您已阅读并同意" is implied consent (164-1.5)', () => {
    expect(proposal('no-decline-button', '164-1.4').explanation.zh).toContain('只有确认类按钮：“我知道了”');
    expect(proposal('no-decline-button', '164-1.5').explanation.zh).toContain('默示同意');
  });
});
