/**
 * The device-control slice of the API (details, apps, install, screen, input, UI tree, shell). When a
 * session records on the phone, what the tester does there goes into it: installs with their output and the
 * APK's SHA-256, app actions, saved screenshots and UI dumps (inputs arrive through the event hub).
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceInputEvent } from '../../../src-preload/api.js';
import type { EventHub } from '../../bridge/event-hub.js';
import type { Handlers } from '../../bridge/dispatcher.js';
import type { SessionManager } from '../session/session-manager.js';
import type { StagedFiles } from '../staged-files.js';
import type { DeviceControl } from './device-control.js';
import type { AdbService } from './adb-service.js';

type DeviceMethods = 'device.details' | 'device.packages' | 'device.install' | 'device.uninstall' | 'device.clearData' | 'device.forceStop' |
  'device.launch' | 'device.screenshot' | 'device.input' | 'device.uiTree' | 'device.shell';

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function deviceControlHandlers(adb: AdbService, hub: EventHub, files: StagedFiles, sessions: SessionManager, dataDir: string): Pick<Handlers, DeviceMethods> {
  /**
   * An action on the app, recorded in the phone's session BEFORE it is sent, stamped with the phone's clock
   * read just then: what the app does in reply (it collects at launch within milliseconds) must come after it.
   * A failure is recorded too, so the timeline never claims an action that did not happen.
   */
  const action = async (serial: string, kind: 'launch' | 'force-stop' | 'clear-data' | 'uninstall', target: string, run: (c: DeviceControl) => Promise<unknown>): Promise<null> => {
    const recording = sessions.recordingOn(serial);
    if (recording) {
      const deviceTime = await adb.onDevice(serial, (c) => c.readClock(serial)).catch(() => null);
      recording.append({ type: 'app.action', action: kind, target }, { deviceTime });
    }
    try {
      await adb.onDevice(serial, run);
    } catch (err) {
      recording?.append({ type: 'session.problem', code: 'action-failed', message: `${kind} ${target} failed: ${err instanceof Error ? err.message : String(err)}` });
      throw err;
    }
    return null;
  };
  return {
    'device.details': async ({ serial }) => adb.onDevice(serial, (c) => c.details(serial)),
    'device.packages': async ({ serial }) => adb.onDevice(serial, (c) => c.packages(serial)),
    'device.install': async ({ serial, fileId }) => {
      const file = files.get(fileId);
      const recording = sessions.recordingOn(serial);
      const apkSha256 = recording ? await sha256File(file.path) : null;
      const result = await adb.onDevice(serial, (c) => c.install(serial, file.path, file.fileName, (p) => hub.emit('install', p)));
      sessions.onDevice(serial, (s) => s.recordInstall(result, apkSha256, file.fileName));
      return result;
    },
    'device.uninstall': async ({ serial, packageName }) => action(serial, 'uninstall', packageName, (c) => c.uninstall(serial, packageName)),
    'device.clearData': async ({ serial, packageName }) => action(serial, 'clear-data', packageName, (c) => c.clearData(serial, packageName)),
    'device.forceStop': async ({ serial, packageName }) => action(serial, 'force-stop', packageName, (c) => c.forceStop(serial, packageName)),
    'device.launch': async ({ serial, packageName }) => action(serial, 'launch', packageName, (c) => c.launch(serial, packageName)),
    'device.screenshot': async ({ serial, save }) => {
      const hostTime = Date.now();
      const shot = await adb.onDevice(serial, (c) => c.screenshot(serial));
      let savedPath: string | null = null;
      if (save) {
        // A session keeps the screenshot by hash; without one it goes to the screenshots folder.
        const session = sessions.recordingOn(serial);
        if (session) savedPath = join(session.dir, session.capture('screenshot', shot.png, 'image/png', null, { hostTime }).blob.path);
        else {
          const dir = join(dataDir, 'screenshots', serial.replace(/[^\w.-]/g, '_'));
          mkdirSync(dir, { recursive: true, mode: 0o700 });
          savedPath = join(dir, `${new Date(hostTime).toISOString().replace(/[:]/g, '-')}.png`);
          writeFileSync(savedPath, shot.png, { mode: 0o600 });
        }
      }
      return { png: shot.png.toString('base64'), width: shot.width, height: shot.height, hostTime, savedPath };
    },
    'device.input': async ({ serial, action: input }) => {
      // Recorded (through the hub's tap) before it is sent, with the phone's clock read just then when a
      // session records: a mark the tester sets right after (D for "declined") must find this tap already
      // there, and what the app does in reply must come after it.
      const recording = !!sessions.recordingOn(serial);
      const recorded = sessions.beginInput(serial);
      const hostTime = Date.now();
      let event: DeviceInputEvent;
      try {
        const deviceTime = await adb.onDevice(serial, (c) => (recording ? c.readClock(serial) : c.deviceTime(serial, hostTime))).catch(() => null);
        event = { serial, action: input, hostTime, deviceTime };
        hub.emit('deviceInput', event);
      } finally {
        recorded();
      }
      try {
        await adb.onDevice(serial, (c) => c.input(serial, input));
      } catch (err) {
        sessions.onDevice(serial, (s) => s.append({ type: 'session.problem', code: 'input-failed', message: `the tap or key did not reach the phone: ${err instanceof Error ? err.message : String(err)}` }));
        throw err;
      }
      return event;
    },
    'device.uiTree': async ({ serial }) => {
      const hostTime = Date.now();
      const tree = await adb.onDevice(serial, (c) => c.uiTree(serial));
      sessions.onDevice(serial, (s) => s.capture('ui.dump', Buffer.from(JSON.stringify(tree)), 'application/json', null, { hostTime }));
      return tree;
    },
    'device.shell': async ({ serial, command }) => ({ output: await adb.onDevice(serial, (c) => c.shell(serial, command)) }),
  };
}
