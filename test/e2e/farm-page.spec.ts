// The Farm page (issue #30) in browser mode against the real core, a real Debian redis-server on a private port, a
// private adb server and a virtual phone. The page connects (Enter in the URL field); analyze jobs are added with the
// core's addJobs, one of them damaged in the shared store, one cancelled from the page while it waits; the workbench
// joins as a worker offering the virtual phone (ticked by the tester, passphrase typed, Enter) and one analysis at a
// time, after which a session on that phone is refused in words. The page shows the worker with its phone, the queue
// drained, the history bars, the failure with its reason; Retry (from the keyboard) after the store file is repaired
// ends it done; Leave frees the phone. The page in Chinese holds no English outside identifiers and the workers' own
// words (lang="en") — with the farm running, and with Redis down and the join form open; both languages are
// photographed into test-results/.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { describeFindings, findEnglish } from './zh-dom-check';
// The farm's modules one by one: its index also loads the worker, whose analysis pool needs ESM (import.meta).
import { ApkStore, sha256Of } from '../../src-main/core/farm/apk-store';
import { commandConnection } from '../../src-main/core/farm/farm-connection';
import { farmKeys, jobId } from '../../src-main/core/farm/farm-jobs';
import { addJobs } from '../../src-main/core/farm/farm-queue';
import { startRedis, type TestRedis } from '../support/redis-server';
import { withComment } from '../support/zip-builder';

/** A real APK (test/support/virtual-phone.ts TEST_APKS.androidTest; that module loads the virtual phone, ESM only). */
const APK = join(__dirname, '../../node_modules/appium-uiautomator2-server/apks/appium-uiautomator2-server-debug-androidTest.apk');
const SHOTS = join(__dirname, '..', '..', 'test-results');
const PASSPHRASE = 'farm-e2e-passphrase';

/** The whole page (it scrolls inside the content column, so a tall window, not fullPage, shows all of it). */
async function photograph(page: import('@playwright/test').Page, name: string): Promise<void> {
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: size.width, height: 2400 });
  await page.screenshot({ path: join(SHOTS, name) });
  await page.setViewportSize(size);
}

let redis: TestRedis;
let work: string;

test.beforeAll(async () => {
  redis = await startRedis();
  work = mkdtempSync(join(tmpdir(), 'apprights-farm-e2e-'));
});

test.afterAll(async () => {
  await redis?.kill();
  rmSync(work, { recursive: true, force: true });
});

