/**
 * The checklist's view of the permission knowledge base (resources/knowledge/permissions.json): a permission's
 * category (the dialog group a user sees), the app ops that read personal information, and which permission
 * guards an op. Clipboard reads and identifier checks have no runtime permission but are sensitive.
 */
import { loadKnowledge, type PermissionKb } from '../apk/knowledge.js';
import type { PermissionKnowledge } from './timeline-facts.js';

/** Ops that read personal information without a dangerous permission of their own. */
const ALWAYS_SENSITIVE = ['READ_CLIPBOARD', 'READ_DEVICE_IDENTIFIERS', 'GET_USAGE_STATS', 'READ_ICC_SMS'];
/** Ops that write, send or only watch (MONITOR_LOCATION is noted while a listener is registered): not reads. */
const NOT_A_READ = /^(WRITE_|MONITOR_|SEND_|CALL_PHONE$|ADD_VOICEMAIL$|USE_SIP$|ANSWER_PHONE_CALLS$|BLUETOOTH_ADVERTISE$)/;
const PERSONAL_CATEGORIES = new Set(['location', 'camera', 'microphone', 'contacts', 'accounts', 'phone', 'callLog', 'sms', 'calendar', 'storage', 'sensors', 'clipboard', 'appList', 'biometrics', 'nearbyDevices']);

export function permissionKnowledge(kb: PermissionKb = loadKnowledge().permissions): PermissionKnowledge {
  const category = new Map<string, string>();
  const opPermissions = new Map<string, string[]>();
  const sensitive = new Set(ALWAYS_SENSITIVE);
  for (const p of kb.permissions) {
    category.set(p.name, p.category);
    for (const op of p.appOps) {
      opPermissions.set(op, [...(opPermissions.get(op) ?? []), p.name]);
      if (p.protectionLevel.includes('dangerous') && PERSONAL_CATEGORIES.has(p.category) && !NOT_A_READ.test(op)) sensitive.add(op);
    }
  }
  return {
    categoryOf: (permission) => category.get(permission) ?? null,
    isSensitiveOp: (op) => sensitive.has(op),
    permissionsOfOp: (op) => opPermissions.get(op) ?? [],
  };
}
