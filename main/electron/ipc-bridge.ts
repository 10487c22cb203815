import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { INVOKE_CHANNELS } from '../../common/ipc-contract';
import type { IpcResult } from '../../common/ipc-envelope';
import type { Dispatch } from '../ipc/dispatcher';
import type { EventHub } from '../ipc/event-hub';
import type { Logger } from '../logging/logger';
import { isRendererUrl } from '../security/navigation-policy';

/** Only the top frame of our own window, showing our own bundle, may call main. */
export function isTrustedSender(frame: WebFrameMain | null, window: BrowserWindow | null): boolean {
  if (!frame || !window || window.isDestroyed()) return false;
  return frame === window.webContents.mainFrame && isRendererUrl(frame.url);
}

/** Registers one ipcMain handler per contract channel and forwards events to the window. */
export function connectIpc(dispatch: Dispatch, events: EventHub, getWindow: () => BrowserWindow | null, log: Logger): void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<IpcResult<unknown>> => {
      if (!isTrustedSender(event.senderFrame, getWindow())) {
        log.warn('ipc.untrusted-sender', { channel });
        return { ok: false, error: { code: 'untrusted-sender', message: 'Request refused.' } };
      }
      return dispatch(channel, args);
    });
  }
  events.subscribe((event, payload) => {
    const window = getWindow();
    if (window && !window.isDestroyed()) window.webContents.send(event, payload);
  });
}
