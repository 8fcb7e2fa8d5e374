/**
 * A trainer's one-command demonstration: a fresh virtual phone playing a scenario is connected to the real
 * adb server, the headless checklist run walks it like any phone, and the signed package comes out. `fast`
 * compresses the scenario's waits (timestamps stay real) and shortens each stage's dwell, for tests and for a
 * trainer's quick run: every stage still runs, each long enough for the scenario's slowest behaviour to show. The
 * explore stage alone runs the phone at real speed: the explorer times what the app does in seconds.
 */
import type { ScreenStreams } from '../../screen/contracts.js';
import type { DeviceBridge } from '../../adb/device-bridge.js';
import type { ExploreLimits } from '../../../../src-preload/explore.js';
import { WorkbenchError } from '../../errors.js';
import type { UnlockedIdentity } from '../../evidence/identity-store.js';
import { CompressedClock, RealClock } from '../../virtual-device/android/clock.js';
import type { Scenario } from '../../virtual-device/scenario/schema.js';
import { VirtualDevice } from '../../virtual-device/virtual-device.js';
import { runChecklist, type ChecklistRunResult, type RunTemplate } from './run-checklist.js';
import type { NetworkChoice } from '../../../../src-preload/network-api.js';
import { loadNetworkEngine } from '../../network/default-engine.js';
import type { StageTiming } from './stage-runner.js';

/** How much faster the phone's waits run in a fast demo: a scenario's "every 30 s" fires every 0.75 s. */
export const FAST_FACTOR = 40;
export const DEMO_TIMING: Record<'fast' | 'live', StageTiming> = {
  // 600 ms is 24 s of the phone's compressed waits; the monitor's events carry the phone's times, so one
  // noticed after its stage ended is still judged in the stage it happened in. After a reboot the monitors
  // take up to a second to see the phone again, then read its log since they lost it.
  fast: { dwellMs: 600, settleMs: 300, rebootTimeoutMs: 30_000, afterRebootMs: 2000 },
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
  /**
   * Network capture of the demo's session (its lease in `dataDir`); the proxy reaches the phone's virtual internet,
   * and the session CA is installed on the demo phone as the tester would install it.
   */
  network?: { choice: NetworkChoice; dataDir: string } | null;
  /** The phones' screen streams the demo's session records its video from (the virtual phone's screenrecord); null: none. */
  video?: ScreenStreams | null;
  /** Run the explore stage (issue #29) with these limits; null or absent: skipped. */
  explore?: { limits: Partial<ExploreLimits> } | null;
}

/** Whether any app of the scenario sends requests (its demo captures the network by default). */
export function scenarioTalks(scenario: Scenario): boolean {
  return scenario.apps.some((app) => app.behaviour.some((b) => b.do.some((a) => 'request' in a)));
}

/**
 * A live demo dwells long enough in each stage for the scenario's slowest periodic behaviour to show at least
 * once (an "every 30 s" app needs more than 30 s in the background stage for the class to see it).
 */
export function liveTiming(scenario: Scenario): StageTiming {
  return { ...DEMO_TIMING.live, dwellMs: Math.max(DEMO_TIMING.live.dwellMs, Math.min(slowestBehaviourMs(scenario) + 10_000, 5 * 60_000)) };
}

/**
 * The same rule at FAST_FACTOR: each stage dwells half as long again as the slowest behaviour takes, compressed.
 * A scenario that repeats something (`every`) is judged by how many times the monitors saw it, and they look
 * about once a second whatever the phone's clock: its stages keep PERIODIC_DWELL_MS, enough for the count.
 */
export function fastTiming(scenario: Scenario): StageTiming {
  const periodic = scenario.apps.some((app) => app.behaviour.some((b) => typeof b.on === 'object' && 'every' in b.on));
  return { ...DEMO_TIMING.fast, dwellMs: Math.max(periodic ? PERIODIC_DWELL_MS : DEMO_TIMING.fast.dwellMs, Math.ceil((slowestBehaviourMs(scenario) * 1.5) / FAST_FACTOR)) };
}

/** A fast stage's dwell where the scenario repeats something: a few of the monitors' polls (about 1 s apart). */
const PERIODIC_DWELL_MS = 2500;

