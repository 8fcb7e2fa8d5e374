/**
 * Benchmark (not a test gate): the Logs page in Debian Chromium (browser mode) while the phone logs 10,000
 * lines per second for 8 s. Reports how many lines the page received and how many it was told it missed,
 * the longest gap between animation frames (a frozen page shows long gaps), and how fast a click on Pause
 * takes effect — next to an idle page measured the same way in the same run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startAdbServer } from '../support/adb-server.js';
import { lineOf } from './support/cli-line.js';

const root = join(__dirname, '..', '..');
const cli = join(root, 'bin', 'apprights.cjs');

/** Longest gap between animation frames over `ms` (given as source text: tsx's helpers must not reach the page). */
async function frameGaps(page: Page, ms: number): Promise<{ maxGap: number; frames: number }> {
  return page.evaluate(`new Promise((resolve) => {
    let last = performance.now(), maxGap = 0, frames = 0;
    const end = last + ${ms};
    const tick = (now) => {
      maxGap = Math.max(maxGap, now - last); last = now; frames++;
      if (now < end) requestAnimationFrame(tick); else resolve({ maxGap: Math.round(maxGap), frames });
    };
    requestAnimationFrame(tick);
  })`);
}

async function main(): Promise<void> {
  const adb = await startAdbServer();
  const serve = spawn(process.execPath, [cli, 'serve', '--data-dir', mkdtempSync(join(tmpdir(), 'flood-'))], { env: adb.env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await lineOf(serve, /Open \/ 打开: (\S+)/);
  const phone = spawn(process.execPath, [cli, 'virtual-device', '--scenario', join(root, 'test/fixtures/scenarios/log-flood.yaml'), '--connect'], { env: adb.env, stdio: ['ignore', 'pipe', 'inherit'] });
  const serial = await lineOf(phone, /serial=(\S+)/);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  let received = 0;
  let dropped = 0;
  page.on('websocket', (ws) => ws.on('framereceived', (f) => {
    const msg = JSON.parse(String(f.payload)) as { kind: string; batch?: Array<{ event: string; items: Array<{ lines: unknown[]; dropped: number }> }> };
    for (const b of msg.batch ?? []) if (b.event === 'logLines') for (const i of b.items) {
      received += i.lines.length;
      dropped += i.dropped;
    }
  }));
  await page.goto(url);
  await page.getByTestId('nav-logs').click();
  await page.getByTestId('monitor-device').selectOption({ value: serial });
  await page.getByTestId('monitor-package').fill('com.bench.flood');
  await page.getByTestId('monitor-start').click();
  await page.getByTestId('monitor-status').waitFor();
  const idle = await frameGaps(page, 2000);
  await adb.adb(['-s', serial, 'shell', 'monkey', '-p', 'com.bench.flood', '-c', 'android.intent.category.LAUNCHER', '1']);
  await new Promise((r) => setTimeout(r, 1000));
  const flood = await frameGaps(page, 6000);
  const t = Date.now();
  await page.getByTestId('pause').click();
  await page.getByTestId('pause').getByText('Follow').waitFor();
  const pauseMs = Date.now() - t;
  await adb.adb(['-s', serial, 'shell', 'am', 'force-stop', 'com.bench.flood']);
  console.log(`UI under a 10,000 lines/s flood: received ${received.toLocaleString('en-US')} lines, told of ${dropped.toLocaleString('en-US')} not sent`);
  console.log(`  animation frames: idle max gap ${idle.maxGap} ms (${idle.frames} frames in 2 s); flooded max gap ${flood.maxGap} ms (${flood.frames} frames in 6 s)`);
  console.log(`  a click on Pause took effect in ${pauseMs} ms during the flood`);
  await browser.close();
  phone.kill('SIGINT');
  serve.kill('SIGINT');
  await adb.kill();
}

void main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
