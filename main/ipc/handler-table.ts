import type { MainServices } from '../app-services';
import { noArgs, type HandlerTable } from './dispatcher';

/** Binds every contract channel to the service that answers it, with its argument schema. */
export function createHandlerTable(services: MainServices): HandlerTable {
  return {
    'app:info': { args: noArgs, run: () => services.appInfo() },
    'session:list': { args: noArgs, run: () => services.listSessions() },
  };
}
