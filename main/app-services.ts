import type { SessionView } from '../common/sessions';
import type { AppInfo } from '../common/view-models';
import type { DeepLink } from './deep-link/parse-deep-link';
import type { EventHub } from './ipc/event-hub';
import type { Logger } from './logging/logger';

export interface MainServicesDeps {
  appInfo: AppInfo;
  events: EventHub;
  log: Logger;
}

/** The main process's capabilities, free of Electron: the shell and the browser bridge both drive this. */
export interface MainServices {
  appInfo(): AppInfo;
  listSessions(): SessionView[];
  /** Acts on a link the OS handed over (already parsed, so hostile input has been turned away). */
  handleDeepLink(link: DeepLink): void;
}

export function createMainServices(deps: MainServicesDeps): MainServices {
  return {
    appInfo: () => deps.appInfo,
    listSessions: () => [],
    handleDeepLink(link) {
      if (link.kind === 'rejected') {
        deps.log.warn('deep-link.rejected', { reason: link.reason });
        return;
      }
      deps.log.info('deep-link.received', { kind: link.kind });
    },
  };
}
