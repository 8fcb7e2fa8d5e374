// Chinese on a machine with no CJK font (a bare Linux laptop): Chromium is started with a fontconfig that sees
// only Latin fonts, and the zh-CN labels must be drawn with the workbench's own Noto Sans SC, served by the
// workbench itself — Chrome's DevTools protocol says which font drew each label.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';

test('zh-CN labels are drawn with the bundled font when the system has no CJK font', async ({ playwright, workbench }) => {
  const dir = mkdtempSync(join(tmpdir(), 'latin-only-fonts-'));
  writeFileSync(join(dir, 'fonts.conf'), `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>${dir}/cache</cachedir></fontconfig>
`);
  const browser = await playwright.chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: { ...process.env, FONTCONFIG_FILE: join(dir, 'fonts.conf') },
  });
  try {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    const font = page.waitForResponse((r) => /NotoSansHans-Regular.*\.otf/.test(r.url()) && r.status() === 200);
    await page.goto(workbench.url);
    await expect(page.getByTestId('nav-devices')).toHaveText('设备');
    expect((await font).headers()['content-type']).toBe('font/otf');
    await page.waitForFunction(() => [...document.fonts].some((f) => f.family.includes('AppRights CJK') && f.status === 'loaded'));
    const cdp = await context.newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    for (const selector of ['[data-testid=nav-devices]', '[data-testid=nav-evidence]', 'h1']) {
      const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      const cjk = fonts.filter((f) => f.isCustomFont);
      expect(cjk.length, `${selector} drawn with a bundled font: ${JSON.stringify(fonts)}`).toBeGreaterThan(0);
      expect(cjk.reduce((n, f) => n + f.glyphCount, 0)).toBeGreaterThanOrEqual(2);
    }
    await context.close();
  } finally {
    await browser.close();
  }
});