test('the Farm page: connect, cancel a waiting job, join with a phone, watch the queue drain, retry a failure, leave; in Chinese too', async ({ page, workbench, consoleErrors }) => {
  test.setTimeout(150_000);
  const phone = await workbench.startPhone('compliant-app');
  await page.goto(workbench.url);
  // The tester's signing identity, made through the API as the Evidence page makes it (its own socket, the page's token).
  const made = await page.evaluate(async (passphrase) => new Promise<string>((resolve, reject) => {
    const token = new URLSearchParams(location.search).get('token') ?? '';
    const ws = new WebSocket(`ws://${location.host}/api?token=${encodeURIComponent(token)}`);
    ws.onerror = () => reject(new Error('WebSocket error'));
    ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'evidence.createIdentity', args: { name: 'Farm Tester', passphrase } }));
    ws.onmessage = (ev) => {
      const msg = JSON.parse(String(ev.data)) as { kind: string; id?: number; outcome?: { ok: boolean } };
      if (msg.kind === 'result' && msg.id === 1) {
        ws.close();
        resolve(JSON.stringify(msg.outcome));
      }
    };
  }), PASSPHRASE);
  expect(made).toContain('"ok":true');
  await page.getByTestId('nav-farm').click();
  const farmPage = page.getByTestId('farm-page');
  await expect(page.getByTestId('farm-connect')).toBeVisible();
  // Not connected yet: neither queues nor the join panel.
  await expect(page.getByTestId('farm-queues')).toHaveCount(0);
  await expect(page.getByTestId('farm-join')).toHaveCount(0);

  // A wrong address is refused in words; nothing is remembered.
  await page.getByTestId('farm-url').fill('http://127.0.0.1:1');
  await page.getByTestId('farm-url').press('Enter');
  await expect(page.getByTestId('farm-connect-error')).toContainText('use redis://HOST:PORT');
  await page.getByTestId('farm-url').fill('redis://:hunter2-secret@127.0.0.1:1');
  await page.getByTestId('farm-url').press('Enter');
  await expect(page.getByTestId('farm-connect-error')).toContainText('does not answer');
  await expect(farmPage).not.toContainText('hunter2');

  await page.getByTestId('farm-url').fill(redis.url);
  await page.getByTestId('farm-name').fill('lab-e2e');
  await page.getByTestId('farm-url').press('Enter');
  await expect(page.getByTestId('farm-connection')).toContainText(`Reading ${redis.url} · farm lab-e2e`);
  await expect(page.getByTestId('farm-connect-error')).toHaveCount(0);
  await expect(page.getByTestId('farm-queue-analyze')).toHaveAttribute('data-waiting', '0');

  // Five analyses: three fine, one damaged in the store before any worker reads it, one to cancel while it waits.
  const storeDir = join(work, 'store');
  const apks = join(work, 'apks');
  mkdirSync(storeDir);
  mkdirSync(apks);
  const names = ['fine-1', 'fine-2', 'fine-3', 'damaged', 'cancelled'];
  for (const n of names) writeFileSync(join(apks, `${n}.apk`), withComment(readFileSync(APK), n));
  const store = new ApkStore(storeDir);
  const conn = await commandConnection(redis.url);
  try {
    const added = await addJobs(conn, store, { farm: farmKeys('lab-e2e'), kind: 'analyze', apks: names.map((n) => join(apks, `${n}.apk`)), packages: [], template: null, attempts: 2 });
    expect(added.added).toHaveLength(5);
  } finally {
    conn.disconnect();
  }
  const damagedSha = await sha256Of(join(apks, 'damaged.apk'));
  const damagedId = jobId('analyze', { sha256: damagedSha, packageName: null }, null);
  const cancelledId = jobId('analyze', { sha256: await sha256Of(join(apks, 'cancelled.apk')), packageName: null }, null);
  writeFileSync(store.pathOf(damagedSha), 'not the APK any more');

  const queue = page.getByTestId('farm-queue-analyze');
  await expect(queue).toHaveAttribute('data-waiting', '5', { timeout: 10_000 });
  await expect(page.getByTestId('farm-queued-job')).toHaveCount(5);
  await page.locator(`[data-testid=farm-queued-job][data-id="${cancelledId}"]`).getByTestId('farm-cancel').click();
  await expect(queue).toHaveAttribute('data-waiting', '4', { timeout: 10_000 });
  await expect(page.locator(`[data-testid=farm-queued-job][data-id="${cancelledId}"]`)).toHaveCount(0);

  // Join: the phone offered only once ticked; the passphrase typed, Enter joins.
  const offer = page.locator(`[data-testid=farm-offer-phone][data-serial="${phone.serial}"]`);
  await expect(offer).not.toBeChecked();
  await offer.check();
  await page.getByTestId('farm-store').fill(storeDir);
  await page.getByTestId('farm-analyze').fill('1');
  await page.getByTestId('farm-passphrase').fill(PASSPHRASE);
  await page.getByTestId('farm-passphrase').press('Enter');
  await expect(page.getByTestId('farm-join')).toHaveAttribute('data-member', 'true', { timeout: 20_000 });
  await expect(page.getByTestId('farm-membership')).toContainText('Working for the farm as workbench@');
  const worker = page.locator('[data-testid=farm-worker]').filter({ hasText: 'this workbench' });
  await expect(worker).toHaveCount(1, { timeout: 10_000 });
  await expect(worker.locator(`[data-testid=farm-phone][data-serial="${phone.serial}"]`)).toHaveAttribute('data-state', 'idle');

  // The queue drains: three done, the damaged one failed at once with its reason.
  await expect(queue).toHaveAttribute('data-done', '3', { timeout: 60_000 });
  await expect(queue).toHaveAttribute('data-failed', '1', { timeout: 10_000 });
  await expect(queue).toHaveAttribute('data-waiting', '0');
  const failure = page.locator(`[data-testid=farm-failure][data-id="${damagedId}"]`);
  await expect(failure).toContainText('damaged.apk');
  await expect(failure.getByTestId('farm-failure-reason')).toContainText('the file was changed or damaged; refused');
  const bars = page.getByTestId('farm-chart-analyze').getByTestId('farm-bar');
  await expect(bars).toHaveCount(30);
  await expect.poll(async () => {
    const counts = await bars.evaluateAll((gs) => gs.map((g) => [Number(g.getAttribute('data-done')), Number(g.getAttribute('data-failed'))]));
    return [counts.reduce((n, c) => n + c[0]!, 0), counts.reduce((n, c) => n + c[1]!, 0)];
  }).toEqual([3, 1]);
  await expect(page.getByTestId('farm-chart-analyze').locator('rect.farm-bar-done').first()).toBeVisible();

  // The offered phone starts no session meanwhile: refused in words.
  await page.getByTestId('nav-session').click();
  await expect(page.getByTestId('new-session-phone')).toHaveValue(phone.serial, { timeout: 10_000 });
  await page.getByTestId('new-session-package').fill('com.demo.compliant');
  await page.getByTestId('new-session-tester').fill('Farm Tester');
  await page.getByTestId('new-session-start').click();
  await expect(page.getByTestId('toast')).toContainText(`Phone ${phone.serial} works for the farm now`);
  // The device list says which phone works for the farm.
  await page.getByTestId('nav-devices').click();
  const row = page.locator(`[data-testid=device-row][data-serial="${phone.serial}"]`);
  await expect(row.getByTestId('device-in-farm')).toHaveText('working for the farm');
  await page.getByTestId('nav-farm').click();
  await expect(failure).toBeVisible({ timeout: 10_000 });
  await photograph(page, 'farm-en.png');

  // In Chinese: nothing in English outside identifiers and the workers' own words.
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('language').selectOption('zh-CN');
  await page.getByTestId('nav-farm').click();
  await expect(page.getByTestId('farm-join')).toContainText('正在为检测农场工作');
  await expect(failure).toBeVisible({ timeout: 10_000 });
  await expect(worker).toHaveCount(0);
  await expect(page.locator('[data-testid=farm-worker]').filter({ hasText: '本工作台' })).toHaveCount(1);
  const english = await findEnglish(page);
  expect(english, describeFindings('Farm page (zh-CN)', english)).toEqual([]);
  await photograph(page, 'farm-zh.png');
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('language').selectOption('en');
  await page.getByTestId('nav-farm').click();

  // Repaired in the store, retried from the keyboard: done.
  copyFileSync(join(apks, 'damaged.apk'), store.pathOf(damagedSha));
  await failure.getByTestId('farm-retry').focus();
  await page.keyboard.press('Enter');
  await expect(queue).toHaveAttribute('data-done', '4', { timeout: 30_000 });
  await expect(queue).toHaveAttribute('data-failed', '0');
  await expect(page.getByTestId('farm-failure')).toHaveCount(0);
  await expect(page.getByTestId('farm-job-error')).toHaveCount(0);

  // Leave: the worker is gone from the farm and the phone is the tester's again.
  await page.getByTestId('farm-leave').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('farm-join')).toHaveAttribute('data-member', 'false', { timeout: 30_000 });
  await expect(page.locator('[data-testid=farm-worker]').filter({ hasText: 'this workbench' })).toHaveCount(0, { timeout: 10_000 });
  await expect(offer).not.toBeChecked();
  await page.getByTestId('nav-devices').click();
  await expect(page.locator(`[data-testid=device-row][data-serial="${phone.serial}"]`)).toBeVisible();
  await expect(page.getByTestId('device-in-farm')).toHaveCount(0);
  await page.getByTestId('nav-farm').click();

  // Redis gone: the page says so and what to do, and keeps asking; back, the farm shows again.
  await redis.stop();
  await expect(page.getByTestId('farm-unreachable')).toContainText('Redis does not answer.', { timeout: 15_000 });
  await expect(page.getByTestId('farm-unreachable')).toContainText('Check that redis-server runs');
  await expect(page.getByTestId('farm-queues')).toHaveCount(0);
  // That state and the join form with a phone ticked (identity, seconds per stage, passphrase), in Chinese.
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('language').selectOption('zh-CN');
  await page.getByTestId('nav-farm').click();
  await expect(page.getByTestId('farm-unreachable')).toContainText('Redis 没有应答。', { timeout: 15_000 });
  await offer.check();
  await expect(page.getByTestId('farm-dwell')).toHaveValue('30');
  await expect(page.getByTestId('farm-identity')).toBeVisible();
  const englishJoin = await findEnglish(page);
  expect(englishJoin, describeFindings('Farm page, Redis down, join form (zh-CN)', englishJoin)).toEqual([]);
  await photograph(page, 'farm-zh-unreachable.png');
  await redis.start();
  await expect(page.getByTestId('farm-unreachable')).toHaveCount(0, { timeout: 15_000 });
  await expect(queue).toHaveAttribute('data-done', '4');
  expect(consoleErrors).toEqual([]);
});
