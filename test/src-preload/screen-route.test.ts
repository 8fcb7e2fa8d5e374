// The detached screen window's route: the one window.open Electron allows. Only the workbench's own page
// with a well-formed #screen/<serial> passes; everything a page could try to open instead is refused.
import { describe, expect, it } from 'vitest';
import { isScreenWindowUrl, parseScreenRoute, screenRoute } from '../../src-preload/screen-route.js';

const FILE_PAGE = 'file:///opt/AppRights/resources/app/out/renderer/index.html';
const DEV_PAGE = 'http://localhost:5173/';

describe('screen route', () => {
  it('round-trips serials as adb names them', () => {
    for (const serial of ['emulator-5554', '127.0.0.1:37125', 'R58M123ABC', 'adb-R58M123-abc._adb-tls-connect._tcp', 'a#b?c%d/e']) {
      expect(parseScreenRoute(screenRoute(serial))).toBe(serial);
    }
  });

  it('refuses hashes that are not exactly a screen route', () => {
    for (const hash of ['', '#session', '#screen', '#screen/', '#screens/x', '#screen/%E0%A4%A', '#screen/a%20b', '#screen/a%0Ab', `#screen/${'x'.repeat(301)}`]) {
      expect(parseScreenRoute(hash), hash).toBeNull();
    }
  });

  it('allows the route on the workbench page itself, file: or dev server', () => {
    expect(isScreenWindowUrl(`${FILE_PAGE}${screenRoute('emulator-5554')}`, FILE_PAGE)).toBe(true);
    expect(isScreenWindowUrl(`${DEV_PAGE}${screenRoute('127.0.0.1:5555')}`, DEV_PAGE)).toBe(true);
  });

  it('refuses another page, origin, query, credentials or scheme, and prefix look-alikes', () => {
    const route = screenRoute('emulator-5554');
    for (const url of [
      `file:///opt/AppRights/resources/app/out/renderer/other.html${route}`,
      `file:///tmp/evil/index.html${route}`,
      `${FILE_PAGE}?x=1${route}`,
      `${FILE_PAGE}#session`,
      FILE_PAGE,
      `http://localhost:5174/${route}`,
      `http://localhost:5173.evil.example/${route}`,
      `http://user:pw@localhost:5173/${route}`,
      `https://localhost:5173/${route}`,
      `javascript:alert(1)//${route}`,
      'not a url',
    ]) {
      expect(isScreenWindowUrl(url, url.startsWith('http') ? DEV_PAGE : FILE_PAGE), url).toBe(false);
    }
  });
});
