/**
 * Benchmark (not a test gate, issue #29): the explorer against seeded random tapping on the deep-policy menus
 * (test/fixtures/scenarios/explore-menus.yaml: the policy 5 taps deep along 我的 › 设置 › 关于我们 › 法律条款 ›
 * 《隐私政策》, an ad on the main screen whose close comes after 10 s, trap buttons that log under ExploreTrap) on the
 * virtual phone through the real adb server. Both drive the phone through the same port (bridgePhonePort, 300 ms
 * settle after each tap or key), so each action costs the same.
 *
 * The explorer: time until the policy page was on screen, and until the walk ended; taps per second over the walk.
 * Random tapping, monkey-style, for the explorer's whole walk time (times EXPLORE_BENCH_RANDOM_X, default 1) per
 * seed (EXPLORE_BENCH_SEEDS, default 1,2,3):
 * from the main screen, Back with probability 0.15, else a tap at a random point of the app's window; after each,
 * the resumed activity is read — the policy's activity counts as reached — and the app is relaunched when it was
 * left. It counts its taps, whether and when it reached the policy, and the traps it tapped.
 *
 * Run: node --import tsx test/bench/explore-vs-random.ts
 */
import { join } from 'node:path';
import { AdbkitBridge } from '../../src-main/core/adb/device-bridge.js';
import { parseResumedActivity } from '../../src-main/core/monitor/dump-parsers.js';
import { bridgePhonePort, explore, type WalkEvent } from '../../src-main/core/explore/walker.js';
import { startAdbServer, waitFor } from '../support/adb-server.js';
import { rng } from '../support/seeded-random.js';
import { startPhoneFrom } from '../support/virtual-phone.js';

const SCENARIO = join(__dirname, '../fixtures/scenarios/explore-menus.yaml');
const PKG = 'com.demo.explore';
const POLICY_ACTIVITY = `${PKG}/.PrivacyPolicyActivity`;
const SETTLE_MS = 300;
const P_BACK = 0.15;
const W = 1080;
const H = 2400;

async function main(): Promise<void> {
  const seeds = (process.env.EXPLORE_BENCH_SEEDS ?? '1,2,3').split(',').map(Number).filter(Number.isFinite);
  const times = Math.max(1, Number(process.env.EXPLORE_BENCH_RANDOM_X ?? 1) || 1);
  const adb = await startAdbServer();
  const phone = await startPhoneFrom(adb, SCENARIO);
  const bridge = new AdbkitBridge('adb', adb.port);
  const sh = async (command: string): Promise<string> => bridge.shell(phone.serial, command, 15_000);
  const port = bridgePhonePort(bridge, phone.serial, SETTLE_MS);
  const fromMainScreen = async (): Promise<void> => {
    await sh(`am force-stop ${PKG}`);
    await sh('logcat -c');
    await port.relaunch(PKG);
    await waitFor('the main screen', async () => (await sh('uiautomator dump /dev/tty')).includes(`${PKG}:id/tabMine`), 10_000);
  };
  const traps = async (): Promise<number> => (await sh('logcat -d -s ExploreTrap')).split('\n').filter((l) => l.includes('tapped')).length;

  try {
    // The explorer.
    await fromMainScreen();
    const steps: WalkEvent[] = [];
    const t0 = Date.now();
    const r = await explore(port, PKG, { maxTaps: 300, maxDepth: 6, maxMs: 300_000, maxScreens: 60 }, (e) => steps.push(e));
    const walkMs = Date.now() - t0;
    const policy = r.targets.find((t) => t.target === 'privacy-policy');
    const landing = policy?.found ? policy.landing?.screen : undefined;
    const reached = steps.find((e) => e.kind === 'screen' && e.id === landing);
    const tapsToPolicy = reached ? steps.filter((e) => e.kind === 'tap' && e.hostTime <= reached.hostTime).length : null;
    const explorerTraps = await traps();
    console.log('explorer (breadth-first walk, 300 ms settle):');
    console.log(`  stopped: ${r.stopped}; ${r.screens.length} screens, ${r.taps} taps, ${r.backs} Backs, ${r.relaunches} relaunches, ${r.swipes} swipes in ${(walkMs / 1000).toFixed(1)} s`);
    console.log(`  policy: ${policy?.found ? `found, ${policy.taps} taps from the main screen (${policy.path.map((p) => p.label).join(' › ')})` : 'not found'}`);
    console.log(`  time to the policy page: ${reached ? `${((reached.hostTime - t0) / 1000).toFixed(1)} s, after ${tapsToPolicy} taps` : 'never'}`);
    console.log(`  of the walk, the two checks: ${((r.ads[0]?.waitedMs ?? 0) / 1000).toFixed(1)} s watching the main screen's ad for its close control, ${((r.switch?.watchedMs ?? 0) / 1000).toFixed(1)} s watching the personalisation switch (${r.switch?.state ?? 'none'})`);
    console.log(`  taps per second over the walk: ${(r.taps / (walkMs / 1000)).toFixed(2)}; traps tapped: ${explorerTraps}`);

    // Random tapping for as long as the walk took.
    for (const seed of seeds) {
      await fromMainScreen();
      const random = rng(seed);
      let taps = 0, backs = 0, relaunches = 0, actions = 0;
      let reachedAt: number | null = null, tapsAtReach: number | null = null;
      const start = Date.now();
      while (Date.now() - start < walkMs * times) {
        if (random() < P_BACK) {
          await port.back();
          backs++;
        } else {
          await port.tap(Math.floor(random() * W), Math.floor(random() * H));
          taps++;
        }
        actions++;
        const activity = parseResumedActivity(await sh("dumpsys activity activities | grep -E 'ResumedActivity'"));
        if (activity === POLICY_ACTIVITY && reachedAt === null) {
          reachedAt = Date.now() - start;
          tapsAtReach = taps;
        }
        if (!activity?.startsWith(`${PKG}/`)) {
          await port.relaunch(PKG);
          relaunches++;
        }
      }
      const seconds = (Date.now() - start) / 1000;
      console.log(`random tapping, seed ${seed} (Back p=${P_BACK}, relaunch when it left the app), ${seconds.toFixed(1)} s:`);
      console.log(`  ${taps} taps, ${backs} Backs, ${relaunches} relaunches (${actions} actions); taps per second: ${(taps / seconds).toFixed(2)}`);
      console.log(`  policy page: ${reachedAt === null ? 'never reached' : `reached after ${(reachedAt / 1000).toFixed(1)} s and ${tapsAtReach} taps`}; traps tapped: ${await traps()}`);
    }
  } finally {
    await phone.stop();
    await adb.kill();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
