/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { ChartDeskApi } from '../../common/api';

declare global {
  interface Window {
    /** Exposed by the preload (Electron) or the bridge script (browser view). */
    readonly chartdesk: ChartDeskApi;
  }
}
