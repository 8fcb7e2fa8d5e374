/**
 * Benchmark (not a test gate): the live screen in Debian Chromium (browser mode, the real core, the virtual phone
 * through a private adb server) as video (the phone's H.264 stream decoded with WebCodecs) against screenshots
 * (the same page with WebCodecs removed, so it falls back to PNG polling), in the same run: distinct pictures
 * painted per second while the phone scrolls its privacy policy under swipes made on the live screen, and a tap
 * on the live screen → the first changed picture painted, p50/p95. Both are measured in the page the same way:
 * each animation frame a 27×60 thumbnail of what is shown is compared with the last one. Goal: video ≥ 25 fps
 * and tap p95 ≤ 150 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startAdbServer } from '../support/adb-server.js';
import { lineOf } from './support/cli-line.js';

const root = join(__dirname, '..', '..');
const cli = join(root, 'bin', 'apprights.cjs');
const TAPS = Number(process.env.BENCH_TAPS ?? 12);
const SWIPES = 12;

/**
 * The page's sampler (source text: tsx's helpers must not reach the page): every animation frame, a thumbnail of
 * the live screen; a picture counts as changed when more than 1% of its thumbnail moved by more than 16 levels.
 * Clicks on the screen are timed at pointerup, where the page sends the tap.
 */
