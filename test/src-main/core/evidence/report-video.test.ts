/**
 * report.html's screen recording, opened as a reader opens it: the package unzipped, report.html loaded from a
 * file: URL in Debian's Chromium (nothing of ours running). The segments (real fMP4 from ffmpeg) play one after
 * another; "play from here" on a timeline event and on a finding seeks to the segment that holds the moment and
 * 3 s before it; a moment in a gap has no link (a finding says there is no video then); the page's CSP lets the
 * player script and the package's own media through and nothing else; the section has no English outside
 * lang="en"/<code>; in print the player and links are hidden and the segment list stays — and the PDF builds.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../../src-preload/checklist.js';
import { findingsXlsx } from '../../../../src-main/core/checklist/findings-export.js';
import { chromiumPrinter } from '../../../../src-main/core/evidence/chromium-pdf.js';
import { exportPackage, IdentityStore } from '../../../../src-main/core/evidence/index.js';
import { reportPdf } from '../../../../src-main/core/evidence/report-pdf.js';
import { LEAD_SECONDS } from '../../../../src-main/core/evidence/report-video.js';
import { describeFindings, findEnglish } from '../../../e2e/zh-dom-check.js';
import { PASSPHRASE, TOOL } from '../../../support/evidence-fixtures.js';
import { videoSession, type VideoSessionLayout } from '../../../support/video-session.js';

let root: string;
let layout: VideoSessionLayout;
let pkg: string;
let url: string;
let browser: Browser;

function finding(item: string, evidence: number[]): Finding {
  return {
    item, clauses: ['164号文'], title: { zh: `检测项 ${item}`, en: `Item ${item}` }, observation: 'AUTO', severity: 'high', stages: ['first-launch'], toVerify: false,
    proposal: { item, status: 'violation', evidence, explanation: { zh: '拒绝后仍读取', en: 'read after the decline' } }, verdict: null, verdictNote: null, verdictSeq: null, attachments: [],
  };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'report-video-'));
  layout = await videoSession(join(root, 'session'));
  const store = new IdentityStore(join(root, 'data'));
  const id = (await store.createSelfSigned('张三', PASSPHRASE)).id;
  const findings = [finding('164-1.1', [layout.inside.seq]), finding('164-1.2', [layout.outside.seq])];
  const out = await exportPackage({
    sessionDir: layout.dir, out: join(root, 'video.zip'), identity: await store.unlock(id, PASSPHRASE), national: false, compress: false, tsaUrl: null, tool: TOOL,
    checklist: { template: { id: 'miit-164', version: '1', sha256: 'f'.repeat(64), title: { zh: '检测模板', en: 'Template' } }, findings, incomplete: null, xlsx: await findingsXlsx(findings, 'video') },
  });
  pkg = out.path;
  execFileSync('unzip', ['-q', pkg, '-d', join(root, 'x')]);
  url = pathToFileURL(join(root, 'x', 'report.html')).href;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  rmSync(root, { recursive: true, force: true });
});

/** The report open in a fresh page, with what the page logged, threw and requested. */
async function openReport(): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  // Every seek the player makes, with the file it was in — caught from the page's first script on (media events do
  // not bubble, but a capturing listener on the document sees them), so the player's own first seek to 0 is known.
  await page.addInitScript(() => {
    const w = window as unknown as { seeks: Array<[string, number]> };
    w.seeks = [];
    document.addEventListener('seeked', (ev) => {
      const v = ev.target as HTMLVideoElement;
      w.seeks.push([v.currentSrc, v.currentTime]);
    }, true);
  });
  await page.goto(url);
  // The player loads the first segment and seeks it to 0 by itself; a test's click must come after that seek, or
  // the seek is taken for the click's.
  await page.waitForFunction(() => {
    const v = document.getElementById('report-video') as HTMLVideoElement;
    return v.readyState >= 1 && !v.seeking && (window as unknown as { seeks: unknown[] }).seeks.length > 0;
  }, null, { timeout: 15_000 });
  return { page, problems, requests };
}

const state = (page: Page) => page.evaluate(() => {
  const v = document.getElementById('report-video') as HTMLVideoElement;
  return { src: v.currentSrc, time: v.currentTime, ready: v.readyState, paused: v.paused, now: document.getElementById('video-now')!.innerText };
});

/** Clicks a link, then waits for the seek it causes and says where the video went. */
async function seekBy(page: Page, selector: string): Promise<[string, number]> {
  await page.evaluate(() => { (window as unknown as { seeks: unknown[] }).seeks.length = 0; });
  await page.locator(selector).click();
  await page.waitForFunction(() => (window as unknown as { seeks: unknown[] }).seeks.length > 0, null, { timeout: 15_000 });
  return page.evaluate(() => (window as unknown as { seeks: Array<[string, number]> }).seeks[0]!);
}

