// The live screen as video, in browser mode against the real core, a private adb server and the virtual phone:
// frames come from the phone's H.264 stream (screenrecord) and are decoded by Chromium's WebCodecs — no
// screenshots while they do; a tap on the video changes what is painted within the latency measured; the
// watch is let go when the page is hidden; screenshots stand in, with the reason said, where the phone refuses
// screenrecord or the page has no WebCodecs.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './fixtures';

/** The compliant app on a phone whose ROM has no AVC encoder: screenrecord prints its error and exits. */
function refusingScenario(): string {
  const yaml = readFileSync(join(__dirname, '../../resources/scenarios/compliant-app.yaml'), 'utf8');
  const device = 'serial: VPHONE0001 }';
  expect(yaml).toContain(device);
  const file = join(mkdtempSync(join(tmpdir(), 'refusing-')), 'no-codec.yaml');
  writeFileSync(file, yaml.replace(device, 'serial: VPHONE0001, screenrecord: no-codec }'));
  return file;
}

/** The API calls the page sends, by method, with when each was sent. */
function recordCalls(page: Page): Array<{ method: string; at: number }> {
  const calls: Array<{ method: string; at: number }> = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => {
    const msg = JSON.parse(String(f.payload)) as { method?: string };
    if (msg.method) calls.push({ method: msg.method, at: Date.now() });
  }));
  return calls;
}

async function openScreen(page: Page, serial: string): Promise<void> {
  const row = page.locator(`[data-testid=device-row][data-serial="${serial}"]`);
  await expect(row.getByTestId('device-model')).not.toHaveText('—', { timeout: 5000 });
  await row.getByTestId('open-device').click();
  await page.getByTestId('tab-screen').click();
}

const painted = (page: Page): Promise<number> => page.getByTestId('live-screen').evaluate((c) => Number(c.getAttribute('data-painted')));

/** A small grey thumbnail of what the canvas shows now (to tell one picture from another). */
const thumbnail = (page: Page): Promise<number[]> => page.getByTestId('live-screen').evaluate((c: HTMLCanvasElement) => {
  const t = document.createElement('canvas');
  t.width = 27;
  t.height = 60;
  const g = t.getContext('2d', { willReadFrequently: true })!;
  g.drawImage(c, 0, 0, t.width, t.height);
  const d = g.getImageData(0, 0, t.width, t.height).data;
  const out: number[] = [];
  for (let i = 0; i < d.length; i += 4) out.push(Math.round((d[i]! + d[i + 1]! + d[i + 2]!) / 3));
  return out;
});

test('the live screen shows the H.264 stream (no screenshots meanwhile); a tap on it changes the picture', async ({ page, workbench, consoleErrors }) => {
  const calls = recordCalls(page);
  const phone = await workbench.startPhone('compliant-app');
  await page.goto(workbench.url);
  await openScreen(page, phone.serial);
  const screen = page.getByTestId('live-screen');
  await expect(screen).toHaveAttribute('data-source', 'video', { timeout: 10_000 });
  await expect(page.getByTestId('screen-source')).toHaveText("Video: the phone's H.264 stream");
  await expect(page.getByTestId('fps')).toContainText('H.264 video');
  // Taps map to the phone's own pixels, whatever size the stream is.
  await expect(screen).toHaveAttribute('data-width', '1080');
  await expect(screen).toHaveAttribute('data-height', '2400');
  const videoSince = Date.now();
  const decodedAt = async (): Promise<number> => Number(await screen.getAttribute('data-decoded'));

  // The launcher; launching the app changes the screen, and so the stream: more pictures decoded.
  const before = await decodedAt();
  await page.getByTestId('tab-apps').click();
  await page.locator('[data-testid=app-list] li[data-package="com.demo.compliant"]').getByRole('button', { name: 'Launch' }).click();
  await page.getByTestId('tab-screen').click();
  await expect.poll(decodedAt, { timeout: 10_000 }).toBeGreaterThan(before);

  // Tap 同意 where it is drawn ([60,1180][1020,1320] in the scenario): the picture changes, timed.
  await expect.poll(async () => (await thumbnail(page)).some((v) => v > 0), { timeout: 5000 }).toBe(true);
  await page.waitForTimeout(500);
  const still = await thumbnail(page);
  const box = (await screen.boundingBox())!;
  const tappedAt = Date.now();
  await screen.click({ position: { x: (540 / 1080) * box.width, y: (1250 / 2400) * box.height } });
  await expect.poll(async () => {
    const now = await thumbnail(page);
    return now.filter((v, i) => Math.abs(v - still[i]!) > 24).length;
  }, { timeout: 5000, intervals: [20] }).toBeGreaterThan(50);
  const latency = Date.now() - tappedAt;
  console.log(`tap → changed picture on the page: ${latency} ms (measured through Playwright's polling)`);
  expect(latency).toBeLessThan(2000);
  await page.locator('[data-testid=ui-node][data-text="首页"]').waitFor({ timeout: 5000 }).catch(() => undefined);
  await screenshot(page, 'live-video-en');

  expect(await painted(page)).toBeGreaterThan(0);
  // Not one screenshot was asked for while the video showed.
  expect(calls.filter((c) => c.method === 'device.screenshot' && c.at > videoSince)).toEqual([]);
  // The watch is renewed within its lease.
  expect(calls.filter((c) => c.method === 'screen.watch').length).toBeGreaterThan(1);
  expect(consoleErrors).toEqual([]);
});

