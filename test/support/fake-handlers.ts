/**
 * Handlers for bridge tests that exercise validation and transport, not the core: each echoes what it got,
 * so a test can see exactly what passed validation.
 */
import type { Handlers } from '../../src-main/bridge/dispatcher.js';
import { WorkbenchError } from '../../src-main/core/errors.js';

const settings = { language: 'auto', theme: 'system', adbPath: null, rememberedDevices: [], allowLocalAddresses: false } as const;

export function echoHandlers(): Handlers {
  const status = { state: 'running', adbPath: '/usr/bin/adb', source: 'path', serverPort: 5037, error: null } as const;
  const demo = { running: false, serial: null, scenarioId: null };
  return {
    'app.info': async () => ({ version: 'test', shell: 'browser', systemLocale: 'en', dataDir: '/tmp' }),
    'settings.get': async () => ({ ...settings, rememberedDevices: [] }),
    'settings.update': async (patch) => ({ ...settings, rememberedDevices: [], ...patch, allowLocalAddresses: patch.allowLocalAddresses ?? false }),
    'adb.status': async () => status,
    'adb.restart': async () => status,
    'devices.list': async () => [],
    'devices.connect': async ({ address }) => ({ serial: address }),
    'devices.disconnect': async ({ serial }) => {
      throw new WorkbenchError('adb.device-not-found', `no ${serial}`, { serial });
    },
    'virtualDevice.scenarios': async () => [],
    'virtualDevice.start': async ({ scenario }) => ({ running: true, serial: '127.0.0.1:1', scenarioId: scenario }),
    'virtualDevice.profiles': async () => [],
    'virtualDevice.stop': async () => demo,
    'virtualDevice.status': async () => demo,
    'files.stage': async ({ path }) => ({ fileId: '0'.repeat(32), fileName: path, size: 0 }),
    'device.details': async () => {
      throw new WorkbenchError('adb.device-not-found', 'no device', {});
    },
    'device.packages': async () => [],
    'device.install': async () => ({ ok: true, packageName: null, output: 'Success' }),
    'device.uninstall': async () => null,
    'device.clearData': async () => null,
    'device.forceStop': async () => null,
    'device.launch': async () => null,
    'device.screenshot': async () => ({ png: '', width: 0, height: 0, hostTime: 0, savedPath: null }),
    'device.input': async ({ serial, action }) => ({ serial, action, hostTime: 0, deviceTime: null }),
    'device.uiTree': async () => ({ rotation: 0, nodes: [], nodeCount: 0 }),
    'device.shell': async ({ command }) => ({ output: command }),
    'monitor.start': async ({ serial, packageName }) => ({ serial, packageName, rawLogPath: '', lines: 0, events: 0, reconnects: 0 }),
    'monitor.stop': async () => null,
    'monitor.status': async () => [],
    'monitor.recent': async () => ({ status: null, lines: [], events: [] }),
    'apk.analyze': async () => {
      throw new WorkbenchError('apk.refused', 'not in this test', {});
    },
    ...notInThisTest(['session.list', 'session.start', 'session.pause', 'session.resume', 'session.close', 'session.delete', 'session.mark', 'session.note', 'session.attach',
      'session.timeline', 'session.blob', 'evidence.identities', 'evidence.createIdentity', 'evidence.importIdentity', 'evidence.export', 'evidence.verify', 'evidence.reportPdf',
      'checklist.templates', 'checklist.template', 'checklist.schema', 'checklist.validate', 'checklist.save', 'checklist.session', 'checklist.use',
      'checklist.verdict', 'checklist.capture', 'checklist.exportFindings', 'policy.appTypes', 'policy.view', 'policy.loadFile', 'policy.fetch', 'policy.capture',
      'policy.setAppType', 'policy.check', 'policy.paste', 'policy.captureList',
      'network.start', 'network.stop', 'network.status', 'network.lanAddresses', 'network.staleProxies', 'network.clearStale', 'network.ca', 'network.pushCa',
      'screen.watch', 'screen.unwatch', 'evidence.estimate', 'explore.start', 'explore.stop', 'explore.status',
      'farm.connect', 'farm.status', 'farm.retry', 'farm.cancel', 'farm.join', 'farm.leave', 'farm.offered']),
  };
}

/** Methods these transport tests never reach: they refuse, as an unavailable capability would. */
function notInThisTest<M extends keyof Handlers>(methods: M[]): Pick<Handlers, M> {
  return Object.fromEntries(methods.map((m) => [m, async () => {
    throw new WorkbenchError('internal', `${m} is not in this test`, {});
  }])) as unknown as Pick<Handlers, M>;
}