const SAMPLER = `(() => {
  const t = document.createElement('canvas'); t.width = 27; t.height = 60;
  const g = t.getContext('2d', { willReadFrequently: true });
  let last = null;
  const s = window.__sampler = { changes: [], taps: [], sources: {} };
  document.addEventListener('pointerup', () => s.taps.push(performance.now()), true);
  const tick = (now) => {
    const el = document.querySelector('[data-testid=live-screen]');
    const src = el ? el.getAttribute('data-source') : 'none';
    s.sources[src] = (s.sources[src] || 0) + 1;
    if (el && (el.tagName !== 'IMG' || el.complete)) {
      g.drawImage(el, 0, 0, t.width, t.height);
      const d = g.getImageData(0, 0, t.width, t.height).data;
      if (last) {
        let moved = 0;
        for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - last[i]) + Math.abs(d[i + 1] - last[i + 1]) + Math.abs(d[i + 2] - last[i + 2]) > 48) moved++;
        if (moved > d.length / 400) s.changes.push(now);
      }
      last = d;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

/** ms from the last tap to the first changed picture after it (polled: the page's CSP forbids waitForFunction's eval). */
async function tapToChange(page: Page, before: number): Promise<number> {
  const probe = `(() => { const s = window.__sampler; const tap = s.taps[s.taps.length - 1]; const c = s.changes.slice(${before}).find((t) => t > tap); return c === undefined ? null : c - tap; })()`;
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    const r = (await page.evaluate(probe)) as number | null;
    if (r !== null) return r;
    await new Promise((res) => setTimeout(res, 20));
  }
  return NaN;
}

interface Figures {
  source: string;
  scrollFps: number;
  tapMs: number[];
}

const pct = (a: number[], p: number): number => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor((a.length * p) / 100))]!;

async function measure(browser: Browser, url: string, serial: string, adb: (args: string[]) => Promise<unknown>, video: boolean): Promise<Figures> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
  if (!video) await context.addInitScript('delete globalThis.VideoDecoder');
  const page: Page = await context.newPage();
  await page.goto(url);
  const row = page.locator(`[data-testid=device-row][data-serial="${serial}"]`);
  await row.getByTestId('open-device').click();
  await page.getByTestId('tab-screen').click();
  const screen = page.getByTestId('live-screen');
  await screen.waitFor({ timeout: 15_000 });
  if (video) await page.locator('[data-testid=live-screen][data-source=video]').waitFor({ timeout: 15_000 }).catch(() => undefined);
  const source = (await screen.getAttribute('data-source')) ?? '?';
  // The app's consent dialog, fresh.
  await adb(['-s', serial, 'shell', 'pm', 'clear', 'com.demo.compliant']);
  await adb(['-s', serial, 'shell', 'monkey', '-p', 'com.demo.compliant', '-c', 'android.intent.category.LAUNCHER', '1']);
  await page.waitForTimeout(1500);
  await page.evaluate(SAMPLER);
  const at = async (x: number, y: number): Promise<{ x: number; y: number }> => {
    await screen.waitFor({ timeout: 10_000 }).catch(() => undefined);
    const box = await screen.boundingBox();
    if (!box) throw new Error(`no live screen: ${await page.evaluate('JSON.stringify(window.__sampler.sources)')} ${await page.getByTestId('screen-source').textContent().catch(() => '')}`);
    return { x: box.x + (x / 1080) * box.width, y: box.y + (y / 2400) * box.height };
  };

  // Taps: the policy link on the dialog opens the policy; its Back button returns to the dialog.
  const tapMs: number[] = [];
  for (let i = 0; i < TAPS; i++) {
    const p = await at(540, i % 2 ? 2285 : 1070);
    const before = await page.evaluate('window.__sampler.changes.length') as number;
    await page.mouse.click(p.x, p.y);
    const r = await tapToChange(page, before);
    tapMs.push(r);
    if (process.env.BENCH_DEBUG) console.log('tap', i, r, await page.evaluate('JSON.stringify({ c: window.__sampler.changes.length, t: window.__sampler.taps.length })'));
    // Let the screen settle (the next tap's target must be drawn).
    await page.waitForTimeout(700);
  }

  // Scrolling: the policy (left open by the odd number of taps above? open it now if not), swiped up and down.
  if (TAPS % 2 === 0) {
    const p = await at(540, 1070);
    await page.mouse.click(p.x, p.y);
    await page.waitForTimeout(1000);
  }
  const from = await page.evaluate('performance.now()') as number;
  const firstChange = await page.evaluate('window.__sampler.changes.length') as number;
  for (let i = 0; i < SWIPES; i++) {
    const up = Math.floor(i / 3) % 2 === 0;
    const a = await at(540, up ? 1900 : 700);
    const b = await at(540, up ? 700 : 1900);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 8 });
    await page.waitForTimeout(400);
    await page.mouse.up();
    // The phone animates the scroll over the swipe's duration (~450 ms).
    await page.waitForTimeout(500);
  }
  const to = await page.evaluate('performance.now()') as number;
  const changes = (await page.evaluate(`window.__sampler.changes.slice(${firstChange})`)) as number[];
  const endSource = await screen.getAttribute('data-source').catch(() => null);
  if (endSource !== source) console.log(`  (the ${source} page ended on ${endSource}: ${await page.getByTestId('screen-source').textContent().catch(() => '')})`);
  if (process.env.BENCH_DEBUG) console.log(source, 'changes while swiping', changes.filter((c) => c >= from && c <= to).map((c) => Math.round(c - from)).join(' '), await page.evaluate('JSON.stringify(window.__sampler.sources)'), await page.getByTestId('live-screen').getAttribute('data-decoded'));
  await context.close();
  // Pictures per second while the picture moves: changes over the time they span in each swipe's burst.
  return { source, scrollFps: scrollRate(changes.filter((c) => c >= from && c <= to)), tapMs };
}

/** Changes per second inside bursts (gaps over 250 ms split bursts: the finger between two swipes). */
function scrollRate(changes: number[]): number {
  let frames = 0;
  let span = 0;
  let start = changes[0];
  let prev = changes[0];
  let n = 1;
  for (const c of changes.slice(1).concat([Infinity])) {
    if (c - prev! > 250) {
      if (n > 2) {
        frames += n - 1;
        span += prev! - start!;
      }
      start = c;
      n = 1;
    } else n++;
    prev = c;
  }
  return span > 0 ? (frames * 1000) / span : 0;
}

async function main(): Promise<void> {
  const children: ChildProcess[] = [];
  try {
    await run(children);
  } finally {
    for (const c of children) c.kill('SIGKILL');
  }
}

async function run(children: ChildProcess[]): Promise<void> {
  const adb = await startAdbServer();
  const serve = spawn(process.execPath, [cli, 'serve', '--data-dir', mkdtempSync(join(tmpdir(), 'live-screen-'))], { env: adb.env, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(serve);
  const url = await lineOf(serve, /Open \/ 打开: (\S+)/);
  const phone = spawn(process.execPath, [cli, 'virtual-device', '--scenario', 'compliant-app', '--connect'], { env: adb.env, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(phone);
  const serial = await lineOf(phone, /serial=(\S+)/);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const shell = (args: string[]): Promise<unknown> => adb.adb(args);
  // Screenshots first, then video, in the same run on the same phone.
  const png = await measure(browser, url, serial, shell, false);
  const vid = await measure(browser, url, serial, shell, true);
  for (const f of [png, vid]) {
    const ok = f.tapMs.filter((x) => Number.isFinite(x));
    console.log(`live screen as ${f.source}: ${f.scrollFps.toFixed(1)} pictures/s while scrolling; tap → changed picture p50 ${pct(ok, 50).toFixed(0)} ms, p95 ${pct(ok, 95).toFixed(0)} ms (${ok.length}/${f.tapMs.length} taps seen)`);
  }
  if (vid.source === 'video') {
    const vOk = vid.tapMs.filter((x) => Number.isFinite(x));
    const pOk = png.tapMs.filter((x) => Number.isFinite(x));
    console.log(`video vs screenshots: ${(vid.scrollFps / Math.max(png.scrollFps, 0.1)).toFixed(2)}× the pictures per second, tap p95 ratio ${(pct(vOk, 95) / pct(pOk, 95)).toFixed(2)} (goal: ≥ 25 fps, p95 ≤ 150 ms)`);
  } else console.log('video: the page fell back to screenshots (no H.264 stream from the core): no video figures');
  await browser.close();
  phone.kill('SIGINT');
  serve.kill('SIGINT');
  await adb.kill();
}

void main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
