/**
 * The one error type of the workbench. Every failure that may reach a user carries a stable code,
 * an i18n message key (resolved by the renderer or CLI in the user's language) and plain details.
 * It crosses the bridge as data (see toBridgeError), never as a lost exception.
 */
export type ErrorCode =
  | 'bridge.unknown-method'
  | 'bridge.invalid-arguments'
  | 'bridge.message-too-large'
  | 'bridge.malformed-message'
  | 'bridge.forbidden-sender'
  | 'bridge.slow-client'
  | 'adb.not-found'
  | 'adb.server-unavailable'
  | 'adb.command-failed'
  | 'adb.timeout'
  | 'adb.connect-failed'
  | 'adb.device-not-found'
  | 'adb.device-lost'
  | 'settings.invalid'
  | 'settings.adb-not-found'
  | 'settings.adb-unsafe'
  | 'settings.data-dir-busy'
  | 'scenario.invalid'
  | 'scenario.not-found'
  | 'template.invalid'
  | 'template.not-found'
  | 'virtual-device.not-running'
  | 'monitor.stopped'
  | 'monitor.unreadable-log'
  | 'virtual-device.port-in-use'
  | 'virtual-device.unknown-profile'
  /** The virtual phone's H.264 encoder was given a size or a frame it cannot code (a caller's bug). */
  | 'virtual-device.encoder-refused'
  | 'apk.refused'
  | 'policy.refused'
  | 'policy.fetch-failed'
  | 'policy.capture-failed'
  | 'policy.not-found'
  /** A page (phone screen, web page) with images and no readable text: the tester gives the text. */
  | 'policy.no-text'
  | 'session.not-found'
  | 'session.busy'
  | 'session.corrupt'
  | 'session.write-failed'
  | 'session.not-recording'
  | 'session.file-refused'
  /** A tester's note longer than NOTE_MAX_CHARS (src-preload/note-limit.ts): refused whole, never cut. */
  | 'session.note-too-long'
  | 'evidence.identity-missing'
  | 'evidence.wrong-passphrase'
  | 'evidence.bad-pkcs12'
  | 'evidence.tsa-failed'
  | 'evidence.export-failed'
  | 'evidence.not-a-package'
  /** No Chromium, Chrome or Edge to print a report's PDF with: the message says how to get one. */
  | 'evidence.no-chromium'
  | 'evidence.pdf-failed'
  /** The phone did not take the proxy setting or the reverse (its own words in `reason`). */
  | 'network.phone-refused'
  /** Another live workbench holds the phone's proxy (its lease). */
  | 'network.busy'
  | 'network.not-on'
  | 'network.no-lan-address'
  | 'network.no-ca'
  | 'network.phone-away'
  /** The session's proxy could not start (its address or port taken, a limit out of range). */
  | 'network.proxy-failed'
  /** The phone gives no H.264 screen stream (its screenrecord refused): the screen falls back to screenshots. */
  | 'screen.unavailable'
  | 'screen.no-watch'
  /** The phone's H.264 stream held bytes that are not H.264, or a NAL unit beyond the bound: it is restarted. */
  | 'screen.stream-broken'
  | 'evidence.estimate-unavailable'
  /** A screen recording segment's bytes differ from what its timeline event recorded: the export stops. */
  | 'evidence.video-changed'
  /** The farm's Redis URL or farm name cannot be one (farm-connection.ts, farm-jobs.ts). */
  | 'farm.bad-address'
  /** The farm's Redis does not answer (its words in `message`, the password never in them). */
  | 'farm.unreachable'
  | 'farm.not-connected'
  /** The shared APK store's folder is not there on this host (a share not mounted). */
  | 'farm.store-missing'
  | 'farm.already-joined'
  /** A phone that cannot be offered to the farm (not ready, or recording a tester's session): `reason` says which. */
  | 'farm.phone-unavailable'
  /** The phone is offered to the farm: no session may start on it until the workbench leaves the farm. */
  | 'farm.phone-in-farm'
  /** Retry or cancel refused: the job is running, finished, not failed, or not there (`reason`). */
  | 'farm.job-refused'
  | 'internal';

export interface BridgeError {
  code: ErrorCode;
  messageKey: string;
  details: Record<string, string | number | boolean | null>;
}

export class WorkbenchError extends Error {
  readonly code: ErrorCode;
  readonly messageKey: string;
  readonly details: BridgeError['details'];

  constructor(code: ErrorCode, message: string, details: BridgeError['details'] = {}) {
    super(message);
    this.name = 'WorkbenchError';
    this.code = code;
    this.messageKey = `error.${code}`;
    this.details = details;
  }
}

/** Turns anything thrown into the data that crosses the bridge; unknown errors keep their message. */
export function toBridgeError(err: unknown): BridgeError {
  if (err instanceof WorkbenchError) {
    return { code: err.code, messageKey: err.messageKey, details: { ...err.details, message: err.message } };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', messageKey: 'error.internal', details: { message } };
}
