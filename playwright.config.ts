/**
 * Browser-mode end-to-end tests: Debian's Chromium (never a downloaded browser) drives the real UI served by
 * `apprights serve` against the real core, a private adb server and the virtual phone.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    // A 13-inch laptop, as field inspectors use: every page must work at this size.
    viewport: { width: 1366, height: 768 },
    locale: 'en-US',
  },
});
