/**
 * electron-vite builds three targets: main (Electron entry + the `apprights` CLI, CommonJS so adbkit loads
 * as it is), the sandboxed preload (CJS, nothing externalized, tiny) and the React renderer.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './src-main/host/content-security-policy';

/** Writes the one CSP definition (also sent as a header by Electron and browser mode) into index.html. */
function contentSecurityPolicy(): Plugin {
  return { name: 'apprights-csp', transformIndexHtml: (html) => html.replace('__CONTENT_SECURITY_POLICY__', CONTENT_SECURITY_POLICY) };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Bundled rather than required from node_modules: a command starts faster when these pure-JS libraries
      // are one file each instead of hundreds (zod 48 -> 35 ms; pkijs + asn1js 38 -> ~20 ms).
      externalizeDeps: { exclude: ['zod', 'yaml', 'asn1js', 'pkijs', 'sm-crypto'] },
      rollupOptions: {
        input: { index: resolve('src-main/index.ts'), cli: resolve('src-main/cli/index.ts'), 'apk-worker': resolve('src-main/core/apk/analysis-worker.ts'), 'apk-hash-thread': resolve('src-main/core/apk/hash-thread.ts'), 'template-thread': resolve('src-main/core/checklist/template-thread.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src-preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    // The UI's Chinese fallback font (Noto Sans SC, OFL), served with the renderer: the package's exports map
    // does not list its font files, so they are reached by path.
    // monaco-yaml's worker helper imports monaco's worker by its pre-0.55 path, which the exports map of
    // monaco-editor 0.57 no longer resolves: point it at the file.
    resolve: {
      alias: {
        '@noto-sans-sc': resolve('node_modules/@embedpdf/fonts-sc/fonts/NotoSansHans-Regular.otf'),
        'monaco-editor/esm/vs/editor/editor.worker.js': resolve('node_modules/monaco-editor/esm/vs/editor/editor.worker.js'),
      },
    },
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
    },
    plugins: [react(), contentSecurityPolicy()],
  },
});