describe('report.html plays the screen recording', () => {
  it('plays the segments one after another from file:, showing which one', async () => {
    const { page, problems, requests } = await openReport();
    try {
      await page.locator('#video-segments tr[data-src] a.play').first().click();
      await page.waitForFunction(() => {
        const v = document.getElementById('report-video') as HTMLVideoElement;
        return v.readyState >= 2 && v.currentTime > 0.5;
      }, null, { timeout: 15_000 });
      const first = await state(page);
      expect(first.src.endsWith(layout.segments[0]!.file)).toBe(true);
      expect(first.paused).toBe(false);
      await page.waitForTimeout(600);
      expect((await state(page)).time).toBeGreaterThan(first.time);
      expect(first.now).toContain(layout.segments[0]!.file);
      expect(first.now).toMatch(/分段 1\/2/);
      // Near the end of the first segment: the second follows by itself.
      await page.evaluate(() => { (document.getElementById('report-video') as HTMLVideoElement).currentTime = 4.5; });
      await page.waitForFunction((file) => {
        const v = document.getElementById('report-video') as HTMLVideoElement;
        return v.currentSrc.endsWith(file) && v.currentTime > 0.2 && !v.paused;
      }, layout.segments[1]!.file, { timeout: 15_000 });
      expect((await state(page)).now).toMatch(/Segment 2\/2/);
      expect(problems).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('"play from here" on a timeline event and on a finding seeks to its segment, 3 s before it', async () => {
    const { page, problems } = await openReport();
    try {
      const expected = layout.inside.offset - LEAD_SECONDS;
      const wanted = layout.segments[layout.inside.segment]!.file;
      const [src, time] = await seekBy(page, `tr#e${layout.inside.seq} a.play`);
      expect(src.endsWith(wanted)).toBe(true);
      expect(Math.abs(time - expected)).toBeLessThan(0.5);
      // Back to the first segment, then the finding's link: it loads the other segment and seeks.
      await seekBy(page, '#video-segments tr[data-src] a.play >> nth=0');
      expect((await state(page)).src.endsWith(layout.segments[0]!.file)).toBe(true);
      const [fsrc, ftime] = await seekBy(page, 'table.findings a.play');
      expect(fsrc.endsWith(wanted)).toBe(true);
      expect(Math.abs(ftime - expected)).toBeLessThan(0.5);
      await page.waitForFunction(() => !(document.getElementById('report-video') as HTMLVideoElement).paused, null, { timeout: 10_000 });
      // A moment in the gap between segments: no link; its finding says there is no video then.
      expect(await page.locator(`tr#e${layout.outside.seq} a.play`).count()).toBe(0);
      const rows = page.locator('table.findings tr');
      await expect.poll(() => rows.filter({ hasText: '164-1.2' }).innerText()).toContain('此刻无录屏');
      expect(await rows.filter({ hasText: '164-1.2' }).locator('a.play').count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('the video section reads in Chinese (English only marked as such), and gaps say why in both languages', async () => {
    const { page } = await openReport();
    try {
      const found = await findEnglish(page, undefined, '#video-section');
      expect(found, describeFindings('report video section', found)).toEqual([]);
      const links = await findEnglish(page, undefined, 'table.timeline');
      expect(links, describeFindings('report timeline', links)).toEqual([]);
      const section = await page.locator('#video-section').innerText();
      expect(section).toContain('录屏重新启动');
      expect(section).toContain('screenrecord restarted');
      for (const s of layout.segments) expect(section).toContain(s.sha256);
      mkdirSync('test-results', { recursive: true });
      await page.locator('#video-section').screenshot({ path: join('test-results', 'report-video-section.png') });
      // The check can fail: an unmarked English word in the section is found.
      await page.evaluate(() => { document.querySelector('#video-section p')!.append(' segments play here'); });
      expect((await findEnglish(page, undefined, '#video-section')).flatMap((f) => f.words)).toContain('segments');
    } finally {
      await page.close();
    }
  }, 60_000);

  it('in print the player and the links are hidden, the segments with their hashes stay; the PDF builds', async () => {
    const { page } = await openReport();
    try {
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('#report-video').isVisible()).toBe(false);
      expect(await page.locator('a.play:visible').count()).toBe(0);
      expect(await page.locator('#video-segments').isVisible()).toBe(true);
      await page.locator('#video-section').screenshot({ path: join('test-results', 'report-video-print.png') });
    } finally {
      await page.close();
    }
    const { pdf } = await reportPdf(pkg, chromiumPrinter());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    writeFileSync(join(root, 'report.pdf'), pdf);
    // The PDF's text in reading order; a hash wraps inside its cell, so whitespace is dropped before looking for it.
    const text = execFileSync('pdftotext', [join(root, 'report.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('屏幕录像');
    for (const s of layout.segments) expect(text).toContain(s.sha256);
    expect(text).not.toContain('从此处播放');
  }, 90_000);
});
