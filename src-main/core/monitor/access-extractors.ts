/**
 * Reads of personal data that app ops do not show, as the system logs them (each form below was seen in a real
 * capture; the sources are named in the tests): clipboard reads and denials, Wi-Fi connection info, cell info
 * through the telephony location check, the running-apps and running-tasks lists (REAL_GET_TASKS), and look-ups
 * of the advertising-id / OAID providers. (Package visibility's `AppsFilter … BLOCKED` lines are not read: a
 * real capture shows the system checking on apps' behalf at every install, which says nothing of the app.) Also the
 * identifier reads an app makes itself (a SecurityException or a reflection failure in its own process).
 */
import type { SensitiveData } from '../../../src-preload/monitor-events.js';
import type { LogLine } from './log-line.js';
import type { Extracted } from './extractors.js';

const access = (data: SensitiveData, outcome: 'allowed' | 'denied' | 'limited' | 'unknown', via: string, uid: number | null, packageName: string | null): Extracted =>
  ({ type: 'sensitive.access', data, outcome, via, uid, packageName });

/**
 * Advertising-id and OAID providers, by the intent action, package or content authority an app asks for. Names
 * from the SDKs that read them (Android_CN_OAID, MSA, the vendors' id services): a look-up logs only when it
 * fails (`Unable to start service …`, `Failed to find provider info for …`) or is refused.
 */
const ID_PROVIDERS: Array<[RegExp, string]> = [
  [/\bcom\.google\.android\.gms\.ads\.identifier\.service\.START\b/, 'Google advertising id'],
  [/\bcom\.uodis\.opendevice\.OPENIDS_SERVICE\b/, 'Huawei OAID'],
  [/\bcom\.hihonor\.id\.HnOaIdService\b/, 'Honor OAID'],
  [/\baction\.com\.heytap\.openid\.OPEN_ID_SERVICE\b|\bcom\.heytap\.openid\b/, 'OPPO/OnePlus OpenID'],
  [/\bcom\.vivo\.vms\.IdProvider\b/, 'vivo id provider'],
  [/\bcom\.meizu\.flyme\.openidsdk\b/, 'Meizu OpenID'],
  [/\bcom\.samsung\.android\.deviceidservice\b/, 'Samsung device id service'],
  [/\bcom\.zui\.deviceidservice\b/, 'Lenovo/ZUI device id service'],
  [/\bcom\.asus\.msa\.action\.ACCESS_DID\b/, 'ASUS MSA'],
  [/\bcom\.bun\.msa\.action\.bindto\.service\b|\bcom\.mdid\.msa\b/, 'MSA (移动安全联盟) OAID'],
  [/\bcom\.coolpad\.deviceidsupport\b/, 'Coolpad device id'],
];

function idProvider(text: string): string | null {
  for (const [re, name] of ID_PROVIDERS) if (re.test(text)) return name;
  return null;
}

/** The telephony location check names the method it guards; all of them reveal the cell the phone is in. */
const CELL_METHODS = /^(getAllCellInfo|getCellLocation|requestCellInfoUpdate\w*|getNeighboringCellInfo|getServiceState\w*|getSignalStrength\w*|listen\w*)$/;

export function sensitiveAccess(l: LogLine): Extracted | null {
  const msg = l.message;
  switch (l.tag) {
    case 'ClipboardService': {
      let m = /clipboardAccessAllowed:? op=(\d+)(?: \(\w+\))? result=(true|false)(?: callingPackage=([\w.]+))?/.exec(msg);
      if (m) return access('clipboard', m[2] === 'true' ? 'allowed' : 'denied', `op ${m[1]}`, null, m[3] ?? null);
      m = /^Denying clipboard access to ([\w.]+)/.exec(msg);
      if (m) return access('clipboard', 'denied', 'not in focus', null, m[1]!);
      return null;
    }
    case 'WifiService': {
      const m = /^(getConnectionInfo|getScanResults) uid=(\d+)/.exec(msg);
      return m ? access('wifi-info', 'allowed', m[1]!, Number(m[2]), null) : null;
    }
    case 'AdvertisingIdClient':
      // An advertising-id / OAID SDK asking the id service over AIDL (HMS, Google Play services).
      return /^requestAdvertisingIdInfo\b/.test(msg) ? access('oaid', 'unknown', 'AdvertisingIdClient', null, null) : null;
    case 'LocationAccessPolicy': {
      let m = /^Allowing ([\w.]+) (fine|coarse)\b.*?(?:Called from (\w+))?$/.exec(msg);
      if (m) return m[3] && !CELL_METHODS.test(m[3]) ? null : access('cell-info', 'allowed', m[3] ?? `${m[2]} location check`, null, m[1]!);
      m = /^([\w.]+) is aware of (fine|coarse) but the app-ops permission is specifically denied/.exec(msg);
      if (m) return access('cell-info', 'denied', `${m[2]} location app op`, null, m[1]!);
      return null;
    }
    case 'ActivityManager':
    case 'ActivityTaskManager': {
      let m = /^(get\w+): caller (\d+) does not hold REAL_GET_TASKS; limiting output/.exec(msg);
      if (m) return access(m[1] === 'getRunningAppProcesses' ? 'running-apps' : 'foreground-app', 'limited', m[1]!, Number(m[2]), null);
      m = /^(Unable to start service|Unable to bind service|Background start not allowed: service|Permission Denial:.*?) Intent \{([^}]*)\}/.exec(msg);
      const provider = m ? idProvider(m[2]!) : null;
      if (m && provider) {
        const uid = /mCallingUid=(\d+)/.exec(m[2]!);
        return access('oaid', m[1]!.startsWith('Unable') ? 'unknown' : 'denied', provider, uid ? Number(uid[1]) : null, null);
      }
      return null;
    }
    default:
      return null;
  }
}

/** Phrases of these reads in an app's own lines, whatever its tag (the monitor looks for them in every line). */
export const APP_SIDE_MARKS = ['Failed to find provider info for', 'access cell info', 'IPhoneSubInfo'];

/** What an app's own process logs when a read fails: `Failed to find provider info for AUTHORITY`, a SecurityException. */
export function appSideAccess(l: LogLine): Extracted | null {
  const msg = l.message;
  let m = /Failed to find provider info for ([\w.]+)/.exec(msg);
  if (m) {
    const provider = idProvider(m[1]!);
    return provider ? access('oaid', 'unknown', provider, null, null) : null;
  }
  if (/SecurityException: Not allowed to access cell info/.test(msg)) return access('cell-info', 'denied', 'getAllCellInfo', null, null);
  // A reflective call into telephony's identifier interface (IPhoneSubInfo.getDeviceId …) that failed in the app.
  m = /\bIPhoneSubInfo(?:\$Stub\$Proxy)?\.(get(?:DeviceId|Imei|Meid|SubscriberId|IccSerialNumber|Line1Number|Serial)\w*)/.exec(msg);
  if (m) return { type: 'identifier.access', method: m[1]!, uid: null, pid: l.pid, packageName: null };
  return null;
}
