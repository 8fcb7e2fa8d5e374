/**
 * zod schemas for the arguments of every API method: the trust boundary for IPC and WebSocket input.
 * The `satisfies` clause ties them to WorkbenchApi, so a method added to the contract needs a schema here.
 */
import { z } from 'zod';
import type { MethodName } from '../../src-preload/api.js';

const none = z.object({}).strict();

export const settingsSchema = z.object({
  language: z.enum(['auto', 'zh-CN', 'en']).default('auto'),
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  adbPath: z.string().min(1).max(1024).nullable().default(null),
  rememberedDevices: z.array(z.string().max(300)).max(100).default([]),
}).strict();

/** host:port (IPv4, [IPv6] or a host name) with a valid port. */
export const deviceAddress = z.string().max(300).regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'host:port').refine((a) => {
  const port = Number(a.slice(a.lastIndexOf(':') + 1));
  return port > 0 && port < 65536;
}, 'port must be 1-65535');

export const methodSchemas = {
  'app.info': none,
  'settings.get': none,
  'settings.update': settingsSchema.partial().strict(),
  'adb.status': none,
  'adb.restart': none,
  'devices.list': none,
  'devices.connect': z.object({ address: deviceAddress }).strict(),
  'devices.disconnect': z.object({ serial: z.string().min(1).max(300) }).strict(),
  'virtualDevice.scenarios': none,
  'virtualDevice.start': z.object({ scenario: z.string().regex(/^[a-z0-9-]{1,64}$/) }).strict(),
  'virtualDevice.stop': none,
  'virtualDevice.status': none,
} satisfies Record<MethodName, z.ZodType>;
