/**
 * The Electron IPC transport of the one dispatcher. Every message is checked before it reaches a handler:
 * it must come from the main frame (no sub-frames) of one of our own windows (the workbench window and the
 * detached live-screen windows it opened), whose URL parses to our origin. Events go to each of them.
 * Electron is injected (not imported) so this module is tested in plain Node.
 */
import { IPC_CALL, IPC_EVENTS } from '../../src-preload/api.js';
import type { Dispatcher } from '../bridge/dispatcher.js';
import type { EventHub } from '../bridge/event-hub.js';
import { WorkbenchError, toBridgeError } from '../core/errors.js';

export interface IpcSenderFrame {
  url: string;
  parent: unknown;
}

export interface IpcInvokeEvent {
  senderFrame: IpcSenderFrame | null;
  sender: { id: number };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface WebContentsLike {
  id: number;
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

/** The windows the workbench opened itself; a closed one leaves the set. */
export class OwnWindows {
  private readonly items = new Set<WebContentsLike>();

  add(contents: WebContentsLike): void {
    this.items.add(contents);
  }

  delete(contents: WebContentsLike): void {
    this.items.delete(contents);
  }

  list(): WebContentsLike[] {
    return [...this.items].filter((c) => !c.isDestroyed());
  }
}

/** Parsed comparison: the sender's URL must have exactly the allowed protocol and host (file: or dev server). */
export function isTrustedSender(event: IpcInvokeEvent, allowedOrigin: string, windowIds: number | readonly number[]): boolean {
  const frame = event.senderFrame;
  const ids = typeof windowIds === 'number' ? [windowIds] : windowIds;
  if (!frame || frame.parent !== null || !ids.includes(event.sender.id)) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  const allowed = new URL(allowedOrigin);
  if (allowed.protocol === 'file:') return url.protocol === 'file:';
  return url.protocol === allowed.protocol && url.host === allowed.host;
}

export function attachIpc(ipcMain: IpcMainLike, windows: WebContentsLike | OwnWindows, dispatcher: Dispatcher, hub: EventHub, allowedOrigin: string): () => void {
  const list = (): WebContentsLike[] => (windows instanceof OwnWindows ? windows.list() : windows.isDestroyed() ? [] : [windows]);
  const events = hub.subscribe((batch) => {
    for (const contents of list()) contents.send(IPC_EVENTS, batch);
  });
  ipcMain.handle(IPC_CALL, async (event, method, args) => {
    if (!isTrustedSender(event, allowedOrigin, list().map((c) => c.id))) {
      return { ok: false, error: toBridgeError(new WorkbenchError('bridge.forbidden-sender', 'IPC from an untrusted frame was refused')) };
    }
    const outcome = await dispatcher.call(method, args);
    events.flush();
    return outcome;
  });
  return () => {
    events.unsubscribe();
    ipcMain.removeHandler(IPC_CALL);
  };
}
