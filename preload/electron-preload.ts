import { contextBridge, ipcRenderer } from 'electron';
import { createChartDeskApi, type BridgeTransport } from '../common/api';

// Sandboxed preload: bundled into one CommonJS file. Only named methods cross into the page;
// ipcRenderer itself, and the event object of each message, never do.
const transport: BridgeTransport = {
  invoke: (channel, args) => ipcRenderer.invoke(channel, ...args),
  subscribe(event, listener) {
    const handler = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(event, handler);
    return () => ipcRenderer.removeListener(event, handler);
  },
};

contextBridge.exposeInMainWorld('chartdesk', createChartDeskApi(transport));
