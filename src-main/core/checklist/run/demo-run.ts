/**
 * A trainer's one-command demonstration: a fresh virtual phone playing a scenario is connected to the real
 * adb server, the headless checklist run walks it like any phone, and the signed package comes out. `fast`
 * compresses the scenario's waits (timestamps stay real) and shortens each stage's dwell, for tests.
 */
import type { DeviceBridge } from '../../adb/device-bridge.js';
import { WorkbenchError } from '../../errors.js';
import type { UnlockedIdentity } from '../../evidence/identity-store.js';
import { CompressedClock, RealClock } from '../../virtual-device/android/clock.js';
import type { Scenario } from '../../virtual-device/scenario/schema.js';
import { VirtualDevice } from '../../virtual-device/virtual-device.js';
import { runChecklist, type ChecklistRunResult, type RunTemplate } from './run-checklist.js';
import type { StageTiming } from './stage-runner.js';

export const FAST_FACTOR = 20;
export const DEMO_TIMING: Record<'fast' | 'live', StageTiming> = {
  fast: { dwellMs: 2500, settleMs: 600, rebootTimeoutMs: 30_000 },
  live: { dwellMs: 20_000, settleMs: 1500, rebootTimeoutMs: 60_000 },
};

export interface DemoRequest {
  bridge: DeviceBridge;
  scenario: Scenario;
  /** The ROM profile the virtual phone wears (rom/): how it names itself and prints what the scenario does. */
  profile?: string;
  fast: boolean;
  template: RunTemplate;
  out: string;
  sessionDir: string;
  identity: UnlockedIdentity;
  tool: { name: string; version: string };
  tester: string;
  log: (message: string) => void;
}

/**
 * A live demo dwells long enough in each stage for the scenario's slowest periodic behaviour to show at least
 * once (an "every 30 s" app needs more than 30 s in the background stage for the class to see it).
 */
export function liveTiming(scenario: Scenario): StageTiming {
  let longest = 0;
  for (const app of scenario.apps) {
    for (const b of app.behaviour) {
      if (typeof b.on === 'object' && 'every' in b.on) longest = Math.max(longest, b.on.every);
      if (typeof b.on === 'object' && 'after' in b.on) longest = Math.max(longest, b.on.after);
      for (const a of b.do) if ('wait' in a) longest = Math.max(longest, a.wait);
    }
  }
  return { ...DEMO_TIMING.live, dwellMs: Math.max(DEMO_TIMING.live.dwellMs, Math.min(longest + 10_000, 5 * 60_000)) };
}

export async function runDemo(req: DemoRequest): Promise<ChecklistRunResult> {
  const app = req.scenario.apps[0];
  if (!app) throw new WorkbenchError('scenario.invalid', `Scenario ${req.scenario.id} has no app to test`, { field: 'apps' });
  const device = new VirtualDevice({ scenario: req.scenario, profile: req.profile, clock: req.fast ? new CompressedClock(FAST_FACTOR) : new RealClock(), rebootDelayMs: req.fast ? 400 : 1500 });
  await device.start();
  req.log(`virtual phone "${req.scenario.id}" (${device.profile}) on ${device.serial}`);
  try {
    await req.bridge.connect(device.host, device.port);
    await waitUntilListed(req.bridge, device.serial);
    return await runChecklist({
      bridge: req.bridge, serial: device.serial, apkPath: null, packageName: app.package, template: req.template,
      sessionDir: req.sessionDir, out: req.out, identity: req.identity, timing: req.fast ? DEMO_TIMING.fast : liveTiming(req.scenario), reboot: true,
      tool: req.tool, tester: req.tester, caseRef: `demo:${req.scenario.id}`, log: req.log,
    });
  } finally {
    await device.stop();
    await req.bridge.disconnect(device.host, device.port).catch(() => undefined);
  }
}

async function waitUntilListed(bridge: DeviceBridge, serial: string): Promise<void> {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if ((await bridge.listDevices()).some((d) => d.serial === serial && d.type === 'device')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new WorkbenchError('adb.connect-failed', `The adb server did not list the virtual phone ${serial} as a device within 15 s`, { serial });
}
