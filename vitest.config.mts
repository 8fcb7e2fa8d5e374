import { defineConfig } from 'vitest/config';

// Unit and integration tests of the Electron-free core. Browser e2e runs under Playwright (test/e2e).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Device tests share one adb server per file; keep files parallel but bounded on 2 cores.
    maxWorkers: 2,
  },
});
