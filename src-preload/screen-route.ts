/**
 * The detached live-screen window's route: the renderer's own page with `#screen/<serial>`. The renderer
 * reads it to show only the phone; Electron's main process allows window.open of exactly this route (parsed,
 * same page as the workbench window) and nothing else. No runtime dependencies: imported by both sides.
 */
const PREFIX = '#screen/';
/** A device serial as the bridge accepts it: printable ASCII, no spaces. */
const SERIAL = /^[\x21-\x7e]{1,300}$/;

export function screenRoute(serial: string): string {
  return `${PREFIX}${encodeURIComponent(serial)}`;
}

/** The serial named by a location hash, or null when the hash is not exactly a screen route. */
export function parseScreenRoute(hash: string): string | null {
  if (!hash.startsWith(PREFIX)) return null;
  let serial: string;
  try {
    serial = decodeURIComponent(hash.slice(PREFIX.length));
  } catch {
    return null;
  }
  return SERIAL.test(serial) ? serial : null;
}

/**
 * Whether `url` is the screen route on the workbench's own page `pageUrl`: same protocol, host and path, no
 * query, a valid screen hash. Anything else (another page, another origin, credentials, a query) is not.
 */
export function isScreenWindowUrl(url: string, pageUrl: string): boolean {
  let u: URL;
  let page: URL;
  try {
    u = new URL(url);
    page = new URL(pageUrl);
  } catch {
    return false;
  }
  return u.protocol === page.protocol && u.host === page.host && u.pathname === page.pathname && u.username === '' && u.password === ''
    && u.search === '' && parseScreenRoute(u.hash) !== null;
}
