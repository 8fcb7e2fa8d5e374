/**
 * Where the tester's Chromium-family browser is, for printing report.html to PDF outside Electron: the path the
 * tester names (--chromium, APPRIGHTS_CHROMIUM, or CHROMIUM_PATH as the e2e tests use), else the usual install
 * places of Chromium, Chrome and Edge (Edge comes with every Windows 10/11). Only files that exist are returned.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function chromiumCandidates(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string[] {
  const named = [env.APPRIGHTS_CHROMIUM, env.CHROMIUM_PATH].filter((p): p is string => !!p);
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((p): p is string => !!p);
    return [...named, ...roots.flatMap((r) => [join(r, 'Google', 'Chrome', 'Application', 'chrome.exe'), join(r, 'Chromium', 'Application', 'chrome.exe'), join(r, 'Microsoft', 'Edge', 'Application', 'msedge.exe')])];
  }
  if (platform === 'darwin') {
    return [...named, '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge'];
  }
  return [...named, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/usr/bin/microsoft-edge', '/snap/bin/chromium'];
}

/** The first browser found, or null: the caller says how to get one. */
export function findChromium(given: string | null = null, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  if (given) return existsSync(given) ? given : null;
  return chromiumCandidates(env, platform).find((p) => existsSync(p)) ?? null;
}
