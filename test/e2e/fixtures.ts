/**
 * Fixtures for browser-mode tests: a private adb server (its own port, never the user's), the workbench
 * served by the built CLI with its own data directory, and virtual phones started as separate processes so
 * a test can make one vanish the way a phone does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { startAdbServer, type TestAdbServer } from '../support/adb-server.js';

const root = join(__dirname, '..', '..');
const cli = join(root, 'bin', 'apprights.cjs');

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in: ${seen}`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString();
      const m = pattern.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${seen}`)));
  });
}

export interface Workbench {
  url: string;
  adb: TestAdbServer;
  /** The served workbench's data folder: a test may write sessions into its sessions/ (listed on the next read). */
  dataDir: string;
  startPhone(scenario: string, extraArgs?: string[]): Promise<{ serial: string; process: ChildProcess }>;
}

export const test = base.extend<{ workbench: Workbench; consoleErrors: string[]; serveEnv: NodeJS.ProcessEnv | null; serveArgs: string[] }>({
  /** Environment override for `apprights serve` (a test can hide adb from it). */
  serveEnv: [null, { option: true }],
  /** More arguments for `apprights serve` (what the host decides, e.g. --allow-local). */
  serveArgs: [[], { option: true }],
  workbench: async ({ serveEnv, serveArgs }, use) => {
    const adb = await startAdbServer();
    const dataDir = mkdtempSync(join(tmpdir(), 'wb-e2e-'));
    const serve = spawn(process.execPath, [cli, 'serve', '--data-dir', dataDir, ...serveArgs], { env: serveEnv ?? adb.env, stdio: ['ignore', 'pipe', 'inherit'] });
    const [, url] = await waitForLine(serve, /Open \/ 打开: (http:\/\/\S+)/);
    const phones: ChildProcess[] = [];
    await use({
      url: url!,
      adb,
      dataDir,
      startPhone: async (scenario, extraArgs = []) => {
        const p = spawn(process.execPath, [cli, 'virtual-device', '--scenario', scenario, '--connect', ...extraArgs], { env: adb.env, stdio: ['ignore', 'pipe', 'inherit'] });
        phones.push(p);
        const [, serial] = await waitForLine(p, /serial=(\S+)/);
        return { serial: serial!, process: p };
      },
    });
    for (const p of phones) p.kill('SIGKILL');
    const exited = new Promise((r) => serve.once('exit', r));
    serve.kill('SIGINT');
    // A clean stop takes well under a second; a hang is a bug the test must show, not wait out.
    const clean = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
    if (!clean) serve.kill('SIGKILL');
    expect(clean, 'apprights serve stops within 5 s of SIGINT').toBe(true);
    await adb.kill();
  },
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await use(errors);
  },
});

/** Test runs keep their screenshots with the reports; `npm run screenshots` points this at docs/screenshots. */
const SCREENSHOT_DIR = process.env.APPRIGHTS_SCREENSHOT_DIR ?? join(root, '.test-reports', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

export { expect };

/** Waits until the phone's UI tree shows a node with this text (the tree is read on demand: refreshed until it does). */
export async function waitForNode(page: Page, text: string): Promise<void> {
  const node = page.locator(`[data-testid=ui-node][data-text="${text}"]`);
  // In the guided workspace the tree is shown on demand: open it, as a tester would.
  const toggle = page.getByTestId('ui-tree-toggle');
  if ((await toggle.count()) > 0 && (await toggle.first().getAttribute('aria-pressed')) === 'false') await toggle.first().click();
  await expect(async () => {
    await page.getByRole('button', { name: /Refresh tree|刷新/ }).click();
    await expect(node).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
}

/** Taps the centre of the UI node with this text on the live screen image, as a tester would. */
export async function tapNode(page: Page, text: string): Promise<void> {
  const node = page.locator(`[data-testid=ui-node][data-text="${text}"]`);
  await waitForNode(page, text);
  const [l, t, r, b] = (await node.getAttribute('data-bounds'))!.split(',').map(Number) as [number, number, number, number];
  const screen = page.getByTestId('live-screen');
  const box = (await screen.boundingBox())!;
  const [w, h] = [Number(await screen.getAttribute('data-width')), Number(await screen.getAttribute('data-height'))];
  await screen.click({ position: { x: ((l + r) / 2 / w) * box.width, y: ((t + b) / 2 / h) * box.height } });
}

/**
 * Starts the scenario's phone and a guided session on it for `packageName`, launches the app fresh and opens
 * the policy stage once its dialog shows the 《隐私政策》 link: where the policy specs begin.
 */
export async function guidedPolicyStage(page: Page, workbench: Workbench, scenario: string, packageName: string): Promise<void> {
  const phone = await workbench.startPhone(scenario);
  await page.goto(workbench.url);
  await page.getByTestId('nav-session').click();
  await expect(page.getByTestId('new-session-phone')).toHaveValue(phone.serial, { timeout: 10_000 });
  await page.getByTestId('new-session-package').fill(packageName);
  await page.getByTestId('new-session-tester').fill('赵六');
  await page.getByTestId('new-session-start').click();
  await expect(page.getByTestId('guided-session')).toBeVisible({ timeout: 10_000 });
  await page.getByTestId('stage-first-launch').click();
  await page.getByTestId('fresh-launch').click();
  await waitForNode(page, '《隐私政策》');
  await page.getByTestId('stage-policy').click();
}
