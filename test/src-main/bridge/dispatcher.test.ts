// The one dispatcher: unknown methods and malformed arguments are refused with typed errors; handler errors
// come back as data.
import { describe, expect, it } from 'vitest';
import { Dispatcher } from '../../../src-main/bridge/dispatcher.js';
import { EventHub } from '../../../src-main/bridge/event-hub.js';
import { echoHandlers } from '../../support/fake-handlers.js';

const dispatcher = new Dispatcher(echoHandlers());

describe('Dispatcher', () => {
  it('runs a valid call', async () => {
    expect(await dispatcher.call('devices.connect', { address: '192.168.1.20:5555' })).toEqual({ ok: true, value: { serial: '192.168.1.20:5555' } });
  });

  it('refuses an unknown method with bridge.unknown-method', async () => {
    const r = await dispatcher.call('fs.readFile', { path: '/etc/passwd' });
    expect(r).toMatchObject({ ok: false, error: { code: 'bridge.unknown-method', messageKey: 'error.bridge.unknown-method' } });
    expect(await dispatcher.call(42, {})).toMatchObject({ ok: false, error: { code: 'bridge.unknown-method' } });
    expect(await dispatcher.call('__proto__', {})).toMatchObject({ ok: false, error: { code: 'bridge.unknown-method' } });
  });

  it.each([
    ['devices.connect', { address: 'not an address' }, 'address'],
    ['devices.connect', { address: '1.2.3.4:70000' }, 'address'],
    ['devices.connect', { address: '1.2.3.4:5555', extra: true }, ''],
    ['virtualDevice.start', { scenario: '../../etc/passwd' }, 'scenario'],
    ['settings.update', { theme: 'neon' }, 'theme'],
    ['settings.update', { adbPath: 7 }, 'adbPath'],
    ['devices.list', 'nonsense', ''],
  ])('refuses malformed arguments for %s (%j)', async (method, args, field) => {
    const r = await dispatcher.call(method, args);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('bridge.invalid-arguments');
      expect(r.error.details.field).toBe(field);
    }
  });

  it('returns handler errors as data with their code', async () => {
    expect(await dispatcher.call('devices.disconnect', { serial: 'x:1' })).toMatchObject({ ok: false, error: { code: 'adb.device-not-found', details: { serial: 'x:1' } } });
  });
});

describe('EventHub', () => {
  it('batches a flood into few messages and caps each stream', async () => {
    const hub = new EventHub();
    const batches: number[] = [];
    const { unsubscribe: off } = hub.subscribe((batch) => batches.push(batch.reduce((n, b) => n + b.items.length, 0)));
    for (let i = 0; i < 10_000; i++) hub.emit('problem', { code: 'internal', messageKey: 'error.internal', details: { i } });
    await new Promise((r) => setTimeout(r, 100));
    off();
    expect(batches.length).toBe(1);
    expect(batches[0]).toBe(2000);
    expect(hub.last('problem')?.details.i).toBe(9999);
  });
});
