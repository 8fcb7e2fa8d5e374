/**
 * The renderer's Content-Security-Policy, one definition for the Electron window, browser mode and the
 * <meta> tag the build writes into index.html. Nothing may load from another origin and no inline script
 * runs. Inline styles are allowed: xterm's renderer (and monaco, later) set style attributes and <style>
 * elements at run time; styles cannot run code. frame-ancestors only works as a header, so it is added
 * there and left out of the <meta> tag.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;
