// The Electron IPC adapter with Electron stubbed: only our window's main frame, at our origin, is served.
import { describe, expect, it } from 'vitest';
import { Dispatcher } from '../../../src-main/bridge/dispatcher.js';
import { EventHub } from '../../../src-main/bridge/event-hub.js';
import { attachIpc, OwnWindows, type IpcInvokeEvent } from '../../../src-main/electron/ipc-adapter.js';
import { IPC_CALL } from '../../../src-preload/api.js';
import { echoHandlers } from '../../support/fake-handlers.js';

function setup(origin: string) {
  let handler: ((e: IpcInvokeEvent, ...a: unknown[]) => Promise<unknown>) | undefined;
  const ipcMain = {
    handle: (channel: string, fn: typeof handler) => {
      expect(channel).toBe(IPC_CALL);
      handler = fn;
    },
    removeHandler: () => {
      handler = undefined;
    },
  };
  const sent: unknown[] = [];
  const contents = { id: 7, send: (_c: string, p: unknown) => sent.push(p), isDestroyed: () => false };
  attachIpc(ipcMain, contents, new Dispatcher(echoHandlers()), new EventHub(), origin);
  return (event: IpcInvokeEvent) => handler!(event, 'devices.connect', { address: '10.0.0.2:5555' });
}

const mainFrame = (url: string, id = 7): IpcInvokeEvent => ({ senderFrame: { url, parent: null }, sender: { id } });

describe('IPC adapter sender checks', () => {
  it('serves the main frame of our window at our file:// origin', async () => {
    const call = setup('file:///app/out/renderer/index.html');
    expect(await call(mainFrame('file:///app/out/renderer/index.html'))).toMatchObject({ ok: true });
  });

  it('serves the dev server origin only with the exact host and port', async () => {
    const call = setup('http://localhost:5173/');
    expect(await call(mainFrame('http://localhost:5173/#/devices'))).toMatchObject({ ok: true });
    expect(await call(mainFrame('http://localhost:5174/'))).toMatchObject({ ok: false, error: { code: 'bridge.forbidden-sender' } });
    // A prefix match would accept this; the parsed host does not.
    expect(await call(mainFrame('http://localhost:5173.evil.example/'))).toMatchObject({ ok: false, error: { code: 'bridge.forbidden-sender' } });
  });

  it('refuses a foreign origin, a sub-frame, another window and a missing frame', async () => {
    const call = setup('file:///app/out/renderer/index.html');
    expect(await call(mainFrame('https://evil.example/'))).toMatchObject({ ok: false, error: { code: 'bridge.forbidden-sender' } });
    expect(await call({ senderFrame: { url: 'file:///app/out/renderer/index.html', parent: {} }, sender: { id: 7 } })).toMatchObject({ ok: false, error: { code: 'bridge.forbidden-sender' } });
    expect(await call(mainFrame('file:///app/out/renderer/index.html', 8))).toMatchObject({ ok: false, error: { code: 'bridge.forbidden-sender' } });
    expect(await call({ senderFrame: null, sender: { id: 7 } })).toMatchObject({ ok: false, error: { code: 'bridge.forbidden-sender' } });
    expect(await call(mainFrame('not a url'))).toMatchObject({ ok: false, error: { code: 'bridge.forbidden-sender' } });
  });
});

describe('IPC adapter with a detached screen window', () => {
  it('serves each window the workbench opened, sends events to each, and stops serving a closed one', async () => {
    let handler: ((e: IpcInvokeEvent, ...a: unknown[]) => Promise<unknown>) | undefined;
    const ipcMain = { handle: (_c: string, fn: typeof handler) => { handler = fn; }, removeHandler: () => { handler = undefined; } };
    const sent = new Map<number, unknown[]>();
    const window = (id: number) => {
      let destroyed = false;
      sent.set(id, []);
      return { id, send: (_c: string, p: unknown) => sent.get(id)!.push(p), isDestroyed: () => destroyed, destroy: () => { destroyed = true; } };
    };
    const main = window(7);
    const screen = window(9);
    const windows = new OwnWindows();
    windows.add(main);
    windows.add(screen);
    const hub = new EventHub();
    attachIpc(ipcMain, windows, new Dispatcher(echoHandlers()), hub, 'file:///app/out/renderer/index.html');
    const call = (id: number) => handler!(mainFrame('file:///app/out/renderer/index.html#screen/emulator-5554', id), 'devices.connect', { address: '10.0.0.2:5555' });
    expect(await call(9)).toMatchObject({ ok: true });
    expect(await call(8)).toMatchObject({ ok: false, error: { code: 'bridge.forbidden-sender' } });
    hub.emit('devices', [] as never);
    await new Promise((r) => setTimeout(r, 50));
    expect(sent.get(7)!.length).toBeGreaterThan(0);
    expect(sent.get(9)!.length).toBe(sent.get(7)!.length);
    screen.destroy();
    expect(await call(9)).toMatchObject({ ok: false, error: { code: 'bridge.forbidden-sender' } });
    windows.delete(screen);
    expect(await call(7)).toMatchObject({ ok: true });
  });
});
