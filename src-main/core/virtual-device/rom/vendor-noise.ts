/**
 * Background lines every profile's boot shares: the persistent phone process started `for added application`
 * (`Start proc 2193:com.android.phone/1001 for added application com.android.phone`, capture 24, and its
 * `am_proc_start: [0,2193,1001,com.android.phone,added application,com.android.phone]`).
 */
import type { SystemLine } from './system-lines.js';
import { PHONE_PROCESS_PID, SYSTEM_SERVER_PID } from './system-lines.js';

export function bootAddedApplications(): SystemLine[] {
  return [
    { tag: 'ActivityManager', priority: 4, buffer: 'system', tid: SYSTEM_SERVER_PID + 59, message: `Start proc ${PHONE_PROCESS_PID}:com.android.phone/1001 for added application com.android.phone` },
    { tag: 'am_proc_start', priority: 4, buffer: 'events', tid: SYSTEM_SERVER_PID + 59, message: `[0,${PHONE_PROCESS_PID},1001,com.android.phone,added application,com.android.phone]` },
  ];
}
