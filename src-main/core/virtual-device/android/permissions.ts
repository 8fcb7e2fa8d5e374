/**
 * What the simulated permission controller knows: which permissions are runtime (dangerous), their group
 * (one dialog per group), the app op each maps to, and the dialog wording in zh/en.
 */
export interface RuntimePermissionInfo {
  group: string;
  op: string | null;
  zh: string;
  en: string;
}

const P = 'android.permission.';
const table: Record<string, RuntimePermissionInfo> = {
  ACCESS_FINE_LOCATION: { group: 'LOCATION', op: 'FINE_LOCATION', zh: '获取此设备的位置信息', en: "access this device's location" },
  ACCESS_COARSE_LOCATION: { group: 'LOCATION', op: 'COARSE_LOCATION', zh: '获取此设备的位置信息', en: "access this device's location" },
  ACCESS_BACKGROUND_LOCATION: { group: 'LOCATION', op: null, zh: '在后台获取位置信息', en: 'access location in the background' },
  CAMERA: { group: 'CAMERA', op: 'CAMERA', zh: '拍摄照片和录制视频', en: 'take pictures and record video' },
  RECORD_AUDIO: { group: 'MICROPHONE', op: 'RECORD_AUDIO', zh: '录音', en: 'record audio' },
  READ_CONTACTS: { group: 'CONTACTS', op: 'READ_CONTACTS', zh: '访问您的通讯录', en: 'access your contacts' },
  WRITE_CONTACTS: { group: 'CONTACTS', op: 'WRITE_CONTACTS', zh: '访问您的通讯录', en: 'access your contacts' },
  GET_ACCOUNTS: { group: 'CONTACTS', op: 'GET_ACCOUNTS', zh: '访问您的通讯录', en: 'access your contacts' },
  READ_PHONE_STATE: { group: 'PHONE', op: 'READ_PHONE_STATE', zh: '拨打电话和管理通话', en: 'make and manage phone calls' },
  READ_PHONE_NUMBERS: { group: 'PHONE', op: 'READ_PHONE_NUMBERS', zh: '拨打电话和管理通话', en: 'make and manage phone calls' },
  CALL_PHONE: { group: 'PHONE', op: 'CALL_PHONE', zh: '拨打电话和管理通话', en: 'make and manage phone calls' },
  READ_CALL_LOG: { group: 'CALL_LOG', op: 'READ_CALL_LOG', zh: '访问您的通话记录', en: 'access your phone call logs' },
  READ_SMS: { group: 'SMS', op: 'READ_SMS', zh: '发送和查看短信', en: 'send and view SMS messages' },
  RECEIVE_SMS: { group: 'SMS', op: 'RECEIVE_SMS', zh: '发送和查看短信', en: 'send and view SMS messages' },
  SEND_SMS: { group: 'SMS', op: 'SEND_SMS', zh: '发送和查看短信', en: 'send and view SMS messages' },
  READ_CALENDAR: { group: 'CALENDAR', op: 'READ_CALENDAR', zh: '访问您的日历', en: 'access your calendar' },
  WRITE_CALENDAR: { group: 'CALENDAR', op: 'WRITE_CALENDAR', zh: '访问您的日历', en: 'access your calendar' },
  READ_EXTERNAL_STORAGE: { group: 'STORAGE', op: 'READ_EXTERNAL_STORAGE', zh: '访问您设备上的照片和媒体内容', en: 'access photos and media on your device' },
  WRITE_EXTERNAL_STORAGE: { group: 'STORAGE', op: 'WRITE_EXTERNAL_STORAGE', zh: '访问您设备上的照片和媒体内容', en: 'access photos and media on your device' },
  READ_MEDIA_IMAGES: { group: 'READ_MEDIA_VISUAL', op: 'READ_MEDIA_IMAGES', zh: '访问此设备上的照片和视频', en: 'access photos and videos on this device' },
  READ_MEDIA_VIDEO: { group: 'READ_MEDIA_VISUAL', op: 'READ_MEDIA_VIDEO', zh: '访问此设备上的照片和视频', en: 'access photos and videos on this device' },
  READ_MEDIA_AUDIO: { group: 'READ_MEDIA_AURAL', op: 'READ_MEDIA_AUDIO', zh: '访问此设备上的音乐和音频', en: 'access music and audio on this device' },
  BODY_SENSORS: { group: 'SENSORS', op: 'BODY_SENSORS', zh: '访问与您的生命体征相关的传感器数据', en: 'access sensor data about your vital signs' },
  ACTIVITY_RECOGNITION: { group: 'ACTIVITY_RECOGNITION', op: 'ACTIVITY_RECOGNITION', zh: '获取您的身体活动数据', en: 'access your physical activity' },
  POST_NOTIFICATIONS: { group: 'NOTIFICATIONS', op: 'POST_NOTIFICATION', zh: '向您发送通知', en: 'send you notifications' },
};

export function runtimePermission(name: string): RuntimePermissionInfo | undefined {
  return name.startsWith(P) ? table[name.slice(P.length)] : undefined;
}

/** The runtime permission an app op is guarded by, if any (READ_CLIPBOARD, for example, has none). */
export function permissionForOp(op: string): string | undefined {
  for (const [name, info] of Object.entries(table)) if (info.op === op) return P + name;
  return undefined;
}

/** Grant result codes logged by GrantPermissionsActivity (Android 10+). */
export const GRANT_RESULT = {
  IGNORED_USER_FIXED: 2,
  USER_GRANTED: 4,
  USER_DENIED: 6,
  USER_DENIED_WITH_PREJUDICE: 7,
} as const;