/** The longest period, delay or wait in the scenario's behaviour (ms of the phone's time). */
function slowestBehaviourMs(scenario: Scenario): number {
  let longest = 0;
  for (const app of scenario.apps) {
    for (const b of app.behaviour) {
      if (typeof b.on === 'object' && 'every' in b.on) longest = Math.max(longest, b.on.every);
      if (typeof b.on === 'object' && 'after' in b.on) longest = Math.max(longest, b.on.after);
      for (const a of b.do) if ('wait' in a) longest = Math.max(longest, a.wait);
    }
  }
  return longest;
}

export async function runDemo(req: DemoRequest): Promise<ChecklistRunResult> {
  const app = req.scenario.apps[0];
  if (!app) throw new WorkbenchError('scenario.invalid', `Scenario ${req.scenario.id} has no app to test`, { field: 'apps' });
  const clock = req.fast ? new CompressedClock(FAST_FACTOR) : new RealClock();
  const device = new VirtualDevice({ scenario: req.scenario, profile: req.profile, clock, rebootDelayMs: req.fast ? 400 : 1500 });
  await device.start();
  req.log(`virtual phone "${req.scenario.id}" (${device.profile}) on ${device.serial}`);
  // After the reboot stage's reboot, adb itself retries a dropped network phone only ten seconds later (adb
  // 29's reconnect delay): the demo reconnects it the moment it listens again, as a tester at the bench would.
  // The stage still waits for the adb server to list the phone and for sys.boot_completed.
  // Once disconnected, adb no longer retries the phone itself: a connect that fails (a loaded machine, the phone
  // listening but slow to answer) is tried again until the phone is listed, for as long as the reboot stage waits.
  let finished = false;
  const reconnect = (): void => {
    void (async () => {
      await req.bridge.disconnect(device.host, device.port).catch(() => undefined);
      const until = Date.now() + 25_000;
      while (!finished && Date.now() < until) {
        await req.bridge.connect(device.host, device.port).catch(() => undefined);
        if (await listedWithin(req.bridge, device.serial, 2000)) return;
      }
    })();
  };
  device.on('booted', reconnect);
  try {
    await req.bridge.connect(device.host, device.port);
    await waitUntilListed(req.bridge, device.serial);
    return await runChecklist({
      bridge: req.bridge, serial: device.serial, apkPath: null, packageName: app.package, template: req.template,
      sessionDir: req.sessionDir, out: req.out, identity: req.identity, timing: req.fast ? fastTiming(req.scenario) : liveTiming(req.scenario), reboot: true,
      // The explorer times the app in seconds (a close control after 10 s, a switch back on after 10 s), and a
      // settle or an adb round trip is already seconds of a phone 40 times compressed: the fast phone runs at real
      // speed while it is explored, the other stages stay compressed.
      explore: req.explore ? {
        limits: req.explore.limits, hooks: { phoneTimeScale: 1 },
        phoneClock: clock instanceof CompressedClock ? { realTime: (on) => clock.setFactor(on ? 1 : FAST_FACTOR) } : undefined,
      } : null,
      tool: req.tool, tester: req.tester, caseRef: `demo:${req.scenario.id}`, log: req.log, video: req.video,
      network: req.network ? {
        ...req.network,
        engine: async () => {
          const engine = await loadNetworkEngine();
          const internet = device.internet;
          return internet ? { ...engine, upstream: internet.connector, upstreamTrustedCas: [internet.caPem] } : engine;
        },
        // The demo has no tester to confirm the CA on the phone: the phone takes it as Settings' install would.
        caReady: async (pem) => void device.system.network.addUserCa(pem),
      } : undefined,
    });
  } finally {
    finished = true;
    device.off('booted', reconnect);
    await device.stop();
    await req.bridge.disconnect(device.host, device.port).catch(() => undefined);
  }
}

/** Whether the adb server lists the phone as a device within `ms` (asked every 100 ms). */
async function listedWithin(bridge: DeviceBridge, serial: string, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if ((await bridge.listDevices().catch(() => [])).some((d) => d.serial === serial && d.type === 'device')) return true;
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitUntilListed(bridge: DeviceBridge, serial: string): Promise<void> {
  if (await listedWithin(bridge, serial, 15_000)) return;
  throw new WorkbenchError('adb.connect-failed', `The adb server did not list the virtual phone ${serial} as a device within 15 s`, { serial });
}
