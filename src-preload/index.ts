/**
 * The sandboxed preload: exposes `window.workbench` (WorkbenchApi) over two IPC channels and nothing else —
 * no Node, no raw ipcRenderer. Kept free of heavy modules: it must stay tiny and CJS.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { IPC_CALL, IPC_EVENTS, type EventBatch, type WorkbenchApi } from './api.js';

const listeners = new Map<string, Set<(items: unknown[]) => void>>();

ipcRenderer.on(IPC_EVENTS, (_event, batch: EventBatch) => {
  for (const { event, items } of batch) for (const l of listeners.get(event) ?? []) l(items);
});

const api = {
  call: (method, args) => ipcRenderer.invoke(IPC_CALL, method, args),
  subscribe: (event, listener) => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const l = listener as (items: unknown[]) => void;
    set.add(l);
    return () => set.delete(l);
  },
  // Electron knows the dropped file's path; the core checks it and hands back an id.
  stageFile: (file) => ipcRenderer.invoke(IPC_CALL, 'files.stage', { path: webUtils.getPathForFile(file) }),
} satisfies WorkbenchApi;

contextBridge.exposeInMainWorld('workbench', api);
