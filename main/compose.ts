import type { AppInfo } from '../common/view-models';
import { createMainServices, type MainServices } from './app-services';
import { createDispatcher, type Dispatch } from './ipc/dispatcher';
import { createEventHub, type EventHub } from './ipc/event-hub';
import { createHandlerTable } from './ipc/handler-table';
import type { Logger } from './logging/logger';

export interface MainApp {
  services: MainServices;
  events: EventHub;
  dispatch: Dispatch;
}

/** Wires the services once, for the Electron shell and the browser view alike. */
export function composeMainApp(appInfo: AppInfo, log: Logger): MainApp {
  const events = createEventHub();
  const services = createMainServices({ appInfo, events, log });
  return { services, events, dispatch: createDispatcher(createHandlerTable(services), log) };
}