test.describe('in Chinese', () => {
  test.use({ locale: 'zh-CN' });
  test('a hidden page lets the watch go and takes it again when shown; leaving the tab unwatches', async ({ page, workbench }) => {
    const calls = recordCalls(page);
    const phone = await workbench.startPhone('compliant-app');
    await page.goto(workbench.url);
    await openScreen(page, phone.serial);
    await expect(page.getByTestId('live-screen')).toHaveAttribute('data-source', 'video', { timeout: 10_000 });
    await expect(page.getByTestId('screen-source')).toHaveText('视频：手机的 H.264 视频流');
    await expect(page.getByTestId('fps')).toContainText('H.264 视频');
    await screenshot(page, 'live-video-zh');
    const count = (m: string): number => calls.filter((c) => c.method === m).length;
    // What the browser does when the window is minimised or another tab is in front.
    const setHidden = (hidden: boolean): Promise<void> => page.evaluate((h) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
    await setHidden(true);
    await expect.poll(() => count('screen.unwatch')).toBe(1);
    const watches = count('screen.watch');
    await page.waitForTimeout(3000);
    // No renewal while hidden: the core may stop the stream.
    expect(count('screen.watch')).toBe(watches);
    await setHidden(false);
    await expect.poll(() => count('screen.watch')).toBeGreaterThan(watches);
    await page.getByTestId('tab-details').click();
    await expect.poll(() => count('screen.unwatch')).toBe(2);
  });
});

test.describe('where the phone refuses screenrecord', () => {
  test.use({ locale: 'zh-CN' });
  test('the screen shows screenshots and says why, in Chinese', async ({ page, workbench }) => {
    const calls = recordCalls(page);
    const phone = await workbench.startPhone(refusingScenario());
    await page.goto(workbench.url);
    await openScreen(page, phone.serial);
    const screen = page.getByTestId('live-screen');
    await expect(page.getByTestId('screen-source')).toHaveAttribute('data-source', 'screenshots', { timeout: 15_000 });
    await expect(page.getByTestId('screen-source')).toContainText('截图');
    await expect(page.getByTestId('screen-source')).toContainText('手机未提供视频流');
    await expect(screen).toHaveAttribute('data-source', 'screenshots');
    await expect(screen).toHaveAttribute('data-width', '1080');
    const shots = calls.filter((c) => c.method === 'device.screenshot').length;
    await expect.poll(() => calls.filter((c) => c.method === 'device.screenshot').length).toBeGreaterThan(shots + 3);
    await screenshot(page, 'live-video-refused-zh');
  });
});

test.describe('in a page without WebCodecs', () => {
  test('the screen shows screenshots, says so in English and Chinese, and never watches the stream', async ({ browser, workbench }) => {
    const phone = await workbench.startPhone('compliant-app');
    for (const [locale, said] of [['en-US', 'This window cannot decode video (no WebCodecs).'], ['zh-CN', '此窗口无法解码视频（不支持 WebCodecs）。']] as const) {
      const context = await browser.newContext({ locale, viewport: { width: 1366, height: 768 } });
      await context.addInitScript(() => {
        delete (globalThis as { VideoDecoder?: unknown }).VideoDecoder;
      });
      const page = await context.newPage();
      const calls = recordCalls(page);
      await page.goto(workbench.url);
      await openScreen(page, phone.serial);
      await expect(page.getByTestId('screen-source')).toContainText(said);
      await expect(page.getByTestId('live-screen')).toHaveAttribute('data-source', 'screenshots', { timeout: 10_000 });
      await expect(page.getByTestId('fps')).toBeVisible();
      expect(calls.filter((c) => c.method === 'screen.watch')).toEqual([]);
      await screenshot(page, `live-video-no-webcodecs-${locale}`);
      await context.close();
    }
  });
});
